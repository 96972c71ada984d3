// The S3 action and resource a request names, as a bucket policy speaks of them
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-actions.html), or undefined for
// the requests a policy has no say in here: CreateBucket, the policy calls themselves, DeleteObjects
// (each of its keys would be a resource) and the simulator's own APIs stay the owner's.

import type { PolicyRequest } from './bucket-policy.ts';
import type { Operation } from './operation.ts';

const OBJECT_ACTIONS: Partial<Record<Operation['name'], string>> = {
  GetObject: 's3:GetObject',
  HeadObject: 's3:GetObject',
  PutObject: 's3:PutObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  AbortMultipartUpload: 's3:AbortMultipartUpload',
  ListParts: 's3:ListMultipartUploadParts',
  DeleteObject: 's3:DeleteObject',
  GetObjectAcl: 's3:GetObjectAcl',
  PutObjectAcl: 's3:PutObjectAcl',
};

const BUCKET_ACTIONS: Partial<Record<Operation['name'], string>> = {
  ListObjects: 's3:ListBucket',
  ListObjectsV2: 's3:ListBucket',
  HeadBucket: 's3:ListBucket',
  ListObjectVersions: 's3:ListBucketVersions',
  ListMultipartUploads: 's3:ListBucketMultipartUploads',
  GetBucketAcl: 's3:GetBucketAcl',
  PutBucketAcl: 's3:PutBucketAcl',
  GetBucketLocation: 's3:GetBucketLocation',
  DeleteBucket: 's3:DeleteBucket',
};

/** What `operation` asks of the bucket's policy, signed by `principal` (undefined: anonymous). */
export function policyRequestOf(
  operation: Operation,
  principal: string | undefined,
): PolicyRequest | undefined {
  if (!('bucket' in operation)) return undefined;
  const arn = `arn:aws:s3:::${operation.bucket}`;
  const objectAction = OBJECT_ACTIONS[operation.name];
  if (objectAction !== undefined && 'key' in operation) {
    return { principal, action: objectAction, resource: `${arn}/${operation.key}` };
  }
  const bucketAction = BUCKET_ACTIONS[operation.name];
  return bucketAction === undefined ? undefined : { principal, action: bucketAction, resource: arn };
}

/** A browser form's write of `key`, judged once its key is known (operations/post-object.ts). */
export function postPolicyRequest(bucket: string, key: string, principal: string | undefined): PolicyRequest {
  return { principal, action: 's3:PutObject', resource: `arn:aws:s3:::${bucket}/${key}` };
}
