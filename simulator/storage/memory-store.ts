import { createHash } from 'node:crypto';
import type { StoredMirrorConfiguration } from '../core/mirror-config.ts';
import type {
  BucketAcl,
  Generation,
  ListedObject,
  NewObjectMeta,
  ObjectMeta,
  ObjectStore,
  ObjectWriter,
} from './object-store.ts';

interface StoredObject {
  meta: ObjectMeta;
  chunks: Uint8Array[];
}

interface Bucket {
  created: Date;
  objects: Map<string, StoredObject>;
  generations: Map<string, number>;
  mirror?: StoredMirrorConfiguration;
  acl?: BucketAcl;
}

/** Objects held in memory as the chunks they arrived in. */
export class MemoryStore implements ObjectStore {
  private buckets = new Map<string, Bucket>();
  /** Bumped by reset(), so writers begun before it can never resurrect an object. */
  private epoch = 0;
  private nextGeneration = 1;
  private readonly now: () => Date;

  constructor(options: { now?: () => Date } = {}) {
    this.now = options.now ?? (() => new Date());
  }

  async createBucket(bucket: string): Promise<boolean> {
    if (this.buckets.has(bucket)) return false;
    this.buckets.set(bucket, { created: this.now(), objects: new Map(), generations: new Map() });
    return true;
  }

  async deleteBucket(bucket: string): Promise<'deleted' | 'not-found' | 'not-empty'> {
    const found = this.buckets.get(bucket);
    if (found === undefined) return 'not-found';
    if (found.objects.size > 0) return 'not-empty';
    this.buckets.delete(bucket);
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
  }

  async head(bucket: string, key: string): Promise<ObjectMeta | undefined> {
    return this.buckets.get(bucket)?.objects.get(key)?.meta;
  }

  async read(
    bucket: string,
    key: string,
    range?: { start: number; end: number },
  ): Promise<ReadableStream<Uint8Array> | undefined> {
    const object = this.buckets.get(bucket)?.objects.get(key);
    if (object === undefined) return undefined;
    const start = range?.start ?? 0;
    const end = range?.end ?? object.meta.size - 1;
    const pieces = slice(object.chunks, start, end);
    let index = 0;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        const piece = pieces[index++];
        if (piece === undefined) controller.close();
        else controller.enqueue(piece);
      },
    });
  }

  async generation(bucket: string, key: string): Promise<Generation> {
    return this.generationOf(bucket, key);
  }

  private generationOf(bucket: string, key: string): Generation {
    return String(this.buckets.get(bucket)?.generations.get(key) ?? 0);
  }

  async beginWrite(bucket: string, key: string): Promise<ObjectWriter> {
    const chunks: Uint8Array[] = [];
    const hash = createHash('md5');
    const epoch = this.epoch;
    let size = 0;
    let open = true;
    return {
      write: async (chunk) => {
        if (!open) return;
        // Copied: the caller may reuse its buffer. Buffer.from puts small copies in Node's shared 8 KiB
        // slabs, so many small objects do not each cost a backing store of their own.
        const copy = Buffer.from(chunk);
        chunks.push(copy);
        hash.update(copy);
        size += copy.byteLength;
      },
      get size() {
        return size;
      },
      commit: async (meta: NewObjectMeta, options = {}) => {
        if (!open) return undefined;
        open = false;
        const target = this.buckets.get(bucket);
        if (target === undefined || epoch !== this.epoch) return undefined;
        if (options.ifGeneration !== undefined && this.generationOf(bucket, key) !== options.ifGeneration)
          return undefined;
        const stored: ObjectMeta = {
          ...meta,
          size,
          etag: options.etag ?? `"${hash.digest('hex')}"`,
          lastModified: this.now(),
        };
        target.objects.set(key, { meta: stored, chunks });
        target.generations.set(key, this.nextGeneration++);
        return stored;
      },
      abort: async () => {
        open = false;
        chunks.length = 0;
      },
    };
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    const target = this.buckets.get(bucket);
    if (target === undefined) return;
    target.objects.delete(key);
    target.generations.set(key, this.nextGeneration++);
  }

  async list(
    bucket: string,
    options: { prefix: string; startAfter: string; limit: number },
  ): Promise<ListedObject[]> {
    const target = this.buckets.get(bucket);
    if (target === undefined) return [];
    const after = Buffer.from(options.startAfter);
    return [...target.objects]
      .filter(([key]) => key.startsWith(options.prefix) && Buffer.compare(Buffer.from(key), after) > 0)
      .sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
      .slice(0, options.limit)
      .map(([key, { meta }]) => ({ key, meta }));
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
  }

  async reset(): Promise<void> {
    this.buckets = new Map();
    this.epoch++;
  }

  async close(): Promise<void> {
    await this.reset();
  }
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
