import { S3Error } from '../errors/s3-error.ts';
import { type XmlChild, xmlDocument } from '../protocol/xml.ts';
import type { BucketAcl } from '../storage/object-store.ts';
import type { Context } from './context.ts';

const xmlHeaders = { 'content-type': 'application/xml' };

export function requireBucket(context: Context, bucket: string): void {
  if (!context.store.hasBucket(bucket)) {
    throw new S3Error('NoSuchBucket', `the bucket '${bucket}' does not exist`, { bucket });
  }
}

/** The buckets `listed` keeps (the caller's own, when the simulator has several users), or all. */
export function listBuckets(context: Context, listed?: (bucket: string) => boolean): Response {
  const all = context.store.listBuckets();
  const buckets: XmlChild[] = (listed ? all.filter(({ name }) => listed(name)) : all).map(
    ({ name, created }) => [
      'Bucket',
      [
        ['Name', name],
        ['CreationDate', created.toISOString()],
      ],
    ],
  );
  const body = xmlDocument('ListAllMyBucketsResult', [
    [
      'Owner',
      [
        ['ID', 'mirrorspec'],
        ['DisplayName', 'mirrorspec'],
      ],
    ],
    ['Buckets', buckets],
  ]);
  return new Response(body, { headers: xmlHeaders });
}

export function createBucket(context: Context, request: Request, bucket: string): Response {
  const acl = cannedAcl(request.headers.get('x-amz-acl'), bucket);
  if (!context.store.createBucket(bucket)) {
    throw new S3Error('BucketAlreadyOwnedByYou', `the bucket '${bucket}' already exists and is yours`, {
      bucket,
    });
  }
  context.store.setBucketAcl(bucket, acl);
  return new Response(null, { status: 200, headers: { location: `/${bucket}` } });
}

/** The ACL an `x-amz-acl` header asks for, checked before the bucket exists so a refusal creates nothing. */
function cannedAcl(header: string | null, bucket: string): BucketAcl {
  const value = header?.trim().toLowerCase() ?? 'private';
  if (value === 'private' || value === 'public-read') return value;
  // Canned ACLs S3 knows: a clear 501 rather than a bucket other than the one asked for.
  if (value === 'public-read-write' || value === 'authenticated-read') {
    const message = `the canned ACL '${value}' is not implemented: use private or public-read`;
    throw new S3Error('NotImplemented', message, { bucket });
  }
  const message = `x-amz-acl must be private or public-read, got '${header}'`;
  throw new S3Error('InvalidArgument', message, { bucket });
}

export function headBucket(context: Context, bucket: string): Response {
  requireBucket(context, bucket);
  return new Response(null, { status: 200 });
}

export function deleteBucket(context: Context, bucket: string): Response {
  const result = context.store.deleteBucket(bucket);
  if (result === 'not-found') requireBucket(context, bucket);
  if (result === 'not-empty') {
    throw new S3Error('BucketNotEmpty', `the bucket '${bucket}' still holds objects; delete them first`, {
      bucket,
    });
  }
  return new Response(null, { status: 204 });
}

export function listObjectsV2(context: Context, bucket: string, query: URLSearchParams): Response {
  requireBucket(context, bucket);
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const maxKeys = parseMaxKeys(query.get('max-keys'));
  const urlEncoded = query.get('encoding-type') === 'url';
  const token = query.get('continuation-token');
  const resume =
    token !== null ? decodeToken(token) : { after: query.get('start-after') ?? '', skipPrefix: '' };
  const startAfter = resume.after;

  const contents: XmlChild[] = [];
  const prefixes: string[] = [];
  let cursor = startAfter;
  let truncated = false;
  let next = { after: '', skipPrefix: '' };
  // Reads in pages, so a long run of keys under one common prefix costs one entry, not a page each.
  while (contents.length + prefixes.length < maxKeys) {
    const page = context.store.list(bucket, { prefix, startAfter: cursor, limit: 1000 });
    if (page.length === 0) break;
    for (const { key, meta } of page) {
      cursor = key;
      // A page that ended on a common prefix resumes after every key under it.
      if (resume.skipPrefix !== '' && key.startsWith(resume.skipPrefix)) continue;
      const rest = key.slice(prefix.length);
      const cut = delimiter === '' ? -1 : rest.indexOf(delimiter);
      if (cut !== -1) {
        const common = key.slice(0, prefix.length + cut + delimiter.length);
        if (prefixes.at(-1) === common) continue;
        if (contents.length + prefixes.length === maxKeys) {
          truncated = true;
          break;
        }
        prefixes.push(common);
        next = { after: key, skipPrefix: common };
        continue;
      }
      if (contents.length + prefixes.length === maxKeys) {
        truncated = true;
        break;
      }
      contents.push([
        'Contents',
        [
          ['Key', encode(key, urlEncoded)],
          ['LastModified', meta.lastModified.toISOString()],
          ['ETag', meta.etag],
          ['Size', meta.size],
          ['StorageClass', 'STANDARD'],
        ],
      ]);
      next = { after: key, skipPrefix: '' };
    }
    if (truncated) break;
  }
  if (!truncated && contents.length + prefixes.length === maxKeys) {
    truncated = context.store.list(bucket, { prefix, startAfter: cursor, limit: 1 }).length > 0;
  }
  const body = xmlDocument('ListBucketResult', [
    ['Name', bucket],
    ['Prefix', encode(prefix, urlEncoded)],
    ['Delimiter', delimiter === '' ? undefined : encode(delimiter, urlEncoded)],
    ['MaxKeys', maxKeys],
    ['KeyCount', contents.length + prefixes.length],
    ['IsTruncated', truncated],
    ['EncodingType', urlEncoded ? 'url' : undefined],
    ['ContinuationToken', token ?? undefined],
    ['NextContinuationToken', truncated ? encodeToken(next) : undefined],
    ['StartAfter', query.get('start-after') ?? undefined],
    ...contents,
    ...prefixes.map((common): XmlChild => ['CommonPrefixes', [['Prefix', encode(common, urlEncoded)]]]),
  ]);
  return new Response(body, { headers: xmlHeaders });
}

function parseMaxKeys(raw: string | null): number {
  if (raw === null) return 1000;
  if (!/^\d+$/.test(raw))
    throw new S3Error('InvalidArgument', `max-keys must be a whole number, got '${raw}'`);
  return Math.min(Number(raw), 1000);
}

function encode(text: string, urlEncoded: boolean): string {
  return urlEncoded ? encodeURIComponent(text) : text;
}

interface Resume {
  after: string;
  skipPrefix: string;
}

function encodeToken(resume: Resume): string {
  return Buffer.from(JSON.stringify([resume.after, resume.skipPrefix]), 'utf8').toString('base64url');
}

function decodeToken(token: string): Resume {
  try {
    const [after, skipPrefix] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown[];
    if (typeof after === 'string' && typeof skipPrefix === 'string') return { after, skipPrefix };
  } catch {
    // Falls through to the error below.
  }
  throw new S3Error('InvalidArgument', 'the continuation-token is not one this simulator gave out');
}
