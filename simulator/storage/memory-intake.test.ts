// The memory store hashes a large write on a worker thread and a small one inline (memory-intake.ts): the
// object it stores must be the same either way, byte for byte and ETag for ETag, however its chunks came.

import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore } from './memory-store.ts';

const meta = { userMetadata: {}, acl: 'private' as const };
const LARGE = 9 * 1024 * 1024 + 12_345;

/** Bytes that differ from offset to offset, so a slab written out of place would change the MD5. */
function patterned(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed + (i >> 13)) & 0xff;
  return bytes;
}

const quotedMd5 = (bytes: Uint8Array) => `"${createHash('md5').update(bytes).digest('hex')}"`;

let store: MemoryStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function opened(): Promise<MemoryStore> {
  store = new MemoryStore();
  await store.createBucket('b');
  return store;
}

/** Writes `bytes` in pieces of uneven sizes, every other one handed over, the rest reused after. */
async function writeLarge(target: MemoryStore, key: string, bytes: Buffer) {
  const writer = await target.beginWrite('b', key, { expectedSize: bytes.byteLength });
  const sizes = [1, 65_536, 700_001, 3, 1_048_576, 2_000_000, 17];
  const scratch = Buffer.alloc(2_000_000);
  for (let offset = 0, turn = 0; offset < bytes.byteLength; turn++) {
    const size = Math.min(sizes[turn % sizes.length] as number, bytes.byteLength - offset);
    if (turn % 2 === 0) {
      // Not handed over: the caller writes over its buffer as soon as the write resolves.
      const piece = scratch.subarray(0, size);
      bytes.copy(piece, 0, offset, offset + size);
      await writer.write(piece);
      piece.fill(0);
    } else {
      await writer.write(Buffer.from(bytes.subarray(offset, offset + size)), { handedOver: true });
    }
    offset += size;
  }
  return writer;
}

async function readBack(target: MemoryStore, key: string): Promise<Buffer> {
  const chunks = (await target.readChunks('b', key)) ?? [];
  return Buffer.concat(chunks);
}

describe('a large write to the memory store', () => {
  it('stores its bytes as written and the MD5 of them as its ETag, however its chunks came', async () => {
    const target = await opened();
    const bytes = patterned(LARGE, 7);
    const stored = await (await writeLarge(target, 'k', bytes)).commit(meta);
    expect(stored?.etag).toBe(quotedMd5(bytes));
    expect(stored?.size).toBe(LARGE);
    expect((await readBack(target, 'k')).equals(bytes)).toBe(true);
  });

  it('keeps two writes under way at once apart', async () => {
    const target = await opened();
    const one = patterned(LARGE, 1);
    const two = patterned(LARGE + 1, 2);
    const [a, b] = await Promise.all([writeLarge(target, 'one', one), writeLarge(target, 'two', two)]);
    const [storedA, storedB] = await Promise.all([a.commit(meta), b.commit(meta)]);
    expect(storedA?.etag).toBe(quotedMd5(one));
    expect(storedB?.etag).toBe(quotedMd5(two));
    expect((await readBack(target, 'two')).equals(two)).toBe(true);
  });

  it('keeps an ETag it is given, stores nothing when aborted or reset, and frees the bound either way', async () => {
    const target = await opened();
    const bytes = patterned(LARGE, 3);
    const given = await (await writeLarge(target, 'multipart', bytes)).commit(meta, { etag: '"x-2"' });
    expect(given?.etag).toBe('"x-2"');
    const aborted = await writeLarge(target, 'aborted', bytes);
    await aborted.abort();
    expect(await target.head('b', 'aborted')).toBeUndefined();
    const beforeReset = await writeLarge(target, 'reset', bytes);
    await target.reset();
    expect(await beforeReset.commit(meta)).toBeUndefined();
    expect(target.footprint().heldBytes).toBe(0);
  });
});

describe('a small write to the memory store', () => {
  /** Writes `pieces` as one object, undeclared in size, so it is hashed inline; odd pieces reused after. */
  async function writeSmall(target: MemoryStore, key: string, pieces: Buffer[]) {
    const writer = await target.beginWrite('b', key);
    for (const [turn, piece] of pieces.entries()) {
      if (turn % 2 === 0) {
        await writer.write(piece, { handedOver: true });
      } else {
        const reused = Buffer.from(piece);
        await writer.write(reused);
        reused.fill(0);
      }
    }
    return writer.commit(meta);
  }

  it.each([
    ['no chunk', []],
    ['one chunk handed over', [4096]],
    ['two chunks, the second reused after', [4096, 100]],
    ['five chunks', [1, 65_536, 3, 4096, 17]],
  ])('stores its bytes and their MD5 as its ETag: %s', async (_name, sizes) => {
    const target = await opened();
    const pieces = sizes.map((size, index) => patterned(size, index));
    const bytes = Buffer.concat(pieces);
    const stored = await writeSmall(target, 'k', pieces);
    expect(stored?.etag).toBe(quotedMd5(bytes));
    expect((await readBack(target, 'k')).equals(bytes)).toBe(true);
  });

  it('copies a small view handed over rather than keep the larger buffer it is part of alive', async () => {
    const target = await opened();
    const view = patterned(64 * 1024, 5).subarray(100, 110);
    const stored = await writeSmall(target, 'k', [view]);
    expect(stored?.etag).toBe(quotedMd5(view));
    const [chunk] = (await target.readChunks('b', 'k')) ?? [];
    expect(chunk?.buffer.byteLength).toBeLessThan(64 * 1024);
  });
});
