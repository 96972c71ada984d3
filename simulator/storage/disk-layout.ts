// Where the disk store puts things, and the one file format of a stored object (see disk-store.ts for
// the whole layout and why). No name on disk is ever taken from a key or bucket name as written: keys
// become the SHA-256 of their UTF-8 bytes, bucket names their hex, so nothing can escape the directory.

import { createHash, randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectMeta } from './object-store.ts';

export const TEMP_DIR = 'tmp';
export const BUCKETS_DIR = 'buckets';
export const BUCKET_FILE = 'bucket.json';
export const MIRROR_FILE = 'mirror.json';
export const OBJECTS_DIR = 'objects';

/** A bucket's directory name: the hex of its name (S3 names are at most 63 bytes: 126 characters). */
export function bucketDirName(bucket: string): string {
  const hex = Buffer.from(bucket, 'utf8').toString('hex');
  // Longer names (which S3 refuses, but a store takes) are hashed; bucket.json keeps the real name.
  return hex.length <= 200 ? `b${hex}` : `h${createHash('sha256').update(bucket).digest('hex')}`;
}

/** An object's file, relative to its bucket's directory: objects/<2 hex>/<SHA-256 hex of the key>. */
export function objectFile(key: string): { dir: string; path: string } {
  const hash = createHash('sha256').update(key, 'utf8').digest('hex');
  const dir = join(OBJECTS_DIR, hash.slice(0, 2));
  return { dir, path: join(dir, hash) };
}

export function tempName(): string {
  return `${Date.now().toString(36)}-${randomBytes(8).toString('hex')}.part`;
}

/** What an object file's trailer holds besides the bytes. */
interface ObjectRecord {
  key: string;
  generation: string;
  meta: ObjectMeta;
}

// The trailer ends every object file: the record as JSON, then its length and a magic number. At the end
// rather than the start because the size, ETag and generation are known only once every byte is written.
const MAGIC = 0x4d534f31; // 'MSO1'
const TAIL_BYTES = 8;

export function encodeTrailer(record: ObjectRecord): Buffer {
  const json = Buffer.from(JSON.stringify({ ...record, meta: { ...record.meta } }), 'utf8');
  const tail = Buffer.alloc(TAIL_BYTES);
  tail.writeUInt32BE(json.byteLength, 0);
  tail.writeUInt32BE(MAGIC, 4);
  return Buffer.concat([json, tail]);
}

/** The size of the object's bytes (before the trailer), from the file's last eight bytes. */
async function trailerLength(file: FileHandle, fileSize: number): Promise<number> {
  if (fileSize < TAIL_BYTES) throw new Error('object file too short for its trailer');
  const tail = Buffer.alloc(TAIL_BYTES);
  await file.read(tail, 0, TAIL_BYTES, fileSize - TAIL_BYTES);
  if (tail.readUInt32BE(4) !== MAGIC) throw new Error('object file without a trailer');
  const length = tail.readUInt32BE(0);
  if (length + TAIL_BYTES > fileSize) throw new Error('object file trailer longer than the file');
  return length + TAIL_BYTES;
}

/** The byte count of the object in an open object file. */
export async function dataSize(file: FileHandle): Promise<number> {
  const { size } = await file.stat();
  return size - (await trailerLength(file, size));
}

export async function readRecord(file: FileHandle): Promise<ObjectRecord> {
  const { size } = await file.stat();
  const length = await trailerLength(file, size);
  const json = Buffer.alloc(length - TAIL_BYTES);
  await file.read(json, 0, json.byteLength, size - length);
  const parsed = JSON.parse(json.toString('utf8')) as ObjectRecord & { meta: { lastModified: string } };
  return { ...parsed, meta: { ...parsed.meta, lastModified: new Date(parsed.meta.lastModified) } };
}

/** Opens `path` for reading, or undefined if there is no such file. */
export async function openIfThere(path: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Makes a rename or unlink in `dir` durable: without it a power cut could undo it. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes a small file whole or not at all: a temporary file, fsync, rename over the old one. */
export async function writeFileAtomic(tempDir: string, path: string, text: string): Promise<void> {
  const temp = join(tempDir, tempName());
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

export async function unlinkIfThere(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
