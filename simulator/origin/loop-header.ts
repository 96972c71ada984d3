// The hop header of mirror fetches. Every request this simulator sends an origin carries its own id in
// CDN-Loop [rfc-8586], after any ids the client's request already carried, and a request that arrives
// naming this simulator is refused (protocol/loop-refusal.ts): a rule whose origin leads back to the
// simulator by a way no address check sees (a port forward, a proxy, another simulator that mirrors this
// one) costs one refused request, not a fetch per miss without end (proposed; CDNs do the same).

import { randomBytes } from 'node:crypto';
import type { OriginClient, OriginRequest, OriginResponse } from './origin-client.ts';

export const LOOP_HEADER = 'cdn-loop';

/** A new id for one simulator: a pseudonym in RFC 8586's terms, unique per instance. */
export function newLoopId(): string {
  return `mirrorspec-${randomBytes(6).toString('hex')}`;
}

/** The ids a CDN-Loop value names, lower-case, without their parameters. */
export function loopIds(value: string | null | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((entry) => (entry.split(';')[0] ?? '').trim().toLowerCase())
    .filter((id) => id !== '');
}

/** The CDN-Loop value to send: what the request carried already, then this simulator's id. */
function withLoopId(carried: string | undefined, id: string): string {
  return carried === undefined || carried.trim() === '' ? id : `${carried}, ${id}`;
}

/** Adds the hop header to every request of `client`. */
export class LoopMarkingOriginClient implements OriginClient {
  constructor(
    private readonly client: OriginClient,
    private readonly id: string,
  ) {}

  get(request: OriginRequest): Promise<OriginResponse> {
    const headers: Record<string, string> = {};
    let carried: string | undefined;
    for (const [name, value] of Object.entries(request.headers)) {
      if (name.toLowerCase() === LOOP_HEADER)
        carried = carried === undefined ? value : `${carried}, ${value}`;
      else headers[name] = value;
    }
    headers[LOOP_HEADER] = withLoopId(carried, this.id);
    return this.client.get({ ...request, headers });
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/**
 * The origin request headers with the client's CDN-Loop ids kept, whatever the rule's header policy
 * passes: a ring of mirrors is only seen when every hop carries the ids of the ones before it.
 */
export function carryLoopHeader(
  headers: Record<string, string>,
  clientHeaders: Iterable<[string, string]>,
): Record<string, string> {
  const carried: string[] = [];
  for (const [name, value] of clientHeaders) if (name.toLowerCase() === LOOP_HEADER) carried.push(value);
  if (carried.length === 0) return headers;
  const client = carried.join(', ');
  const own = headers[LOOP_HEADER];
  return { ...headers, [LOOP_HEADER]: own === undefined || own === client ? client : `${client}, ${own}` };
}
