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
  type OriginRequest,
  type Simulator,
  serveFetch,
  UndiciOriginClient,
} from '../../simulator/index.ts';
import { S3Client } from '../client/s3-client.ts';
import { runConfig } from '../support/run-config.ts';
import { oldS3Surface, sloppyBatchDelete, weakWriteConditions } from './broken-s3-calls.ts';
import { neutralRuleWriter } from './rule-writer.ts';
import { SIZE_CAP_BYTES, SUITE_ORIGIN_TIMEOUTS } from './simulator-target.ts';
import type { Target } from './target.ts';

export const BROKEN_KINDS = [
  'forwards-authorization',
  'stores-truncated',
  'turns-424-into-502',
  'stale-range',
  'sends-plus-raw',
  'normalises-keys',
  'refreshes-on-change',
  'forwards-range',
  'ignores-cap-on-chunked',
  'stalls-long-keys',
  'old-s3-surface',
  'sloppy-batch-delete',
  'weak-write-conditions',
] as const;

/**
 * `stalls-long-keys` makes every miss of a key longer than this (percent-encoded) wait behind the origin
 * fetches already under way before asking the origin: a planted timing fault (a store whose fetches of
 * some keys queue behind a slow one), caught by origin.slow-isolated only for some keys, so its
 * counterexample and its replay are the test.
 */
const STALLED_KEY_LENGTH = 12;
export type BrokenKind = (typeof BROKEN_KINDS)[number];

