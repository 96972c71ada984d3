// The parts of multipart uploads in progress, beside the object store: nothing here is an object until
// CompleteMultipartUpload assembles one and commits it to the object store at once. Bounded in the total
// bytes it holds, so a client that never completes its uploads cannot exhaust memory.

import { randomBytes } from 'node:crypto';
import type { NewObjectMeta } from './object-store.ts';

export interface StoredPart {
  partNumber: number;
  size: number;
  /** The part's MD5, raw: its ETag, and a piece of the object's `-N` ETag. */
  md5: Buffer;
  /** The part's checksum in the upload's algorithm, base64, when the upload has one. */
  checksum?: string;
  lastModified: Date;
  chunks: Uint8Array[];
}

export interface UploadChecksum {
  /** An algorithm of integrity/checksums.ts, by its S3 name (CRC32, SHA256, …). */
  algorithm: string;
  type: 'COMPOSITE' | 'FULL_OBJECT';
}

export interface Upload {
  uploadId: string;
  bucket: string;
  key: string;
  initiated: Date;
  /** What the object will keep: the headers and metadata sent to CreateMultipartUpload. */
  meta: NewObjectMeta;
  checksum?: UploadChecksum;
  /** Who initiated it: the access key id of the user who signed CreateMultipartUpload, if one did. */
  initiator?: string;
  parts: Map<number, StoredPart>;
}

interface PartWriter {
  write(chunk: Uint8Array): void;
  /** Makes the part the upload's `partNumber`, replacing one uploaded before; false if the upload is gone. */
  commit(part: Omit<StoredPart, 'partNumber' | 'chunks' | 'size' | 'lastModified'>): StoredPart | undefined;
  abort(): void;
}

/** Thrown by a part writer when the store would hold more than its bound. */
export class PartStoreFull extends Error {}

/** Upload ids sort in creation order, so listing by id and by initiation time agree. */
function sequentialIds(): () => string {
  let counter = 0;
  return () => `${(counter++).toString(16).padStart(8, '0')}${randomBytes(12).toString('hex')}`;
}

/** The completions a repeated CompleteMultipartUpload may be answered from: the latest, this many. */
const COMPLETIONS_KEPT = 1000;

/** What a completed upload made: its object's ETag and the answer given. */
interface Completion {
  bucket: string;
  key: string;
  etag: string;
  answer: string;
}

export class PartStore {
  private uploads = new Map<string, Upload>();
  private completions = new Map<string, Completion>();
  private held = 0;
  private epoch = 0;
  readonly maxBytes: number;
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(options: { maxBytes?: number; now?: () => Date; newId?: () => string } = {}) {
    // 4 GiB by default: well above any test's uploads, well below what would take a machine down.
    this.maxBytes = options.maxBytes ?? 4 * 1024 ** 3;
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? sequentialIds();
  }

  create(
    bucket: string,
    key: string,
    meta: NewObjectMeta,
    checksum?: UploadChecksum,
    initiator?: string,
  ): Upload {
    const upload: Upload = {
      uploadId: this.newId(),
      bucket,
      key,
      initiated: this.now(),
      meta,
      parts: new Map(),
      ...(checksum ? { checksum } : {}),
      ...(initiator ? { initiator } : {}),
    };
    this.uploads.set(upload.uploadId, upload);
    return upload;
  }

  /** The upload, if `uploadId` names one of this bucket and key. */
  get(bucket: string, key: string, uploadId: string): Upload | undefined {
    const upload = this.uploads.get(uploadId);
    return upload?.bucket === bucket && upload.key === key ? upload : undefined;
  }

  /** Uploads of a bucket in key order (UTF-8 bytes), then in creation order. */
  list(bucket: string): Upload[] {
    return [...this.uploads.values()]
      .filter((upload) => upload.bucket === bucket)
      .sort(
        (a, b) =>
          Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)) || (a.uploadId < b.uploadId ? -1 : 1),
      );
  }

  /** Forgets an upload and frees its parts (after Complete or Abort). */
  remove(upload: Upload): void {
    if (this.uploads.get(upload.uploadId) !== upload) return;
    this.uploads.delete(upload.uploadId);
    for (const part of upload.parts.values()) this.held -= part.size;
  }

  /** Remembers what Complete made of an upload (the oldest of COMPLETIONS_KEPT forgotten first). */
  completed(uploadId: string, completion: Completion): void {
    this.completions.set(uploadId, completion);
    const oldest = this.completions.keys().next();
    if (this.completions.size > COMPLETIONS_KEPT && !oldest.done) this.completions.delete(oldest.value);
  }

  /** What Complete made of the upload `uploadId` of this bucket and key, if it was completed. */
  completion(bucket: string, key: string, uploadId: string): Completion | undefined {
    const found = this.completions.get(uploadId);
    return found?.bucket === bucket && found.key === key ? found : undefined;
  }

  beginPart(upload: Upload, partNumber: number): PartWriter {
    const chunks: Uint8Array[] = [];
    const epoch = this.epoch;
    let size = 0;
    let open = true;
    const release = () => {
      if (epoch === this.epoch) this.held -= size;
      chunks.length = 0;
    };
    return {
      write: (chunk) => {
        if (!open) return;
        if (this.held + chunk.byteLength > this.maxBytes) {
          throw new PartStoreFull(`the simulator holds at most ${this.maxBytes} bytes of unfinished uploads`);
        }
        chunks.push(Buffer.from(chunk));
        size += chunk.byteLength;
        this.held += chunk.byteLength;
      },
      commit: (part) => {
        if (!open) return undefined;
        open = false;
        if (epoch !== this.epoch || this.uploads.get(upload.uploadId) !== upload) {
          release();
          return undefined;
        }
        const stored: StoredPart = { ...part, partNumber, size, chunks, lastModified: this.now() };
        const replaced = upload.parts.get(partNumber);
        if (replaced) this.held -= replaced.size;
        upload.parts.set(partNumber, stored);
        return stored;
      },
      abort: () => {
        if (!open) return;
        open = false;
        release();
      },
    };
  }

  reset(): void {
    this.uploads = new Map();
    this.completions = new Map();
    this.held = 0;
    this.epoch++;
  }
}
