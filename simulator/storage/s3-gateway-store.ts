// A store over any S3 server (`mirrorspec serve --store s3://<bucket>?endpoint=…`): the simulator keeps
// its rules, mirror engine and API, and its objects, buckets and mirror configurations live in one
// bucket of a real S3 server. Several `serve` processes over the same backing bucket are one cluster:
// nothing of the store's state is held in a process but a mirror configuration cache of at most 1 s.
//
// Layout, in the one backing bucket, under an optional root prefix (`?prefix=` of the store URL):
//
//   <root>buckets/<bucket>         a simulated bucket's marker: its creation date (ISO) as body, user
//                                  metadata `created` (the same) and `acl` (private | public-read). The
//                                  bucket exists iff it does.
//   <root>dates/<bucket>/<date>    empty, written before the marker: its date listed (s3-gateway-catalog.ts).
//   <root>b/<bucket>/o/<key>       an object, under its own key: S3 lists in UTF-8 byte order, so a
//                                  listing of the prefix is the simulated bucket's listing.
//   <root>b/<bucket>/h/<sha256>    an object whose key would make a backing key over S3's 1024 bytes
//                                  (the simulator accepts 1024-byte keys); listed by reading them all,
//                                  which is bounded by how many such keys there are.
//   <root>mirrors/<bucket>         the bucket's mirror configuration, as JSON; in an area of its own so
//                                  that one listing finds them all (s3-gateway-catalog.ts).
//   (a deleted key)                a tombstone in its place: empty, read and listed as nothing, so a
//                                  DELETE has a generation a mirror write-back can lose to (deleteObject).
//   <root>staging/<random>         large objects while they are written (s3-gateway-writer.ts).
//
// (Bucket names are percent-encoded in keys; S3's are URL-safe already.)
//
// An object's metadata (headers, user metadata, origin headers, checksum, ACL, its ETag — the MD5 of its
// bytes, computed as they stream, or the `-N` ETag given — and its last-modified date) is JSON, base64url,
// in the backing object's user metadata `x-amz-meta-mirrorspec`, written by the same request that makes
// the object visible, so an object and its metadata change together. Over the backing store's limit for
// user metadata (AWS S3: 2 KB; Ceph RGW 16.2, measured: 8,000 bytes taken, 16,000 refused with 400) the
// commit fails with the backing store's error and nothing is stored.
//
// A generation is the backing object's ETag and the write's id (layout.ts), or 'absent'. Conditional
// write-back: see s3-gateway-writer.ts, which also says what race remains for large objects.
//
// Reads stream: GetObject with a Range. Listing: ListObjectsV2 under the bucket's object prefix, and a
// HEAD per listed object for its metadata (S3 lists no user metadata), 16 at a time. Listing the buckets
// and reading every bucket's mirror configuration costs a listing, not a request per bucket
// (s3-gateway-catalog.ts).
//
// What a process still holds alone: multipart uploads in progress (part-store.ts, beside this store),
// and reset()'s guard that a write begun before it in this process never lands after it; a write in
// flight in another process at a reset may still land.

import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { StoredMirrorConfiguration } from '../core/mirror-config.ts';
import type {
  BucketAcl,
  Generation,
  ListedObject,
  ObjectMeta,
  ObjectStore,
  ObjectWriter,
} from './object-store.ts';
import { GatewayCatalog, listEntries, mapBounded } from './s3-gateway-catalog.ts';
import {
  ABSENT,
  type DecodedObject,
  decodeMeta,
  encodeTombstone,
  GatewayLayout,
  META_HEADER,
  markerBody,
  markerFrom,
  markerMetadata,
  newWriteId,
} from './s3-gateway-layout.ts';
import { type Backing, GatewayWriter, statusOf } from './s3-gateway-writer.ts';

const EMPTY = new Uint8Array(0);
/** Characters XML 1.0 cannot carry, even escaped. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters looked for.
const XML_UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

interface GatewayStoreOptions {
  client: S3Client;
  bucket: string;
  /** Root prefix of everything this store writes in the backing bucket ('' or ending with '/'). */
  prefix?: string;
  now?: () => Date;
}

