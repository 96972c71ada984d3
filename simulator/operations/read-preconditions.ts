// If-Match, If-None-Match, If-Modified-Since and If-Unmodified-Since on a GET or HEAD of a stored
// object: 412 PreconditionFailed or 304 Not Modified as S3 answers them [s3-getobject].

import { evaluatePreconditions } from '../core/conditions.ts';
import type { ObjectMeta } from '../core/object-headers.ts';
import { S3Error } from '../errors/s3-error.ts';

/** A 304 answer when the object is not modified, undefined to serve it; throws 412 when a condition fails. */
export function readPreconditions(request: Request, meta: ObjectMeta, bucket: string, key: string) {
  const verdict = evaluatePreconditions(
    {
      ifMatch: request.headers.get('if-match'),
      ifNoneMatch: request.headers.get('if-none-match'),
      ifModifiedSince: request.headers.get('if-modified-since'),
      ifUnmodifiedSince: request.headers.get('if-unmodified-since'),
    },
    meta,
  );
  if (verdict === 'precondition-failed') {
    throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
      bucket,
      key,
    });
  }
  if (verdict === 'not-modified') {
    // A 304 carries the validators and no body (RFC 9110 section 15.4.5).
    const headers = { etag: meta.etag, 'last-modified': meta.lastModified.toUTCString() };
    return new Response(null, { status: 304, headers });
  }
  return undefined;
}
