// GetBucketPolicy, PutBucketPolicy and DeleteBucketPolicy
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html): the bucket's policy,
// stored whole once core/bucket-policy.ts has read all of it, and evaluated by protocol/authenticate.ts.

import { S3Error } from '../errors/s3-error.ts';
import { parseBucketPolicy } from '../protocol/bucket-policy.ts';
import { verifiedBody } from './acl.ts';
import { requireBucket } from './buckets.ts';
import type { Context } from './context.ts';

export async function getBucketPolicy(context: Context, bucket: string): Promise<Response> {
  await requireBucket(context, bucket);
  const policy = context.policies.get(bucket);
  if (policy === undefined) {
    throw new S3Error('NoSuchBucketPolicy', 'The bucket policy does not exist', { bucket });
  }
  return new Response(policy.text, { headers: { 'content-type': 'application/json' } });
}

/** Stores the policy, answered 204 as S3 answers it; a refused one leaves the old policy in place. */
export async function putBucketPolicy(context: Context, request: Request, bucket: string): Promise<Response> {
  await requireBucket(context, bucket);
  const text = await verifiedBody(context, request, { bucket });
  let policy: ReturnType<typeof parseBucketPolicy>;
  try {
    policy = parseBucketPolicy(text, bucket);
  } catch (error) {
    if (error instanceof S3Error) throw new S3Error(error.code, error.message, { bucket });
    throw error;
  }
  context.policies.set(bucket, policy);
  return new Response(null, { status: 204 });
}

export async function deleteBucketPolicy(context: Context, bucket: string): Promise<Response> {
  await requireBucket(context, bucket);
  context.policies.delete(bucket);
  return new Response(null, { status: 204 });
}
