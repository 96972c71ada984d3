// What the simulator needs from storage. The in-memory store is the default; any other store (on disk,
// say) implements this interface.

import type { StoredMirrorConfiguration } from '../core/mirror-config.ts';
import type { NewObjectMeta, ObjectMeta } from '../core/object-headers.ts';

// What a store keeps of an object is the core's; re-exported so a store implements one module.
export type { NewObjectMeta, ObjectMeta } from '../core/object-headers.ts';

/** Who may read a bucket's objects without signing: nobody (private) or anyone (public-read). */
export type BucketAcl = 'private' | 'public-read';

export interface ObjectWriter {
  write(chunk: Uint8Array): void;
  readonly size: number;
  /**
   * Makes the object visible at once, whole. With `ifGeneration`, only if the key has not changed since
   * that generation was read (a user's PUT or DELETE wins over a mirror write). Returns the stored
   * metadata, or undefined when nothing was stored. `etag` replaces the MD5 of the bytes (a multipart
   * object's `-N` ETag).
   */
  commit(meta: NewObjectMeta, options?: { ifGeneration?: number; etag?: string }): ObjectMeta | undefined;
  abort(): void;
}

export interface ListedObject {
  key: string;
  meta: ObjectMeta;
}

export interface ObjectStore {
  createBucket(bucket: string): boolean;
  deleteBucket(bucket: string): 'deleted' | 'not-found' | 'not-empty';
  hasBucket(bucket: string): boolean;
  listBuckets(): { name: string; created: Date }[];
  /** Undefined when the bucket does not exist; 'private' for a bucket whose ACL was never set. */
  bucketAcl(bucket: string): BucketAcl | undefined;
  setBucketAcl(bucket: string, acl: BucketAcl): void;

  head(bucket: string, key: string): ObjectMeta | undefined;
  /** The object's bytes from `start` to `end` inclusive (whole object by default), streamed. */
  read(
    bucket: string,
    key: string,
    range?: { start: number; end: number },
  ): ReadableStream<Uint8Array> | undefined;
  /** A number that changes whenever the key is written or deleted. */
  generation(bucket: string, key: string): number;
  beginWrite(bucket: string, key: string): ObjectWriter;
  deleteObject(bucket: string, key: string): void;
  /** Keys in UTF-8 byte order, starting after `startAfter`. */
  list(bucket: string, options: { prefix: string; startAfter: string; limit: number }): ListedObject[];

  getMirrorConfiguration(bucket: string): StoredMirrorConfiguration | undefined;
  setMirrorConfiguration(bucket: string, configuration: StoredMirrorConfiguration | undefined): void;

  reset(): void;
}
