// A store on disk (`serve --data-dir <dir>`) that survives a crash or kill -9: every committed object,
// bucket (created date, ACL) and mirror configuration is found again at the next open; a write that was
// not committed leaves nothing behind.
//
// Layout under <dir>:
//   tmp/                                   writes in progress; emptied at open
//   buckets/b<hex of name>/bucket.json     { name, created, acl }
//   buckets/b<hex of name>/mirror.json     the mirror configuration, when set
//   buckets/b<hex of name>/objects/<xx>/<SHA-256 of the key>   one file per object
//
// One object is one file: its bytes, then a trailer (the key, generation and every metadata field as
// JSON, its length, a magic number; disk-layout.ts). A write streams to a file in tmp/ (the same file
// system, so rename is atomic), appends the trailer, fsyncs, and renames it over the object's path, then
// fsyncs the directory. A crash at any point leaves the old file or the new one, never a part, and bytes
// and metadata can never disagree because they are one file. Small files (bucket.json, mirror.json) are
// written the same way. Names on disk come from hashes and hex, never from a key as written, so a key of
// any characters ('..', '/', 1024 bytes) stays inside its bucket's directory.
//
// In memory, per object: its key (a string), its generation token (~20 characters) and a slot in a sorted
// array and a Map: roughly 100 bytes plus twice the key's length. Metadata and bytes stay on disk; head
// and list read the trailer; read streams the file in 64 KiB pieces from a handle opened once. Opening reads every object's trailer
// once, so it takes time in proportion to the number of objects.
//
// Generations are `<random id of this open>.<counter>`, stored in the object's trailer: unique across
// restarts without a counter file. Keys without an object get tokens from a fixed table of counters
// (disk-index.ts). Check-and-commit runs under a per-key lock, so an ifGeneration commit is atomic within
// the process (one process owns a data directory).

import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoredMirrorConfiguration } from '../core/mirror-config.ts';
import { fileStream, loadBuckets, type OpenFile, TempObjectFile } from './disk-files.ts';
import { AbsentTokens, compareUtf8, KeyIndex, KeyLocks } from './disk-index.ts';
import {
  BUCKET_FILE,
  BUCKETS_DIR,
  bucketDirName,
  encodeTrailer,
  MIRROR_FILE,
  objectFile,
  openIfThere,
  readRecord,
  syncDir,
  TEMP_DIR,
  unlinkIfThere,
  writeFileAtomic,
} from './disk-layout.ts';
import type {
  BucketAcl,
  Generation,
  ListedObject,
  NewObjectMeta,
  ObjectMeta,
  ObjectStore,
  ObjectWriter,
} from './object-store.ts';

export interface DiskBucket {
  name: string;
  created: Date;
  acl: BucketAcl;
  dir: string;
  index: KeyIndex;
  mirror?: StoredMirrorConfiguration;
  /** Commits in flight: the bucket is not empty while one may still land. */
  committing: number;
}

const BUCKETS_LOCK = '\0buckets';

export class DiskStore implements ObjectStore {
  private readonly tempDir: string;
  private readonly bucketsDir: string;
  private buckets = new Map<string, DiskBucket>();
  private readonly locks = new KeyLocks();
  private readonly openId = randomBytes(6).toString('base64url');
  private readonly absent = new AbsentTokens(this.openId);
  private counter = 0;
  /** Bumped by reset(), so writers begun before it can never resurrect an object. */
  private epoch = 0;
  private readonly writers = new Set<ObjectWriter>();
  private readonly ready: Promise<void>;

  private readonly openFile: OpenFile | undefined;

  /** `openFile` is for tests: how temporary files are opened, to simulate a disk that fills up. */
  constructor(options: { dir: string; openFile?: OpenFile }) {
    this.openFile = options.openFile;
    this.tempDir = join(options.dir, TEMP_DIR);
    this.bucketsDir = join(options.dir, BUCKETS_DIR);
    this.ready = this.load();
    // Every method awaits `ready` and sees a failure there; this only keeps it from being unhandled.
    this.ready.catch(() => undefined);
  }

  /** Opens (creating if need be) the store in `dir`, once every committed object is indexed. */
  static async open(dir: string): Promise<DiskStore> {
    const store = new DiskStore({ dir });
    await store.ready;
    return store;
  }

