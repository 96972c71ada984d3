// The stored checksum as response headers. GetObject and HeadObject return it only when asked with
// `x-amz-checksum-mode: ENABLED` (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html);
// PutObject returns the checksum it verified.

import type { ObjectMeta } from '../core/object-headers.ts';

export function checksumHeaders(meta: Pick<ObjectMeta, 'checksum'>): Record<string, string> {
  if (meta.checksum === undefined) return {};
  return {
    [`x-amz-checksum-${meta.checksum.algorithm.toLowerCase()}`]: meta.checksum.value,
    'x-amz-checksum-type': meta.checksum.type,
  };
}

export function requestedChecksumHeaders(
  request: Request,
  meta: Pick<ObjectMeta, 'checksum'>,
): Record<string, string> {
  const mode = request.headers.get('x-amz-checksum-mode');
  return mode?.toUpperCase() === 'ENABLED' ? checksumHeaders(meta) : {};
}
