// The default store: objects in memory, bounded in total bytes (`--max-memory`). Bytes being written
// count as taken from the moment a writer reserves them, so concurrent uploads cannot overshoot the bound
// together; a write that would cross it is refused with StoreFull and keeps nothing.

import { totalmem } from 'node:os';
import type { StoredMirrorConfiguration } from '../core/mirror-config.ts';
import { KeyIndex } from './key-index.ts';
import { HashWorker, type Intake, inlineIntake } from './memory-intake.ts';
import {
  type BucketAcl,
  type Generation,
  type ListedObject,
  type Lookup,
  type NewObjectMeta,
  type ObjectMeta,
  type ObjectStore,
  type ObjectWriter,
  StoreFull,
} from './object-store.ts';

/**
 * Deleted keys are remembered only as a bump of one of these counters, picked by a hash of bucket and
 * key, so deleting keys that never existed costs no memory. Two keys sharing a slot only make a mirror
 * write lose to a DELETE of the other key: one write-back skipped, never a stale object.
 */
const GENERATION_SLOTS = 4096;

/** A write declaring at least this many bytes is hashed off the main thread (memory-intake.ts). */
const HASHED_APART_BYTES = 8 * 1024 * 1024;

/** A quarter of the machine's memory, at most 2 GiB: the bound when none is given. */
function defaultMaxBytes(): number {
  return Math.min(Math.floor(totalmem() / 4), 2 * 1024 ** 3);
}

/** One object, kept lean: the metadata as the writer gave it, a number for its time, one chunk list. */
interface StoredObject {
  meta: NewObjectMeta;
  size: number;
  etag: string;
  /** Milliseconds since the epoch. */
  modified: number;
  /** The bytes as they arrived; one chunk (most small objects) is kept without an array around it. */
  bytes: Uint8Array | Uint8Array[];
  /** The write that stored it: the key's generation while it stands. */
  generation: number;
  /** The metadata as handed out, made on the first read and the same (frozen) object after. */
  handedOut?: ObjectMeta;
}

interface Bucket {
  created: Date;
  objects: Map<string, StoredObject>;
  keys: KeyIndex;
  mirror?: StoredMirrorConfiguration;
  acl?: BucketAcl;
}

interface MemoryStoreOptions {
  now?: () => Date;
  /** The most bytes of objects held at once, those being written included; defaultMaxBytes() if absent. */
  maxBytes?: number;
}

export class MemoryStore implements ObjectStore {
  private buckets = new Map<string, Bucket>();
  /** Bumped by reset(), so writers begun before it can never resurrect an object. */
  private epoch = 0;
  private nextGeneration = 1;
  private readonly deletions = new Uint32Array(GENERATION_SLOTS);
  /** Bytes of stored objects, and those reserved by writers not yet committed. */
  private held = 0;
  /** See ObjectStore.changeCount. */
  private changes = 0;
  private readonly now: () => Date;
  private readonly hashing = new HashWorker();
  readonly maxBytes: number;

  constructor(options: MemoryStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.maxBytes = options.maxBytes ?? defaultMaxBytes();
  }

  async createBucket(bucket: string): Promise<boolean> {
    if (this.buckets.has(bucket)) return false;
    this.buckets.set(bucket, { created: this.now(), objects: new Map(), keys: new KeyIndex() });
    this.changes++;
    return true;
  }

  async deleteBucket(bucket: string): Promise<'deleted' | 'not-found' | 'not-empty'> {
    const found = this.buckets.get(bucket);
    if (found === undefined) return 'not-found';
    if (found.objects.size > 0) return 'not-empty';
    this.buckets.delete(bucket);
    this.changes++;
    return 'deleted';
  }

  async hasBucket(bucket: string): Promise<boolean> {
    return this.buckets.has(bucket);
  }

  async listBuckets(): Promise<{ name: string; created: Date }[]> {
    return [...this.buckets]
      .map(([name, { created }]) => ({ name, created }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  async bucketAcl(bucket: string): Promise<BucketAcl | undefined> {
    const found = this.buckets.get(bucket);
    return found === undefined ? undefined : (found.acl ?? 'private');
  }

  async setBucketAcl(bucket: string, acl: BucketAcl): Promise<void> {
    const target = this.buckets.get(bucket);
    if (target !== undefined) target.acl = acl;
    this.changes++;
  }

  async head(bucket: string, key: string): Promise<ObjectMeta | undefined> {
    const object = this.buckets.get(bucket)?.objects.get(key);
    return object === undefined ? undefined : metaOf(object);
  }

  async read(
    bucket: string,
    key: string,
    range?: { start: number; end: number },
  ): Promise<ReadableStream<Uint8Array> | undefined> {
    const pieces = await this.readChunks(bucket, key, range);
    if (pieces === undefined) return undefined;
    let index = 0;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        const piece = pieces[index++];
        if (piece === undefined) controller.close();
        else controller.enqueue(piece);
      },
    });
  }