export class S3GatewayStore implements ObjectStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly layout: GatewayLayout;
  private readonly now: () => Date;
  private readonly catalog: GatewayCatalog;
  private epoch = 0;

  constructor(options: GatewayStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.layout = new GatewayLayout(options.prefix ?? '');
    this.now = options.now ?? (() => new Date());
    this.catalog = new GatewayCatalog({ client: this.client, bucket: this.bucket, layout: this.layout });
  }

  async createBucket(bucket: string): Promise<boolean> {
    const created = this.now();
    const Body = markerBody(created);
    const dated = this.layout.date(bucket, created);
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: dated, Body: EMPTY, ContentLength: 0 }),
    );
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.layout.marker(bucket),
          Body,
          ContentLength: Body.byteLength,
          Metadata: markerMetadata(created, 'private'),
          IfNoneMatch: '*',
        }),
      );
      return true;
    } catch (error) {
      // The date stays only beside its own marker (a bucket made the same millisecond shares it).
      if ((await this.bucketCreated(bucket))?.getTime() !== created.getTime())
        await this.deleteBacking(dated).catch(() => undefined);
      if (statusOf(error) === 412 || statusOf(error) === 409) return false;
      throw error;
    }
  }

  async deleteBucket(bucket: string): Promise<'deleted' | 'not-found' | 'not-empty'> {
    if (!(await this.hasBucket(bucket))) return 'not-found';
    const area = this.layout.objects(bucket);
    const held = await this.liveUnder(area, area, 1, '');
    const hashed = await this.liveUnder(area, this.layout.hashed(bucket), 1, '');
    if (held.length > 0 || hashed.length > 0) return 'not-empty';
    // Only tombstones are left: the bucket's area goes, its mirror configuration, then its marker.
    await this.deleteAll(this.layout.bucketArea(bucket));
    this.catalog.changed(bucket);
    await this.deleteBacking(this.layout.mirror(bucket));
    await this.deleteAll(`${this.layout.dates}${encodeURIComponent(bucket)}/`);
    await this.deleteBacking(this.layout.marker(bucket));
    this.catalog.changed(bucket);
    return 'deleted';
  }

  async hasBucket(bucket: string): Promise<boolean> {
    return (await this.headBacking(this.layout.marker(bucket))) !== undefined;
  }

  async listBuckets(): Promise<{ name: string; created: Date }[]> {
    return this.catalog.listBuckets();
  }

  private async bucketCreated(bucket: string): Promise<Date | undefined> {
    const head = await this.headBacking(this.layout.marker(bucket));
    return head && markerFrom(head.Metadata).created;
  }

  async bucketAcl(bucket: string): Promise<BucketAcl | undefined> {
    const head = await this.headBacking(this.layout.marker(bucket));
    return head && markerFrom(head.Metadata).acl;
  }

  async setBucketAcl(bucket: string, acl: BucketAcl): Promise<void> {
    const head = await this.headBacking(this.layout.marker(bucket));
    if (head === undefined || head.ETag === undefined) return;
    // The ACL it has already (every bucket is made private, then given its ACL): nothing to write.
    if (markerFrom(head.Metadata).acl === acl) return;
    const Body = markerBody(markerFrom(head.Metadata).created);
    try {
      // If-Match: a bucket deleted meanwhile is not brought back by its ACL.
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.layout.marker(bucket),
          Body,
          ContentLength: Body.byteLength,
          Metadata: markerMetadata(markerFrom(head.Metadata).created, acl),
          IfMatch: head.ETag.replaceAll('"', ''),
        }),
      );
    } catch (error) {
      if (statusOf(error) !== 412) throw error;
    }
  }

  async head(bucket: string, key: string): Promise<ObjectMeta | undefined> {
    return (await this.headObject(bucket, key))?.meta;
  }

  async read(
    bucket: string,
    key: string,
    range?: { start: number; end: number },
  ): Promise<ReadableStream<Uint8Array> | undefined> {
    if (range !== undefined && range.end < range.start)
      return new ReadableStream({ start: (c) => c.close() });
    try {
      const answer = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.layout.objectKey(bucket, key).backingKey,
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      );
      const decoded = decodeMeta(answer.Metadata?.[META_HEADER], answer.ETag, 0);
      if (decoded?.meta === undefined) {
        await answer.Body?.transformToWebStream().cancel();
        return undefined;
      }
      return answer.Body?.transformToWebStream() as ReadableStream<Uint8Array> | undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async generation(bucket: string, key: string): Promise<Generation> {
    return (await this.headObject(bucket, key))?.generation ?? ABSENT;
  }

  async beginWrite(bucket: string, key: string): Promise<ObjectWriter> {
    const backing: Backing = {
      client: this.client,
      bucket: this.bucket,
      layout: this.layout,
      now: this.now,
      generation: (b, k) => this.generation(b, k),
      stillValid: async (b, epoch) => epoch === this.epoch && (await this.hasBucket(b)),
    };
    return new GatewayWriter(backing, bucket, key, this.epoch);
  }

  /**
   * Writes a tombstone over the key rather than deleting it: a mirror fetch that began before the DELETE
   * commits with `If-None-Match: *` (the key was absent) or `If-Match` (an older object), and either must
   * fail, so the deletion needs a generation of its own. Tombstones are empty backing objects that read,
   * list and count as nothing; deleteBucket and reset remove them.
   */
  async deleteObject(bucket: string, key: string): Promise<void> {
    const { backingKey, hashed } = this.layout.objectKey(bucket, key);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: backingKey,
        Body: EMPTY,
        ContentLength: 0,
        Metadata: { [META_HEADER]: encodeTombstone(newWriteId(), hashed ? key : undefined) },
      }),
    );
  }

  async list(
    bucket: string,
    options: { prefix: string; startAfter: string; limit: number },
  ): Promise<ListedObject[]> {
    const area = this.layout.objects(bucket);
    const plain = await this.liveUnder(area, area + options.prefix, options.limit, options.startAfter);
    const hashed = await this.liveUnder(area, this.layout.hashed(bucket), Number.POSITIVE_INFINITY, '');
    const after = Buffer.from(options.startAfter);
    return [...plain, ...hashed]
      .filter(({ key }) => key.startsWith(options.prefix) && Buffer.compare(Buffer.from(key), after) > 0)
      .sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)))
      .slice(0, options.limit);
  }

  /** At most `limit` objects (not tombstones) under `prefix` after the simulated key `startAfter`. */
  private async liveUnder(
    area: string,
    prefix: string,
    limit: number,
    startAfter: string,
  ): Promise<ListedObject[]> {
    const live: ListedObject[] = [];
    let cursor = startAfter === '' ? undefined : area + startAfter;
    for (let round = 0; round < 100_000 && live.length < limit; round++) {
      const wanted = Math.min(1000, limit - live.length);
      const keys = await this.listKeys(prefix, {
        limit: wanted,
        ...(cursor !== undefined ? { startAfter: cursor } : {}),
      });
      const found = await mapBounded(keys, async (backingKey) => {
        const decoded = await this.headDecoded(backingKey);
        return decoded?.meta && { key: decoded.key ?? backingKey.slice(area.length), meta: decoded.meta };
      });
      for (const entry of found) if (entry) live.push(entry);
      if (keys.length < wanted) break;
      cursor = keys.at(-1);
    }
    return live;
  }

  async getMirrorConfiguration(bucket: string): Promise<StoredMirrorConfiguration | undefined> {
    return this.catalog.getMirrorConfiguration(bucket);
  }

  async setMirrorConfiguration(
    bucket: string,
    configuration: StoredMirrorConfiguration | undefined,
  ): Promise<void> {
    this.catalog.changed(bucket);
    if (!(await this.hasBucket(bucket))) return;
    const Key = this.layout.mirror(bucket);
    const Body = Buffer.from(JSON.stringify(configuration ?? null));
    if (configuration === undefined) await this.deleteBacking(Key);
    else
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key,
          Body,
          ContentLength: Body.byteLength,
          ContentType: 'application/json',
        }),
      );
    this.catalog.changed(bucket);
  }

  async reset(): Promise<void> {
    this.epoch++;
    this.catalog.clear();
    await this.abortUploads();
    await this.deleteAll(this.layout.root);
  }

  /** Deletes every backing object under `prefix`, a thousand at a time. */
  private async deleteAll(prefix: string): Promise<void> {
    for (let round = 0; round < 100_000; round++) {
      const keys = await this.listKeys(prefix, { limit: 1000 });
      if (keys.length === 0) return;
      // DeleteObjects takes its keys in XML, which cannot carry control characters: those go one by one.
      const [inXml, alone] = partition(keys, (key) => !XML_UNSAFE.test(key));
      if (inXml.length > 0) {
        const answer = await this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: inXml.map((Key) => ({ Key })), Quiet: true },
          }),
        );
        const [first] = answer.Errors ?? [];
        if (first) throw new Error(`the backing store kept ${first.Key}: ${first.Code} ${first.Message}`);
      }
      await mapBounded(alone, (key) => this.deleteBacking(key));
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private async headObject(bucket: string, key: string): Promise<DecodedObject | undefined> {
    const decoded = await this.headDecoded(this.layout.objectKey(bucket, key).backingKey);
    // A hashed key's object names its key: a different key with the same digest is not this one.
    return decoded?.key === undefined || decoded.key === key ? decoded : undefined;
  }

  private async headDecoded(backingKey: string): Promise<DecodedObject | undefined> {
    const head = await this.headBacking(backingKey);
    return head && decodeMeta(head.Metadata?.[META_HEADER], head.ETag, head.ContentLength ?? 0);
  }

  private async headBacking(Key: string) {
    try {
      return await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  private async deleteBacking(Key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }));
  }

  /** Backing keys under `prefix` in S3's order, at most `limit`. */
  private async listKeys(prefix: string, options: { limit: number; startAfter?: string }): Promise<string[]> {
    return (await listEntries({ client: this.client, bucket: this.bucket }, prefix, options)).map(
      ({ key }) => key,
    );
  }

  private async abortUploads(): Promise<void> {
    for (let page = 0; page < 1000; page++) {
      const answer = await this.client.send(
        new ListMultipartUploadsCommand({ Bucket: this.bucket, Prefix: this.layout.root }),
      );
      const uploads = answer.Uploads ?? [];
      await mapBounded(uploads, (upload) =>
        this.client
          .send(
            new AbortMultipartUploadCommand({
              Bucket: this.bucket,
              Key: upload.Key,
              UploadId: upload.UploadId,
            }),
          )
          .catch(() => undefined),
      );
      if (!answer.IsTruncated || uploads.length === 0) return;
    }
  }
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}