/** `profile`: what the simulator behind the fault runs as; default MIRRORSPEC_PROFILE, else neutral. */
export async function startBrokenTarget(kind: BrokenKind, profileId?: string): Promise<Target> {
  const profile = loadProfile(profileId ?? runConfig().profile ?? 'neutral');
  const incoming = new AsyncLocalStorage<Incoming>();
  const real = new UndiciOriginClient({ ...DEFAULT_ORIGIN_TIMEOUTS, ...SUITE_ORIGIN_TIMEOUTS });
  const mirrored: Mirrored = new Map();
  const originClient = faultyOriginClient(kind, real, () => incoming.getStore(), mirrored);
  const store: ObjectStore =
    kind === 'stores-truncated' ? truncatingStore(new MemoryStore()) : new MemoryStore();
  const simulator = createSimulator({
    profile: profile.id,
    originClient,
    store,
    allowPrivateOrigins: true,
    // ignores-cap-on-chunked holds answers to the cap it claims on Content-Length alone (faultyOriginClient);
    // its real cap lies far above, so chunked bytes flow on past the claimed one.
    maxObjectSize: kind === 'ignores-cap-on-chunked' ? 64 * SIZE_CAP_BYTES : SIZE_CAP_BYTES,
  });
  const answer = faultyAnswers(kind, simulator, real, mirrored);
  const running = await serveFetch(
    (request, info) => incoming.run({ request, target: info?.target }, () => answer(request, info)),
    {
      host: '127.0.0.1',
      port: 0,
    },
  );
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
      maxObjectSize: SIZE_CAP_BYTES,
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

/** The client request a store is answering, and its raw target. */
interface Incoming {
  request: Request;
  target: string | undefined;
}

/** For refreshes-on-change: per object path, how its origin was asked and the validators it answered. */
type Mirrored = Map<string, { request: OriginRequest; validators: string }>;

const pathOf = (target: string) => target.split('?', 1)[0] ?? target;
const validatorsOf = (headers: Record<string, string>) =>
  `${headers.etag ?? ''} ${headers['last-modified'] ?? ''}`;

/** Passes the client's Range on and takes the origin's 206 for the object, as a careless proxy does. */
function rangeForwardingClient(real: OriginClient, incoming: () => Incoming | undefined): OriginClient {
  return {
    async get(request) {
      const range = incoming()?.request.headers.get('range');
      const response = await real.get(
        range ? { ...request, headers: { ...request.headers, range } } : request,
      );
      if (response.status !== 206) return response;
      const { 'content-range': _range, ...headers } = response.headers;
      return { ...response, status: 200, headers };
    },
    close: () => real.close(),
  };
}

/**
 * A miss of a long key waits until every origin fetch under way has been read to its end (or given up)
 * before asking the origin: head-of-line blocking, as a store with one queue for some keys has. It costs
 * the slow fetch's own time, which a law sets (origin.slow-isolated holds its slow origin half the
 * target's origin timeout), not a fixed stall. The suite's origin body idle timeout bounds the wait, for a
 * fetch whose body nobody reads: far above the hold, so a loaded machine that is slow to read the held
 * body does not let a queued key through early (a run that passes where it failed before would change
 * the shrunk counterexample between a check and its replay).
 */
function queuedBehindFetches(real: OriginClient, incoming: () => Incoming | undefined): OriginClient {
  const underWay = new Set<Promise<void>>();
  return {
    async get(request) {
      // The key as the client sent it, percent-encoded: /bucket/key.
      const key = pathOf(incoming()?.target ?? '/')
        .split('/')
        .slice(2)
        .join('/');
      if (key.length > STALLED_KEY_LENGTH && underWay.size > 0) {
        await Promise.race([
          Promise.all(underWay),
          sleep(SUITE_ORIGIN_TIMEOUTS.bodyIdleMs, undefined, { ref: false }),
        ]);
      }
      let finish = () => {};
      const done = new Promise<void>((resolve) => {
        finish = resolve;
      });
      underWay.add(done);
      void done.then(() => underWay.delete(done));
      try {
        const response = await real.get(request);
        return {
          ...response,
          body: readThen(response.body, finish),
          discard() {
            finish();
            response.discard();
          },
        };
      } catch (error) {
        finish();
        throw error;
      }
    },
    close: () => real.close(),
  };
}

/** `body`, calling `finish` once it has been read to its end or left. */
async function* readThen(body: AsyncIterable<Uint8Array>, finish: () => void): AsyncIterable<Uint8Array> {
  try {
    yield* body;
  } finally {
    finish();
  }
}

/** The real origin client, with the kind's fault applied to the requests it sends. */
function faultyOriginClient(
  kind: BrokenKind,
  real: OriginClient,
  incoming: () => Incoming | undefined,
  mirrored: Mirrored,
): OriginClient {
  const rewritten = (change: (request: OriginRequest) => OriginRequest): OriginClient => ({
    get: (request) => real.get(change(request)),
    close: () => real.close(),
  });
  switch (kind) {
    case 'forwards-range':
      return rangeForwardingClient(real, incoming);
    case 'refreshes-on-change':
      // Remembers each mirrored object's validators, for the revalidation in refreshedOnChange.
      return {
        async get(request) {
          const response = await real.get(request);
          const target = incoming()?.target;
          if (target !== undefined && response.status === 200) {
            mirrored.set(pathOf(target), { request, validators: validatorsOf(response.headers) });
          }
          return response;
        },
        close: () => real.close(),
      };
    case 'ignores-cap-on-chunked':
      // Judges the size cap on the announced Content-Length only, so a chunked answer is never held to it.
      return {
        async get(request) {
          const response = await real.get(request);
          const length = response.headers['content-length'];
          if (length !== undefined && Number(length) > SIZE_CAP_BYTES) {
            response.discard();
            throw new Error(`the origin object is ${length} bytes, above the size cap`);
          }
          return response;
        },
        close: () => real.close(),
      };
    case 'forwards-authorization':
      // Passes the client's Authorization on to the origin, as a careless pass-all would.
      return rewritten((request) => {
        const authorization = incoming()?.request.headers.get('authorization');
        return authorization ? { ...request, headers: { ...request.headers, authorization } } : request;
      });
    case 'sends-plus-raw':
      // Leaves `+` unencoded in the origin path, as form-style encoders do: most origins read it as a space.
      return rewritten((request) => {
        const mark = request.path.indexOf('?');
        const path = mark === -1 ? request.path : request.path.slice(0, mark);
        const query = mark === -1 ? '' : request.path.slice(mark);
        return { ...request, path: path.replace(/%2B/gi, '+') + query };
      });
    case 'stalls-long-keys':
      return queuedBehindFetches(real, incoming);
    default:
      return real;
  }
}

/** The simulator's answers, with the kind's fault applied to those it concerns. */
function faultyAnswers(
  kind: BrokenKind,
  simulator: Simulator,
  real: OriginClient,
  mirrored: Mirrored,
): Fetch {
  if (kind === 'refreshes-on-change') return refreshedOnChange(simulator, real, mirrored);
  if (kind === 'turns-424-into-502') {
    // A gateway in front of the store that reports every failed mirror fetch as its own 502.
    return async (request, info) => {
      const response = await simulator.fetch(request, info);
      if (response.status !== 424) return response;
      return new Response(response.body, { status: 502, headers: response.headers });
    };
  }
  if (kind === 'stale-range') return staleRanges(simulator);
  if (kind === 'normalises-keys') return normalisedKeys(simulator);
  if (kind === 'old-s3-surface') return oldS3Surface(simulator);
  if (kind === 'sloppy-batch-delete') return sloppyBatchDelete(simulator);
  if (kind === 'weak-write-conditions') return weakWriteConditions(simulator);
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

/**
 * Resolves dot segments and drops empty ones in every object path before the store sees it, as a file
 * system behind a pull-through proxy does (nginx proxy_store cannot hold `.`): ordinary keys are untouched.
 */
function normalisedKeys(simulator: Simulator): Fetch {
  return (request, info) => {
    const target = info?.target;
    if (target === undefined || target.startsWith('/_mirrorspec/')) return simulator.fetch(request, info);
    const mark = target.indexOf('?');
    const [, bucket = '', ...segments] = (mark === -1 ? target : target.slice(0, mark)).split('/');
    const kept: string[] = [];
    for (const segment of segments) {
      const decoded = segment.replace(/%2e/gi, '.');
      if (decoded === '..') kept.pop();
      else if (decoded !== '.' && segment !== '') kept.push(segment);
    }
    const path = kept.length === 0 ? `/${bucket}` : `/${bucket}/${kept.join('/')}`;
    const query = mark === -1 ? '' : target.slice(mark);
    const url = new URL(request.url);
    return simulator.fetch(new Request(`${url.origin}${path}${query}`, request), {
      ...info,
      target: path + query,
    });
  };
}

/**
 * A revalidating cache: every GET of a mirrored object asks its origin again, and when the ETag or
 * Last-Modified differs from what was mirrored, drops the stored copy so that the GET mirrors the new one.
 */
function refreshedOnChange(simulator: Simulator, real: OriginClient, mirrored: Mirrored): Fetch {
  return async (request, info) => {
    const path = info?.target === undefined ? undefined : pathOf(info.target);
    const seen = request.method === 'GET' && path !== undefined ? mirrored.get(path) : undefined;
    if (path !== undefined && seen !== undefined) {
      const now = await real.get(seen.request).catch(() => undefined);
      now?.discard();
      if (now?.status === 200 && validatorsOf(now.headers) !== seen.validators) {
        mirrored.delete(path);
        await simulator.fetch(new Request(request.url, { method: 'DELETE' }), { target: path });
      }
    }
    return simulator.fetch(request, info);
  };
}

/** A store whose writers keep what arrived when a write is abandoned, instead of dropping it. */
function truncatingStore(inner: ObjectStore): ObjectStore {
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property !== 'beginWrite') return Reflect.get(target, property, receiver);
      return async (bucket: string, key: string, options?: { expectedSize?: number }) => {
        const writer = await target.beginWrite(bucket, key, options);
        return {
          get size() {
            return writer.size;
          },
          write: writer.write,
          commit: writer.commit,
          abort: async () => {
            await writer.commit({ userMetadata: {}, acl: 'private' });
          },
        };
      };
    },
  });
}
