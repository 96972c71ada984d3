// ListObjects (version 1) and ListObjectsV2: one walk over the bucket's keys, spelled two ways
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html,
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html). Both resume after a cursor, a
// key or a common prefix: version 1 takes it as `marker` from the client, version 2 hides it in an
// opaque continuation token. A common prefix at or before the cursor was listed already, so the keys
// rolled up under it are skipped.

import { S3Error } from '../errors/s3-error.ts';
import { type XmlChild, xmlDocument } from '../protocol/xml.ts';
import type { ListedObject } from '../storage/object-store.ts';
import { requireBucket } from './buckets.ts';
import type { Context } from './context.ts';

const xmlHeaders = { 'content-type': 'application/xml' };
/** The owner of every bucket and object: the simulator has one account. */
const OWNER: XmlChild = [
  'Owner',
  [
    ['ID', 'mirrorspec'],
    ['DisplayName', 'mirrorspec'],
  ],
];
/** Keys read from the store at once. */
const STORE_PAGE = 1000;

interface WalkRequest {
  prefix: string;
  delimiter: string;
  maxKeys: number;
  /** Keys at or before it are not listed, nor common prefixes at or before it. */
  cursor: string;
}

interface Walked {
  contents: ListedObject[];
  prefixes: string[];
  truncated: boolean;
  /** The last key or common prefix listed: where the next page starts. */
  last: string;
}

const afterCursor = (text: string, cursor: string) =>
  Buffer.compare(Buffer.from(text), Buffer.from(cursor)) > 0;

/**
 * At most `maxKeys` keys and common prefixes after the cursor, and whether more follow. Reads the store
 * in pages, so a long run of keys under one common prefix costs one entry, not a page each; the walk ends
 * when the store has no more keys under the prefix, so it is bounded by the bucket's size.
 */
async function walk(context: Context, bucket: string, request: WalkRequest): Promise<Walked> {
  const { prefix, delimiter, maxKeys } = request;
  const walked: Walked = { contents: [], prefixes: [], truncated: false, last: '' };
  let storeCursor = request.cursor;
  const full = () => walked.contents.length + walked.prefixes.length >= maxKeys;
  for (;;) {
    const page = await context.store.list(bucket, { prefix, startAfter: storeCursor, limit: STORE_PAGE });
    for (const entry of page) {
      storeCursor = entry.key;
      const rest = entry.key.slice(prefix.length);
      const cut = delimiter === '' ? -1 : rest.indexOf(delimiter);
      const common = cut === -1 ? undefined : entry.key.slice(0, prefix.length + cut + delimiter.length);
      if (common !== undefined && (walked.prefixes.at(-1) === common || !afterCursor(common, request.cursor)))
        continue;
      // One more entry exists: with max-keys 0 the answer is empty and not truncated, as S3 answers.
      if (full()) {
        walked.truncated = maxKeys > 0;
        return walked;
      }
      if (common === undefined) walked.contents.push(entry);
      else walked.prefixes.push(common);
      walked.last = common ?? entry.key;
    }
    if (page.length < STORE_PAGE) return walked;
  }
}

function parseMaxKeys(raw: string | null, bucket: string): number {
  if (raw === null) return 1000;
  if (!/^\d+$/.test(raw)) {
    throw new S3Error('InvalidArgument', `max-keys must be a whole number from 0, got '${raw}'`, { bucket });
  }
  return Math.min(Number(raw), 1000);
}

function encoder(query: URLSearchParams): (text: string) => string {
  return query.get('encoding-type') === 'url' ? encodeURIComponent : (text) => text;
}

function entryOf(entry: ListedObject, encode: (text: string) => string, owner: boolean): XmlChild {
  return [
    'Contents',
    [
      ['Key', encode(entry.key)],
      ['LastModified', entry.meta.lastModified.toISOString()],
      ['ETag', entry.meta.etag],
      ['Size', entry.meta.size],
      ...(owner ? [OWNER] : []),
      ['StorageClass', 'STANDARD'],
    ],
  ];
}

