// The store contract's property laws (fast-check, seeded by the run's global seed) and its persistence
// laws. Each is a plain function over a store, as in store-contract-checks.ts.

import fc from 'fast-check';
import { expect } from 'vitest';
import type { ObjectStore } from './object-store.ts';
import type { StoreUnderTest } from './store-contract.ts';
import {
  FULL_META,
  MIRROR_CONFIGURATION,
  PLAIN_META,
  put,
  quotedMd5,
  readBytes,
} from './store-contract-checks.ts';

// Disk stores pay a few file operations per case; enough runs to cross chunk boundaries and orderings.
const RUNS = 25;

function patterned(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let state = seed >>> 0 || 1;
  for (let index = 0; index < size; index++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

/** Law: an object of any size, written in chunks of any size, reads back whole and in any range as written. */
export async function rangesLaw({ store }: StoreUnderTest): Promise<void> {
  await store.createBucket('ranges');
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: 200_000 }),
      fc.integer({ min: 997, max: 70_000 }),
      fc.nat(),
      fc.tuple(fc.nat(), fc.nat()),
      async (size, chunk, seed, [a, b]) => {
        const bytes = patterned(size, seed);
        const meta = await put(store, 'ranges', 'k', bytes, { chunk });
        expect(meta?.size).toBe(size);
        expect(meta?.etag).toBe(quotedMd5(bytes));
        expect((await store.head('ranges', 'k'))?.size).toBe(size);
        // Compared with Buffer.equals: a deep toEqual of 200 kB takes longer than the store does.
        const whole = await readBytes(store, 'ranges', 'k');
        expect(whole?.equals(bytes), `whole object of ${size} bytes`).toBe(true);
        if (size === 0) return;
        const start = Math.min(a, b) % size;
        const end = start + ((Math.max(a, b) - Math.min(a, b)) % (size - start));
        const slice = await readBytes(store, 'ranges', 'k', { start, end });
        expect(slice?.equals(bytes.subarray(start, end + 1)), `bytes ${start}-${end} of ${size}`).toBe(true);
      },
    ),
    { numRuns: RUNS },
  );
}

// Few pieces, so that keys share prefixes often: among them characters whose UTF-16 order differs from
// their UTF-8 order (U+FF46 sorts after U+1F600 in UTF-16, before it in UTF-8), and path-like pieces.
const KEY_PIECES = ['a', 'ab', '/', '..', 'é', 'ｆ', '😀', '\u007f'];
const keyArbitrary = fc
  .array(fc.constantFrom(...KEY_PIECES), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(''));

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * What a listing of `keys` answers, by the plainest means: those under `prefix` and after `startAfter`
 * in UTF-8 byte order (S3's), the first `limit` of them. The model every store's and index's listing
 * is held to.
 */
export function listingModel(
  keys: Iterable<string>,
  prefix: string,
  startAfter: string,
  limit: number,
): string[] {
  return [...keys]
    .filter((key) => key.startsWith(prefix) && byteOrder(key, startAfter) > 0)
    .sort(byteOrder)
    .slice(0, limit);
}

/** Law: list answers what a sorted array of the live keys answers, in UTF-8 byte order. */
export async function listOrderLaw({ store }: StoreUnderTest): Promise<void> {
  let round = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.uniqueArray(keyArbitrary, { maxLength: 25 }),
      fc.array(fc.nat(), { maxLength: 5 }),
      fc.array(fc.tuple(fc.constantFrom('', ...KEY_PIECES), keyArbitrary, fc.integer({ min: 1, max: 30 })), {
        minLength: 1,
        maxLength: 5,
      }),
      async (keys, deletions, queries) => {
        const bucket = `list-${round++}`;
        await store.createBucket(bucket);
        for (const key of keys) await put(store, bucket, key, Buffer.from(key));
        const live = new Set(keys);
        for (const index of deletions) {
          const key = keys[index % Math.max(1, keys.length)];
          if (key === undefined) continue;
          await store.deleteObject(bucket, key);
          live.delete(key);
        }
        for (const [prefix, afterOrEmpty, limit] of queries) {
          const startAfter = limit % 3 === 0 ? '' : afterOrEmpty;
          const expected = listingModel(live, prefix, startAfter, limit);
          const listed = await store.list(bucket, { prefix, startAfter, limit });
          expect(listed.map(({ key }) => key)).toEqual(expected);
          for (const { key, meta } of listed) expect(meta.size).toBe(Buffer.byteLength(key));
        }
        await store.reset();
      },
    ),
    { numRuns: RUNS },
  );
}

