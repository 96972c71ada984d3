import {
  type ObjectMeta,
  objectResponseHeaders,
  parseRange,
  storedHeadersFrom,
} from '../core/object-headers.ts';
import { S3Error } from '../errors/s3-error.ts';
import { requireBucket } from './buckets.ts';
import type { Context } from './context.ts';

export async function putObject(
  context: Context,
  request: Request,
  bucket: string,
  key: string,
): Promise<Response> {
  requireBucket(context, bucket);
  const encoding = request.headers.get('content-encoding') ?? '';
  const payload = request.headers.get('x-amz-content-sha256') ?? '';
  if (encoding.includes('aws-chunked') || payload.startsWith('STREAMING-')) {
    throw new S3Error(
      'NotImplemented',
      "aws-chunked uploads are not implemented; configure the client with requestChecksumCalculation: 'WHEN_REQUIRED'",
      { bucket, key },
    );
  }
  const writer = context.store.beginWrite(bucket, key);
  const reader = request.body?.getReader();
  try {
    for (;;) {
      if (reader === undefined) break;
      const { done, value } = await reader.read();
      if (done) break;
      if (writer.size + value.byteLength > context.settings.maxObjectSize) {
        throw new S3Error(
          'EntityTooLarge',
          `objects may be at most ${context.settings.maxObjectSize} bytes`,
          {
            bucket,
            key,
          },
        );
      }
      writer.write(value);
    }
  } catch (error) {
    writer.abort();
    await reader?.cancel().catch(() => undefined);
    throw error;
  }
  const userMetadata: Record<string, string> = {};
  for (const [name, value] of request.headers) {
    if (name.startsWith('x-amz-meta-')) userMetadata[name.slice('x-amz-meta-'.length)] = value;
  }
  // A later PUT may land while this body is still arriving; whichever commits last wins, as in S3.
  const stored = writer.commit(
    { ...storedHeadersFrom((name) => request.headers.get(name)), userMetadata, acl: 'private' },
    {},
  );
  if (stored === undefined)
    throw new S3Error('NoSuchBucket', `the bucket '${bucket}' was deleted`, { bucket });
  return new Response(null, { status: 200, headers: { etag: stored.etag } });
}

export function deleteObject(context: Context, bucket: string, key: string): Response {
  requireBucket(context, bucket);
  context.store.deleteObject(bucket, key);
  return new Response(null, { status: 204 });
}

/** A GET answered from the bucket, whole or one byte range (RFC 9110 section 14). */
export function serveStored(
  context: Context,
  request: Request,
  bucket: string,
  key: string,
  meta: ObjectMeta,
) {
  const headers = objectResponseHeaders(meta);
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
  if (range === undefined)
    return new Response(context.store.read(bucket, key) ?? null, { status: 200, headers });
  headers['content-length'] = String(range.end - range.start + 1);
  headers['content-range'] = `bytes ${range.start}-${range.end}/${meta.size}`;
  return new Response(context.store.read(bucket, key, range) ?? null, { status: 206, headers });
}