  private async load(): Promise<void> {
    // What is in tmp/ are writes a crash interrupted: never committed, so never visible.
    await rm(this.tempDir, { recursive: true, force: true });
    await mkdir(this.tempDir, { recursive: true });
    await mkdir(this.bucketsDir, { recursive: true });
    for (const bucket of await loadBuckets(this.bucketsDir)) this.buckets.set(bucket.name, bucket);
  }

  async createBucket(bucket: string): Promise<boolean> {
    await this.ready;
    return this.locks.run(BUCKETS_LOCK, async () => {
      if (this.buckets.has(bucket)) return false;
      const dir = join(this.bucketsDir, bucketDirName(bucket));
      const created = new Date();
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      await writeFileAtomic(this.tempDir, join(dir, BUCKET_FILE), bucketJson(bucket, created, 'private'));
      await syncDir(this.bucketsDir);
      this.buckets.set(bucket, {
        name: bucket,
        created,
        acl: 'private',
        dir,
        index: new KeyIndex(),
        committing: 0,
      });
      return true;
    });
  }

  async deleteBucket(bucket: string): Promise<'deleted' | 'not-found' | 'not-empty'> {
    await this.ready;
    return this.locks.run(BUCKETS_LOCK, async () => {
      const found = this.buckets.get(bucket);
      if (found === undefined) return 'not-found';
      if (found.index.size > 0 || found.committing > 0) return 'not-empty';
      this.buckets.delete(bucket);
      // Moved out in one rename, so a crash never leaves half a bucket; removed at leisure.
      const trash = join(this.tempDir, `bucket-${randomBytes(8).toString('hex')}`);
      await rename(found.dir, trash);
      await rm(trash, { recursive: true, force: true });
      return 'deleted';
    });
  }

  async hasBucket(bucket: string): Promise<boolean> {
    await this.ready;
    return this.buckets.has(bucket);
  }

  async listBuckets(): Promise<{ name: string; created: Date }[]> {
    await this.ready;
    return [...this.buckets.values()]
      .map(({ name, created }) => ({ name, created }))
      .sort((a, b) => compareUtf8(a.name, b.name));
  }

  async bucketAcl(bucket: string): Promise<BucketAcl | undefined> {
    await this.ready;
    return this.buckets.get(bucket)?.acl;
  }

  async setBucketAcl(bucket: string, acl: BucketAcl): Promise<void> {
    await this.ready;
    const target = this.buckets.get(bucket);
    if (target === undefined) return;
    await this.locks.run(`\0bucket\0${bucket}`, async () => {
      await writeFileAtomic(
        this.tempDir,
        join(target.dir, BUCKET_FILE),
        bucketJson(bucket, target.created, acl),
      );
      target.acl = acl;
    });
  }

  async head(bucket: string, key: string): Promise<ObjectMeta | undefined> {
    await this.ready;
    const target = this.buckets.get(bucket);
    if (target?.index.generation(key) === undefined) return undefined;
    const file = await openIfThere(join(target.dir, objectFile(key).path));
    if (file === undefined) return undefined;
    try {
      return (await readRecord(file)).meta;
    } finally {
      await file.close();
    }
  }

  async read(
    bucket: string,
    key: string,
    range?: { start: number; end: number },
  ): Promise<ReadableStream<Uint8Array> | undefined> {
    await this.ready;
    const target = this.buckets.get(bucket);
    if (target?.index.generation(key) === undefined) return undefined;
    // The size is read from the handle opened here, so a commit renaming a new file over the path
    // meanwhile cannot mix the two: this handle reads the file it opened to its end.
    const file = await openIfThere(join(target.dir, objectFile(key).path));
    return file === undefined ? undefined : fileStream(file, range);
  }

  async generation(bucket: string, key: string): Promise<Generation> {
    await this.ready;
    return this.buckets.get(bucket)?.index.generation(key) ?? this.absent.token(bucket, key);
  }

  async beginWrite(bucket: string, key: string): Promise<ObjectWriter> {
    await this.ready;
    const temp = await TempObjectFile.create(this.tempDir, this.openFile);
    const epoch = this.epoch;
    let open = true;
    const done = async () => {
      open = false;
      this.writers.delete(writer);
      await temp.discard();
    };
    const writer: ObjectWriter = {
      write: async (chunk) => {
        if (open) await temp.write(chunk);
      },
      get size() {
        return temp.size;
      },
      commit: async (meta, options = {}) => {
        if (!open) return undefined;
        open = false;
        try {
          return await this.commit(bucket, key, { epoch, temp, meta, ...options });
        } finally {
          await done();
        }
      },
      abort: done,
    };
    this.writers.add(writer);
    return writer;
  }

