// Tries a rule's origins in order for one miss, following redirects, and says what came of it.

import type { Profile } from '../../spec/profiles.ts';
import type { MirrorRule } from '../../spec/rules.ts';
import { headersFor } from '../core/credential-scope.ts';
import { originRequestHeaders } from '../core/header-policy.ts';
import { climbsOutOfBase, originQuery, originTarget, rewriteKey } from '../core/origin-url.ts';
import { carryLoopHeader } from '../origin/loop-header.ts';
import type { OriginClient, OriginResponse } from '../origin/origin-client.ts';
import {
  announcedSize,
  classifyStatus,
  MAX_REDIRECT_HOPS,
  type OriginVerdict,
  redirectProblem,
} from './miss-outcome.ts';

export interface MissRequest {
  key: string;
  rawQuery: string;
  clientHeaders: Iterable<[string, string]>;
}

/** The profile switches that change what an origin's answer means; absent, the neutral ones. */
export type FetchPolicy = Pick<Profile['switches'], 'failover' | 'followOff' | 'chunkedOrigin'>;

const NEUTRAL_POLICY: FetchPolicy = { failover: 'any-failure', followOff: 'relay', chunkedOrigin: 'relay' };

interface FetchDependencies {
  client: OriginClient;
  maxObjectSize: number;
  signal?: AbortSignal;
  policy?: FetchPolicy;
}

export async function fetchFromOrigins(
  rule: MirrorRule,
  miss: MissRequest,
  deps: FetchDependencies,
): Promise<OriginVerdict> {
  const originKey = rewriteKey(rule, miss.key);
  // Refused earlier for GET and HEAD; this holds it for every other way in (pre-push key entries).
  if (climbsOutOfBase(originKey)) {
    return { kind: 'failed', reason: "the key's dot segments would climb out of the origin's base path" };
  }
  const headers = carryLoopHeader(originRequestHeaders(rule.headers, miss.clientHeaders), miss.clientHeaders);
  const query = rule.passQueryString ? originQuery(miss.rawQuery) : '';
  const reasons: string[] = [];
  const movesOn = failoverTest(rule, (deps.policy ?? NEUTRAL_POLICY).failover);
  for (const base of rule.origins) {
    const outcome = await fetchFromOrigin(originTarget(base, originKey, query), rule, headers, deps);
    // The first origin that has the object, or tells the client where it is, ends the attempt [ks3-async-en].
    if (outcome.kind === 'found' || outcome.kind === 'relay-redirect') return outcome;
    if (!movesOn(outcome)) {
      if (outcome.kind === 'not-found') return outcome;
      return { kind: 'failed', reason: [...reasons, outcome.reason].join('; ') };
    }
    if (outcome.kind === 'failed') reasons.push(outcome.reason);
  }
  // Only when every origin said 404 is the object known to be missing; one failure makes it unknown.
  return reasons.length === 0 ? { kind: 'not-found' } : { kind: 'failed', reason: reasons.join('; ') };
}

type Unsuccessful = Extract<OriginVerdict, { kind: 'not-found' | 'failed' }>;

/**
 * Whether an origin's unsuccessful answer moves on to the next origin. A rule's `failoverOn` list decides
 * when given (OBS retryConditions [obs-zhishi], COS HTTPStandbyCode [cos-put]); else the profile: any
 * failure or 404 [ks3-async-en], or only a 5xx, a timeout or a connection failure (OSS
 * MirrorSwitchAllErrors=false [oss-php2]). An unavailable origin (no answer at all) always moves on.
 */
function failoverTest(
  rule: MirrorRule,
  failover: FetchPolicy['failover'],
): (outcome: Unsuccessful) => boolean {
  const listed = rule.failoverOn;
  if (listed !== undefined) {
    return (outcome) => {
      if (outcome.kind === 'not-found') return listed.includes('404');
      if (outcome.status === undefined) return true;
      return listed.includes(String(outcome.status)) || listed.includes(`${String(outcome.status)[0]}XX`);
    };
  }
  if (failover === '5xx-or-timeout')
    return (outcome) => outcome.kind === 'failed' && outcome.switchable === true;
  return () => true;
}

/** One origin target (already built), following redirects as the rule says. */
export async function fetchFromOrigin(
  first: { origin: string; path: string },
  rule: MirrorRule,
  headers: Record<string, string>,
  deps: FetchDependencies,
): Promise<OriginVerdict> {
  let target = first;
  let sent = headers;
  const policy = deps.policy ?? NEUTRAL_POLICY;
  for (let hops = 0; ; hops++) {
    const url = target.origin + target.path;
    let response: OriginResponse;
    try {
      const request = { origin: target.origin, path: target.path, headers: sent };
      response = await deps.client.get(deps.signal ? { ...request, signal: deps.signal } : request);
    } catch (error) {
      // Refused, reset, unresolvable or too slow to answer: the origin is unavailable, not saying no.
      return { kind: 'failed', reason: `${url}: ${describe(error)}`, switchable: true };
    }
    const location = response.headers.location;
    const verdict = classifyStatus(response.status, location !== undefined);
    if (verdict === 'found') {
      const size = announcedSize(response.headers);
      if (size !== undefined && size > deps.maxObjectSize) {
        response.discard();
        return {
          kind: 'failed',
          reason: `${url}: the origin object is ${size} bytes, above the size cap of ${deps.maxObjectSize} bytes`,
        };
      }
      // OBS requires the origin to send Content-Length; a chunked answer fails the fetch [obs-java].
      if (size === undefined && policy.chunkedOrigin === 'fail') {
        response.discard();
        return { kind: 'failed', reason: `${url}: the origin sent no Content-Length (a chunked answer)` };
      }
      return { kind: 'found', response, url, size };
    }
    response.discard();
    if (verdict === 'not-found') return { kind: 'not-found' };
    if (verdict === 'failed') {
      return {
        kind: 'failed',
        reason: `${url}: the origin answered ${response.status}`,
        switchable: response.status >= 500 && response.status <= 599,
        status: response.status,
      };
    }
    // A redirect. Without following, the client gets it as the origin sent it [oss-put][jd-guide], or
    // the fetch fails where the vendor says so (KS3 follow3xx=false gives 424 [ks3-py-sample]).
    if (!rule.followRedirects) {
      if (policy.followOff === 'fail') {
        return {
          kind: 'failed',
          reason: `${url}: the origin answered ${response.status} and the rule does not follow redirects`,
        };
      }
      return { kind: 'relay-redirect', status: response.status, location: location ?? '' };
    }
    if (hops >= MAX_REDIRECT_HOPS) {
      return { kind: 'failed', reason: `${url}: more than ${MAX_REDIRECT_HOPS} redirects` };
    }
    const problem = redirectProblem(location ?? '', url);
    if (problem) return { kind: 'failed', reason: `${url}: ${problem}` };
    const next = new URL(location ?? '', url);
    target = { origin: next.origin, path: next.pathname + next.search };
    // A redirect off the rule's own origins carries none of its credentials, then or after [fetch-spec].
    sent = headersFor(rule, next.origin, sent);
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
