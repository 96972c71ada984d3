// Kingsoft Cloud KS3 mirror rules: PUT, GET and DELETE on the bucket subresource the record (vendor.ts) names, with a JSON body [ks3-api][ks3-go-model].
// Each of the up to 20 `sync_mirror_rules` becomes a `mirror` rule `sync-<n>` (1-based, in order); the one
// `async_mirror_rule` becomes a `redirect-async` rule `async`, placed last. KS3 rules carry no ids, so the
// neutral ids are lost on the way out and rebuilt by position on the way in.

import { type Dialect, DialectError } from '../../dialects/dialect.ts';
import { invalid, parse } from './parse.ts';
import { escapeXml, render } from './render.ts';

export const ks3Dialect: Dialect = {
  id: 'ks3',
  title: 'Kingsoft Cloud KS3 PUT Bucket Mirror',
  contentType: 'application/json',
  parse,
  render,
  errors: {
    // Code and message of KS3's DELETE Bucket Mirror page (https://docs.ksyun.com/documents/42314).
    noConfiguration: () => new DialectError(404, 'NoSuchBucketMirror', 'The bucket mirror does not exist.'),
    invalid,
  },
  // The error body of the same page: XML with Code, Message, Resource and RequestId, in that order.
  errorBody: (error, { requestId, resource }) => ({
    contentType: 'application/xml',
    body:
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      `<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>` +
      `<Resource>${escapeXml(resource)}</Resource><RequestId>${escapeXml(requestId)}</RequestId></Error>`,
  }),
  // PUT answers 200 without a body, as S3's bucket subresources do; KS3 publishes no PUT example.
  putAnswer: () => ({ status: 200 }),
  // 204 No Content (https://docs.ksyun.com/documents/42314).
  deleteAnswer: () => ({ status: 204 }),
};
