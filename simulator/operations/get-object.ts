// GetObject: from the bucket when the key is there, otherwise through the first matching mirror rule.

import type { MirrorRule } from '../core/mirror-config.ts';
import { originUrlOf } from '../core/origin-url.ts';
import { matchRule } from '../core/rule-matching.ts';
import { S3Error } from '../errors/s3-error.ts';
import { bodyCheck } from '../mirror/body-check.ts';
import { copyToStore } from '../mirror/copy-to-store.ts';
import { fetchFromOrigins, type MissRequest, type OriginOutcome } from '../mirror/fetch-from-origins.ts';
import type { FlightResult } from '../mirror/flights.ts';
import { startRelay } from '../mirror/relay.ts';
import type { NewObjectMeta } from '../storage/object-store.ts';
import { requireBucket } from './buckets.ts';
import type { Context } from './context.ts';
import { serveStored, storedHeadersFrom } from './objects.ts';

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

    const rule = matchRule(context.store.getMirrorConfiguration(bucket)?.rules ?? [], key);
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
    if (flight === undefined || attempt >= MAX_WAITS) return mirrorMiss(context, rule, miss, bucket);
    const shared = await flight;
    // Stored, or nothing to share (a PUT or DELETE may have won over the leader's write): look again.
    if (shared.kind === 'stored' || shared.kind === 'unshared') continue;
    return answerFor(shared, bucket, key);
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
  return new Response(null, { status: 302, headers: { location: originUrlOf(rule, key, rawQuery) } });
}

async function mirrorMiss(
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
    const origin = outcome.response;
    const relay = await startRelay({
      response: origin,
      maxObjectSize: context.settings.maxObjectSize,
      ...(rule.writeBack ? { writer: context.store.beginWrite(bucket, key) } : {}),
      meta: storedMeta(rule, outcome),
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

    const headers: Record<string, string> = { 'x-mirrorspec-mirror': 'miss' };
    for (const name of [
      'content-type',
      'content-encoding',
      'content-disposition',
      'cache-control',
      'expires',
    ]) {
      const value = origin.headers[name];
      if (value !== undefined) headers[name] = value;
    }
    headers['content-type'] ??= 'application/octet-stream';
    // Without a Content-Length from the origin the answer is relayed chunked [jd-guide][cos-guide].
    if (outcome.size !== undefined) headers['content-length'] = String(outcome.size);
    if (relay.stored !== undefined) {
      headers.etag = relay.stored.etag;
      headers['last-modified'] = relay.stored.lastModified.toUTCString();
    }
    return new Response(relay.body, { status: 200, headers });
  } catch (error) {
    land({ kind: 'unshared' });
    throw error;
  }
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
      meta: storedMeta(rule, outcome),
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

function storedMeta(rule: MirrorRule, outcome: Extract<OriginOutcome, { kind: 'found' }>): NewObjectMeta {
  return { ...storedHeadersFrom((name) => outcome.response.headers[name]), userMetadata: {}, acl: rule.acl };
}

function deps(context: Context) {
  return { client: context.origin, maxObjectSize: context.settings.maxObjectSize, signal: context.signal };
}

function noSuchKey(bucket: string, key: string): S3Error {
  return new S3Error('NoSuchKey', 'the key does not exist', { bucket, key });
}

function mirrorFailed(bucket: string, key: string, reason: string): S3Error {
  return new S3Error('MirrorFailed', `the mirror fetch failed: ${reason}`, { bucket, key });
}
