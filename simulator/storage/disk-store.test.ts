// What the disk store promises beyond the store contract: where its files go, what an interrupted write
// leaves, and what a full disk does.

import { mkdir, mkdtemp, open, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { compareUtf8 } from './disk-index.ts';
import { DiskStore } from './disk-store.ts';
import { StoreFull } from './object-store.ts';
import { PLAIN_META, put, readBytes } from './store-contract-checks.ts';
import { AWKWARD_KEYS } from './store-contract-properties.ts';

const dirs: string[] = [];
const stores: DiskStore[] = [];

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mirrorspec-disk-'));
  dirs.push(dir);
  return dir;
}

async function opened(dir: string): Promise<DiskStore> {
  const store = await DiskStore.open(dir);
  stores.push(store);
  return store;
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

const LAYOUT = /^buckets\/b[0-9a-f]+\/(bucket\.json|mirror\.json|objects\/[0-9a-f]{2}\/[0-9a-f]{64})$/;

it('keys of any characters land only in hashed file names inside their bucket', async () => {
  const dir = await freshDir();
  const store = await opened(dir);
  await store.createBucket('keys');
  for (const key of AWKWARD_KEYS) await put(store, 'keys', key, Buffer.from(key));
  const files = await filesUnder(dir);
  expect(files.filter((file) => !LAYOUT.test(file))).toEqual([]);
  expect(files.filter((file) => file.includes('/objects/'))).toHaveLength(AWKWARD_KEYS.length);
});

it('a write interrupted before commit leaves nothing: its temporary file is removed at the next open', async () => {
  const dir = await freshDir();
  const crashed = await opened(dir);
  await crashed.createBucket('b');
  await put(crashed, 'b', 'kept', Buffer.from('committed'));
  const writer = await crashed.beginWrite('b', 'interrupted');
  await writer.write(Buffer.from('half an object'));
  expect((await filesUnder(dir)).filter((file) => file.startsWith('tmp/'))).toHaveLength(1);
  // A bucket directory whose bucket.json a crash kept from landing: the bucket was never created.
  await mkdir(join(dir, 'buckets', 'b6e6f'), { recursive: true });
  await writeFile(join(dir, 'buckets', 'b6e6f', 'stray'), 'x');
  // No close: the next open finds the directory as a kill -9 would leave it.
  const restarted = await opened(dir);
  expect(await filesUnder(join(dir, 'tmp'))).toEqual([]);
  expect(await restarted.head('b', 'interrupted')).toBeUndefined();
  expect(await readBytes(restarted, 'b', 'kept')).toEqual(Buffer.from('committed'));
  expect((await restarted.listBuckets()).map(({ name }) => name)).toEqual(['b']);
  expect((await filesUnder(dir)).filter((file) => !LAYOUT.test(file))).toEqual([]);
});

it('an object file that does not read is not an object: the store opens without it', async () => {
  const dir = await freshDir();
  const store = await opened(dir);
  await store.createBucket('b');
  await put(store, 'b', 'good', Buffer.from('whole'));
  await mkdir(join(dir, 'buckets', 'b62', 'objects', '00'), { recursive: true });
  await writeFile(join(dir, 'buckets', 'b62', 'objects', '00', '0'.repeat(64)), 'no trailer at all');
  const reopened = await opened(dir);
  expect((await reopened.list('b', { prefix: '', startAfter: '', limit: 10 })).map(({ key }) => key)).toEqual(
    ['good'],
  );
});

it('a full disk rejects the write with StoreFull, removes its temporary file and stores nothing', async () => {
  const dir = await freshDir();
  const full = new DiskStore({
    dir,
    openFile: async (path, flags) => {
      const handle = await open(path, flags);
      let room = 100_000;
      // A disk with 100 kB free: writes past it fail as write(2) does, with ENOSPC.
      return new Proxy(handle, {
        get(target, name) {
          if (name === 'write') {
            return async (chunk: Uint8Array, offset: number, length: number, position: number) => {
              if (length > room)
                throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
              room -= length;
              return target.write(chunk, offset, length, position);
            };
          }
          const value = Reflect.get(target, name);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  });
  stores.push(full);
  await full.createBucket('b');
  await expect(put(full, 'b', 'too-big', new Uint8Array(300_000))).rejects.toBeInstanceOf(StoreFull);
  expect(await full.head('b', 'too-big')).toBeUndefined();
  expect(await filesUnder(join(dir, 'tmp'))).toEqual([]);
  expect(await put(full, 'b', 'fits', new Uint8Array(1000), { meta: PLAIN_META })).toBeDefined();
});

it('compares strings in UTF-8 byte order, as Buffer.compare does', () => {
  const strings = [
    '',
    'a',
    'ab',
    'b',
    '\u007f',
    'é',
    '\ud7ff',
    '\ue000',
    'ｆ',
    '\uffff',
    '😀',
    '𝄞',
    'a😀',
    'aｆ',
  ];
  for (const a of strings) {
    for (const b of strings) {
      expect(Math.sign(compareUtf8(a, b)), `${a} vs ${b}`).toBe(
        Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))),
      );
    }
  }
});
