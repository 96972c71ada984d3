// How S3 spells the multipart upload operations in URLs: `?uploads` and `?uploadId=` on a key, `?uploads`
// on a bucket (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html and its
// sibling pages). Called by parse-request.ts before it refuses unimplemented subresources.

import { bucketNameProblem, keyProblem } from '../core/names.ts';
import { S3Error } from '../errors/s3-error.ts';

export type MultipartOperation =
  | { name: 'CreateMultipartUpload'; bucket: string; key: string }
  | { name: 'UploadPart'; bucket: string; key: string; uploadId: string; partNumber: number }
  | { name: 'CompleteMultipartUpload'; bucket: string; key: string; uploadId: string }
  | { name: 'AbortMultipartUpload'; bucket: string; key: string; uploadId: string }
  | { name: 'ListParts'; bucket: string; key: string; uploadId: string; query: URLSearchParams }
  | { name: 'ListMultipartUploads'; bucket: string; query: URLSearchParams };

export const MULTIPART_OPERATION_NAMES = [
  'CreateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
  'ListParts',
  'ListMultipartUploads',
] as const satisfies readonly MultipartOperation['name'][];

/** The highest part number S3 allows (https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html). */
const MAX_PART_NUMBER = 10_000;

/**
 * The multipart operation a request names, or undefined when it names none (no `uploads` or `uploadId`
 * in the query). `bucket` is decoded, `rawKey` as sent ('' for the bucket itself).
 */
export function multipartOperation(
  method: string,
  bucket: string | undefined,
  rawKey: string,
  query: URLSearchParams,
): MultipartOperation | undefined {
  const uploadId = query.get('uploadId');
  if (bucket === undefined || (uploadId === null && !query.has('uploads'))) return undefined;
  const problem = bucketNameProblem(bucket);
  if (rawKey === '') {
    if (uploadId !== null || method !== 'GET') throw notAllowed(method, 'the uploads of a bucket');
    if (problem) throw new S3Error('InvalidBucketName', `'${bucket}': ${problem}`, { bucket });
    return { name: 'ListMultipartUploads', bucket, query };
  }
  if (problem) throw new S3Error('NoSuchBucket', `the bucket '${bucket}' does not exist`, { bucket });
  const key = decodeKey(rawKey);
  const keyTrouble = keyProblem(key);
  if (keyTrouble) throw new S3Error('KeyTooLongError', keyTrouble, { bucket });
  if (uploadId === null) {
    if (method !== 'POST') throw notAllowed(method, 'the uploads of an object');
    return { name: 'CreateMultipartUpload', bucket, key };
  }
  switch (method) {
    case 'PUT':
      return { name: 'UploadPart', bucket, key, uploadId, partNumber: partNumberOf(query.get('partNumber')) };
    case 'POST':
      return { name: 'CompleteMultipartUpload', bucket, key, uploadId };
    case 'DELETE':
      return { name: 'AbortMultipartUpload', bucket, key, uploadId };
    case 'GET':
      return { name: 'ListParts', bucket, key, uploadId, query };
    default:
      throw notAllowed(method, 'a multipart upload');
  }
}

function partNumberOf(raw: string | null): number {
  const value = Number(raw);
  if (raw === null || !/^\d+$/.test(raw) || value < 1 || value > MAX_PART_NUMBER) {
    throw new S3Error(
      'InvalidArgument',
      `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive (got '${raw ?? ''}')`,
    );
  }
  return value;
}

function decodeKey(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new S3Error('InvalidRequest', `the key '${raw}' is not valid percent-encoded UTF-8`);
  }
}

function notAllowed(method: string, what: string): S3Error {
  return new S3Error('MethodNotAllowed', `${method} is not allowed on ${what}`);
}
