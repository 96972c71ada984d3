import type { Profile } from '../../spec/profiles.ts';
import { S3Error } from '../errors/s3-error.ts';
import type { NewObjectMeta, ObjectHeaders, ObjectMeta } from '../storage/object-store.ts';
import { requireBucket } from './buckets.ts';
import type { Context } from './context.ts';

/** Headers an object keeps from the request that wrote it (a PUT, or an origin's answer). */
export const STORED_HEADERS: [keyof ObjectHeaders, string][] = [
  ['contentType', 'content-type'],
  ['contentEncoding', 'content-encoding'],
  ['contentDisposition', 'content-disposition'],
  ['cacheControl', 'cache-control'],
  ['expires', 'expires'],
];

export function storedHeadersFrom(get: (name: string) => string | null | undefined): ObjectHeaders {
  const out: ObjectHeaders = {};
  for (const [field, name] of STORED_HEADERS) {
    const value = get(name);
    if (value !== null && value !== undefined) out[field] = value;
  }
  return out;
}

/**
 * What an object keeps of an origin's answer, as the profile says: exactly the listed headers [jd-guide],
 * and every header under a listed metadata prefix, by its own name (COS x-cos-meta-* [cos-guide-zh]).
 */
export function keptOriginHeaders(
  headers: Record<string, string>,
  switches: Pick<Profile['switches'], 'storedHeaders' | 'storedMetaPrefixes'>,
): Pick<NewObjectMeta, keyof ObjectHeaders | 'originHeaders'> {
  const listed = new Set(switches.storedHeaders.map((name) => name.toLowerCase()));
  const prefixes = switches.storedMetaPrefixes.map((prefix) => prefix.toLowerCase());
  const kept: Pick<NewObjectMeta, keyof ObjectHeaders | 'originHeaders'> = {};
  const others: Record<string, string> = {};
  const fields = new Map(STORED_HEADERS.map(([field, name]) => [name, field]));
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    const field = fields.get(name);
    if (listed.has(name) && field !== undefined) kept[field] = value;
    else if (listed.has(name) || prefixes.some((prefix) => name.startsWith(prefix))) others[name] = value;
  }
  if (Object.keys(others).length > 0) kept.originHeaders = others;
  return kept;
}

export function objectResponseHeaders(meta: ObjectMeta): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': meta.contentType ?? 'application/octet-stream',
    'content-length': String(meta.size),
    etag: meta.etag,
    'last-modified': meta.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
  };
  for (const [field, name] of STORED_HEADERS) {
    const value = meta[field];
    if (value !== undefined && name !== 'content-type') headers[name] = value;
  }
  for (const [name, value] of Object.entries(meta.userMetadata)) headers[`x-amz-meta-${name}`] = value;
  // Never over the headers computed above: the size, ETag and date are the stored object's own.
  for (const [name, value] of Object.entries(meta.originHeaders ?? {})) headers[name] ??= value;
  return headers;
}

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

/** One byte range, or undefined to serve the whole object (a header we cannot use is ignored, per RFC). */
export function parseRange(
  header: string | null,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (header === null) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    return size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}
