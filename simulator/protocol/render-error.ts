// The one place an error becomes a response. A store that is full is InsufficientStorage; anything else
// that is not an S3Error is an InternalError: the simulator never answers with a stack trace or a
// dropped connection for bad input.

import { S3Error } from '../errors/s3-error.ts';
import { StoreFull } from '../storage/object-store.ts';
import { xmlDocument } from './xml.ts';

export function renderError(
  error: unknown,
  context: { requestId: string; method: string; resource: string },
) {
  const s3Error =
    error instanceof S3Error
      ? error
      : error instanceof StoreFull
        ? new S3Error('InsufficientStorage', error.message)
        : new S3Error('InternalError', 'the simulator failed unexpectedly; the request changed nothing');
  if (!(error instanceof S3Error) && !(error instanceof StoreFull))
    console.error('mirrorspec: internal error', error);
  const headers = { 'content-type': 'application/xml', 'x-amz-request-id': context.requestId };
  // HEAD answers carry no body, as in S3.
  if (context.method === 'HEAD') return new Response(null, { status: s3Error.status, headers });
  const body = xmlDocument(
    'Error',
    [
      ['Code', s3Error.code],
      ['Message', s3Error.message],
      ['BucketName', s3Error.fields.bucket],
      ['Key', s3Error.fields.key],
      ['Resource', s3Error.fields.resource ?? context.resource],
      ['Region', s3Error.fields.region],
      ['RequestId', context.requestId],
    ],
    false,
  );
  return new Response(body, { status: s3Error.status, headers });
}
