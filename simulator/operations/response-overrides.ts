// GetObject's response-header overrides [s3-getobject]: `response-content-type=…` and its five siblings
// set that header on a successful answer, whether the object came from the bucket or from an origin. A
// 304, 412 or error answer is the one S3 would give without them.

import { RESPONSE_OVERRIDES } from '../../spec/vendors/vendor.ts';

/** The answer with each override asked for in `rawQuery` set as its header (on a 200 or 206 only). */
export function withResponseOverrides(response: Response, rawQuery: string): Response {
  if (rawQuery === '' || (response.status !== 200 && response.status !== 206)) return response;
  const query = new URLSearchParams(rawQuery);
  for (const parameter of RESPONSE_OVERRIDES) {
    const value = query.get(parameter);
    if (value !== null) response.headers.set(parameter.slice('response-'.length), value);
  }
  return response;
}
