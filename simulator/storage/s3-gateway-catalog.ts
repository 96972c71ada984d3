// The gateway store's (s3-gateway-store.ts) bucket list and mirror configurations, read so that their
// cost does not grow with each request times the number of buckets.
//
// Checking a new mirror rule reads every bucket's origins (an origin cycle through this endpoint is
// refused): the list of buckets, then each one's configuration. Read naively over S3 that is one HEAD per
// bucket marker (for its date) and one GET per configuration, every time: a run that makes a bucket per
// property run (the conformance suite makes thousands) then spends its time re-reading them all. So:
//
// - A bucket's date is listed: createBucket first writes an empty `<root>dates/<bucket>/<date, ISO>`,
//   then the marker, whose body is that same ISO date, so the marker's listed ETag is the MD5 of the date
//   it goes with. One listing of the dates area dates every marker whose ETag matches one of its bucket's
//   dates; any other (a date lost to a crash, a marker of an older layout) is HEADed, once per ETag.
// - Mirror configurations live in an area of their own, `<root>mirrors/<bucket>`, so one listing of it
//   gives every bucket that has one and its ETag, the MD5 of its JSON: a configuration listed with the
//   ETag of a body this process has read is that body, exactly.
// - listBuckets lists both areas (a page per thousand buckets) and fills the configuration cache for
//   every bucket listed, GETting only bodies not seen before. The cache is the one the store always had:
//   a configuration read at time t is used until t + 1 s, here t being when the listing began. A
//   configuration set or removed through this process meanwhile keeps the listing out of the cache.

