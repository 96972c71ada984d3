// The in-memory store's own promises: generations in bounded memory, a bound on bytes that refuses
// before keeping anything, and listing from an ordered key index.

import { totalmem } from 'node:os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from './memory-store.ts';
import { StoreFull } from './object-store.ts';
import { listingModel } from './store-contract-properties.ts';

const meta = { userMetadata: {}, acl: 'private' as const };
const bytes = (size: number) => new Uint8Array(size).fill(1);

async function put(store: MemoryStore, key: string, size: number) {
  const writer = await store.beginWrite('b', key, { expectedSize: size });
  await writer.write(bytes(size));
  return writer.commit(meta);
}

async function storeWith(maxBytes?: number) {
  const store = new MemoryStore(maxBytes === undefined ? {} : { maxBytes });
  await store.createBucket('b');
  return store;
}

/**
 * How many entries the structure reachable from `root` holds: every Map and Set entry, array element and
 * own property, counted once however often it is reached. A typed array counts as one, whatever its length.
 */
function entriesIn(root: unknown): number {
  const seen = new Set<object>();
  let count = 0;
  const visit = (value: unknown) => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    count++;
    if (ArrayBuffer.isView(value)) return;
    if (value instanceof Map) {
      for (const [key, entry] of value) {
        count++;
        visit(key);
        visit(entry);
      }
    } else if (value instanceof Set || Array.isArray(value)) {
      for (const entry of value) {
        count++;
        visit(entry);
      }
    } else {
      for (const entry of Object.values(value)) {
        count++;
        visit(entry);
      }
    }
  };
  visit(root);
  return count;
}

describe('generations in the memory store', () => {
  it("changes an absent key's generation when the key is deleted, so the DELETE wins over a mirror write", async () => {
    const store = await storeWith();
    const before = await store.generation('b', 'k');
    const mirror = await store.beginWrite('b', 'k');
    await mirror.write(bytes(3));
    await store.deleteObject('b', 'k');
    expect(await store.generation('b', 'k')).not.toBe(before);
    expect(await mirror.commit(meta, { ifGeneration: before })).toBeUndefined();
    expect(await store.head('b', 'k')).toBeUndefined();
  });

  it("gives a present key its own write's generation: a PUT since the read wins", async () => {
    const store = await storeWith();
    await put(store, 'k', 2);
    const read = await store.generation('b', 'k');
    await put(store, 'k', 4);
    expect(await store.generation('b', 'k')).not.toBe(read);
    const late = await store.beginWrite('b', 'k');
    expect(await late.commit(meta, { ifGeneration: read })).toBeUndefined();
    expect((await store.head('b', 'k'))?.size).toBe(4);
  });

  it('keeps nothing per key for 200,000 deletes of keys that never existed', async () => {
    const store = await storeWith();
    await put(store, 'kept', 1);
    const before = { entries: entriesIn(store), footprint: store.footprint() };
    for (let index = 0; index < 200_000; index++) await store.deleteObject('b', `never/${index}`);
    expect(entriesIn(store)).toBe(before.entries);
    expect(store.footprint()).toEqual(before.footprint);
    expect(before.footprint.generationSlots).toBe(4096);
  });
});

describe('the bound on bytes', () => {
  it('is a quarter of the memory, at most 2 GiB, by default, and refuses a 3 GiB object at once', async () => {
    const store = await storeWith();
    expect(store.maxBytes).toBe(Math.min(Math.floor(totalmem() / 4), 2 * 1024 ** 3));
    await expect(store.beginWrite('b', 'huge', { expectedSize: 3 * 1024 ** 3 })).rejects.toBeInstanceOf(
      StoreFull,
    );
    expect(store.footprint().heldBytes).toBe(0);
  });

  it('refuses a write whose expected size does not fit before any byte, naming the bound and how to raise it', async () => {
    const store = await storeWith(1000);
    await put(store, 'a', 600);
    const refusal = store.beginWrite('b', 'b', { expectedSize: 401 });
    await expect(refusal).rejects.toThrow(/at most 1000 bytes.*--max-memory.*--data-dir/);
    expect(await store.head('b', 'b')).toBeUndefined();
    expect(store.footprint().heldBytes).toBe(600);
    expect(await put(store, 'b', 400)).toBeDefined();
  });

  it('refuses an unknown-length write as soon as it would cross the bound, and keeps none of it', async () => {
    const store = await storeWith(1000);
    const writer = await store.beginWrite('b', 'chunked');
    await writer.write(bytes(600));
    await expect(writer.write(bytes(600))).rejects.toBeInstanceOf(StoreFull);
    expect(await writer.commit(meta)).toBeUndefined();
    expect(await store.head('b', 'chunked')).toBeUndefined();
    expect(store.footprint().heldBytes).toBe(0);
  });

  it('counts the bytes of objects still being written, and frees them on abort', async () => {
    const store = await storeWith(1000);
    const first = await store.beginWrite('b', 'one', { expectedSize: 700 });
    await expect(store.beginWrite('b', 'two', { expectedSize: 700 })).rejects.toBeInstanceOf(StoreFull);
    await first.abort();
    expect(store.footprint().heldBytes).toBe(0);
    expect(await put(store, 'two', 700)).toBeDefined();
  });

  it('frees what an object held when it is replaced, deleted or the store is reset', async () => {
    const store = await storeWith(1000);
    await put(store, 'k', 400);
    // Both copies are in memory until the new one commits, then only the new one counts.
    await put(store, 'k', 450);
    expect(store.footprint().heldBytes).toBe(450);
    await store.deleteObject('b', 'k');
    await put(store, 'k', 900);
    expect(store.footprint().heldBytes).toBe(900);
    await store.reset();
    expect(store.footprint().heldBytes).toBe(0);
  });
});

describe('listing from the ordered key index', () => {
  // Keys from a small alphabet that mixes ASCII, a character above U+E000 and one above U+FFFF, whose
  // UTF-16 order differs from their UTF-8 order: prefixes and cursors then often meet real keys.
  const alphabet = fc.constantFrom('a', 'b', '/', '\uffee', '\u{1f600}', 'é');
  const key = fc.array(alphabet, { minLength: 1, maxLength: 5 }).map((units) => units.join(''));
  const cursor = fc.array(alphabet, { maxLength: 3 }).map((units) => units.join(''));
  const operation = fc.oneof(
    key.map((k) => ({ put: k })),
    key.map((k) => ({ delete: k })),
  );

  it('lists exactly what a sort of every key in UTF-8 byte order lists, after any puts and deletes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(operation, { maxLength: 40 }),
        fc.array(fc.record({ prefix: cursor, startAfter: cursor, limit: fc.integer({ min: 0, max: 8 }) }), {
          minLength: 1,
          maxLength: 5,
        }),
        async (operations, queries) => {
          const store = await storeWith();
          const keys = new Set<string>();
          for (const step of operations) {
            if ('put' in step) {
              await put(store, step.put, 1);
              keys.add(step.put);
            } else {
              await store.deleteObject('b', step.delete);
              keys.delete(step.delete);
            }
          }
          for (const { prefix, startAfter, limit } of queries) {
            const listed = (await store.list('b', { prefix, startAfter, limit })).map((entry) => entry.key);
            expect(listed).toEqual(listingModel(keys, prefix, startAfter, limit));
          }
        },
      ),
    );
  });
});
