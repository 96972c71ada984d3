// GetObject: from the bucket when the key is there, otherwise through the first matching mirror rule.
// HeadObject too, where the profile lets a HEAD on a missing key trigger the fetch. The miss itself is
// mirror/miss.ts; this file picks its ending and turns what came of it into the client's answer.

import type { MirrorRule } from '../../spec/rules.ts';
import { missResponseHeaders, objectResponseHeaders, parseRange } from '../core/object-headers.ts';
import { climbsOutOfBase, originUrlOf, rewriteKey } from '../core/origin-url.ts';
import { matchRule } from '../core/rule-matching.ts';
import { S3Error } from '../errors/s3-error.ts';
import { requestedChecksumHeaders } from '../integrity/checksum-headers.ts';
import type { MissRequest } from '../mirror/fetch-from-origins.ts';
import {
  leadMiss,
  type Miss,
  type MissDeps,
  relayToClient,
  storeInBackground,
  storeWhole,
} from '../mirror/miss.ts';
import type { Landing } from '../mirror/miss-outcome.ts';
import { type ChunkSource, chunksResponse, sourceResponse, sourceStream } from '../server/direct-body.ts';
import { markReplayable } from '../server/replay.ts';
import type { Generation, Lookup, ObjectStore } from '../storage/object-store.ts';
import { requireBucket } from './buckets.ts';
import type { Context } from './context.ts';
import { serveStored } from './objects.ts';
import { readPreconditions } from './read-preconditions.ts';
import { withResponseOverrides } from './response-overrides.ts';

/** A key found missing, the rule that mirrors it, and the key's generation read before it was looked up. */
interface Missing {
  rule: MirrorRule;
  since: Generation;
}

/** How many fetches in flight one miss waits on before it fetches for itself. */
const MAX_WAITS = 3;

export async function getObject(
  context: Context,
  request: Request,
  bucket: string,
  key: string,
  rawQuery: string,
): Promise<Response> {
  await requireBucket(context, bucket);
  const source: MissRequest = { key, rawQuery, clientHeaders: request.headers };
  const look = async (): Promise<Response | Missing> => {
    const { generation: since, meta, chunks } = await lookUp(context.store, bucket, key);
    // A hit never contacts an origin [oss-overview][jd-guide]; its answer depends on the stored object
    // and the request alone, so a server may replay it while nothing changes (server/replay.ts).
    if (meta !== undefined)
      return markReplayable(
        readPreconditions(request, meta, bucket, key) ??
          (await serveStored(context, request, bucket, key, meta, chunks)),
      );
    const rule = matchRule(await mirrorRules(context, bucket), key, request.headers);
    if (rule === undefined) throw noSuchKey(bucket, key);
    refuseClimbingKey(rule, bucket, key);
    switch (rule.mode) {
      case 'redirect':
        return redirectToOrigin(rule, key, rawQuery);
      case 'redirect-async':
        // KS3 async and CDNetworks: 302 to the origin now, the copy later [ks3-async-en][cdn-mirror].
        if (context.flights.current(bucket, key) === undefined) {
          const miss: Miss = { bucket, key, rule, source, writeBack: true, since };
          storeInBackground(missDeps(context), context.background, miss);
        }
        return redirectToOrigin(rule, key, rawQuery);
      case 'mirror':
        return { rule, since };
    }
  };
  const answer = await joinOrLead(context, bucket, key, look, ({ rule, since }) =>
    mirrorMiss(
      context,
      { bucket, key, rule, source, writeBack: rule.writeBack, since },
      request.headers.get('range'),
    ),
  );
  return withResponseOverrides(answer, rawQuery);
}

/**
 * HeadObject. A HEAD on a missing key is 404 and contacts no origin [oss-overview][cos-guide], unless the
 * profile lets it trigger: always (US3 fetches and stores the object [us3-guide]) or for rules that opt
 * in (OSS MirrorAllowHeadObject [oss-php2], OBS mirrorAllowHttpMethod [obs-api-zh]).
 */
export async function headObject(
  context: Context,
  request: Request,
  bucket: string,
  key: string,
): Promise<Response> {
  await requireBucket(context, bucket);
  const source: MissRequest = { key, rawQuery: '', clientHeaders: request.headers };
  const look = async (): Promise<Response | Missing> => {
    const { generation: since, meta } = await lookUp(context.store, bucket, key);
    if (meta !== undefined) {
      const headers = { ...objectResponseHeaders(meta), ...requestedChecksumHeaders(request, meta) };
      return markReplayable(
        readPreconditions(request, meta, bucket, key) ?? new Response(null, { status: 200, headers }),
      );
    }
    const rule = matchRule(await mirrorRules(context, bucket), key, request.headers);
    if (rule === undefined || rule.mode !== 'mirror' || !headTriggers(context, rule)) {
      throw noSuchKey(bucket, key);
    }
    refuseClimbingKey(rule, bucket, key);
    return { rule, since };
  };
  // One origin fetch for concurrent HEADs and GETs on the key, whichever came first.
  return joinOrLead(context, bucket, key, look, ({ rule, since }) =>
    headMiss(context, { bucket, key, rule, source, writeBack: rule.writeBack, since }),
  );
}

