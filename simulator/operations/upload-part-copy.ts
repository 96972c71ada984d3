// UploadPartCopy: an UploadPart with `x-amz-copy-source` makes the part from a stored object's bytes, all
// of them or the `x-amz-copy-source-range` it names, never from the request's body [s3-uploadpartcopy].
// The `x-amz-copy-source-if-*` conditions judge the source as CopyObject's do (copy-source.ts). The source
// must be stored: a copy of a mirror miss is served by CopyObject alone.

import { createHash } from 'node:crypto';
import type { ObjectMeta } from '../core/object-headers.ts';
import { S3Error } from '../errors/s3-error.ts';
import { type ChecksumAlgorithm, checksumHeader, newDigest } from '../integrity/checksums.ts';
import { xmlDocument } from '../protocol/xml.ts';
import { PartStoreFull, type Upload } from '../storage/part-store.ts';
import { requireBucket } from './buckets.ts';
import type { Context } from './context.ts';
import { parseCopySource, requireCopySourceConditions } from './copy-source.ts';

/** Bytes `start` to `end` of the source, both inclusive. */
interface ByteRange {
  start: number;
  end: number;
}

/** The largest part S3 accepts, copied or sent: 5 GiB (https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html). */
const MAX_PART_SIZE = 5 * 1024 ** 3;

export async function uploadPartCopy(
  context: Context,
  request: Request,
  upload: Upload,
  partNumber: number,
): Promise<Response> {
  const source = parseCopySource(request.headers.get('x-amz-copy-source') ?? '');
  await requireBucket(context, source.bucket);
  const meta = await context.store.head(source.bucket, source.key);
  if (meta === undefined) {
    throw new S3Error('NoSuchKey', 'the copy source key does not exist', {
      bucket: source.bucket,
      key: source.key,
    });
  }
  requireCopySourceConditions(request.headers, meta);
  const range = copySourceRange(request.headers.get('x-amz-copy-source-range'), meta);
  if (range !== undefined && range.end - range.start + 1 > MAX_PART_SIZE) {
    throw new S3Error('EntityTooLarge', `a part may hold at most ${MAX_PART_SIZE} bytes`);
  }
  const algorithm = upload.checksum?.algorithm as ChecksumAlgorithm | undefined;
  const md5 = createHash('md5');
  const digest = algorithm === undefined ? undefined : newDigest(algorithm);
  const writer = context.parts.beginPart(upload, partNumber);
  try {
    await drain(await context.store.read(source.bucket, source.key, range), (chunk) => {
      writer.write(chunk);
      md5.update(chunk);
      digest?.update(chunk);
    });
  } catch (error) {
    writer.abort();
    if (error instanceof PartStoreFull)
      throw new S3Error('EntityTooLarge', error.message, { bucket: upload.bucket, key: upload.key });
    throw error;
  }
  const hash = md5.digest();
  const checksum = digest?.digest().toString('base64');
  const stored = writer.commit({ md5: hash, ...(checksum === undefined ? {} : { checksum }) });
  if (stored === undefined) {
    throw new S3Error('NoSuchUpload', 'the upload was completed or aborted while the part was copied', {
      bucket: upload.bucket,
      key: upload.key,
    });
  }
  const headers: Record<string, string> = { 'content-type': 'application/xml' };
  if (algorithm !== undefined && checksum !== undefined) headers[checksumHeader(algorithm)] = checksum;
  const body = xmlDocument('CopyPartResult', [
    ['LastModified', stored.lastModified.toISOString()],
    ['ETag', `"${hash.toString('hex')}"`],
  ]);
  return new Response(body, { status: 200, headers });
}

/**
 * The range `x-amz-copy-source-range` names: `bytes=first-last`, both given, first ≤ last, as
 * [s3-uploadpartcopy] spells it. Any other spelling is 400 InvalidArgument; a range that reaches past the
 * end of the source is InvalidRange, the code RGW answers and ceph/s3-tests expects. Absent: the whole
 * source.
 */
function copySourceRange(header: string | null, source: Pick<ObjectMeta, 'size'>) {
  if (header === null) return undefined;
  const match = /^bytes=(\d+)-(\d+)$/.exec(header.trim());
  const start = Number(match?.[1]);
  const end = Number(match?.[2]);
  if (match === null || end < start) {
    throw new S3Error(
      'InvalidArgument',
      `x-amz-copy-source-range must be bytes=first-last with first <= last, got '${header}'`,
    );
  }
  if (end >= source.size) {
    throw new S3Error(
      'InvalidRange',
      `the copy source range ${start}-${end} is not within the source object's ${source.size} bytes`,
    );
  }
  return { start, end } satisfies ByteRange;
}

async function drain(body: ReadableStream<Uint8Array> | undefined, take: (chunk: Uint8Array) => void) {
  const reader = body?.getReader();
  if (reader === undefined) return;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      take(value);
    }
  } finally {
    reader.releaseLock();
  }
}
