// What a miss can come to, from the origins' answer to what the store kept, and what an origin's answer
// means for it. Pure: no I/O.

import type { NewObjectMeta, ObjectMeta } from '../core/object-headers.ts';
import type { OriginResponse } from '../origin/origin-client.ts';
import type { ChunkSource } from '../server/direct-body.ts';

export type MissOutcome =
  /** An origin has the object: its answer, body unread. */
  | { kind: 'found'; response: OriginResponse; url: string; size: number | undefined }
  /** Every origin asked said 404 (or one whose 404 does not fail over). */
  | { kind: 'not-found' }
  /** An origin redirected and the rule does not follow: the client gets the redirect as it came. */
  | { kind: 'relay-redirect'; status: number; location: string }
  /**
   * `switchable`: a 5xx, a timeout or a connection failure, which moves on under every profile policy.
   * `status`: the origin's answer, when the failure was an answer (not a timeout or a broken connection).
   */
  | { kind: 'failed'; reason: string; switchable?: boolean; status?: number }
  /**
   * The body is on its way to the client, and to the store beside it. `meta` is what the object keeps,
   * `stored` the object when the body ended (and was stored) before the client was answered.
   */
  | {
      kind: 'relaying';
      /** Pulled as the client takes it, or the whole body's chunks when it was read (and stored) before the answer. */
      body: ChunkSource | Uint8Array[];
      meta: NewObjectMeta;
      size: number | undefined;
      stored?: ObjectMeta;
    }
  /** The body was read whole and stored. */
  | { kind: 'stored'; meta: ObjectMeta }
  /**
   * Nothing to share: write-back off, a PUT or DELETE won over the write, or the leader gave up. `read`
   * is the body that was read whole without being stored, when one was.
   */
  | { kind: 'unshared'; read?: { meta: NewObjectMeta; size: number } };

/** What the origins said. */
export type OriginVerdict = Extract<
  MissOutcome,
  { kind: 'found' | 'not-found' | 'relay-redirect' | 'failed' }
>;

/** What a flight lands as, and what the misses that waited on it see: never a body, which is one reader's. */
export type Landing = Exclude<MissOutcome, { kind: 'found' | 'relaying' }>;

export const MAX_REDIRECT_HOPS = 10;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * 200 (and 206, which OSS also accepts [oss-ec101]) delivers the object; 404 means the origin does not
 * have it; a 3xx with a Location is a redirect; anything else is a failure [oss-ec101][jd-guide].
 */
export function classifyStatus(
  status: number,
  hasLocation: boolean,
): Extract<MissOutcome['kind'], 'found' | 'not-found' | 'failed'> | 'redirect' {
  if (status === 200 || status === 206) return 'found';
  if (status === 404) return 'not-found';
  if (REDIRECT_STATUSES.has(status) && hasLocation) return 'redirect';
  return 'failed';
}

/** Why a Location cannot be followed, or undefined. Relative locations resolve against the current URL. */
export function redirectProblem(location: string, current: string): string | undefined {
  let next: URL;
  try {
    next = new URL(location, current);
  } catch {
    return `the origin redirected to '${location}', which is not a URL`;
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    return `the origin redirected to '${location}', which is not an http or https URL`;
  }
  return undefined;
}

/** The size an origin announces, or undefined when it sends none (chunked) or an unusable one. */
export function announcedSize(headers: Record<string, string>): number | undefined {
  const value = headers['content-length'];
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
