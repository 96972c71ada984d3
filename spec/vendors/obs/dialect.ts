// Huawei Cloud OBS back-to-source by mirroring: PutBucketMirrorBackToSource and its GET and DELETE on
// the subresource the record (vendor.ts) names, JSON both ways [obs-api][obs-api-zh][obs-get][obs-zhishi], as a translator to
// and from the neutral mirror configuration. Field names, limits and statuses follow those pages; the
// example body is in vendors.md a.6.
//
// Origins. An OBS rule splits its origins into `master` and `slave` (backup) lists
// [obs-get][obs-zhishi]; a neutral rule has one ordered list. `parse` puts the masters first, then the
// slaves, and keeps how many masters there were in the extras, under the rule id, so `render` splits the
// list at the same place. A rule without extras (written through the neutral API) renders its first
// origin as the master and the rest as slaves: the neutral list is tried in order, and the slaves are
// what OBS turns to when a master fails [obs-zhishi].
//
// `parse` returns the rule without defaults: an OBS field holding the neutral default (`passQueryString:
// false`, `mirrorFollowRedirect: true`, `passAll: false`, an empty header list) gives no neutral field,
// so a document read, written and read again gives the same neutral rule. `render` writes
// `passQueryString` and `mirrorFollowRedirect` every time, because OBS documents no default for
// `mirrorFollowRedirect` [obs-get] and a real bucket should not be left to guess.

import { type Dialect, DialectError } from '../../dialects/dialect.ts';
import { ruleCall } from '../vendor.ts';
import { invalidArgument, parseDocument } from './parse.ts';
import { renderDocument, xmlText } from './render.ts';
import { obs } from './vendor.ts';

export const obsDialect: Dialect = {
  id: 'obs',
  title: 'Huawei Cloud OBS PutBucketMirrorBackToSource',
  contentType: 'application/json',
  parse: parseDocument,
  render: renderDocument,
  errors: {
    // A GET without rules is 404 at OBS, but neither GetBucketMirrorBackToSource [obs-get] nor the error
    // table names its code; this name follows OBS's NoSuchBucketPolicy and the API's "policy json body".
    noConfiguration: (bucket) =>
      new DialectError(
        404,
        'NoSuchMirrorBackToSourcePolicy',
        `the bucket '${bucket}' has no back-to-source by mirroring rules; ${ruleCall('PUT', obs.ruleApi.address)} to add them`,
      ),
    invalid: (message) => invalidArgument(message),
  },
  // OBS answers errors in XML, this API included: Code, Message, Resource, RequestId, HostId
  // (https://support.huaweicloud.com/intl/id-id/ae-ad-1-api-obs/obs_04_0115.html).
  errorBody: (error, { requestId, resource }) => ({
    contentType: 'application/xml',
    body:
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error>' +
      `<Code>${xmlText(error.code)}</Code>` +
      `<Message>${xmlText(error.message)}</Message>` +
      `<Resource>${xmlText(resource)}</Resource>` +
      `<RequestId>${xmlText(requestId)}</RequestId>` +
      // OBS's HostId is an opaque base64 token; this one is derived from the request id, so it is deterministic.
      `<HostId>${Buffer.from(`mirrorspec/${requestId}`).toString('base64')}</HostId>` +
      '</Error>',
  }),
  // Idempotent: 200 when the same policy is already in force, 201 otherwise [obs-api].
  putAnswer: (unchanged) => ({ status: unchanged ? 200 : 201 }),
  // 204 No Content (https://support.huaweicloud.com/intl/en-us/api-obs/obs_04_0121.html).
  deleteAnswer: () => ({ status: 204 }),
};
