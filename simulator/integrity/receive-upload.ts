// Reads the body of a PutObject or UploadPart into a writer, checking it on the way: aws-chunked bodies
// decoded (signed chunks verified when the simulator has credentials), the size cap, Content-MD5, and one
// `x-amz-checksum-*` value from a header or the trailer. Nothing is committed here: a body that fails a
// check is refused by the caller aborting its writer, so it changes nothing.

import { S3Error } from '../errors/s3-error.ts';
import { type ChunkSignatureChain, chunkSignatureChain } from '../protocol/auth/chunk-signature.ts';
import type { Credentials } from '../protocol/auth/signature-text.ts';
import { decodeAwsChunked } from './aws-chunked.ts';
import {
  CHECKSUM_ALGORITHMS,
  type ChecksumAlgorithm,
  checksumAlgorithmNamed,
  checksumHeader,
  digestLength,
  newDigest,
} from './checksums.ts';

/** The payload hashes that mean an aws-chunked body (sigv4-streaming.html). */
const STREAMING_PAYLOADS: Record<string, { signed: boolean }> = {
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD': { signed: true },
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER': { signed: true },
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER': { signed: false },
};

interface UploadSink {
  /** A store's writer resolves once it took the chunk, or rejects (StoreFull) to stop the body. */
  write(chunk: Uint8Array): void | Promise<void>;
}

export interface ReceivedUpload {
  size: number;
  /** The MD5 of the decoded bytes: the object's or part's ETag. */
  md5: Buffer;
  /** The checksum sent or asked for (x-amz-sdk-checksum-algorithm), base64, checked against the bytes. */
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
}

interface UploadLimits {
  maxSize: number;
  /** Present when the simulator checks signatures: streamed chunk signatures are then verified. */
  credentials?: Credentials;
  /** The algorithm the upload was created with (multipart): its checksum is computed even if not sent. */
  algorithm?: ChecksumAlgorithm;
}

/** Reads the whole body into `sink`; throws an S3Error (the caller aborts its writer) on any failed check. */
export async function receiveUpload(
  request: Request,
  sink: UploadSink,
  limits: UploadLimits,
): Promise<ReceivedUpload> {
  const headers = request.headers;
  const wantedMd5 = contentMd5(headers.get('content-md5'));
  const sent = sentChecksum(headers);
  const algorithm = sent?.algorithm ?? limits.algorithm ?? sdkAlgorithm(headers);
  const md5 = newDigest('MD5');
  const checksum = algorithm === undefined ? undefined : newDigest(algorithm);
  const trailers = new Map<string, string>();
  let size = 0;
  for await (const chunk of payloadOf(request, trailers, limits.credentials)) {
    size += chunk.byteLength;
    if (size > limits.maxSize) {
      throw new S3Error('EntityTooLarge', `the body is larger than the ${limits.maxSize} bytes allowed`);
    }
    md5.update(chunk);
    checksum?.update(chunk);
    await sink.write(chunk);
  }
  checkDecodedLength(headers, size);
  const md5Digest = md5.digest();
  if (wantedMd5 !== undefined && !wantedMd5.equals(md5Digest)) {
    throw new S3Error('BadDigest', 'the Content-MD5 you specified did not match what the simulator received');
  }
  if (algorithm === undefined || checksum === undefined) return { size, md5: md5Digest };
  const value = checksum.digest().toString('base64');
  const expected = sent?.value ?? trailerChecksum(headers, trailers, algorithm);
  if (expected !== undefined && expected !== value) {
    throw new S3Error('BadDigest', `the ${algorithm} you specified did not match the calculated checksum`);
  }
  return { size, md5: md5Digest, checksum: { algorithm, value } };
}

/** The decoded bytes of the request: the body itself, or its aws-chunked payload. */
function payloadOf(
  request: Request,
  trailers: Map<string, string>,
  credentials: Credentials | undefined,
): AsyncIterable<Uint8Array> {
  const body = chunksOf(request.body);
  const hash = request.headers.get('x-amz-content-sha256') ?? '';
  const streaming = STREAMING_PAYLOADS[hash];
  if (streaming === undefined) {
    if (hash.startsWith('STREAMING-')) {
      throw new S3Error('NotImplemented', `the streaming payload ${hash} is not implemented`);
    }
    return body;
  }
  const chain: ChunkSignatureChain | undefined =
    streaming.signed && credentials ? chunkSignatureChain(request.headers, credentials) : undefined;
  return decodeAwsChunked(body, { signed: streaming.signed, trailers, ...(chain ? { chain } : {}) });
}

