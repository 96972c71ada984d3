// How S3 spells the bucket calls every client makes before anything else: `POST /bucket?delete`
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html) and `GET /bucket?location`
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html). Called by
// parse-request.ts before it refuses unimplemented subresources; on an object, or with another method,
// these names stay unimplemented there.

import { bucketNameProblem } from '../core/names.ts';
import { S3Error } from '../errors/s3-error.ts';

export type BucketSubresourceOperation =
  | { name: 'DeleteObjects'; bucket: string }
  | { name: 'GetBucketLocation'; bucket: string }
  | { name: 'GetBucketAcl'; bucket: string }
  | { name: 'PutBucketAcl'; bucket: string }
  | { name: 'GetObjectAcl'; bucket: string; key: string }
  | { name: 'PutObjectAcl'; bucket: string; key: string }
  | { name: 'GetBucketPolicy'; bucket: string }
  | { name: 'PutBucketPolicy'; bucket: string }
  | { name: 'DeleteBucketPolicy'; bucket: string }
  | { name: 'GetBucketLifecycleConfiguration'; bucket: string }
  | { name: 'PutBucketLifecycleConfiguration'; bucket: string }
  | { name: 'DeleteBucketLifecycle'; bucket: string };

export const BUCKET_SUBRESOURCE_OPERATION_NAMES = [
  'DeleteObjects',
  'GetBucketLocation',
  'GetBucketAcl',
  'PutBucketAcl',
  'GetObjectAcl',
  'PutObjectAcl',
  'GetBucketPolicy',
  'PutBucketPolicy',
  'DeleteBucketPolicy',
  'GetBucketLifecycleConfiguration',
  'PutBucketLifecycleConfiguration',
  'DeleteBucketLifecycle',
] as const satisfies readonly BucketSubresourceOperation['name'][];

/**
 * `GET` or `PUT` of `?acl` on a bucket (`key` undefined) or an object
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAcl.html); undefined for any other
 * request, which parse-request.ts answers (another method on `?acl` stays 501).
 */
export function aclOperation(
  method: string,
  bucket: string | undefined,
  key: string | undefined,
  query: URLSearchParams,
): BucketSubresourceOperation | undefined {
  if (bucket === undefined || !query.has('acl') || (method !== 'GET' && method !== 'PUT')) return undefined;
  const problem = bucketNameProblem(bucket);
  if (problem) throw new S3Error('InvalidBucketName', `'${bucket}': ${problem}`, { bucket });
  if (key === undefined) return { name: method === 'GET' ? 'GetBucketAcl' : 'PutBucketAcl', bucket };
  return { name: method === 'GET' ? 'GetObjectAcl' : 'PutObjectAcl', bucket, key };
}

/** `?policy` on a bucket (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html). */
const POLICY_OPERATIONS = new Map([
  ['GET', 'GetBucketPolicy'],
  ['PUT', 'PutBucketPolicy'],
  ['DELETE', 'DeleteBucketPolicy'],
] as const);

/** `?lifecycle` on a bucket (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html). */
const LIFECYCLE_OPERATIONS = new Map([
  ['GET', 'GetBucketLifecycleConfiguration'],
  ['PUT', 'PutBucketLifecycleConfiguration'],
  ['DELETE', 'DeleteBucketLifecycle'],
] as const);

/** The operation `?delete`, `?location`, `?policy` or `?lifecycle` on a bucket names, or undefined when the request is not one. */
export function bucketSubresourceOperation(
  method: string,
  bucket: string | undefined,
  rawKey: string,
  query: URLSearchParams,
): BucketSubresourceOperation | undefined {
  if (bucket === undefined || rawKey !== '') return undefined;
  const name =
    method === 'POST' && query.has('delete')
      ? 'DeleteObjects'
      : method === 'GET' && query.has('location')
        ? 'GetBucketLocation'
        : query.has('policy')
          ? POLICY_OPERATIONS.get(method as 'GET')
          : query.has('lifecycle')
            ? LIFECYCLE_OPERATIONS.get(method as 'GET')
            : undefined;
  if (name === undefined) return undefined;
  const problem = bucketNameProblem(bucket);
  if (problem) throw new S3Error('InvalidBucketName', `'${bucket}': ${problem}`, { bucket });
  return { name, bucket };
}
