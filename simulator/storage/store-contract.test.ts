// The store contract can fail: each law, run on a store broken in the one way it forbids, rejects. The
// broken stores are a correct disk store with one method changed, so the change is what each law sees.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiskStore } from './disk-store.ts';
import type { ObjectStore } from './object-store.ts';
import type { StoreUnderTest } from './store-contract.ts';
import { PERSISTENT_LAWS, STORE_LAWS } from './store-contract.ts';
import type { StoreLaw } from './store-contract-checks.ts';

type Breakage = (store: ObjectStore) => Partial<ObjectStore>;

/** A disk store in a fresh directory with the methods `breakage` gives replaced. */
async function brokenStore(breakage: Breakage): Promise<StoreUnderTest> {
  const dir = await mkdtemp(join(tmpdir(), 'mirrorspec-broken-store-'));
  const other = await mkdtemp(join(tmpdir(), 'mirrorspec-broken-store-'));
  const wrap = (inner: ObjectStore): ObjectStore => {
    const replaced = breakage(inner);
    return new Proxy(inner, {
      get(target, name, receiver) {
        const own = replaced[name as keyof ObjectStore];
        if (own !== undefined) return own;
        const value = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
  let inner = await DiskStore.open(dir);
  return {
    store: wrap(inner),
    reopen: async () => {
      await inner.close();
      // A store that forgets: it opens over another, empty directory.
      inner = await DiskStore.open(other);
      return wrap(inner);
    },
    cleanup: async () => {
      await inner.close();
      await rm(dir, { recursive: true, force: true });
      await rm(other, { recursive: true, force: true });
    },
  };
}

function law(title: string): StoreLaw {
  const found = [...STORE_LAWS, ...PERSISTENT_LAWS].find(([name]) => name.startsWith(title));
  if (found === undefined) throw new Error(`no store law titled '${title}…'`);
  return found[1];
}

const BROKEN: [string, string, Breakage][] = [
  [
    'shows an object while it is being written',
    'nothing is visible before commit',
    (store) => {
      const pending = new Set<string>();
      return {
        beginWrite: async (bucket, key, options) => {
          pending.add(`${bucket}/${key}`);
          return store.beginWrite(bucket, key, options);
        },
        head: async (bucket, key) =>
          pending.has(`${bucket}/${key}`) && (await store.head(bucket, key)) === undefined
            ? { size: 0, etag: '""', lastModified: new Date(), userMetadata: {}, acl: 'private' }
            : store.head(bucket, key),
      };
    },
  ],
  [
    'ignores ifGeneration',
    'a commit with ifGeneration is refused',
    (store) => ({
      beginWrite: async (bucket, key, options) => {
        const writer = await store.beginWrite(bucket, key, options);
        return {
          write: (chunk) => writer.write(chunk),
          get size() {
            return writer.size;
          },
          commit: (meta, commitOptions) =>
            writer.commit(meta, commitOptions?.etag !== undefined ? { etag: commitOptions.etag } : {}),
          abort: () => writer.abort(),
        };
      },
    }),
  ],
  [
    'keeps one token for every absent key',
    "a key's generation changes on every write and delete",
    (store) => ({
      generation: async (bucket, key) =>
        (await store.head(bucket, key)) ? store.generation(bucket, key) : 'absent',
    }),
  ],
  [
    'lists in UTF-16 order',
    'list answers the live keys in UTF-8 byte order',
    (store) => ({
      list: async (bucket, { prefix, startAfter, limit }) =>
        (await store.list(bucket, { prefix, startAfter: '', limit: 10_000 }))
          .sort((a, b) => (a.key < b.key ? -1 : 1))
          .filter(({ key }) => key > startAfter)
          .slice(0, limit),
    }),
  ],
  [
    'serves a range one byte short',
    'objects of any size read back whole and in any range',
    (store) => ({
      read: (bucket, key, range) =>
        store.read(bucket, key, range && { start: range.start, end: Math.max(range.start, range.end - 1) }),
    }),
  ],
  [
    'forgets everything on reopen',
    'buckets, configurations, objects and generations survive a reopen',
    () => ({}),
  ],
];

describe('the store contract catches a store that', () => {
  for (const [what, title, breakage] of BROKEN) {
    it(what, async () => {
      const subject = await brokenStore(breakage);
      try {
        await expect(law(title)(subject)).rejects.toThrow();
      } finally {
        await subject.cleanup();
      }
    });
  }
});
