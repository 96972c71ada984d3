// Turns a request into a typed operation. The only place that knows how S3 spells operations in URLs.

import type { DialectId } from '../../spec/vendors/index.ts';
import { ruleApiMatches, ruleApiSubresources } from '../../spec/vendors/index.ts';
import { bucketNameProblem, keyProblem } from '../core/names.ts';
import { splitBucketPath, splitTarget } from '../core/raw-target.ts';
import { S3Error } from '../errors/s3-error.ts';
import { aclOperation, bucketSubresourceOperation } from './bucket-request.ts';
import { noSuchBucket } from './honoured.ts';
import { multipartOperation } from './multipart-request.ts';
import type { Operation } from './operation.ts';

const ADMIN_PREFIX = '/_mirrorspec';

/** S3 subresources this simulator does not implement: answered 501, never mistaken for an object read. */
const UNSUPPORTED_SUBRESOURCES = [
  'accelerate',
  'acl',
  'analytics',
  'attributes',
  'cors',
  'delete',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'legal-hold',
  'lifecycle',
  'location',
  'logging',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'partNumber',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'restore',
  'retention',
  'select',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versionId',
  'versioning',
  'versions',
];

export interface RawRequest {
  method: string;
  /** The request target as received: encoded path and query, never normalised. */
  target: string;
  /** The Host header, without normalisation. */
  host: string;
}

/**
 * The operation a request names. A vendor's rule call is routed by the vendor records' addresses; where
 * two vendors share one (KS3 and TOS share a subresource), the running `profile`'s vendor takes it.
 * `bucketExists`, when given, makes an unimplemented subresource on a missing bucket 404 NoSuchBucket.
 */
/** `GET /bucket?versions`: ListObjectVersions, or undefined when the request is not one. */
function versionsListing(
  method: string,
  bucket: string | undefined,
  rawKey: string,
  query: URLSearchParams,
): Operation | undefined {
  if (method !== 'GET' || bucket === undefined || rawKey !== '' || !query.has('versions')) return undefined;
  const problem = bucketNameProblem(bucket);
  if (problem) throw new S3Error('InvalidBucketName', `'${bucket}': ${problem}`, { bucket });
  return { name: 'ListObjectVersions', bucket, query };
}

export function parseRequest(
  request: RawRequest,
  virtualHostDomains: readonly string[],
  profile = 'neutral',
  bucketExists?: (bucket: string) => boolean,
): Operation {
  // Only origin-form (`/path?query`) names a resource here; absolute-form (`GET http://…`) is for proxies
  // [rfc-9110], and read as a path it would make `ttp://…` a key.
  if (!request.target.startsWith('/')) {
    throw new S3Error(
      'InvalidRequest',
      'the request target must be a path (/bucket/key); this endpoint is not a proxy for absolute URLs',
    );
  }
  const { path: rawPath, query: rawQuery } = splitTarget(request.target);
  const query = new URLSearchParams(rawQuery);
  const method = request.method.toUpperCase();

  if (rawPath === ADMIN_PREFIX || rawPath.startsWith(`${ADMIN_PREFIX}/`)) {
    return parseAdmin(method, rawPath.slice(ADMIN_PREFIX.length), query);
  }

  const virtualBucket = bucketFromHost(request.host, virtualHostDomains);
  const byPath =
    virtualBucket === undefined ? ruleApiMatches({ kind: 'path', rawPath }, profile)[0] : undefined;
  if (byPath !== undefined) {
    return nativeOperation(byPath.id, method, decode(byPath.bucket ?? '', 'bucket name'));
  }
  let bucket: string | undefined;
  let rawKey: string;
  if (virtualBucket !== undefined) {
    bucket = virtualBucket;
    rawKey = rawPath.slice(1);
  } else {
    const parts = splitBucketPath(rawPath);
    rawKey = parts.key;
    bucket = decode(parts.bucket, 'bucket name');
    if (bucket === '') bucket = undefined;
  }

  // A vendor's rule API on a bucket; on an object or the service these names stay unsupported below.
  if (bucket !== undefined && rawKey === '' && bucketNameProblem(bucket) === undefined) {
    const names = [...query.keys()];
    const match = ruleApiMatches({ kind: 'subresource', names }, profile)[0];
    if (match !== undefined) return nativeOperation(match.id, method, bucket);
  }
  const multipart = multipartOperation(method, bucket, rawKey, query);
  if (multipart !== undefined) return multipart;
  const versions = versionsListing(method, bucket, rawKey, query);
  if (versions !== undefined) return versions;
  const subresource =
    bucketSubresourceOperation(method, bucket, rawKey, query) ?? aclRequest(method, bucket, rawKey, query);
  if (subresource !== undefined) return subresource;
  refuseUnsupportedSubresources(query, bucket, bucketExists);

  if (bucket === undefined) {
    if (method === 'GET') return { name: 'ListBuckets' };
    throw methodNotAllowed(method, 'the service');
  }
  const bucketProblem = bucketNameProblem(bucket);

  if (rawKey === '') return bucketOperation(method, bucket, bucketProblem, query);

  const key = decode(rawKey, 'key');
  if (bucketProblem) throw new S3Error('NoSuchBucket', `the bucket '${bucket}' does not exist`, { bucket });
  const problem = keyProblem(key);
  if (problem) throw new S3Error('KeyTooLongError', problem, { bucket });
  switch (method) {
    case 'PUT':
      return { name: 'PutObject', bucket, key };
    case 'GET':
      return { name: 'GetObject', bucket, key, rawQuery };
    case 'HEAD':
      return { name: 'HeadObject', bucket, key };
    case 'DELETE':
      return { name: 'DeleteObject', bucket, key };
    default:
      throw methodNotAllowed(method, 'an object');
  }
}

