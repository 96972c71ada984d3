// Deliberately unsafe targets, for testing the suite itself: each breaks one promise in a way a real
// store might, and the suite must catch it with a counterexample. Built from the simulator's public
// entry with one injected piece swapped for a faulty one, or one kind of answer altered. Never a default;
// chosen with MIRRORSPEC_TARGET=broken:<kind> or `mirrorspec check --target broken:<kind>`.

import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createSimulator,
  DEFAULT_ORIGIN_TIMEOUTS,
  loadProfile,
  MemoryStore,
  type ObjectStore,
  type OriginClient,
  type Simulator,
  serveFetch,
  UndiciOriginClient,
} from '../../simulator/index.ts';
import { S3Client } from '../client/s3-client.ts';
import { runConfig } from '../support/run-config.ts';
import { neutralRuleWriter } from './rule-writer.ts';
import { SUITE_ORIGIN_TIMEOUTS } from './simulator-target.ts';
import type { Target } from './target.ts';

export const BROKEN_KINDS = [
  'forwards-authorization',
  'stores-truncated',
  'turns-424-into-502',
  'stale-range',
  'stalls-long-keys',
] as const;

/**
 * `stalls-long-keys` holds every miss of a key longer than this (percent-encoded) for the suite's origin headers timeout
 * before asking the origin: a planted timing fault (a store whose fetches queue behind some slow lookup),
 * caught by origin.slow-isolated only for some keys, so its counterexample and its replay are the test.
 */
const STALLED_KEY_LENGTH = 12;
export type BrokenKind = (typeof BROKEN_KINDS)[number];

/** `profile`: what the simulator behind the fault runs as; default MIRRORSPEC_PROFILE, else neutral. */
export async function startBrokenTarget(kind: BrokenKind, profileId?: string): Promise<Target> {
  const profile = loadProfile(profileId ?? runConfig().profile ?? 'neutral');
  const incoming = new AsyncLocalStorage<Request>();
  const real = new UndiciOriginClient({ ...DEFAULT_ORIGIN_TIMEOUTS, ...SUITE_ORIGIN_TIMEOUTS });
  const originClient: OriginClient =
    kind === 'forwards-authorization'
      ? {
          // Passes the client's Authorization on to the origin, as a careless pass-all would.
          get(request) {
            const authorization = incoming.getStore()?.headers.get('authorization');
            return real.get(
              authorization ? { ...request, headers: { ...request.headers, authorization } } : request,
            );
          },
          close: () => real.close(),
        }
      : kind === 'stalls-long-keys'
        ? {
            async get(request) {
              // The key as the client sent it, percent-encoded: /bucket/key.
              const path = new URL(incoming.getStore()?.url ?? 'http://127.0.0.1/').pathname;
              const key = path.split('/').slice(2).join('/');
              if (key.length > STALLED_KEY_LENGTH) await sleep(SUITE_ORIGIN_TIMEOUTS.headersMs);
              return real.get(request);
            },
            close: () => real.close(),
          }
        : real;
  const store: ObjectStore =
    kind === 'stores-truncated' ? truncatingStore(new MemoryStore()) : new MemoryStore();
  const simulator = createSimulator({
    profile: profile.id,
    originClient,
    store,
    allowPrivateOrigins: true,
  });
  const answer = faultyAnswers(kind, simulator);
  const running = await serveFetch((request, info) => incoming.run(request, () => answer(request, info)), {
    host: '127.0.0.1',
    port: 0,
  });
  const endpoint = `http://127.0.0.1:${running.port}`;
  const client = new S3Client(endpoint);
  return {
    name: `broken:${kind}`,
    endpoint,
    client,
    rules: neutralRuleWriter(client),
    capabilities: {
      profile,
      settle: true,
      maxObjectSize: profile.limits.maxObjectSize,
      originTimeoutMs: SUITE_ORIGIN_TIMEOUTS.headersMs,
    },
    async settle(timeoutMs) {
      return simulator.settle(timeoutMs);
    },
    async close() {
      await client.close();
      await running.close();
      await simulator.close();
    },
  };
}

type Fetch = Simulator['fetch'];

/** The simulator's answers, with the kind's fault applied to those it concerns. */
function faultyAnswers(kind: BrokenKind, simulator: Simulator): Fetch {
  if (kind === 'turns-424-into-502') {
    // A gateway in front of the store that reports every failed mirror fetch as its own 502.
    return async (request, info) => {
      const response = await simulator.fetch(request, info);
      if (response.status !== 424) return response;
      return new Response(response.body, { status: 502, headers: response.headers });
    };
  }
  if (kind === 'stale-range') return staleRanges(simulator);
  return (request, info) => simulator.fetch(request, info);
}

/**
 * Every partial answer (a ranged GET of a stored object, or of a miss where the profile answers ranges)
 * carries the requested Content-Range and length, but the bytes one place further on (or back, at the
 * object's end), as a cache keyed without the range's offset would serve them.
 */
function staleRanges(simulator: Simulator): Fetch {
  return async (request, info) => {
    const response = await simulator.fetch(request, info);
    const contentRange = response.headers.get('content-range') ?? '';
    const span = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(contentRange);
    if (request.method !== 'GET' || response.status !== 206 || span === null) return response;
    const [start, end, size] = [Number(span[1]), Number(span[2]), Number(span[3])];
    const shift = end + 1 < size ? 1 : start > 0 ? -1 : 0;
    if (shift === 0) return response;
    await response.body?.cancel();
    const headers = new Headers(request.headers);
    headers.set('range', `bytes=${start + shift}-${end + shift}`);
    const moved = await simulator.fetch(new Request(request.url, { method: 'GET', headers }), info);
    if (moved.status !== 206) return moved;
    const answered = new Headers(moved.headers);
    answered.set('content-range', contentRange);
    return new Response(moved.body, { status: 206, headers: answered });
  };
}

/** A store whose writers keep what arrived when a write is abandoned, instead of dropping it. */
function truncatingStore(inner: ObjectStore): ObjectStore {
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property !== 'beginWrite') return Reflect.get(target, property, receiver);
      return (bucket: string, key: string) => {
        const writer = target.beginWrite(bucket, key);
        return {
          ...writer,
          get size() {
            return writer.size;
          },
          write: writer.write,
          commit: writer.commit,
          abort: () => writer.commit({ userMetadata: {}, acl: 'private' }),
        };
      };
    },
  });
}
