// GetBucketLifecycleConfiguration, PutBucketLifecycleConfiguration and DeleteBucketLifecycle
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html), the rules
// core/lifecycle.ts honours; abortExpiredUploads carries them out before any multipart call on the bucket.

import { S3Error } from '../errors/s3-error.ts';
import { type XmlChild, xmlDocument } from '../protocol/xml.ts';
import { verifiedBody } from './acl.ts';
import { requireBucket } from './buckets.ts';
import type { Context } from './context.ts';
import { abortedByLifecycle, parseLifecycle } from './lifecycle-rules.ts';

export async function getBucketLifecycle(context: Context, bucket: string): Promise<Response> {
  await requireBucket(context, bucket);
  const rules = context.lifecycles.get(bucket);
  if (rules === undefined) {
    throw new S3Error('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', {
      bucket,
    });
  }
  const body = xmlDocument(
    'LifecycleConfiguration',
    rules.map((rule): XmlChild => {
      const where: XmlChild = rule.legacyPrefix
        ? ['Prefix', rule.prefix]
        : ['Filter', [['Prefix', rule.prefix]]];
      return [
        'Rule',
        [
          ['ID', rule.id],
          where,
          ['Status', rule.enabled ? 'Enabled' : 'Disabled'],
          ['AbortIncompleteMultipartUpload', [['DaysAfterInitiation', rule.daysAfterInitiation]]],
        ],
      ];
    }),
  );
  return new Response(body, { headers: { 'content-type': 'application/xml' } });
}

/** Replaces the bucket's rules whole; a refused configuration leaves the old one in place. */
export async function putBucketLifecycle(
  context: Context,
  request: Request,
  bucket: string,
): Promise<Response> {
  await requireBucket(context, bucket);
  const xml = await verifiedBody(context, request, { bucket });
  let rules: ReturnType<typeof parseLifecycle>;
  try {
    rules = parseLifecycle(xml);
  } catch (error) {
    if (error instanceof S3Error) throw new S3Error(error.code, error.message, { bucket });
    throw error;
  }
  context.lifecycles.set(bucket, rules);
  return new Response(null, { status: 200 });
}

export async function deleteBucketLifecycle(context: Context, bucket: string): Promise<Response> {
  await requireBucket(context, bucket);
  context.lifecycles.delete(bucket);
  return new Response(null, { status: 204 });
}

/**
 * Aborts the bucket's uploads its lifecycle rules say are due. S3 aborts them in the background some
 * time after they are due; the simulator does it at the latest when a multipart call next looks.
 */
export function abortExpiredUploads(context: Context, bucket: string): void {
  const rules = context.lifecycles.get(bucket);
  if (rules === undefined) return;
  const now = context.now();
  for (const upload of context.parts.list(bucket)) {
    if (abortedByLifecycle(rules, upload.key, upload.initiated, now)) context.parts.remove(upload);
  }
}