/** A body's chunks; the reader is released (not cancelled) if reading stops early, so an error can still be sent. */
async function* chunksOf(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  const reader = body?.getReader();
  if (reader === undefined) return;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** The Content-MD5 header's 16 bytes, or undefined; InvalidDigest when it is not base64 of 16 bytes. */
function contentMd5(header: string | null): Buffer | undefined {
  if (header === null) return undefined;
  const bytes = strictBase64(header.trim());
  if (bytes?.byteLength !== 16) {
    throw new S3Error('InvalidDigest', 'the Content-MD5 you specified is not the base64 of 16 bytes');
  }
  return bytes;
}

/** The one `x-amz-checksum-<algorithm>` header sent, checked for shape. */
function sentChecksum(headers: Headers): { algorithm: ChecksumAlgorithm; value: string } | undefined {
  const found = CHECKSUM_ALGORITHMS.filter((algorithm) => headers.has(checksumHeader(algorithm)));
  if (found.length > 1) {
    throw new S3Error(
      'InvalidRequest',
      'expecting a single x-amz-checksum- header; multiple checksum types are not allowed',
    );
  }
  const algorithm = found[0];
  if (algorithm === undefined) return undefined;
  const value = (headers.get(checksumHeader(algorithm)) ?? '').trim();
  checkChecksumShape(algorithm, value, `header ${checksumHeader(algorithm)}`);
  return { algorithm, value };
}

function checkChecksumShape(algorithm: ChecksumAlgorithm, value: string, where: string): void {
  if (strictBase64(value)?.byteLength !== digestLength(algorithm)) {
    throw new S3Error('InvalidRequest', `value for ${where} is invalid: not the base64 of a ${algorithm}`);
  }
}

/** The algorithm named by x-amz-sdk-checksum-algorithm or by the x-amz-trailer header. */
function sdkAlgorithm(headers: Headers): ChecksumAlgorithm | undefined {
  const trailer = headers.get('x-amz-trailer');
  const named = headers.get('x-amz-sdk-checksum-algorithm') ?? trailer;
  if (named === null) return undefined;
  const algorithm = checksumAlgorithmNamed(named.trim());
  if (algorithm === undefined) {
    throw new S3Error(
      'InvalidRequest',
      `'${named}' names no checksum algorithm of ${CHECKSUM_ALGORITHMS.join(', ')}`,
    );
  }
  return algorithm;
}

function trailerChecksum(
  headers: Headers,
  trailers: Map<string, string>,
  algorithm: ChecksumAlgorithm,
): string | undefined {
  const declared = headers.get('x-amz-trailer')?.trim().toLowerCase();
  if (declared === undefined) return undefined;
  const value = trailers.get(declared);
  if (value === undefined) {
    throw new S3Error('InvalidRequest', `the trailer ${declared} declared in x-amz-trailer was not sent`);
  }
  checkChecksumShape(algorithm, value, `trailer ${declared}`);
  return value;
}

function checkDecodedLength(headers: Headers, size: number): void {
  const declared = headers.get('x-amz-decoded-content-length');
  if (declared === null) return;
  if (!/^\d+$/.test(declared.trim()) || Number(declared) !== size) {
    throw new S3Error(
      'IncompleteBody',
      `x-amz-decoded-content-length says ${declared} bytes, the decoded body has ${size}`,
    );
  }
}

/** Base64 with nothing but its alphabet and padding, or undefined. */
function strictBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  return Buffer.from(text, 'base64');
}

/** The Content-Encoding an object keeps: aws-chunked is the transfer's, not the object's (S3 drops it). */
export function storedContentEncoding(header: string | null): string | undefined {
  if (header === null) return undefined;
  const kept = header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '' && part.toLowerCase() !== 'aws-chunked');
  return kept.length === 0 ? undefined : kept.join(', ');
}