/**
 * The key's generation and object in one look: the store's own lookup when it has one, otherwise the
 * generation and then the head, in that order. The generation is the one before the object was looked
 * at, so a PUT or DELETE landing after it wins over the mirror write a miss would make.
 */
async function lookUp(store: ObjectStore, bucket: string, key: string): Promise<Lookup> {
  if (store.lookup) return store.lookup(bucket, key);
  const generation = await store.generation(bucket, key);
  const meta = await store.head(bucket, key);
  return meta === undefined ? { generation } : { generation, meta };
}

async function mirrorRules(context: Context, bucket: string): Promise<readonly MirrorRule[]> {
  return (await context.store.getMirrorConfiguration(bucket))?.rules ?? [];
}

/**
 * The waiting side of single-flight. `look` answers from the bucket (or refuses) or names the mirror rule
 * of a miss; the miss then joins the fetch in flight for the key, or leads one with `lead`. A miss that
 * waited looks at the bucket again, and fetches only if the key is still missing (a DELETE came in
 * between, or nothing was stored) and no other fetch is under way: the first waiter to look again leads
 * the next fetch and the others join it. Bounded, so a key that keeps losing its write-back to DELETEs
 * cannot keep a miss waiting.
 */
async function joinOrLead(
  context: Context,
  bucket: string,
  key: string,
  look: () => Promise<Response | Missing>,
  lead: (missing: Missing) => Promise<Response>,
): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const before = context.flights.current(bucket, key);
    const looked = await look();
    if (looked instanceof Response) return looked;
    // From here to the lead nothing is awaited, so two misses cannot both lead a fetch for the key.
    const flight = context.flights.current(bucket, key);
    // A fetch that landed while the store was read (a slow store) may have stored the object, or lost
    // to a PUT: what was read is from before it, so look again rather than fetch a second time.
    if (flight === undefined && before !== undefined && attempt < MAX_WAITS) continue;
    if (flight === undefined || attempt >= MAX_WAITS) return lead(looked);
    const shared = await flight;
    // Stored, or nothing to share (a PUT or DELETE may have won over the leader's write): look again.
    if (shared.kind === 'stored' || shared.kind === 'unshared') continue;
    return answerFor(shared, bucket, key);
  }
}

function headTriggers(context: Context, rule: MirrorRule): boolean {
  switch (context.settings.profile.switches.headTrigger) {
    case 'never':
      return false;
    case 'always':
      return true;
    case 'opt-in':
      return rule.triggerOnHead;
  }
}

/** The client's answer for an outcome that is not an object. */
function answerFor(result: Exclude<Landing, { kind: 'stored' | 'unshared' }>, bucket: string, key: string) {
  switch (result.kind) {
    case 'not-found':
      throw noSuchKey(bucket, key);
    case 'failed':
      throw mirrorFailed(bucket, key, result.reason);
    case 'relay-redirect':
      return new Response(null, {
        status: result.status,
        headers: { location: result.location, 'x-mirrorspec-mirror': 'miss' },
      });
  }
}

function redirectToOrigin(rule: MirrorRule, key: string, rawQuery: string): Response {
  const headers = { location: originUrlOf(rule, key, rawQuery) };
  return new Response(null, { status: rule.redirectStatus, headers });
}

