// Multipart upload: CreateMultipartUpload, UploadPart and AbortMultipartUpload here; Complete in
// complete-multipart.ts, the two listings in multipart-listing.ts
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html). Parts live in the part store
// until Complete; no object exists before it, and an aborted upload leaves nothing.

import { storedHeadersFrom } from '../core/object-headers.ts';
import { S3Error } from '../errors/s3-error.ts';
import { type ChecksumAlgorithm, checksumAlgorithmNamed, checksumHeader } from '../integrity/checksums.ts';
import { receiveUpload, storedContentEncoding } from '../integrity/receive-upload.ts';
import type { MultipartOperation } from '../protocol/multipart-request.ts';
import { xmlDocument } from '../protocol/xml.ts';
import { PartStoreFull, type Upload, type UploadChecksum } from '../storage/part-store.ts';
import { abortExpiredUploads } from './bucket-lifecycle.ts';
import { requireBucket } from './buckets.ts';
import { completeMultipartUpload, repeatedCompletion } from './complete-multipart.ts';
import type { Context } from './context.ts';
import { listMultipartUploads, listParts } from './multipart-listing.ts';
import { requestedObjectAcl } from './objects.ts';
import { uploadPartCopy } from './upload-part-copy.ts';

/**
 * The largest part S3 accepts: 5 GiB (https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html).
 * Parts and the objects they make are bounded by S3's limits and the part store's bound, not by the size
 * cap, which bounds what a mirror fetch stores and what one PUT body may be: a cap below 5 MiB (the
 * suite's own simulators run with 4 MiB) would otherwise forbid every multipart upload.
 */
const MAX_PART_SIZE = 5 * 1024 ** 3;

export async function routeMultipart(
  context: Context,
  request: Request,
  operation: MultipartOperation,
): Promise<Response> {
  await requireBucket(context, operation.bucket);
  abortExpiredUploads(context, operation.bucket);
  switch (operation.name) {
    case 'CreateMultipartUpload':
      return createMultipartUpload(context, request, operation.bucket, operation.key);
    case 'UploadPart':
      return uploadPart(context, request, operation);
    case 'CompleteMultipartUpload':
      return completeOnce(context, request, operation);
    case 'AbortMultipartUpload':
      context.parts.remove(requireUpload(context, operation));
      return new Response(null, { status: 204 });
    case 'ListParts':
      return listParts(requireUpload(context, operation), operation.query);
    case 'ListMultipartUploads':
      return listMultipartUploads(context, operation.bucket, operation.query);
  }
}

async function completeOnce(
  context: Context,
  request: Request,
  where: { bucket: string; key: string; uploadId: string },
): Promise<Response> {
  const upload = context.parts.get(where.bucket, where.key, where.uploadId);
  if (upload !== undefined) return completeMultipartUpload(context, request, upload);
  return (
    (await repeatedCompletion(context, request, where)) ??
    completeMultipartUpload(context, request, requireUpload(context, where))
  );
}

/** The upload an uploadId names on this bucket and key, or 404 NoSuchUpload. */
function requireUpload(context: Context, where: { bucket: string; key: string; uploadId: string }): Upload {
  const upload = context.parts.get(where.bucket, where.key, where.uploadId);
  if (upload === undefined) {
    throw new S3Error(
      'NoSuchUpload',
      'the specified multipart upload does not exist: the upload ID may be invalid, or the upload may have been aborted or completed',
      { bucket: where.bucket, key: where.key },
    );
  }
  return upload;
}

function createMultipartUpload(context: Context, request: Request, bucket: string, key: string): Response {
  const checksum = uploadChecksum(request.headers);
  const get = (name: string) =>
    name === 'content-encoding'
      ? storedContentEncoding(request.headers.get(name))
      : request.headers.get(name);
  const userMetadata: Record<string, string> = {};
  for (const [name, value] of request.headers) {
    if (name.startsWith('x-amz-meta-')) userMetadata[name.slice('x-amz-meta-'.length)] = value;
  }
  const upload = context.parts.create(
    bucket,
    key,
    { ...storedHeadersFrom(get), userMetadata, acl: requestedObjectAcl(request.headers) },
    checksum,
    // Each key pair is a user, its access key id its canonical id (core/users.ts).
    context.settings.credentials?.accessKeyId,
  );
  const headers: Record<string, string> = { 'content-type': 'application/xml' };
  if (checksum) {
    headers['x-amz-checksum-algorithm'] = checksum.algorithm;
    headers['x-amz-checksum-type'] = checksum.type;
  }
  const body = xmlDocument('InitiateMultipartUploadResult', [
    ['Bucket', bucket],
    ['Key', key],
    ['UploadId', upload.uploadId],
  ]);
  return new Response(body, { status: 200, headers });
}

