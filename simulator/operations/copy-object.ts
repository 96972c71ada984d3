// CopyObject: a PUT with `x-amz-copy-source` stores the source object's bytes under the destination key,
// never the request's body [s3-copyobject]. A source that is missing but matches a mirror rule of its
// bucket is mirrored first, as a GET of it would be (proposed: no vendor documents copies of a miss).

import { createHash } from 'node:crypto';
import { type NewObjectMeta, type ObjectMeta, storedHeadersFrom } from '../core/object-headers.ts';
import { S3Error } from '../errors/s3-error.ts';
import { xmlDocument } from '../protocol/xml.ts';
import type { ObjectWriter } from '../storage/object-store.ts';
import { requireBucket } from './buckets.ts';
import type { Context } from './context.ts';
import { type CopySource, parseCopySource, requireCopySourceConditions } from './copy-source.ts';
import { getObject } from './get-object.ts';

type Directive = 'COPY' | 'REPLACE';

export async function copyObject(
  context: Context,
  request: Request,
  bucket: string,
  key: string,
): Promise<Response> {
  await requireBucket(context, bucket);
  const source = parseCopySource(request.headers.get('x-amz-copy-source') ?? '');
  const directive = metadataDirective(request.headers.get('x-amz-metadata-directive'));
  if (source.bucket === bucket && source.key === key && directive !== 'REPLACE') {
    throw new S3Error(
      'InvalidRequest',
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      { bucket, key },
    );
  }
  await requireBucket(context, source.bucket);
  const replaced = directive === 'REPLACE' ? requestMeta(request.headers) : undefined;
  // A stored source's size is known before the copy begins, so a bounded store can refuse it at once.
  const sourceSize = (await context.store.head(source.bucket, source.key))?.size;
  const writer = await context.store.beginWrite(
    bucket,
    key,
    sourceSize === undefined ? {} : { expectedSize: sourceSize },
  );
  const stored = await copyInto(context, request.headers, source, writer, replaced).catch(async (error) => {
    await writer.abort();
    throw error;
  });
  if (stored === undefined)
    throw new S3Error('NoSuchBucket', `the bucket '${bucket}' was deleted`, { bucket });
  const body = xmlDocument('CopyObjectResult', [
    ['LastModified', stored.lastModified.toISOString()],
    ['ETag', stored.etag],
  ]);
  return new Response(body, { status: 200, headers: { 'content-type': 'application/xml' } });
}

/** Writes the source's bytes, after its conditions hold, and commits them with the chosen metadata. */
async function copyInto(
  context: Context,
  headers: Headers,
  source: CopySource,
  writer: ObjectWriter,
  replaced: NewObjectMeta | undefined,
): Promise<ObjectMeta | undefined> {
  const meta = await context.store.head(source.bucket, source.key);
  if (meta !== undefined) {
    requireCopySourceConditions(headers, meta);
    await drain(await context.store.read(source.bucket, source.key), writer);
    const { size: _size, etag: _etag, lastModified: _lastModified, ...kept } = meta;
    return writer.commit(replaced ?? kept);
  }
  const mirrored = await readMirrored(context, source);
  const hash = createHash('md5');
  await drain(mirrored.body, writer, (chunk) => hash.update(chunk));
  // The conditions judge the object as mirrored: its bytes' MD5, and when it was fetched.
  requireCopySourceConditions(headers, { etag: `"${hash.digest('hex')}"`, lastModified: mirrored.fetched });
  return writer.commit(replaced ?? mirrored.meta);
}

/**
 * The source read as a GET without conditions would read it: through the first matching mirror rule of
 * its bucket, stored on the way when the rule writes back. A redirect is no source to copy from.
 */
async function readMirrored(context: Context, source: CopySource) {
  const read = new Request('http://copy-source.invalid/');
  const answer = await getObject(context, read, source.bucket, source.key, '');
  if (answer.status !== 200 || answer.body === null) {
    await answer.body?.cancel();
    throw new S3Error('NoSuchKey', 'the copy source key does not exist', {
      bucket: source.bucket,
      key: source.key,
    });
  }
  const get = (name: string) => answer.headers.get(name);
  const lastModified = get('last-modified');
  const meta: NewObjectMeta = {
    ...storedHeadersFrom(get),
    userMetadata: userMetadataOf(answer.headers),
    acl: 'private',
  };
  return {
    body: answer.body,
    meta,
    fetched: lastModified === null ? new Date() : new Date(lastModified),
  };
}

async function drain(
  body: ReadableStream<Uint8Array> | undefined,
  writer: ObjectWriter,
  also: (chunk: Uint8Array) => void = () => undefined,
): Promise<void> {
  const reader = body?.getReader();
  if (reader === undefined) return;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      await writer.write(value);
      also(value);
    }
  } finally {
    reader.releaseLock();
  }
}

function metadataDirective(header: string | null): Directive {
  if (header === null || header === 'COPY') return 'COPY';
  if (header === 'REPLACE') return 'REPLACE';
  throw new S3Error('InvalidArgument', `Unknown metadata directive '${header}': use COPY or REPLACE`);
}

/** With REPLACE the copy takes the request's stored headers and metadata, as a PUT would. */
function requestMeta(headers: Headers): NewObjectMeta {
  return {
    ...storedHeadersFrom((name) => headers.get(name)),
    userMetadata: userMetadataOf(headers),
    acl: 'private',
  };
}

function userMetadataOf(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) {
    if (name.startsWith('x-amz-meta-')) out[name.slice('x-amz-meta-'.length)] = value;
  }
  return out;
}