/** GET or PUT of `?acl` on a bucket or an object, its key checked as any key is. */
function aclRequest(method: string, bucket: string | undefined, rawKey: string, query: URLSearchParams) {
  if (!query.has('acl')) return undefined;
  const key = rawKey === '' ? undefined : decode(rawKey, 'key');
  const problem = key === undefined ? undefined : keyProblem(key);
  if (problem) throw new S3Error('KeyTooLongError', problem, { bucket });
  return aclOperation(method, bucket, key, query);
}

/** 501 for a subresource not implemented here; S3 answers a missing bucket before anything else. */
function refuseUnsupportedSubresources(
  query: URLSearchParams,
  bucket: string | undefined,
  bucketExists: ((bucket: string) => boolean) | undefined,
): void {
  for (const name of [...UNSUPPORTED_SUBRESOURCES, ...ruleApiSubresources()]) {
    if (!query.has(name)) continue;
    if (bucket !== undefined && bucketNameProblem(bucket) === undefined && bucketExists?.(bucket) === false)
      throw noSuchBucket(bucket);
    throw new S3Error('NotImplemented', `the '${name}' subresource is not implemented`);
  }
}

/** The operation a request on a bucket itself (no key) names. */
function bucketOperation(
  method: string,
  bucket: string,
  bucketProblem: string | undefined,
  query: URLSearchParams,
): Operation {
  if (bucketProblem) throw new S3Error('InvalidBucketName', `'${bucket}': ${bucketProblem}`, { bucket });
  switch (method) {
    case 'PUT':
      return { name: 'CreateBucket', bucket };
    // A browser form upload: the object's key is a field of the form (operations/post-object.ts).
    case 'POST':
      return { name: 'PostObject', bucket };
    case 'HEAD':
      return { name: 'HeadBucket', bucket };
    case 'DELETE':
      return { name: 'DeleteBucket', bucket };
    case 'GET': {
      const listType = query.get('list-type');
      if (listType === null) return { name: 'ListObjects', bucket, query };
      if (listType === '2') return { name: 'ListObjectsV2', bucket, query };
      const message = `list-type must be 2 (ListObjectsV2), or left out for ListObjects; got '${listType}'`;
      throw new S3Error('InvalidArgument', message, { bucket });
    }
    default:
      throw methodNotAllowed(method, 'a bucket');
  }
}

function nativeOperation(dialect: DialectId, method: string, bucket: string): Operation {
  if (method === 'GET' || method === 'PUT' || method === 'DELETE') {
    return { name: 'NativeMirrorConfiguration', dialect, method, bucket };
  }
  throw methodNotAllowed(method, `the ${dialect} rule configuration`);
}

function parseAdmin(method: string, path: string, query: URLSearchParams): Operation {
  const mirror = /^\/buckets\/([^/]+)\/mirror$/.exec(path);
  if (mirror) {
    const bucket = decode(mirror[1] ?? '', 'bucket name');
    switch (method) {
      case 'GET':
        return { name: 'GetBucketMirror', bucket };
      case 'PUT':
        return { name: 'PutBucketMirror', bucket };
      case 'DELETE':
        return { name: 'DeleteBucketMirror', bucket };
      default:
        throw methodNotAllowed(method, 'a mirror configuration');
    }
  }
  const prepush = /^\/buckets\/([^/]+)\/prepush(?:\/([^/]+))?$/.exec(path);
  if (prepush) {
    const bucket = decode(prepush[1] ?? '', 'bucket name');
    const jobId = prepush[2] === undefined ? undefined : decode(prepush[2], 'job id');
    if (jobId === undefined && method === 'POST') return { name: 'CreatePrepushJob', bucket, query };
    if (jobId === undefined && method === 'GET') return { name: 'ListPrepushJobs', bucket };
    if (jobId !== undefined && method === 'GET') return { name: 'GetPrepushJob', bucket, jobId };
    if (jobId !== undefined && method === 'DELETE') return { name: 'CancelPrepushJob', bucket, jobId };
    throw methodNotAllowed(method, jobId === undefined ? 'the pre-push jobs of a bucket' : 'a pre-push job');
  }
  if (path === '/health' && method === 'GET') return { name: 'GetHealth' };
  if (path === '/reset' && method === 'POST') return { name: 'ResetSimulator' };
  if (path === '/settle' && method === 'POST') {
    const raw = query.get('timeoutMs') ?? '10000';
    const timeoutMs = Number(raw);
    if (!/^\d+$/.test(raw) || timeoutMs > 60_000) {
      throw new S3Error(
        'InvalidArgument',
        `timeoutMs must be a whole number of milliseconds up to 60000, got '${raw}'`,
      );
    }
    return { name: 'WaitForSettle', timeoutMs };
  }
  if (['/health', '/reset', '/settle'].includes(path))
    throw methodNotAllowed(method, `${ADMIN_PREFIX}${path}`);
  throw new S3Error('InvalidRequest', `no simulator operation at ${ADMIN_PREFIX}${path}`);
}

/** The bucket named by a virtual-hosted Host (`bucket.localhost:9000`), if any. */
export function bucketFromHost(host: string, domains: readonly string[]): string | undefined {
  const name = host.replace(/:\d+$/, '').toLowerCase();
  for (const domain of domains) {
    if (name.endsWith(`.${domain}`)) return name.slice(0, -domain.length - 1);
  }
  return undefined;
}

function decode(raw: string, what: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new S3Error('InvalidRequest', `the ${what} '${raw}' is not valid percent-encoded UTF-8`);
  }
}

function methodNotAllowed(method: string, what: string): S3Error {
  return new S3Error('MethodNotAllowed', `${method} is not allowed on ${what}`);
}
