import {
  type ObjectMeta,
  objectResponseHeaders,
  parseRange,
  storedHeadersFrom,
} from '../core/object-headers.ts';
import { S3Error } from '../errors/s3-error.ts';
import { checksumHeaders, requestedChecksumHeaders } from '../integrity/checksum-headers.ts';
import {
  declaredSize,
  type ReceivedUpload,
  receiveUpload,
  storedContentEncoding,
} from '../integrity/receive-upload.ts';
import { chunksResponse } from '../server/direct-body.ts';
import { requireBucket } from './buckets.ts';
import { checkedBeforeBody, checkWriteCondition, conditionalConflict } from './conditional-write.ts';
import type { Context } from './context.ts';

/**
 * The ACL a write asks for with x-amz-acl: private (the default) or public-read, the two honoured
 * (protocol/honoured.ts refuses any other before the operation runs).
 */
export function requestedObjectAcl(headers: Headers): 'private' | 'public-read' {
  return headers.get('x-amz-acl') === 'public-read' ? 'public-read' : 'private';
}

export async function putObject(
  context: Context,
  request: Request,
  bucket: string,
  key: string,
): Promise<Response> {
  await requireBucket(context, bucket);
  const condition = await checkedBeforeBody(request, () =>
    checkWriteCondition(context, request, bucket, key),
  );
  const expected = declaredSize(request.headers);
  const writer = await checkedBeforeBody(request, () =>
    context.store.beginWrite(bucket, key, expected === undefined ? {} : { expectedSize: expected }),
  );
  let received: ReceivedUpload;
  try {
    received = await receiveUpload(request, writer, {
      maxSize: context.settings.maxObjectSize,
      ...(context.settings.credentials ? { credentials: context.settings.credentials } : {}),
    });
  } catch (error) {
    await writer.abort();
    await request.body?.cancel().catch(() => undefined);
    if (error instanceof S3Error && error.fields.bucket === undefined) {
      throw new S3Error(error.code, error.message, { bucket, key });
    }
    throw error;
  }
  const userMetadata: Record<string, string> = {};
  for (const [name, value] of request.headers) {
    if (name.startsWith('x-amz-meta-')) userMetadata[name.slice('x-amz-meta-'.length)] = value;
  }
  const get = (name: string) =>
    name === 'content-encoding'
      ? storedContentEncoding(request.headers.get(name))
      : request.headers.get(name);
  const checksum = received.checksum && { ...received.checksum, type: 'FULL_OBJECT' as const };
  // A later PUT may land while this body is still arriving; whichever commits last wins, as in S3.
  const stored = await writer.commit(
    {
      ...storedHeadersFrom(get),
      userMetadata,
      acl: requestedObjectAcl(request.headers),
      ...(checksum ? { checksum } : {}),
    },
    condition,
  );
  if (stored === undefined && condition.ifGeneration !== undefined && (await context.store.hasBucket(bucket)))
    throw conditionalConflict(bucket, key);
  if (stored === undefined)
    throw new S3Error('NoSuchBucket', `the bucket '${bucket}' was deleted`, { bucket });
  return new Response(null, { status: 200, headers: { etag: stored.etag, ...checksumHeaders(stored) } });
}

export async function deleteObject(context: Context, bucket: string, key: string): Promise<Response> {
  await requireBucket(context, bucket);
  await context.store.deleteObject(bucket, key);
  return new Response(null, { status: 204 });
}

/**
 * The answer's headers for `meta`, worked out once per metadata object: a store in memory hands out the
 * same one for every read of an object, so a hit does not print its date and walk its fields each time.
 * A copy, as the caller adds to it.
 */
const headersOf = new WeakMap<ObjectMeta, Record<string, string>>();
function responseHeadersOf(meta: ObjectMeta): Record<string, string> {
  let headers = headersOf.get(meta);
  if (headers === undefined) {
    headers = objectResponseHeaders(meta);
    headersOf.set(meta, headers);
  }
  return { ...headers };
}

/** The chunks of the object `meta` describes, as a store in memory hands them out with it (Lookup). */
type HeldChunks = (range?: { start: number; end: number }) => readonly Uint8Array[];

/**
 * A GET answered from the bucket, whole or one byte range (RFC 9110 section 14); from `chunks` when the
 * store handed them out with the metadata, so the answer's bytes are of the same version as its headers.
 */
export async function serveStored(
  context: Context,
  request: Request,
  bucket: string,
  key: string,
  meta: ObjectMeta,
  chunks?: HeldChunks,
): Promise<Response> {
  const headers = responseHeadersOf(meta);
  const range = parseRange(request.headers.get('range'), meta.size);
  if (range === 'unsatisfiable') {
    throw new S3Error(
      'InvalidRange',
      `the requested range does not overlap the object's ${meta.size} bytes`,
      {
        bucket,
        key,
      },
    );
  }
  // A range is not the checksummed whole, so its answer carries no checksum.
  if (range === undefined) {
    Object.assign(headers, requestedChecksumHeaders(request, meta));
    if (chunks) return chunksResponse(chunks(), { status: 200, headers });
    return readOrGone(context, bucket, key, undefined, { status: 200, headers });
  }
  headers['content-length'] = String(range.end - range.start + 1);
  headers['content-range'] = `bytes ${range.start}-${range.end}/${meta.size}`;
  if (chunks) return chunksResponse(chunks(range), { status: 206, headers });
  return readOrGone(context, bucket, key, range, { status: 206, headers });
}

/** The object's bytes; a DELETE may land between the head and the read, and then the key is gone. */
async function readOrGone(
  context: Context,
  bucket: string,
  key: string,
  range: { start: number; end: number } | undefined,
  init: ResponseInit,
): Promise<Response> {
  const gone = () => new S3Error('NoSuchKey', 'the key does not exist', { bucket, key });
  // A store holding the chunks in memory hands them over, and the adapter writes them without a stream.
  if (context.store.readChunks) {
    const chunks = await context.store.readChunks(bucket, key, range);
    if (chunks === undefined) throw gone();
    return chunksResponse(chunks, init);
  }
  const body = await context.store.read(bucket, key, range);
  if (body === undefined) throw gone();
  return new Response(body, init);
}
