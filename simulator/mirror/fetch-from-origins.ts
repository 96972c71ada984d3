// Tries a rule's origins in order for one miss, following redirects, and says what came of it.

import { originRequestHeaders } from '../core/header-policy.ts';
import type { MirrorRule } from '../core/mirror-config.ts';
import { originQuery, originTarget, rewriteKey } from '../core/origin-url.ts';
import type { OriginClient, OriginResponse } from '../origin/origin-client.ts';
import { announcedSize, classifyStatus, MAX_REDIRECT_HOPS, redirectProblem } from './origin-outcome.ts';

export type OriginOutcome =
  | { kind: 'found'; response: OriginResponse; url: string; size: number | undefined }
  | { kind: 'not-found' }
  | { kind: 'relay-redirect'; status: number; location: string }
  | { kind: 'failed'; reason: string };

export interface MissRequest {
  key: string;
  rawQuery: string;
  clientHeaders: Iterable<[string, string]>;
}

export interface FetchDependencies {
  client: OriginClient;
  maxObjectSize: number;
  signal?: AbortSignal;
}

export async function fetchFromOrigins(
  rule: MirrorRule,
  miss: MissRequest,
  deps: FetchDependencies,
): Promise<OriginOutcome> {
  const headers = originRequestHeaders(rule.headers, miss.clientHeaders);
  const query = rule.passQueryString ? originQuery(miss.rawQuery) : '';
  const reasons: string[] = [];
  for (const base of rule.origins) {
    const outcome = await fetchFromOrigin(
      originTarget(base, rewriteKey(rule, miss.key), query),
      rule,
      headers,
      deps,
    );
    // The first origin that has the object, or tells the client where it is, ends the attempt [ks3-async-en].
    if (outcome.kind === 'found' || outcome.kind === 'relay-redirect') return outcome;
    if (outcome.kind === 'failed') reasons.push(outcome.reason);
  }
  // Only when every origin said 404 is the object known to be missing; one failure makes it unknown.
  return reasons.length === 0 ? { kind: 'not-found' } : { kind: 'failed', reason: reasons.join('; ') };
}

/** One origin target (already built), following redirects as the rule says. */
export async function fetchFromOrigin(
  first: { origin: string; path: string },
  rule: MirrorRule,
  headers: Record<string, string>,
  deps: FetchDependencies,
): Promise<OriginOutcome> {
  let target = first;
  for (let hops = 0; ; hops++) {
    const url = target.origin + target.path;
    let response: OriginResponse;
    try {
      const request = { origin: target.origin, path: target.path, headers };
      response = await deps.client.get(deps.signal ? { ...request, signal: deps.signal } : request);
    } catch (error) {
      return { kind: 'failed', reason: `${url}: ${describe(error)}` };
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
      return { kind: 'found', response, url, size };
    }
    response.discard();
    if (verdict === 'not-found') return { kind: 'not-found' };
    if (verdict === 'failed')
      return { kind: 'failed', reason: `${url}: the origin answered ${response.status}` };
    // A redirect. Without following, the client gets it as the origin sent it [oss-put][jd-guide].
    if (!rule.followRedirects)
      return { kind: 'relay-redirect', status: response.status, location: location ?? '' };
    if (hops >= MAX_REDIRECT_HOPS) {
      return { kind: 'failed', reason: `${url}: more than ${MAX_REDIRECT_HOPS} redirects` };
    }
    const problem = redirectProblem(location ?? '', url);
    if (problem) return { kind: 'failed', reason: `${url}: ${problem}` };
    const next = new URL(location ?? '', url);
    target = { origin: next.origin, path: next.pathname + next.search };
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