  async readChunks(
    bucket: string,
    key: string,
    range?: { start: number; end: number },
  ): Promise<readonly Uint8Array[] | undefined> {
    const object = this.buckets.get(bucket)?.objects.get(key);
    if (object === undefined) return undefined;
    const chunks = Array.isArray(object.bytes) ? object.bytes : [object.bytes];
    return slice(chunks, range?.start ?? 0, range?.end ?? object.size - 1);
  }

  changeCount(): number {
    return this.changes;
  }

  async lookup(bucket: string, key: string): Promise<Lookup> {
    const object = this.buckets.get(bucket)?.objects.get(key);
    if (object === undefined) return { generation: this.generationOf(bucket, key) };
    const chunks = Array.isArray(object.bytes) ? object.bytes : [object.bytes];
    return {
      generation: String(object.generation),
      meta: metaOf(object),
      chunks: (range) => slice(chunks, range?.start ?? 0, range?.end ?? object.size - 1),
    };
  }

  async generation(bucket: string, key: string): Promise<Generation> {
    return this.generationOf(bucket, key);
  }

  /** A present key's is its object's write; an absent key's, its deletion slot's count in this epoch. */
  private generationOf(bucket: string, key: string): Generation {
    const object = this.buckets.get(bucket)?.objects.get(key);
    if (object !== undefined) return String(object.generation);
    return `-${this.epoch}.${this.deletions[slotOf(bucket, key)]}`;
  }

  async beginWrite(
    bucket: string,
    key: string,
    options: { expectedSize?: number } = {},
  ): Promise<ObjectWriter> {
    const epoch = this.epoch;
    // Reserved before any byte arrives when the size is known, so a body that cannot fit is refused at once.
    let reserved = 0;
    if (options.expectedSize !== undefined && options.expectedSize > 0) {
      this.claim(options.expectedSize);
      reserved = options.expectedSize;
    }
    const intake: Intake =
      (options.expectedSize ?? 0) >= HASHED_APART_BYTES ? this.hashing.intake() : inlineIntake();
    let size = 0;
    let open = true;
    const release = () => {
      if (epoch === this.epoch) this.held -= reserved;
      reserved = 0;
    };
    const drop = () => {
      open = false;
      intake.drop();
      release();
    };
    return {
      write: async (chunk, writeOptions) => {
        if (!open) return;
        if (epoch !== this.epoch) return drop();
        try {
          if (size + chunk.byteLength > reserved) {
            this.claim(size + chunk.byteLength - reserved);
            reserved = size + chunk.byteLength;
          }
          size += chunk.byteLength;
          // Copied, unless handed over: the caller may reuse its buffer.
          await intake.take(chunk, writeOptions?.handedOver);
        } catch (error) {
          drop();
          throw error;
        }
      },
      get size() {
        return size;
      },
      commit: async (meta: NewObjectMeta, commitOptions = {}) => {
        if (!open) return undefined;
        open = false;
        let etag: string;
        try {
          // A large write's MD5 comes from the worker; awaited before the checks below, which then run
          // with nothing awaited in between. A small write's is at hand, and nothing is awaited.
          const pending = commitOptions.etag ?? quotedMd5(intake);
          etag = typeof pending === 'string' ? pending : await pending;
        } catch (error) {
          drop();
          throw error;
        }
        const target = this.buckets.get(bucket);
        const stale =
          commitOptions.ifGeneration !== undefined &&
          this.generationOf(bucket, key) !== commitOptions.ifGeneration;
        if (target === undefined || epoch !== this.epoch || stale) {
          drop();
          return undefined;
        }
        const kept = this.keep(target, key, { meta, size, etag, chunks: intake.chunks() }, reserved);
        reserved = 0;
        return kept;
      },
      abort: async () => {
        if (open) drop();
      },
    };
  }

