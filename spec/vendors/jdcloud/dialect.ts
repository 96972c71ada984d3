// JD Cloud OSS back-to-source rules. They are not configured through the S3-compatible API but through
// JD Cloud's OpenAPI: PUT, GET and DELETE on the host and path the record (vendor.ts) names, JSON both
// ways, success 200 with a `requestId` [jd-api]. The PUT body is `{ "backSourceRules": [BackSourceRule...] }`,
// at most 5 rules matched in order [jd-guide].
//
// Field by field, every BackSourceRule field is optional in the API reference [jd-api]; what the guide adds
// (the address is required, headers that can never be configured, 404 as the only trigger, the intranet
// endpoint refused) is enforced here with the guide as the source [jd-guide].

import { type Dialect, DialectError } from '../../dialects/dialect.ts';
import type { MirrorConfigurationDocument } from '../../model.ts';
import { invalidArgument, NOT_FOUND, parseBody, readRule, rulesOf } from './parse.ts';
import { jdcloudGetAnswer, renderRule } from './render.ts';

export const jdcloudDialect: Dialect = {
  id: 'jdcloud',
  title: 'JD Cloud OSS putBackSourceConfiguration',
  contentType: 'application/json',

  parse(body) {
    return { configuration: { rules: rulesOf(parseBody(body)).map(readRule) }, extras: {} };
  },

  render(configuration: MirrorConfigurationDocument) {
    return JSON.stringify({ backSourceRules: configuration.rules.map(renderRule) });
  },

  getAnswer: jdcloudGetAnswer,

  errors: {
    noConfiguration(bucket) {
      // The answer of JD's OpenAPI for a missing resource (404 NOT_FOUND in its return-code tables).
      return new DialectError(
        404,
        NOT_FOUND,
        `bucket '${bucket}' has no back-to-source configuration; PUT one with putBackSourceConfiguration first`,
      );
    },
    invalid(message) {
      return invalidArgument(message);
    },
  },

  errorBody(error, context) {
    return {
      contentType: 'application/json',
      body: JSON.stringify({
        requestId: context.requestId,
        error: { code: error.status, status: error.code, message: error.message },
      }),
    };
  },

  // PUT and DELETE answer 200 with the request id [jd-api].
  putAnswer(_unchanged, requestId) {
    return { status: 200, contentType: 'application/json', body: JSON.stringify({ requestId }) };
  },

  deleteAnswer(requestId) {
    return { status: 200, contentType: 'application/json', body: JSON.stringify({ requestId }) };
  },
};
