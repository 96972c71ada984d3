// What the simulator needs from storage. Asynchronous throughout, because a store on disk or over
// another S3 server cannot answer at once. Three stores implement it: in memory (the default, bounded),
// on disk (`--data-dir`) and over any S3 server (`--store s3://…`); storage/store-contract.ts is the
// law every one of them passes.

import type { StoredMirrorConfiguration } from '../core/mirror-config.ts';
import type { NewObjectMeta, ObjectMeta } from '../core/object-headers.ts';

// What a store keeps of an object is the core's; re-exported so a store implements one module.
export type { NewObjectMeta, ObjectMeta } from '../core/object-headers.ts';

/**
 * Who may list a bucket without signing, and write objects into it: nobody (private), anyone may list
 * (public-read), anyone may list and write (public-read-write).
 */
export type BucketAcl = 'private' | 'public-read' | 'public-read-write';

/**
 * An opaque token that changes whenever a key is written or deleted: equal tokens mean the key has not
 * changed in between. Never compared other than for equality.
 */
export type Generation = string;

/**
 * Thrown (rejected) by `beginWrite` or `write` when storing the object would take the store over its
 * bound; nothing of the object is kept. Answered with 507 InsufficientStorage.
 */
export class StoreFull extends Error {
  override readonly name = 'StoreFull';
}

export interface ObjectWriter {
  /**
   * Resolves once the chunk is taken (a store may apply back-pressure); the chunk may be reused after,
   * unless `handedOver` is set: the caller then never writes to it again, and a store in memory may keep
   * it as it is instead of a copy.
   */
  write(chunk: Uint8Array, options?: { handedOver?: boolean }): Promise<void>;
  readonly size: number;
  /**
   * Makes the object visible at once, whole. With `ifGeneration`, only if the key has not changed since
   * that generation was read (a user's PUT or DELETE wins over a mirror write). Resolves to the stored
   * metadata, or undefined when nothing was stored. `etag` replaces the MD5 of the bytes (a multipart
   * object's `-N` ETag).
   */
  commit(
    meta: NewObjectMeta,
    options?: { ifGeneration?: Generation; etag?: string },
  ): Promise<ObjectMeta | undefined>;
  /** Drops what was written; nothing becomes visible. Safe to call twice or after commit. */
  abort(): Promise<void>;
}

export interface ListedObject {
  key: string;
  meta: ObjectMeta;
}

/** What one look at a key finds, all of one moment: the key's generation, and the object if it is there. */
export interface Lookup {
  generation: Generation;
  meta?: ObjectMeta;
  /**
   * The bytes of that same object (start to end inclusive, whole by default) as the chunks held in memory
   * (not copied; never to be written to). Only from a store that keeps its bytes in memory.
   */
  chunks?: (range?: { start: number; end: number }) => readonly Uint8Array[];
}

export interface ObjectStore {
  createBucket(bucket: string): Promise<boolean>;
  deleteBucket(bucket: string): Promise<'deleted' | 'not-found' | 'not-empty'>;
  hasBucket(bucket: string): Promise<boolean>;
  listBuckets(): Promise<{ name: string; created: Date }[]>;
  /** Undefined when the bucket does not exist; 'private' for a bucket whose ACL was never set. */
  bucketAcl(bucket: string): Promise<BucketAcl | undefined>;
  setBucketAcl(bucket: string, acl: BucketAcl): Promise<void>;

  head(bucket: string, key: string): Promise<ObjectMeta | undefined>;
  /** The object's bytes from `start` to `end` inclusive (whole object by default), streamed. */
  read(
    bucket: string,
    key: string,
    range?: { start: number; end: number },
  ): Promise<ReadableStream<Uint8Array> | undefined>;
  /**
   * The same bytes as `read`, as the chunks the store already holds (not copied; never to be written
   * to). Optional: a store that keeps its bytes in memory offers it, so a hit needs no stream per read.
   */
  readChunks?(
    bucket: string,
    key: string,
    range?: { start: number; end: number },
  ): Promise<readonly Uint8Array[] | undefined>;
  generation(bucket: string, key: string): Promise<Generation>;
  /**
   * `generation`, then `head` (and for a store in memory the chunks) in one call. Optional: a GET that
   * finds no `lookup` makes the two calls (storage/lookup.ts), which is all a store on disk or over S3
   * would do; a store in memory answers at once, and a hit then awaits one call instead of three.
   */
  lookup?(bucket: string, key: string): Promise<Lookup>;
  /**
   * A count that grows with every change the store makes (a bucket made or deleted, an ACL or mirror
   * configuration set, an object committed or deleted, a reset). Optional, and only for a store no other
   * process writes to: while it stays the same, a server may answer a repeated read as it did before
   * (server/replay.ts).
   */
  changeCount?(): number;
  /**
   * Starts writing an object; nothing is visible until commit. `expectedSize`, when the size is known in
   * advance (a Content-Length), lets a bounded store refuse at once with StoreFull before any byte.
   */
  beginWrite(bucket: string, key: string, options?: { expectedSize?: number }): Promise<ObjectWriter>;
  deleteObject(bucket: string, key: string): Promise<void>;
  /** Keys in UTF-8 byte order, starting after `startAfter`. */
  list(
    bucket: string,
    options: { prefix: string; startAfter: string; limit: number },
  ): Promise<ListedObject[]>;

  getMirrorConfiguration(bucket: string): Promise<StoredMirrorConfiguration | undefined>;
  setMirrorConfiguration(bucket: string, configuration: StoredMirrorConfiguration | undefined): Promise<void>;

  /** Deletes every bucket, object and configuration. */
  reset(): Promise<void>;
  /** Releases what the store holds open (files, connections); the store is not used after. */
  close(): Promise<void>;
}