/**
 * The checksum an upload is created with: x-amz-checksum-algorithm, and x-amz-checksum-type (COMPOSITE,
 * the default, or FULL_OBJECT; CRC64NVME is full-object only, SHA-1 and SHA-256 composite only), as in
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html.
 */
function uploadChecksum(headers: Headers): UploadChecksum | undefined {
  const named = headers.get('x-amz-checksum-algorithm');
  const type = headers.get('x-amz-checksum-type')?.toUpperCase();
  if (named === null) {
    if (type !== undefined)
      throw new S3Error('InvalidRequest', 'x-amz-checksum-type needs x-amz-checksum-algorithm');
    return undefined;
  }
  const algorithm = checksumAlgorithmNamed(named);
  if (algorithm === undefined) {
    throw new S3Error(
      'InvalidRequest',
      `'${named}' is not a checksum algorithm: CRC32, CRC32C, CRC64NVME, SHA1 or SHA256`,
    );
  }
  if (type !== undefined && type !== 'COMPOSITE' && type !== 'FULL_OBJECT') {
    throw new S3Error(
      'InvalidRequest',
      `x-amz-checksum-type must be COMPOSITE or FULL_OBJECT, got '${type}'`,
    );
  }
  const resolved = type ?? (algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE');
  const allowed = algorithm.startsWith('SHA')
    ? 'COMPOSITE'
    : algorithm === 'CRC64NVME'
      ? 'FULL_OBJECT'
      : resolved;
  if (resolved !== allowed) {
    throw new S3Error('InvalidRequest', `the ${resolved} checksum type is not supported for ${algorithm}`);
  }
  return { algorithm, type: resolved };
}

async function uploadPart(
  context: Context,
  request: Request,
  operation: Extract<MultipartOperation, { name: 'UploadPart' }>,
): Promise<Response> {
  const upload = requireUpload(context, operation);
  if (request.headers.has('x-amz-copy-source'))
    return uploadPartCopy(context, request, upload, operation.partNumber);
  const algorithm = upload.checksum?.algorithm as ChecksumAlgorithm | undefined;
  const writer = context.parts.beginPart(upload, operation.partNumber);
  let received: Awaited<ReturnType<typeof receiveUpload>>;
  try {
    received = await receiveUpload(request, writer, {
      maxSize: MAX_PART_SIZE,
      ...(context.settings.credentials ? { credentials: context.settings.credentials } : {}),
      ...(algorithm ? { algorithm } : {}),
    });
    if (algorithm !== undefined && received.checksum?.algorithm !== algorithm) {
      throw new S3Error(
        'InvalidRequest',
        `checksum type mismatch: the upload was created with ${algorithm}, the part was sent with ${received.checksum?.algorithm}`,
      );
    }
  } catch (error) {
    writer.abort();
    if (error instanceof PartStoreFull)
      throw new S3Error('EntityTooLarge', error.message, { bucket: upload.bucket, key: upload.key });
    throw error;
  }
  const stored = writer.commit({
    md5: received.md5,
    ...(received.checksum ? { checksum: received.checksum.value } : {}),
  });
  if (stored === undefined) {
    throw new S3Error('NoSuchUpload', 'the upload was completed or aborted while the part arrived', {
      bucket: operation.bucket,
      key: operation.key,
    });
  }
  const headers: Record<string, string> = { etag: `"${received.md5.toString('hex')}"` };
  if (received.checksum) headers[checksumHeader(received.checksum.algorithm)] = received.checksum.value;
  return new Response(null, { status: 200, headers });
}