/** Keys a file-backed store must neither refuse nor let out of its directory. */
export const AWKWARD_KEYS = [
  '../../../../etc/passwd',
  '/leading/slash',
  'a/../b',
  'dir/',
  '.',
  '..',
  'back\\slash',
  'ｆｕｌｌ　ｗｉｄｔｈ',
  '日本語/キー.txt',
  '😀 emoji',
  'x'.repeat(1024),
  `${'é'.repeat(511)}x`,
];

/** Law: keys of any bytes (1024 at most) round-trip through put, head, read and list. */
export async function awkwardKeysLaw({ store }: StoreUnderTest): Promise<void> {
  await store.createBucket('keys');
  for (const key of AWKWARD_KEYS) await put(store, 'keys', key, Buffer.from(key));
  for (const key of AWKWARD_KEYS) expect(await readBytes(store, 'keys', key)).toEqual(Buffer.from(key));
  const listed = await store.list('keys', { prefix: '', startAfter: '', limit: 100 });
  expect(listed.map(({ key }) => key)).toEqual([...AWKWARD_KEYS].sort(byteOrder));
}

async function fillForReopen(store: ObjectStore): Promise<void> {
  await store.createBucket('kept');
  await store.createBucket('second');
  await store.setBucketAcl('kept', 'public-read');
  await store.setMirrorConfiguration('kept', MIRROR_CONFIGURATION);
  await put(store, 'kept', 'plain', Buffer.from('plain bytes'));
  await put(store, 'kept', 'full', Buffer.from('full bytes'), { meta: FULL_META, etag: '"abc-2"' });
  await put(store, 'kept', 'replaced', Buffer.from('old'));
  await put(store, 'kept', 'replaced', Buffer.from('new'));
  await put(store, 'kept', 'deleted', Buffer.from('gone'));
  await store.deleteObject('kept', 'deleted');
  for (const key of AWKWARD_KEYS) await put(store, 'second', key, Buffer.from(key));
  const pending = await store.beginWrite('kept', 'uncommitted');
  await pending.write(Buffer.from('never committed'));
}

async function snapshot(store: ObjectStore) {
  const buckets = await store.listBuckets();
  const out = [];
  for (const { name, created } of buckets) {
    const objects = await store.list(name, { prefix: '', startAfter: '', limit: 1000 });
    const contents = [];
    for (const { key, meta } of objects) {
      contents.push({ key, meta, bytes: await readBytes(store, name, key) });
    }
    out.push({
      name,
      created: created.getTime(),
      acl: await store.bucketAcl(name),
      mirror: await store.getMirrorConfiguration(name),
      generations: await Promise.all(objects.map(({ key }) => store.generation(name, key))),
      contents,
    });
  }
  return out;
}

/** Law (persistent stores): buckets, ACLs, configurations, objects, metadata and generations survive reopen. */
export async function survivesReopenLaw(subject: StoreUnderTest): Promise<void> {
  if (subject.reopen === undefined) throw new Error('survivesReopenLaw needs a store that reopens');
  await fillForReopen(subject.store);
  const before = await snapshot(subject.store);
  expect(before.map(({ name }) => name)).toEqual(['kept', 'second']);
  const reopened = await subject.reopen();
  expect(await snapshot(reopened)).toEqual(before);
  expect(await reopened.head('kept', 'uncommitted')).toBeUndefined();
  expect(await reopened.head('kept', 'deleted')).toBeUndefined();
  expect(await readBytes(reopened, 'kept', 'replaced')).toEqual(Buffer.from('new'));
}

/** Law (persistent stores): a token handed out before reopen is never handed out again after it. */
export async function generationsAcrossReopenLaw(subject: StoreUnderTest): Promise<void> {
  if (subject.reopen === undefined) throw new Error('generationsAcrossReopenLaw needs a store that reopens');
  const seen = new Set<string>();
  let store = subject.store;
  await store.createBucket('g');
  for (let round = 0; round < 3; round++) {
    for (const key of ['a', 'b']) {
      seen.add(await store.generation('g', key));
      await put(store, 'g', key, Buffer.from(`${round}`));
      const written = await store.generation('g', key);
      expect(seen.has(written)).toBe(false);
      seen.add(written);
    }
    // A conditional write with a token from before the reopen still sees no change in between.
    const token = await store.generation('g', 'a');
    store = await subject.reopen();
    expect(
      await put(store, 'g', 'a', Buffer.from('after'), { ifGeneration: token, meta: PLAIN_META }),
    ).toBeDefined();
    seen.add(token);
    const after = await store.generation('g', 'a');
    expect(seen.has(after)).toBe(false);
    seen.add(after);
  }
}
