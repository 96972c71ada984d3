// GetBucketLocation (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html): the
// first call of clients that find a bucket's region before they sign for it (the minio SDKs, s3cmd).
// The simulator is one place, answered as us-east-1, whose LocationConstraint S3 leaves empty; a client
// signs for that region and the simulator accepts any region in a signature.

import { xmlDocument } from '../protocol/xml.ts';
import { requireBucket } from './buckets.ts';
import type { Context } from './context.ts';

export function getBucketLocation(context: Context, bucket: string): Response {
  requireBucket(context, bucket);
  return new Response(xmlDocument('LocationConstraint', []), {
    headers: { 'content-type': 'application/xml' },
  });
}
