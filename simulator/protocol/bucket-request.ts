// How S3 spells the bucket calls every client makes before anything else: `POST /bucket?delete`
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html) and `GET /bucket?location`
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html). Called by
// parse-request.ts before it refuses unimplemented subresources; on an object, or with another method,
// these names stay unimplemented there.

import { bucketNameProblem } from '../core/names.ts';
import { S3Error } from '../errors/s3-error.ts';

export type BucketSubresourceOperation =
  | { name: 'DeleteObjects'; bucket: string }
  | { name: 'GetBucketLocation'; bucket: string };

export const BUCKET_SUBRESOURCE_OPERATION_NAMES = [
  'DeleteObjects',
  'GetBucketLocation',
] as const satisfies readonly BucketSubresourceOperation['name'][];

/** The operation `?delete` or `?location` on a bucket names, or undefined when the request is not one. */
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
        : undefined;
  if (name === undefined) return undefined;
  const problem = bucketNameProblem(bucket);
  if (problem) throw new S3Error('InvalidBucketName', `'${bucket}': ${problem}`, { bucket });
  return { name, bucket };
}