  /** Makes a committed write the key's object; what was reserved beyond its bytes, and what it replaces, is freed. */
  private keep(
    target: Bucket,
    key: string,
    written: { meta: NewObjectMeta; size: number; etag: string; chunks: Uint8Array[] },
    reserved: number,
  ): ObjectMeta {
    const { meta, size, etag, chunks } = written;
    const stored: StoredObject = {
      meta,
      size,
      etag,
      modified: this.now().getTime(),
      bytes: chunks.length === 1 ? (chunks[0] as Uint8Array) : chunks,
      generation: this.nextGeneration++,
    };
    this.held -= reserved - size + (target.objects.get(key)?.size ?? 0);
    if (!target.objects.has(key)) target.keys.insert(key);
    target.objects.set(key, stored);
    this.changes++;
    return metaOf(stored);
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    const target = this.buckets.get(bucket);
    if (target === undefined) return;
    const slot = slotOf(bucket, key);
    this.deletions[slot] = ((this.deletions[slot] ?? 0) + 1) >>> 0;
    this.changes++;
    const object = target.objects.get(key);
    if (object === undefined) return;
    target.objects.delete(key);
    target.keys.delete(key);
    this.held -= object.size;
  }

  async list(
    bucket: string,
    options: { prefix: string; startAfter: string; limit: number },
  ): Promise<ListedObject[]> {
    const target = this.buckets.get(bucket);
    if (target === undefined) return [];
    return target.keys.range(options.prefix, options.startAfter, options.limit).map((key) => ({
      key,
      meta: metaOf(target.objects.get(key) as StoredObject),
    }));
  }

  async getMirrorConfiguration(bucket: string): Promise<StoredMirrorConfiguration | undefined> {
    return this.buckets.get(bucket)?.mirror;
  }

  async setMirrorConfiguration(
    bucket: string,
    configuration: StoredMirrorConfiguration | undefined,
  ): Promise<void> {
    const target = this.buckets.get(bucket);
    if (target === undefined) return;
    if (configuration === undefined) delete target.mirror;
    else target.mirror = configuration;
    this.changes++;
  }

  async reset(): Promise<void> {
    this.buckets = new Map();
    this.epoch++;
    this.changes++;
    this.held = 0;
  }

  async close(): Promise<void> {
    await this.reset();
    await this.hashing.close();
  }

  /**
   * What the store holds, for tests of its bounds: bytes taken (stored and reserved), objects, and the
   * entries kept per key (objects and their index), which only stored objects may grow.
   */
  footprint(): { heldBytes: number; objects: number; keyEntries: number; generationSlots: number } {
    let objects = 0;
    let keyEntries = 0;
    for (const bucket of this.buckets.values()) {
      objects += bucket.objects.size;
      keyEntries += bucket.objects.size + bucket.keys.size;
    }
    return { heldBytes: this.held, objects, keyEntries, generationSlots: this.deletions.length };
  }

  /** Takes `bytes` from what is left under the bound, or refuses with StoreFull. */
  private claim(bytes: number): void {
    if (this.held + bytes <= this.maxBytes) {
      this.held += bytes;
      return;
    }
    throw new StoreFull(
      `the in-memory store holds at most ${this.maxBytes} bytes (${this.held} are taken) and this object needs ${bytes} more: ` +
        'start the simulator with a larger --max-memory, or with --data-dir to keep objects on disk',
    );
  }
}

/**
 * The object's metadata, made once per object: a hit reads it on every request. Frozen, as every reader
 * gets the same one (none changes it; a change would throw rather than reach the next reader).
 */
function metaOf(object: StoredObject): ObjectMeta {
  object.handedOut ??= Object.freeze({
    ...object.meta,
    size: object.size,
    etag: object.etag,
    lastModified: new Date(object.modified),
  });
  return object.handedOut;
}

/** The quoted MD5 of what an intake took: at once when hashed inline, else once the worker is done. */
function quotedMd5(intake: Intake): string | Promise<string> {
  const md5 = intake.md5();
  return typeof md5 === 'string' ? `"${md5}"` : md5.then((hex) => `"${hex}"`);
}

/** FNV-1a over bucket and key: which deletion counter a key's absence is told by. */
function slotOf(bucket: string, key: string): number {
  let hash = 0x811c9dc5;
  const mix = (text: string) => {
    for (let index = 0; index < text.length; index++) {
      hash ^= text.charCodeAt(index);
      hash = Math.imul(hash, 0x01000193);
    }
  };
  mix(bucket);
  hash ^= 0;
  hash = Math.imul(hash, 0x01000193);
  mix(key);
  return (hash >>> 0) % GENERATION_SLOTS;
}

/** The parts of `chunks` covering bytes start..end inclusive, without copying. */
function slice(chunks: Uint8Array[], start: number, end: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let offset = 0;
  for (const chunk of chunks) {
    const chunkEnd = offset + chunk.byteLength;
    if (chunkEnd > start && offset <= end) {
      out.push(chunk.subarray(Math.max(0, start - offset), Math.min(chunk.byteLength, end - offset + 1)));
    }
    offset = chunkEnd;
    if (offset > end) break;
  }
  return out;
}
