// Conditional writes on PutObject and CompleteMultipartUpload
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html): `If-None-Match: *`
// writes only a key the bucket does not hold, `If-Match: <ETag>` only over the object with that ETag.
// A condition that does not hold is 412 PreconditionFailed (If-Match on a key the bucket does not hold is
// 404 NoSuchKey); the write then commits only if the key did not change while its body arrived, and
// answers 409 ConditionalRequestConflict if it did, as S3 answers a conflicting operation during the
// upload. An object stored by a mirror fetch is in the bucket like any other: conditions see it.

import { S3Error } from '../errors/s3-error.ts';
import type { Generation } from '../storage/object-store.ts';
import type { Context } from './context.ts';

/** What a conditional write commits against: the key's generation when its condition was checked. */
interface WriteCondition {
  ifGeneration?: Generation;
}

/**
 * Checks the request's If-None-Match and If-Match against the key as it stands; throws when one does not
 * hold. Unconditional writes get `{}` and commit whatever happened meanwhile (the last commit wins).
 */
export async function checkWriteCondition(
  context: Context,
  request: Request,
  bucket: string,
  key: string,
): Promise<WriteCondition> {
  const ifNoneMatch = request.headers.get('if-none-match')?.trim();
  const ifMatch = request.headers.get('if-match')?.trim();
  if (ifNoneMatch === undefined && ifMatch === undefined) return {};
  const where = { bucket, key };
  // The generation before the object: a write landing between the two makes the commit a conflict.
  const generation = await context.store.generation(bucket, key);
  const meta = await context.store.head(bucket, key);
  if (ifMatch !== undefined) {
    if (meta === undefined)
      throw new S3Error('NoSuchKey', 'If-Match names an object the bucket does not hold', where);
    if (!etagListMatches(ifMatch, meta.etag)) {
      throw new S3Error(
        'PreconditionFailed',
        `If-Match ${ifMatch} is not the object's ETag ${meta.etag}`,
        where,
      );
    }
  }
  if (ifNoneMatch !== undefined) {
    // S3 takes only the asterisk here: a write is not a read that could answer 304.
    if (ifNoneMatch !== '*') {
      throw new S3Error(
        'NotImplemented',
        `the If-None-Match header (here '${ifNoneMatch.slice(0, 40)}') is implemented on writes only as If-None-Match: *`,
        where,
      );
    }
    if (meta !== undefined) {
      throw new S3Error('PreconditionFailed', 'If-None-Match: * and the bucket already holds the key', where);
    }
  }
  return { ifGeneration: generation };
}

/** The answer to a conditional commit the store refused because the key changed since the check. */
export function conditionalConflict(bucket: string, key: string): S3Error {
  return new S3Error(
    'ConditionalRequestConflict',
    'the key was written or deleted while this conditional write was in progress: read it again and retry',
    { bucket, key },
  );
}

/** RFC 9110 section 13.1.1: `*` matches any object, else one of the listed entity tags, strongly compared. */
function etagListMatches(header: string, etag: string): boolean {
  if (header === '*') return true;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
  return header.split(',').some((tag) => !tag.trim().startsWith('W/') && bare(tag) === bare(etag));
}

/** Runs a check made before the body is read; when it throws, the unread body is dropped. */
export async function checkedBeforeBody<T>(request: Request, check: () => T | Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    await request.body?.cancel().catch(() => undefined);
    throw error;
  }
}
