// Deliberately unsafe targets, for testing the suite itself: each breaks one promise in a way a real
// store might, and the suite must catch it with a counterexample. Built from the simulator's public
// entry with one injected piece swapped for a faulty one. Never a default; chosen with
// MIRRORSPEC_TARGET=broken:<kind>.

import { AsyncLocalStorage } from 'node:async_hooks';
import {
  createSimulator,
  DEFAULT_ORIGIN_TIMEOUTS,
  loadProfile,
  MemoryStore,
  type ObjectStore,
  type OriginClient,
  serveFetch,
  UndiciOriginClient,
} from '../../simulator/index.ts';
import { S3Client } from '../client/s3-client.ts';
import type { Target } from './target.ts';

export const BROKEN_KINDS = ['forwards-authorization', 'stores-truncated'] as const;
export type BrokenKind = (typeof BROKEN_KINDS)[number];

const ORIGIN_TIMEOUT_MS = 500;

export async function startBrokenTarget(kind: BrokenKind): Promise<Target> {
  const incoming = new AsyncLocalStorage<Request>();
  const timeouts = {
    connectMs: ORIGIN_TIMEOUT_MS,
    headersMs: ORIGIN_TIMEOUT_MS,
    bodyIdleMs: ORIGIN_TIMEOUT_MS,
  };
  const real = new UndiciOriginClient({ ...DEFAULT_ORIGIN_TIMEOUTS, ...timeouts });
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
      : real;
  const store: ObjectStore =
    kind === 'stores-truncated' ? truncatingStore(new MemoryStore()) : new MemoryStore();
  const simulator = createSimulator({
    originClient,
    store,
    maxObjectSize: 50 * 1024 ** 3,
    allowPrivateOrigins: true,
  });
  const running = await serveFetch(
    (request, info) => incoming.run(request, () => simulator.fetch(request, info)),
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
    capabilities: {
      profile: loadProfile('neutral'),
      settle: true,
      maxObjectSize: 50 * 1024 ** 3,
      originTimeoutMs: ORIGIN_TIMEOUT_MS,
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
