import { S3Error } from '../errors/s3-error.ts';
import { type XmlChild, xmlDocument } from '../protocol/xml.ts';
import type { BucketAcl } from '../storage/object-store.ts';
import type { Context } from './context.ts';

const xmlHeaders = { 'content-type': 'application/xml' };
/** The region where S3 answers a re-created bucket of one's own 200 rather than 409. */
const LEGACY_REGION = 'us-east-1';

/** Throws NoSuchBucket unless the bucket exists. Awaited by every caller: unawaited, it refuses nothing. */
export async function requireBucket(context: Context, bucket: string): Promise<void> {
  if (!(await context.store.hasBucket(bucket))) {
    throw new S3Error('NoSuchBucket', `the bucket '${bucket}' does not exist`, { bucket });
  }
}

/** The buckets `listed` keeps (the caller's own, when the simulator has several users), or all. */
export async function listBuckets(context: Context, listed?: (bucket: string) => boolean): Promise<Response> {
  const all = await context.store.listBuckets();
  const buckets: XmlChild[] = (listed ? all.filter(({ name }) => listed(name)) : all).map(
    ({ name, created }) => [
      'Bucket',
      [
        ['Name', name],
        ['CreationDate', created.toISOString()],
      ],
    ],
  );
  const body = xmlDocument('ListAllMyBucketsResult', [
    [
      'Owner',
      [
        ['ID', 'mirrorspec'],
        ['DisplayName', 'mirrorspec'],
      ],
    ],
    ['Buckets', buckets],
  ]);
  return new Response(body, { headers: xmlHeaders });
}

/**
 * Creates the bucket. Re-creating one's own bucket is 409 BucketAlreadyOwnedByYou, as S3 answers in
 * every region but one: in us-east-1, "for legacy compatibility", S3 answers 200 and resets the bucket's
 * ACL [s3-error-responses], and so does the neutral profile there (a vendor profile keeps the 409).
 * Another user's bucket never gets here (core/users.ts: 409 BucketAlreadyExists).
 */
export async function createBucket(context: Context, request: Request, bucket: string): Promise<Response> {
  const acl = cannedAcl(request.headers.get('x-amz-acl'), bucket);
  const created = { status: 200, headers: { location: `/${bucket}` } };
  if (!(await context.store.createBucket(bucket))) {
    const { region, profile } = context.settings;
    if (region !== LEGACY_REGION || profile.id !== 'neutral') {
      throw new S3Error('BucketAlreadyOwnedByYou', `the bucket '${bucket}' already exists and is yours`, {
        bucket,
      });
    }
  }
  await context.store.setBucketAcl(bucket, acl);
  return new Response(null, created);
}

/** The ACL an `x-amz-acl` header asks for, checked before the bucket exists so a refusal creates nothing. */
function cannedAcl(header: string | null, bucket: string): BucketAcl {
  const value = header?.trim().toLowerCase() ?? 'private';
  if (value === 'private' || value === 'public-read' || value === 'public-read-write') return value;
  // Canned ACLs S3 knows: a clear 501 rather than a bucket other than the one asked for.
  if (value === 'authenticated-read') {
    const message = `the canned ACL '${value}' is not implemented: use private, public-read or public-read-write`;
    throw new S3Error('NotImplemented', message, { bucket });
  }
  const message = `x-amz-acl must be private, public-read or public-read-write, got '${header}'`;
  throw new S3Error('InvalidArgument', message, { bucket });
}

export async function headBucket(context: Context, bucket: string): Promise<Response> {
  await requireBucket(context, bucket);
  return new Response(null, { status: 200 });
}

export async function deleteBucket(context: Context, bucket: string): Promise<Response> {
  const result = await context.store.deleteBucket(bucket);
  if (result === 'not-found') await requireBucket(context, bucket);
  if (result === 'not-empty') {
    throw new S3Error('BucketNotEmpty', `the bucket '${bucket}' still holds objects; delete them first`, {
      bucket,
    });
  }
  // A bucket made again under the name starts without the old one's policy.
  context.policies.delete(bucket);
  context.lifecycles.delete(bucket);
  return new Response(null, { status: 204 });
}