const prefixesOf = (walked: Walked, encode: (text: string) => string): XmlChild[] =>
  walked.prefixes.map((common) => ['CommonPrefixes', [['Prefix', encode(common)]]]);

/** ListObjects version 1: `marker` is a key or common prefix to start after; `NextMarker` only with a delimiter. */
export async function listObjects(
  context: Context,
  bucket: string,
  query: URLSearchParams,
): Promise<Response> {
  await requireBucket(context, bucket);
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const marker = query.get('marker') ?? '';
  const maxKeys = parseMaxKeys(query.get('max-keys'), bucket);
  const encode = encoder(query);
  const walked = await walk(context, bucket, { prefix, delimiter, maxKeys, cursor: marker });
  const body = xmlDocument('ListBucketResult', [
    ['Name', bucket],
    ['Prefix', encode(prefix)],
    ['Marker', encode(marker)],
    // Without a delimiter a client resumes after the last key it was given (S3 sends no NextMarker).
    ['NextMarker', walked.truncated && delimiter !== '' ? encode(walked.last) : undefined],
    ['MaxKeys', maxKeys],
    ['Delimiter', delimiter === '' ? undefined : encode(delimiter)],
    ['IsTruncated', walked.truncated],
    ['EncodingType', query.get('encoding-type') ?? undefined],
    ...walked.contents.map((entry) => entryOf(entry, encode, true)),
    ...prefixesOf(walked, encode),
  ]);
  return new Response(body, { headers: xmlHeaders });
}

/** ListObjectsV2: the cursor travels in an opaque continuation token; `Owner` only with fetch-owner=true. */
export async function listObjectsV2(
  context: Context,
  bucket: string,
  query: URLSearchParams,
): Promise<Response> {
  await requireBucket(context, bucket);
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const maxKeys = parseMaxKeys(query.get('max-keys'), bucket);
  const encode = encoder(query);
  const token = query.get('continuation-token');
  const startAfter = query.get('start-after');
  const cursor = token !== null ? decodeToken(token, bucket) : (startAfter ?? '');
  const walked = await walk(context, bucket, { prefix, delimiter, maxKeys, cursor });
  const owner = query.get('fetch-owner') === 'true';
  const body = xmlDocument('ListBucketResult', [
    ['Name', bucket],
    ['Prefix', encode(prefix)],
    ['Delimiter', delimiter === '' ? undefined : encode(delimiter)],
    ['MaxKeys', maxKeys],
    ['KeyCount', walked.contents.length + walked.prefixes.length],
    ['IsTruncated', walked.truncated],
    ['EncodingType', query.get('encoding-type') ?? undefined],
    ['ContinuationToken', token ?? undefined],
    ['NextContinuationToken', walked.truncated ? encodeToken(walked.last) : undefined],
    ['StartAfter', startAfter === null ? undefined : encode(startAfter)],
    ...walked.contents.map((entry) => entryOf(entry, encode, owner)),
    ...prefixesOf(walked, encode),
  ]);
  return new Response(body, { headers: xmlHeaders });
}

const TOKEN_TAG = 'v2:';

function encodeToken(cursor: string): string {
  return Buffer.from(TOKEN_TAG + cursor, 'utf8').toString('base64url');
}

/** An empty or foreign token is 400 InvalidArgument, as S3 answers one it did not give out. */
function decodeToken(token: string, bucket: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (token !== '' && text.startsWith(TOKEN_TAG)) return text.slice(TOKEN_TAG.length);
  const message =
    token === ''
      ? 'the continuation-token is empty: leave it out for the first page, or send the NextContinuationToken of the previous one'
      : 'the continuation-token is not one this simulator gave out: send the NextContinuationToken of the previous page';
  throw new S3Error('InvalidArgument', message, { bucket });
}
