// The multipart upload calls as the S3 API reference spells them, over the suite's own HTTP client, with
// their XML answers read as values (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html
// and its sibling pages). Responses stay values: a law looks at the status and code itself.

import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import type { HttpClient, HttpResult } from '../client/http-client.ts';
import { encodeKey } from '../client/s3-client.ts';

/** 5 MiB: the smallest part but the last (https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html). */
export const MIN_PART_SIZE = 5 * 1024 * 1024;

const parser = new XMLParser({
  isArray: (name) => ['Part', 'Upload', 'CommonPrefixes'].includes(name),
  parseTagValue: false,
  // Numeric character references too: the simulator escapes quotes as &#34;, S3 as &quot;.
  htmlEntities: true,
});

export interface CompletedPart {
  partNumber: number;
  etag: string;
  /** The element name and value of a part checksum: ['ChecksumCRC32', '…']. */
  checksum?: [string, string];
}

/** The parsed root element of an XML answer, as plain objects and strings. */
export function xmlRoot(result: HttpResult, root: string): Record<string, unknown> {
  const parsed = parser.parse(Buffer.from(result.body).toString('utf8')) as Record<string, unknown>;
  return (parsed[root] ?? {}) as Record<string, unknown>;
}

export class MultipartCalls {
  constructor(private readonly http: HttpClient) {}

  private path(bucket: string, key: string, query: string): string {
    return `/${bucket}/${encodeKey(key)}?${query}`;
  }

  create(bucket: string, key: string, headers: Record<string, string> = {}): Promise<HttpResult> {
    return this.http.send({ method: 'POST', path: this.path(bucket, key, 'uploads'), headers });
  }

  /** Starts an upload and returns its id; fails the law when the target refuses. */
  async start(bucket: string, key: string, headers: Record<string, string> = {}): Promise<string> {
    const result = await this.create(bucket, key, headers);
    const uploadId = xmlRoot(result, 'InitiateMultipartUploadResult').UploadId;
    if (result.status !== 200 || typeof uploadId !== 'string') {
      throw new Error(
        `CreateMultipartUpload answered ${result.status}: ${Buffer.from(result.body).toString()}`,
      );
    }
    return uploadId;
  }

  uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: Uint8Array,
    headers: Record<string, string> = {},
  ): Promise<HttpResult> {
    const query = `partNumber=${partNumber}&uploadId=${encodeURIComponent(uploadId)}`;
    return this.http.send({ method: 'PUT', path: this.path(bucket, key, query), body, headers });
  }

  complete(bucket: string, key: string, uploadId: string, parts: CompletedPart[]): Promise<HttpResult> {
    return this.completeWith(bucket, key, uploadId, completeBody(parts));
  }

  completeWith(bucket: string, key: string, uploadId: string, body: string): Promise<HttpResult> {
    const query = `uploadId=${encodeURIComponent(uploadId)}`;
    return this.http.send({
      method: 'POST',
      path: this.path(bucket, key, query),
      body,
      headers: { 'content-type': 'application/xml' },
    });
  }

  abort(bucket: string, key: string, uploadId: string): Promise<HttpResult> {
    const query = `uploadId=${encodeURIComponent(uploadId)}`;
    return this.http.send({ method: 'DELETE', path: this.path(bucket, key, query) });
  }

  listParts(bucket: string, key: string, uploadId: string, query = ''): Promise<HttpResult> {
    const all = `uploadId=${encodeURIComponent(uploadId)}${query ? `&${query}` : ''}`;
    return this.http.send({ method: 'GET', path: this.path(bucket, key, all) });
  }

  listUploads(bucket: string, query = ''): Promise<HttpResult> {
    return this.http.send({ method: 'GET', path: `/${bucket}?uploads${query ? `&${query}` : ''}` });
  }
}

function completeBody(parts: CompletedPart[]): string {
  const escapeText = (text: string) =>
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  const items = parts
    .map(({ partNumber, etag, checksum }) => {
      const extra = checksum ? `<${checksum[0]}>${checksum[1]}</${checksum[0]}>` : '';
      return `<Part><PartNumber>${partNumber}</PartNumber><ETag>${escapeText(etag)}</ETag>${extra}</Part>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${items}</CompleteMultipartUpload>`;
}

/** The ETag S3 gives an object of these parts: the MD5 of the parts' binary MD5s, `-`, the part count. */
export function multipartEtag(parts: Uint8Array[]): string {
  const outer = createHash('md5');
  for (const part of parts) outer.update(createHash('md5').update(part).digest());
  return `"${outer.digest('hex')}-${parts.length}"`;
}

/** Deterministic bytes of a given size (no need for randomness in a part's content, only in its size). */
export function partBytes(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let index = 0; index < size; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[index] = state & 0xff;
  }
  return bytes;
}
