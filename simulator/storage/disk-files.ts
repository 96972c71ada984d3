// The disk store's file work: an object being written (a temporary file that becomes the object by one
// rename), an object being read (a file streamed in pieces), and the index built from the files at open.

import { createHash, type Hash } from 'node:crypto';
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyIndex } from './disk-index.ts';
import {
  BUCKET_FILE,
  dataSize,
  MIRROR_FILE,
  OBJECTS_DIR,
  readRecord,
  syncDir,
  tempName,
  unlinkIfThere,
} from './disk-layout.ts';
import type { DiskBucket } from './disk-store.ts';
import { StoreFull } from './object-store.ts';

function isNoSpace(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** How a temporary file is opened: fs.promises.open, or a test's stand-in for a disk that fills up. */
export type OpenFile = (path: string, flags: 'wx') => Promise<FileHandle>;

/** An object's bytes on their way to disk, in a file of the store's tmp/ directory. */
export class TempObjectFile {
  private readonly hash: Hash = createHash('md5');
  private written = 0;
  private gone = false;

  private constructor(
    private readonly path: string,
    private readonly file: FileHandle,
  ) {}

  static async create(tempDir: string, openFile: OpenFile = open): Promise<TempObjectFile> {
    const path = join(tempDir, tempName());
    return new TempObjectFile(path, await openFile(path, 'wx'));
  }

  get size(): number {
    return this.written;
  }

  /** The quoted MD5 of the bytes written; once only, before `place`. */
  etag(): string {
    return `"${this.hash.digest('hex')}"`;
  }

  /**
   * Appends a chunk; a full disk removes the file and rejects with StoreFull. Each chunk's place in the
   * file and in the MD5 is taken when write is called, so writes not awaited one by one still land in order.
   */
  async write(chunk: Uint8Array): Promise<void> {
    if (this.gone) return;
    const position = this.written;
    this.written += chunk.byteLength;
    this.hash.update(chunk);
    try {
      let offset = 0;
      while (offset < chunk.byteLength) {
        const { bytesWritten } = await this.file.write(
          chunk,
          offset,
          chunk.byteLength - offset,
          position + offset,
        );
        offset += bytesWritten;
      }
    } catch (error) {
      throw await this.failed(error);
    }
  }

  /** Flushes the bytes to disk, outside any lock: the slow part of a commit. */
  async sync(): Promise<void> {
    try {
      await this.file.sync();
    } catch (error) {
      throw await this.failed(error);
    }
  }

  /** Appends the trailer, fsyncs, and renames the file to `path` (in `dir`, created if need be). */
  async place(trailer: Buffer, dir: string, path: string): Promise<void> {
    try {
      await this.file.write(trailer, 0, trailer.byteLength, this.written);
      await this.file.sync();
      await this.file.close();
      await mkdir(dir, { recursive: true });
      await rename(this.path, path);
      this.gone = true;
    } catch (error) {
      throw await this.failed(error);
    }
    await syncDir(dir);
  }

  /** Removes the file; safe to call twice or after `place`. */
  async discard(): Promise<void> {
    if (this.gone) return;
    this.gone = true;
    await this.file.close().catch(() => undefined);
    await unlinkIfThere(this.path).catch(() => undefined);
  }

  private async failed(error: unknown): Promise<unknown> {
    await this.discard();
    return isNoSpace(error)
      ? new StoreFull(`the disk holding the data directory is full: ${(error as Error).message}`)
      : error;
  }
}

const READ_CHUNK = 64 * 1024;

/** The object in an open file, bytes `start` to `end` inclusive, read piece by piece as the reader pulls. */
export async function fileStream(
  file: FileHandle,
  range?: { start: number; end: number },
): Promise<ReadableStream<Uint8Array>> {
  let size: number;
  try {
    size = await dataSize(file);
  } catch (error) {
    await file.close();
    throw error;
  }
  const end = Math.min(range?.end ?? size - 1, size - 1);
  let position = range?.start ?? 0;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await file.close();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (position > end) {
        await close();
        controller.close();
        return;
      }
      const buffer = Buffer.allocUnsafe(Math.min(READ_CHUNK, end - position + 1));
      const { bytesRead } = await file.read(buffer, 0, buffer.byteLength, position);
      if (bytesRead === 0) {
        await close();
        controller.error(new Error('object file ended before its size'));
        return;
      }
      position += bytesRead;
      controller.enqueue(bytesRead === buffer.byteLength ? buffer : buffer.subarray(0, bytesRead));
    },
    cancel: close,
  });
}

async function loadIndex(bucketDir: string, index: KeyIndex): Promise<void> {
  const objects = join(bucketDir, OBJECTS_DIR);
  const fanOut = await readdir(objects).catch(() => [] as string[]);
  for (const part of fanOut) {
    const names = await readdir(join(objects, part));
    // A few files at a time: enough to overlap the disk's latency, few enough to bound open files.
    for (let from = 0; from < names.length; from += 16) {
      await Promise.all(
        names.slice(from, from + 16).map(async (name) => {
          const file = await open(join(objects, part, name), 'r');
          try {
            const record = await readRecord(file);
            index.set(record.key, record.generation);
          } catch {
            // Only whole files are ever renamed into place; one that does not read (a disk fault, a hand
            // edit) is not an object, and is left for whoever looks into it rather than served.
          } finally {
            await file.close();
          }
        }),
      );
    }
  }
}

/** Every bucket under `bucketsDir` with its index and configuration, as committed. */
export async function loadBuckets(bucketsDir: string): Promise<DiskBucket[]> {
  const out: DiskBucket[] = [];
  for (const entry of await readdir(bucketsDir)) {
    const dir = join(bucketsDir, entry);
    let described: { name: string; created: string; acl: DiskBucket['acl'] };
    try {
      described = JSON.parse(await readFile(join(dir, BUCKET_FILE), 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // A bucket whose creation a crash interrupted before bucket.json landed: it never existed.
      await rm(dir, { recursive: true, force: true });
      continue;
    }
    const bucket: DiskBucket = {
      name: described.name,
      created: new Date(described.created),
      acl: described.acl,
      dir,
      index: new KeyIndex(),
      committing: 0,
    };
    const mirror = await readFile(join(dir, MIRROR_FILE), 'utf8').catch(() => undefined);
    if (mirror !== undefined) bucket.mirror = JSON.parse(mirror);
    await loadIndex(dir, bucket.index);
    out.push(bucket);
  }
  return out;
}