import { createHash } from 'node:crypto';
import {
  GetObjectCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { StoredMirrorConfiguration } from '../core/mirror-config.ts';
import { type GatewayLayout, markerFrom } from './s3-gateway-layout.ts';
import { statusOf } from './s3-gateway-writer.ts';

/** How long a mirror configuration read from the backing store is used before it is read again. */
const MIRROR_CACHE_MS = 1000;
/** Requests in flight at once for the reads of one listing. */
const CONCURRENCY = 16;
/** Entries remembered of markers and configuration bodies; past it they are forgotten and read again. */
const REMEMBERED = 100_000;

interface ListedEntry {
  key: string;
  /** Unquoted. */
  etag: string;
  size: number;
}

interface Backing {
  client: S3Client;
  bucket: string;
  layout: GatewayLayout;
}

export class GatewayCatalog {
  /** Marker key → the ETag of the marker read and the bucket's date then. */
  private readonly markers = new Map<string, { etag: string; created: Date }>();
  /** Bucket → the configuration last read and its ETag: a listed ETag equal to it needs no GET. */
  private readonly bodies = new Map<string, { etag: string; value: StoredMirrorConfiguration }>();
  private readonly cache = new Map<string, { at: number; value?: StoredMirrorConfiguration }>();
  /** Counts configuration changes through this process: a read begun before one is not cached. */
  private changes = 0;

  constructor(private readonly backing: Backing) {}

  async listBuckets(): Promise<{ name: string; created: Date }[]> {
    const { layout } = this.backing;
    const at = Date.now();
    const changes = this.changes;
    const all = { limit: Number.POSITIVE_INFINITY };
    const [markers, dates, mirrors] = await Promise.all([
      listEntries(this.backing, layout.markers, all),
      listEntries(this.backing, layout.dates, all),
      listEntries(this.backing, layout.mirrors, all),
    ]);
    // Each listed date under the MD5 of its text, which is the ETag of the marker written with it.
    const dateOf = new Map<string, string>();
    for (const { key } of dates) {
      const [bucket, iso] = key.slice(layout.dates.length).split('/');
      if (bucket !== undefined && iso !== undefined)
        dateOf.set(`${bucket}/${createHash('md5').update(iso).digest('hex')}`, iso);
    }
    const found = (
      await mapBounded(markers, (entry) => {
        const iso = dateOf.get(`${entry.key.slice(layout.markers.length)}/${entry.etag}`);
        if (iso === undefined) return this.dated(entry);
        return Promise.resolve({ name: layout.bucketFromMarker(entry.key), created: new Date(iso) });
      })
    ).filter((entry) => entry !== undefined);
    const listed = new Map(mirrors.map((entry) => [layout.bucketFromMirror(entry.key), entry.etag]));
    await mapBounded(found, async ({ name }) => {
      const etag = listed.get(name);
      const known = this.bodies.get(name);
      const value =
        etag === undefined ? undefined : known?.etag === etag ? known.value : await this.read(name);
      if (this.changes === changes) this.cache.set(name, value === undefined ? { at } : { at, value });
    });
    return found.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  }

  async getMirrorConfiguration(bucket: string): Promise<StoredMirrorConfiguration | undefined> {
    const cached = this.cache.get(bucket);
    if (cached !== undefined && Date.now() - cached.at < MIRROR_CACHE_MS) return cached.value;
    const at = Date.now();
    const changes = this.changes;
    const value = await this.read(bucket);
    if (this.changes === changes) this.cache.set(bucket, value === undefined ? { at } : { at, value });
    return value;
  }

  /** Called before and after a configuration is set or removed through this process. */
  changed(bucket: string): void {
    this.changes++;
    this.cache.delete(bucket);
    this.bodies.delete(bucket);
  }

  clear(): void {
    this.changes++;
    this.cache.clear();
    this.bodies.clear();
    this.markers.clear();
  }

  /** The bucket of a listed marker and its date: remembered for the marker's ETag, else HEADed. */
  private async dated(entry: ListedEntry): Promise<{ name: string; created: Date } | undefined> {
    const name = this.backing.layout.bucketFromMarker(entry.key);
    const known = this.markers.get(entry.key);
    if (known !== undefined && known.etag === entry.etag) return { name, created: known.created };
    let head: HeadObjectCommandOutput;
    try {
      head = await this.backing.client.send(
        new HeadObjectCommand({ Bucket: this.backing.bucket, Key: entry.key }),
      );
    } catch (error) {
      // Deleted since the listing.
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
    const { created } = markerFrom(head.Metadata);
    const etag = unquoted(head.ETag);
    if (etag !== undefined && (head.ContentLength ?? 0) > 0)
      remember(this.markers, entry.key, { etag, created });
    return { name, created };
  }

  private async read(bucket: string): Promise<StoredMirrorConfiguration | undefined> {
    try {
      const answer = await this.backing.client.send(
        new GetObjectCommand({ Bucket: this.backing.bucket, Key: this.backing.layout.mirror(bucket) }),
      );
      const text = (await answer.Body?.transformToString('utf8')) ?? '';
      const value = JSON.parse(text) as StoredMirrorConfiguration;
      const etag = unquoted(answer.ETag);
      if (etag !== undefined) remember(this.bodies, bucket, { etag, value });
      return value;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }
}

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.size >= REMEMBERED) map.clear();
  map.set(key, value);
}

function unquoted(etag: string | undefined): string | undefined {
  return etag?.replaceAll('"', '');
}

/** Backing objects under `prefix` in S3's order, at most `limit`, read a page (≤ 1000) at a time. */
export async function listEntries(
  backing: { client: S3Client; bucket: string },
  prefix: string,
  options: { limit: number; startAfter?: string },
): Promise<ListedEntry[]> {
  const entries: ListedEntry[] = [];
  let token: string | undefined;
  for (let page = 0; page < 100_000 && entries.length < options.limit; page++) {
    const answer = await backing.client.send(
      new ListObjectsV2Command({
        Bucket: backing.bucket,
        Prefix: prefix,
        MaxKeys: Math.min(1000, options.limit - entries.length),
        EncodingType: 'url',
        ...(token !== undefined
          ? { ContinuationToken: token }
          : options.startAfter !== undefined
            ? { StartAfter: options.startAfter }
            : {}),
      }),
    );
    // EncodingType url: keys of any bytes (control characters too) survive the XML; the SDK leaves
    // them encoded. A '+' can only be a space there (AWS writes spaces so; a '+' itself is %2B).
    for (const entry of answer.Contents ?? [])
      if (entry.Key)
        entries.push({
          key: decodeURIComponent(entry.Key.replaceAll('+', ' ')),
          etag: unquoted(entry.ETag) ?? '',
          size: entry.Size ?? 0,
        });
    if (!answer.IsTruncated || answer.NextContinuationToken === undefined) break;
    token = answer.NextContinuationToken;
  }
  return entries;
}

/** `map` over `items` with at most CONCURRENCY calls in flight; results in the items' order. */
export async function mapBounded<T, R>(items: readonly T[], map: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return results;
}
