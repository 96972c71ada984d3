// The source of a server-side copy (CopyObject, UploadPartCopy): the `x-amz-copy-source` header and the
// `x-amz-copy-source-if-*` conditions on it [s3-copyobject].

import { evaluatePreconditions } from '../core/conditions.ts';
import type { ObjectMeta } from '../core/object-headers.ts';
import { S3Error } from '../errors/s3-error.ts';

export interface CopySource {
  bucket: string;
  key: string;
}

/**
 * The object `x-amz-copy-source` names: `bucket/key` or `/bucket/key`, URL-encoded, with an optional
 * `?versionId=`. Without versioning the only version there is is `null`; any other is refused with 501
 * rather than copied from the current object. Access point and Outpost ARNs are refused with 501 too.
 */
export function parseCopySource(header: string): CopySource {
  const question = header.indexOf('?');
  const rawPath = question === -1 ? header : header.slice(0, question);
  if (question !== -1) {
    const query = new URLSearchParams(header.slice(question + 1));
    for (const name of query.keys()) {
      if (name !== 'versionId') throw invalidSource(`'${name}' is not a copy source parameter`);
    }
    const versionId = query.get('versionId');
    if (versionId !== null && versionId !== 'null') {
      throw new S3Error(
        'NotImplemented',
        "the simulator keeps no versions: x-amz-copy-source's versionId may only be 'null'",
      );
    }
  }
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    throw invalidSource('it is not valid percent-encoded UTF-8');
  }
  if (path.startsWith('/')) path = path.slice(1);
  if (path.startsWith('arn:')) {
    throw new S3Error('NotImplemented', 'copy sources named by an access point or Outpost ARN');
  }
  const slash = path.indexOf('/');
  const bucket = slash === -1 ? path : path.slice(0, slash);
  const key = slash === -1 ? '' : path.slice(slash + 1);
  if (bucket === '' || key === '') throw invalidSource('it must name the source bucket and key');
  return { bucket, key };
}

/** Refuses the copy with 412 PreconditionFailed unless every `x-amz-copy-source-if-*` condition holds. */
export function requireCopySourceConditions(
  headers: Headers,
  source: Pick<ObjectMeta, 'etag' | 'lastModified'>,
) {
  const verdict = evaluatePreconditions(
    {
      ifMatch: headers.get('x-amz-copy-source-if-match'),
      ifNoneMatch: headers.get('x-amz-copy-source-if-none-match'),
      ifModifiedSince: headers.get('x-amz-copy-source-if-modified-since'),
      ifUnmodifiedSince: headers.get('x-amz-copy-source-if-unmodified-since'),
    },
    source,
  );
  // A copy has nothing to answer "not modified" with: every failed condition is 412 [s3-copyobject].
  if (verdict !== 'pass') {
    throw new S3Error(
      'PreconditionFailed',
      'at least one of the copy source conditions you specified did not hold',
    );
  }
}

function invalidSource(why: string): S3Error {
  return new S3Error('InvalidArgument', `x-amz-copy-source is not a valid copy source: ${why}`);
}