  /** Under the key's lock: the bucket is there, nothing was reset, the generation is as expected. */
  private async commit(
    bucket: string,
    key: string,
    write: {
      epoch: number;
      temp: TempObjectFile;
      meta: NewObjectMeta;
      ifGeneration?: Generation;
      etag?: string;
    },
  ): Promise<ObjectMeta | undefined> {
    const { epoch, temp } = write;
    await temp.sync();
    return this.locks.run(`${bucket}\0${key}`, async () => {
      const target = this.buckets.get(bucket);
      if (target === undefined || epoch !== this.epoch) return undefined;
      const current = target.index.generation(key) ?? this.absent.token(bucket, key);
      if (write.ifGeneration !== undefined && write.ifGeneration !== current) return undefined;
      const generation = `${this.openId}.${(this.counter++).toString(36)}`;
      const meta: ObjectMeta = {
        ...write.meta,
        size: temp.size,
        etag: write.etag ?? temp.etag(),
        lastModified: new Date(),
      };
      const { dir, path } = objectFile(key);
      target.committing++;
      try {
        await temp.place(
          encodeTrailer({ key, generation, meta }),
          join(target.dir, dir),
          join(target.dir, path),
        );
      } catch (error) {
        // A reset or bucket deletion moved the directory away meanwhile: nothing was stored.
        if (epoch !== this.epoch || this.buckets.get(bucket) !== target) return undefined;
        throw error;
      } finally {
        target.committing--;
      }
      if (epoch !== this.epoch || this.buckets.get(bucket) !== target) return undefined;
      target.index.set(key, generation);
      return meta;
    });
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    await this.ready;
    const target = this.buckets.get(bucket);
    if (target === undefined) return;
    await this.locks.run(`${bucket}\0${key}`, async () => {
      const { dir, path } = objectFile(key);
      if (await unlinkIfThere(join(target.dir, path))) await syncDir(join(target.dir, dir));
      target.index.delete(key);
      this.absent.bump(bucket, key);
    });
  }

  async list(
    bucket: string,
    options: { prefix: string; startAfter: string; limit: number },
  ): Promise<ListedObject[]> {
    await this.ready;
    const target = this.buckets.get(bucket);
    if (target === undefined) return [];
    const out: ListedObject[] = [];
    for (const key of target.index.list(options.prefix, options.startAfter, options.limit)) {
      const file = await openIfThere(join(target.dir, objectFile(key).path));
      // Deleted between the index and the file: not listed, as if the list had come a moment later.
      if (file === undefined) continue;
      try {
        out.push({ key, meta: (await readRecord(file)).meta });
      } finally {
        await file.close();
      }
    }
    return out;
  }

  async getMirrorConfiguration(bucket: string): Promise<StoredMirrorConfiguration | undefined> {
    await this.ready;
    return this.buckets.get(bucket)?.mirror;
  }

  async setMirrorConfiguration(
    bucket: string,
    configuration: StoredMirrorConfiguration | undefined,
  ): Promise<void> {
    await this.ready;
    const target = this.buckets.get(bucket);
    if (target === undefined) return;
    await this.locks.run(`\0bucket\0${bucket}`, async () => {
      const path = join(target.dir, MIRROR_FILE);
      if (configuration === undefined) await unlinkIfThere(path);
      else await writeFileAtomic(this.tempDir, path, JSON.stringify(configuration));
      if (configuration === undefined) delete target.mirror;
      else target.mirror = configuration;
    });
  }

  async reset(): Promise<void> {
    await this.ready;
    await this.locks.run(BUCKETS_LOCK, async () => {
      this.epoch++;
      this.buckets = new Map();
      const trash = join(this.tempDir, `reset-${randomBytes(8).toString('hex')}`);
      await rename(this.bucketsDir, trash);
      await mkdir(this.bucketsDir, { recursive: true });
      await rm(trash, { recursive: true, force: true });
    });
  }

  /** Aborts the writes in progress; their temporary files go, and nothing of them is ever visible. */
  async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    await Promise.all([...this.writers].map((writer) => writer.abort()));
  }
}

function bucketJson(name: string, created: Date, acl: BucketAcl): string {
  return JSON.stringify({ name, created: created.toISOString(), acl });
}
