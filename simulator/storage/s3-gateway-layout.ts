// Where the gateway store (s3-gateway-store.ts) keeps each thing in its one backing bucket, and how an
// object's metadata rides in the backing object's user metadata. The layout is described at the top of
// s3-gateway-store.ts; this file is its arithmetic.

import { createHash, randomBytes } from 'node:crypto';
import type { BucketAcl, Generation, NewObjectMeta, ObjectMeta } from './object-store.ts';

/** S3's (and RGW 16.2's, measured: 1025 bytes is InvalidObjectName) longest key, in UTF-8 bytes. */
const MAX_BACKING_KEY_BYTES = 1024;

/** The generation of a key that holds nothing. */
export const ABSENT: Generation = 'absent';

/** The backing keys of one simulated bucket and of the store's own areas, under a root prefix. */
export class GatewayLayout {
  constructor(readonly root: string) {}

  /** Prefix of every bucket marker: `<root>buckets/<bucket>`. */
  get markers(): string {
    return `${this.root}buckets/`;
  }

  marker(bucket: string): string {
    return `${this.markers}${encodeURIComponent(bucket)}`;
  }

  /** Prefix of the bucket dates: `<root>dates/<bucket>/<created, ISO>`, empty objects written before the marker. */
  get dates(): string {
    return `${this.root}dates/`;
  }

  date(bucket: string, created: Date): string {
    return `${this.dates}${encodeURIComponent(bucket)}/${created.toISOString()}`;
  }

  bucketFromMarker(backingKey: string): string {
    return decodeURIComponent(backingKey.slice(this.markers.length));
  }

  /** Everything a bucket holds but its marker: `<root>b/<bucket>/`. */
  bucketArea(bucket: string): string {
    return `${this.root}b/${encodeURIComponent(bucket)}/`;
  }

  /** Objects under their own key, in S3's key order: `<root>b/<bucket>/o/<key>`. */
  objects(bucket: string): string {
    return `${this.bucketArea(bucket)}o/`;
  }

  /** Objects whose key is too long to be a backing key with the prefix: `<root>b/<bucket>/h/<sha256>`. */
  hashed(bucket: string): string {
    return `${this.bucketArea(bucket)}h/`;
  }

  /** Prefix of every mirror configuration: `<root>mirrors/<bucket>`, listed as one (s3-gateway-catalog.ts). */
  get mirrors(): string {
    return `${this.root}mirrors/`;
  }

  mirror(bucket: string): string {
    return `${this.mirrors}${encodeURIComponent(bucket)}`;
  }

  bucketFromMirror(backingKey: string): string {
    return decodeURIComponent(backingKey.slice(this.mirrors.length));
  }

  /** Large objects are uploaded here first, then copied into place: `<root>staging/<random>`. */
  staging(): string {
    return `${this.root}staging/${randomBytes(16).toString('hex')}`;
  }

  /** The backing key of a simulated object, and whether it is the hashed form. */
  objectKey(bucket: string, key: string): { backingKey: string; hashed: boolean } {
    const plain = this.objects(bucket) + key;
    if (Buffer.byteLength(plain) <= MAX_BACKING_KEY_BYTES) return { backingKey: plain, hashed: false };
    const digest = createHash('sha256').update(key).digest('hex');
    return { backingKey: this.hashed(bucket) + digest, hashed: true };
  }
}

/**
 * What the backing object's `x-amz-meta-mirrorspec` holds: the simulated object's metadata, or none for
 * a tombstone (a deleted key: see deleteObject in s3-gateway-store.ts).
 */
interface EncodedMeta {
  /** The write's own id: two writes of the same bytes have the same backing ETag, never the same id. */
  w: string;
  /** The simulated key, for an object stored under its hashed key (listing needs it). */
  k?: string;
  m?: Omit<ObjectMeta, 'lastModified' | 'size'> & { lastModified: string };
}

export const META_HEADER = 'mirrorspec';

export function newWriteId(): string {
  return randomBytes(12).toString('base64url');
}

/** The user-metadata value of an object: its metadata as JSON, base64url (header-safe, any bytes). */
export function encodeMeta(
  meta: NewObjectMeta & { etag: string; lastModified: Date },
  writeId: string,
  hashedKey?: string,
): string {
  const encoded: EncodedMeta = {
    w: writeId,
    ...(hashedKey !== undefined ? { k: hashedKey } : {}),
    m: { ...meta, lastModified: meta.lastModified.toISOString() },
  };
  return Buffer.from(JSON.stringify(encoded)).toString('base64url');
}

/** The user-metadata value of a tombstone: a key deleted, whose deletion has a generation of its own. */
export function encodeTombstone(writeId: string, hashedKey?: string): string {
  const encoded: EncodedMeta = { w: writeId, ...(hashedKey !== undefined ? { k: hashedKey } : {}) };
  return Buffer.from(JSON.stringify(encoded)).toString('base64url');
}

export interface DecodedObject {
  /** Undefined for a tombstone. */
  meta?: ObjectMeta;
  generation: Generation;
  /** The simulated key of a hashed object. */
  key?: string;
}

/**
 * The simulated object of a backing object's HEAD, or undefined for a backing object this store did not
 * write (no or unreadable metadata: treated as absent, never served half-described).
 */
export function decodeMeta(
  value: string | undefined,
  backingEtag: string | undefined,
  size: number,
): DecodedObject | undefined {
  if (value === undefined || backingEtag === undefined) return undefined;
  let parsed: EncodedMeta;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as EncodedMeta;
  } catch {
    return undefined;
  }
  if (typeof parsed?.w !== 'string') return undefined;
  const found = {
    generation: generationOf(backingEtag, parsed.w),
    ...(parsed.k !== undefined ? { key: parsed.k } : {}),
  };
  if (parsed.m === undefined) return found;
  if (typeof parsed.m.etag !== 'string') return undefined;
  const { lastModified, ...rest } = parsed.m;
  return { ...found, meta: { ...rest, size, lastModified: new Date(lastModified) } };
}

/**
 * A generation: the backing object's ETag, unquoted, and the write's id. The ETag part is what a
 * conditional write can name (If-Match); the id tells apart two writes of the same bytes.
 */
function generationOf(backingEtag: string, writeId: string): Generation {
  return `${backingEtag.replaceAll('"', '')}/${writeId}`;
}

/** The backing ETag a generation names, unquoted (RGW 16.2 honours If-Match only so, measured). */
export function etagOfGeneration(generation: Generation): string {
  return generation.slice(0, generation.lastIndexOf('/'));
}

/**
 * A bucket marker's body: its creation date, ISO, so that its listed ETag (the body's MD5) names the date
 * that a key of the dates area spells out (s3-gateway-catalog.ts). An ACL change rewrites the same body.
 */
export function markerBody(created: Date): Buffer {
  return Buffer.from(created.toISOString());
}

/** A bucket marker's user metadata: when the bucket was created and its ACL. */
export function markerMetadata(created: Date, acl: BucketAcl): Record<string, string> {
  return { created: created.toISOString(), acl };
}

export function markerFrom(metadata: Record<string, string> | undefined): {
  created: Date;
  acl: BucketAcl;
} {
  const created = new Date(metadata?.created ?? 0);
  const acl = metadata?.acl;
  return { created, acl: acl === 'public-read' || acl === 'public-read-write' ? acl : 'private' };
}
