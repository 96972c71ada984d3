// ListObjectVersions on a bucket without versioning: every object is its one version, `null`, and the
// latest [s3-listobjectversions]. S3 lists an unversioned bucket's objects so; clients that empty a
// bucket (the AWS CLI's `rb --force`, ceph/s3-tests' clean-up) list versions before DeleteObjects.

import type { ObjectMeta } from '../core/object-headers.ts';
import { S3Error } from '../errors/s3-error.ts';
import { type XmlChild, xmlDocument } from '../protocol/xml.ts';
import { requireBucket } from './buckets.ts';
import type { Context } from './context.ts';

const OWNER: XmlChild[] = [
  ['ID', 'mirrorspec'],
  ['DisplayName', 'mirrorspec'],
];

/** Keys read from the store at once; a listing reads as many pages as its max-keys needs. */
const PAGE = 1000;

interface Listed {
  versions: XmlChild[];
  prefixes: string[];
  /** The last key or common prefix listed, when more follow. */
  next?: string;
}

export async function listObjectVersions(
  context: Context,
  bucket: string,
  query: URLSearchParams,
): Promise<Response> {
  await requireBucket(context, bucket);
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const keyMarker = query.get('key-marker') ?? '';
  const versionIdMarker = query.get('version-id-marker');
  if (versionIdMarker !== null && keyMarker === '') {
    throw new S3Error('InvalidArgument', 'a version-id-marker needs a key-marker', { bucket });
  }
  if (versionIdMarker !== null && versionIdMarker !== '' && versionIdMarker !== 'null') {
    throw new S3Error(
      'InvalidArgument',
      `the bucket keeps no versions: version-id-marker may only be 'null', got '${versionIdMarker}'`,
      { bucket },
    );
  }
  const maxKeys = maxKeysOf(query.get('max-keys'), bucket);
  const urlEncoded = query.get('encoding-type') === 'url';
  const encode = (text: string) => (urlEncoded ? encodeURIComponent(text) : text);
  const listed = await collect(context, bucket, { prefix, delimiter, keyMarker, maxKeys }, encode);
  const body = xmlDocument('ListVersionsResult', [
    ['Name', bucket],
    ['Prefix', encode(prefix)],
    ['KeyMarker', encode(keyMarker)],
    ['VersionIdMarker', versionIdMarker ?? ''],
    ['NextKeyMarker', listed.next === undefined ? undefined : encode(listed.next)],
    ['NextVersionIdMarker', listed.next === undefined ? undefined : 'null'],
    ['MaxKeys', maxKeys],
    ['Delimiter', delimiter === '' ? undefined : encode(delimiter)],
    ['IsTruncated', listed.next !== undefined],
    ['EncodingType', urlEncoded ? 'url' : undefined],
    ...listed.versions,
    ...listed.prefixes.map((common): XmlChild => ['CommonPrefixes', [['Prefix', encode(common)]]]),
  ]);
  return new Response(body, { headers: { 'content-type': 'application/xml' } });
}

/** Up to `maxKeys` versions and common prefixes after the marker; a marker that is a prefix skips it. */
async function collect(
  context: Context,
  bucket: string,
  where: { prefix: string; delimiter: string; keyMarker: string; maxKeys: number },
  encode: (text: string) => string,
): Promise<Listed> {
  const { prefix, delimiter, keyMarker, maxKeys } = where;
  const listed: Listed = { versions: [], prefixes: [] };
  const skipped =
    delimiter !== '' && keyMarker.endsWith(delimiter) && keyMarker.startsWith(prefix) ? keyMarker : undefined;
  let cursor = keyMarker;
  let last: string | undefined;
  for (;;) {
    const page = await context.store.list(bucket, { prefix, startAfter: cursor, limit: PAGE });
    if (page.length === 0) return listed;
    for (const { key, meta } of page) {
      cursor = key;
      if (skipped !== undefined && key.startsWith(skipped)) continue;
      const cut = delimiter === '' ? -1 : key.indexOf(delimiter, prefix.length);
      const common = cut === -1 ? undefined : key.slice(0, cut + delimiter.length);
      if (common !== undefined && listed.prefixes.at(-1) === common) continue;
      if (listed.versions.length + listed.prefixes.length === maxKeys) {
        if (last !== undefined) listed.next = last;
        return listed;
      }
      if (common !== undefined) listed.prefixes.push(common);
      else listed.versions.push(versionOf(key, meta, encode));
      last = common ?? key;
    }
  }
}

function versionOf(key: string, meta: ObjectMeta, encode: (text: string) => string): XmlChild {
  return [
    'Version',
    [
      ['Key', encode(key)],
      ['VersionId', 'null'],
      ['IsLatest', true],
      ['LastModified', meta.lastModified.toISOString()],
      ['ETag', meta.etag],
      ['Size', meta.size],
      ['Owner', OWNER],
      ['StorageClass', 'STANDARD'],
    ],
  ];
}

function maxKeysOf(raw: string | null, bucket: string): number {
  if (raw === null) return 1000;
  if (!/^\d+$/.test(raw)) {
    throw new S3Error('InvalidArgument', `max-keys must be a whole number, got '${raw}'`, { bucket });
  }
  return Math.min(Number(raw), 1000);
}
