// GetObject: from the bucket when the key is there, otherwise through the first matching mirror rule.
// HeadObject too, where the profile lets a HEAD on a missing key trigger the fetch.

import type { MirrorRule } from '../../spec/rules.ts';
import { originUrlOf } from '../core/origin-url.ts';
import { matchRule } from '../core/rule-matching.ts';
import { S3Error } from '../errors/s3-error.ts';
import { bodyCheck } from '../mirror/body-check.ts';
import { copyToStore } from '../mirror/copy-to-store.ts';
import { fetchFromOrigins, type MissRequest, type OriginOutcome } from '../mirror/fetch-from-origins.ts';
import type { FlightResult } from '../mirror/flights.ts';
import { startRelay } from '../mirror/relay.ts';
import type { NewObjectMeta, ObjectMeta, ObjectWriter } from '../storage/object-store.ts';
import { requireBucket } from './buckets.ts';
import type { Context } from './context.ts';
import {
  keptOriginHeaders,
  objectResponseHeaders,
  parseRange,
  STORED_HEADERS,
  serveStored,
} from './objects.ts';

/** How many fetches in flight one miss waits on before it fetches for itself. */
const MAX_WAITS = 3;

export async function getObject(
  context: Context,
  request: Request,
  bucket: string,
  key: string,
  rawQuery: string,
): Promise<Response> {
  requireBucket(context, bucket);
  const miss: MissRequest = { key, rawQuery, clientHeaders: request.headers };
  // A miss that waited for another one's fetch looks at the bucket again, and fetches only if the key is
  // still missing (a DELETE came in between, or nothing was stored) and no other fetch is under way.
  for (let attempt = 0; ; attempt++) {
    const meta = context.store.head(bucket, key);
    // A hit never contacts an origin [oss-overview][jd-guide].
    if (meta !== undefined) return serveStored(context, request, bucket, key, meta);

    const rule = matchRule(context.store.getMirrorConfiguration(bucket)?.rules ?? [], key, request.headers);
    if (rule === undefined) throw noSuchKey(bucket, key);
    switch (rule.mode) {
      case 'redirect':
        return redirectToOrigin(rule, key, rawQuery);
      case 'redirect-async':
        // KS3 async and CDNetworks: 302 to the origin now, the copy later [ks3-async-en][cdn-mirror].
        if (context.flights.current(flightKey(bucket, key)) === undefined) {
          context.background.track(copyInBackground(context, rule, miss, bucket));
        }
        return redirectToOrigin(rule, key, rawQuery);
      case 'mirror':
        break;
    }
    const flight = context.flights.current(flightKey(bucket, key));
    // Joins a fetch in flight, also after waiting on one that stored nothing: the first waiter to look
    // again leads the next fetch and the others join it. Bounded, so a key that keeps losing its
    // write-back to DELETEs cannot keep a miss waiting.
    if (flight === undefined || attempt >= MAX_WAITS) {
      return mirrorMiss(context, rule, miss, bucket, request.headers.get('range'));
    }
    const shared = await flight;
    // Stored, or nothing to share (a PUT or DELETE may have won over the leader's write): look again.
    if (shared.kind === 'stored' || shared.kind === 'unshared') continue;
    return answerFor(shared, bucket, key);
  }
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
  requireBucket(context, bucket);
  const miss: MissRequest = { key, rawQuery: '', clientHeaders: request.headers };
  for (let attempt = 0; ; attempt++) {
    const meta = context.store.head(bucket, key);
    if (meta !== undefined) return new Response(null, { status: 200, headers: objectResponseHeaders(meta) });
    const rule = matchRule(context.store.getMirrorConfiguration(bucket)?.rules ?? [], key, request.headers);
    if (rule === undefined || rule.mode !== 'mirror' || !headTriggers(context, rule)) {
      throw noSuchKey(bucket, key);
    }
    // One origin fetch for concurrent HEADs and GETs on the key, whichever came first.
    const flight = context.flights.current(flightKey(bucket, key));
    if (flight === undefined || attempt >= MAX_WAITS) return headMiss(context, rule, miss, bucket);
    const shared = await flight;
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

function flightKey(bucket: string, key: string): string {
  return `${bucket}/${key}`;
}

/** The client's answer for an outcome that is not an object. */
function answerFor(
  result: Exclude<FlightResult, { kind: 'stored' } | { kind: 'unshared' }>,
  bucket: string,
  key: string,
) {
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

async function mirrorMiss(
  context: Context,
  rule: MirrorRule,
  miss: MissRequest,
  bucket: string,
  range: string | null,
): Promise<Response> {
  const { key } = miss;
  const land = context.flights.lead(flightKey(bucket, key));
  // Thrown only after the try below, whose catch would otherwise land the flight before its copy ends.
  let unsatisfiable: S3Error | undefined;
  try {
    const generation = context.store.generation(bucket, key);
    const outcome = await fetchFromOrigins(rule, miss, deps(context));
    if (outcome.kind !== 'found') {
      land(outcome);
      return answerFor(outcome, bucket, key);
    }
    const origin = outcome.response;
    const meta = storedMeta(context, rule, outcome);
    const relay = await startRelay({
      response: origin,
      maxObjectSize: context.settings.maxObjectSize,
      ...(rule.writeBack ? { writer: context.store.beginWrite(bucket, key) } : {}),
      meta,
      ifGeneration: generation,
      background: context.background,
      check: bodyCheck(rule.checkMd5, origin.headers),
      onSettled: (stored, error) =>
        land(
          error
            ? { kind: 'failed', reason: `${outcome.url}: ${error.message}` }
            : stored
              ? { kind: 'stored' }
              : { kind: 'unshared' },
        ),
    });
    if (!relay.ok) {
      const failed = { kind: 'failed' as const, reason: `${outcome.url}: ${relay.reason}` };
      land(failed);
      return answerFor(failed, bucket, key);
    }

    // The client gets the origin headers the object keeps, so its first answer matches later ones.
    const headers = missHeaders(meta);
    // Without a Content-Length from the origin the answer is relayed chunked [jd-guide][cos-guide].
    if (outcome.size !== undefined) headers['content-length'] = String(outcome.size);
    if (relay.stored !== undefined) {
      headers.etag = relay.stored.etag;
      headers['last-modified'] = relay.stored.lastModified.toUTCString();
    }
    // COS answers the range and copies the whole object apart [cos-guide]; elsewhere the whole object is
    // the answer [us3-guide]. Either way the range never reached the origin [oss-put]. Needs the size.
    const wanted =
      range !== null &&
      outcome.size !== undefined &&
      context.settings.profile.switches.rangeOnMiss === 'range-and-copy'
        ? parseRange(range, outcome.size)
        : undefined;
    if (wanted === undefined) return new Response(relay.body, { status: 200, headers });
    if (wanted === 'unsatisfiable') {
      // Cancelling the relay leaves the copy to finish in the background, tracked for settle.
      void relay.body.cancel();
      unsatisfiable = new S3Error(
        'InvalidRange',
        `the requested range does not overlap the object's ${outcome.size} bytes`,
        { bucket, key },
      );
    } else {
      headers['content-length'] = String(wanted.end - wanted.start + 1);
      headers['content-range'] = `bytes ${wanted.start}-${wanted.end}/${outcome.size}`;
      return new Response(rangeOf(relay.body, wanted), { status: 206, headers });
    }
  } catch (error) {
    land({ kind: 'unshared' });
    throw error;
  }
  throw unsatisfiable;
}

/** Headers of a miss's answer: the origin headers the object keeps, and the mirror marker. */
function missHeaders(meta: NewObjectMeta): Record<string, string> {
  const headers: Record<string, string> = { 'x-mirrorspec-mirror': 'miss' };
  for (const [field, name] of STORED_HEADERS) {
    const value = meta[field];
    if (value !== undefined) headers[name] = value;
  }
  for (const [name, value] of Object.entries(meta.originHeaders ?? {})) headers[name] ??= value;
  headers['content-type'] ??= 'application/octet-stream';
  return headers;
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
async function headMiss(
  context: Context,
  rule: MirrorRule,
  miss: MissRequest,
  bucket: string,
): Promise<Response> {
  const { key } = miss;
  const land = context.flights.lead(flightKey(bucket, key));
  try {
    const generation = context.store.generation(bucket, key);
    const outcome = await fetchFromOrigins(rule, miss, deps(context));
    if (outcome.kind !== 'found') {
      land(outcome);
      return answerFor(outcome, bucket, key);
    }
    const meta = storedMeta(context, rule, outcome);
    const writer = rule.writeBack ? context.store.beginWrite(bucket, key) : measuringWriter();
    let stored: ObjectMeta | undefined;
    try {
      stored = await copyToStore({
        response: outcome.response,
        writer,
        meta,
        ifGeneration: generation,
        maxObjectSize: context.settings.maxObjectSize,
        check: bodyCheck(rule.checkMd5, outcome.response.headers),
      });
    } catch (error) {
      const failed = { kind: 'failed' as const, reason: `${outcome.url}: ${(error as Error).message}` };
      land(failed);
      return answerFor(failed, bucket, key);
    }
    land(stored ? { kind: 'stored' } : { kind: 'unshared' });
    // Nothing stored (write-back off, or a PUT or DELETE won): the headers of what the origin sent.
    const headers = stored
      ? { ...objectResponseHeaders(stored), 'x-mirrorspec-mirror': 'miss' }
      : { ...missHeaders(meta), 'content-length': String(writer.size) };
    return new Response(null, { status: 200, headers });
  } catch (error) {
    land({ kind: 'unshared' });
    throw error;
  }
}

/** Counts the bytes of a body that is read whole but not stored. */
function measuringWriter(): ObjectWriter {
  let size = 0;
  return {
    write: (chunk) => {
      size += chunk.byteLength;
    },
    get size() {
      return size;
    },
    commit: () => undefined,
    abort: () => undefined,
  };
}

async function copyInBackground(context: Context, rule: MirrorRule, miss: MissRequest, bucket: string) {
  const land = context.flights.lead(flightKey(bucket, miss.key));
  try {
    const generation = context.store.generation(bucket, miss.key);
    const outcome = await fetchFromOrigins(rule, miss, deps(context));
    if (outcome.kind !== 'found') return land(outcome);
    const stored = await copyToStore({
      response: outcome.response,
      writer: context.store.beginWrite(bucket, miss.key),
      meta: storedMeta(context, rule, outcome),
      ifGeneration: generation,
      maxObjectSize: context.settings.maxObjectSize,
      check: bodyCheck(rule.checkMd5, outcome.response.headers),
    });
    land(stored ? { kind: 'stored' } : { kind: 'unshared' });
  } catch (error) {
    land({ kind: 'unshared' });
    throw error;
  }
}

function storedMeta(
  context: Context,
  rule: MirrorRule,
  outcome: Extract<OriginOutcome, { kind: 'found' }>,
): NewObjectMeta {
  const kept = keptOriginHeaders(outcome.response.headers, context.settings.profile.switches);
  return { ...kept, userMetadata: {}, acl: rule.acl };
}

function deps(context: Context) {
  return {
    client: context.origin,
    maxObjectSize: context.settings.maxObjectSize,
    signal: context.signal,
    // Which origin answers fail or move on to the next origin is the profile's.
    policy: context.settings.profile.switches,
  };
}

function noSuchKey(bucket: string, key: string): S3Error {
  return new S3Error('NoSuchKey', 'the key does not exist', { bucket, key });
}

function mirrorFailed(bucket: string, key: string, reason: string): S3Error {
  return new S3Error('MirrorFailed', `the mirror fetch failed: ${reason}`, { bucket, key });
}