async function mirrorMiss(context: Context, miss: Miss, range: string | null): Promise<Response> {
  const { bucket, key } = miss;
  const found = await leadMiss(missDeps(context), miss);
  if (found.kind !== 'found') return answerFor(found, bucket, key);
  const relay = await relayToClient(found, context.background);
  if (relay.kind === 'failed') return answerFor(relay, bucket, key);

  const headers = missResponseHeaders(relay.meta);
  // Without a Content-Length from the origin the answer is relayed chunked [jd-guide][cos-guide].
  if (relay.size !== undefined) headers['content-length'] = String(relay.size);
  if (relay.stored !== undefined) {
    headers.etag = relay.stored.etag;
    headers['last-modified'] = relay.stored.lastModified.toUTCString();
  }
  // COS answers the range and copies the whole object apart [cos-guide]; elsewhere the whole object is
  // the answer [us3-guide]. Either way the range never reached the origin [oss-put]. Needs the size.
  const wanted =
    range !== null &&
    relay.size !== undefined &&
    context.settings.profile.switches.rangeOnMiss === 'range-and-copy'
      ? parseRange(range, relay.size)
      : undefined;
  // A body read whole before the answer is written as a stored object's is; the rest is pulled by the
  // client's socket as it takes it. Neither makes a stream unless a range needs one.
  const whole = Array.isArray(relay.body) ? relay.body : undefined;
  if (wanted === undefined)
    return whole
      ? chunksResponse(whole, { status: 200, headers })
      : sourceResponse(relay.body as ChunkSource, { status: 200, headers });
  const body = whole
    ? (chunksResponse(whole, {}).body as ReadableStream<Uint8Array>)
    : sourceStream(relay.body as ChunkSource);
  if (wanted === 'unsatisfiable') {
    // Cancelling the relay leaves the copy to finish in the background, tracked for settle.
    void body.cancel();
    throw new S3Error(
      'InvalidRange',
      `the requested range does not overlap the object's ${relay.size} bytes`,
      { bucket, key },
    );
  }
  headers['content-length'] = String(wanted.end - wanted.start + 1);
  headers['content-range'] = `bytes ${wanted.start}-${wanted.end}/${relay.size}`;
  return new Response(rangeOf(body, wanted), { status: 206, headers });
}

/**
 * Bytes start..end of a relayed body, read as the client reads. Once the range is out (or the client
 * leaves), the relay is cancelled, which finishes the copy in the background, tracked for settle.
 */
function rangeOf(
  body: ReadableStream<Uint8Array>,
  range: { start: number; end: number },
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let offset = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          // A failing body errors this stream too: the client sees a cut, never a short range.
          const { done, value } = await reader.read();
          if (done) {
            controller.close();
            return;
          }
          const first = offset;
          offset += value.byteLength;
          const from = Math.max(0, range.start - first);
          const to = Math.min(value.byteLength, range.end - first + 1);
          if (to > from) controller.enqueue(value.subarray(from, to));
          if (offset > range.end) {
            controller.close();
            void reader.cancel();
            return;
          }
          if (to > from) return;
        }
      },
      cancel: () => reader.cancel(),
    },
    { highWaterMark: 0 },
  );
}

/** A HEAD that triggered a fetch: the whole body is stored before the HEAD is answered. */
async function headMiss(context: Context, miss: Miss): Promise<Response> {
  const { bucket, key } = miss;
  const found = await leadMiss(missDeps(context), miss);
  if (found.kind !== 'found') return answerFor(found, bucket, key);
  const outcome = await storeWhole(found);
  if (outcome.kind === 'failed') return answerFor(outcome, bucket, key);
  // Nothing stored (write-back off, or a PUT or DELETE won): the headers of what the origin sent.
  const headers =
    outcome.kind === 'stored'
      ? { ...objectResponseHeaders(outcome.meta), 'x-mirrorspec-mirror': 'miss' }
      : { ...missResponseHeaders(found.meta), 'content-length': String(outcome.read?.size ?? 0) };
  return new Response(null, { status: 200, headers });
}

function missDeps(context: Context): MissDeps {
  return {
    store: context.store,
    origin: context.origin,
    maxObjectSize: context.settings.maxObjectSize,
    // Which origin answers fail or move on to the next origin, and which headers an object keeps, is the
    // profile's.
    switches: context.settings.profile.switches,
    signal: context.signal,
    flights: context.flights,
  };
}

/**
 * A key whose origin path would leave the origin's base path once dot segments are removed never reaches
 * an origin, nor a redirect's Location, which browsers resolve the same way [rfc-3986] (proposed: no
 * vendor documents it). The key stays valid in the bucket: PUT, GET of a stored copy and DELETE work.
 */
function refuseClimbingKey(rule: MirrorRule, bucket: string, key: string): void {
  if (!climbsOutOfBase(rewriteKey(rule, key))) return;
  throw new S3Error(
    'InvalidArgument',
    "the key's dot segments (. and .., however encoded) would climb out of the origin's base path, " +
      'so it is not fetched from any origin; store it with a PUT instead',
    { bucket, key },
  );
}

function noSuchKey(bucket: string, key: string): S3Error {
  return new S3Error('NoSuchKey', 'the key does not exist', { bucket, key });
}

function mirrorFailed(bucket: string, key: string, reason: string): S3Error {
  return new S3Error('MirrorFailed', `the mirror fetch failed: ${reason}`, { bucket, key });
}
