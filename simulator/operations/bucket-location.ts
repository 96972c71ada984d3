// GetBucketLocation (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html): the
// first call of clients that find a bucket's region before they sign for it (the minio SDKs, s3cmd).
// Every bucket is in the simulator's region (`--region`, us-east-1 by default, whose LocationConstraint
// S3 leaves empty), the one region its signatures must be scoped to.

import { xmlDocument } from '../protocol/xml.ts';
import { requireBucket } from './buckets.ts';
import type { Context } from './context.ts';

export async function getBucketLocation(context: Context, bucket: string): Promise<Response> {
  await requireBucket(context, bucket);
  const region = context.settings.region;
  const body = xmlDocument('LocationConstraint', []);
  const named =
    region === 'us-east-1' ? body : body.replace('></LocationConstraint>', `>${region}</LocationConstraint>`);
  return new Response(named, {
    headers: { 'content-type': 'application/xml' },
  });
}
