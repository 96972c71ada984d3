// The judgement of law auth.presigned-expires-range, shared by the law (conformance/laws/auth.test.ts)
// and the test that proves it can fail (conformance/presigned-expires-fault.test.ts). S3 takes an
// X-Amz-Expires of 0 to 604800 seconds: a negative one, one above a week or one that is not a number is
// 400 AuthorizationQueryParametersError, and one of 0 seconds has expired when it arrives (403
// AccessDenied, Request has expired), as S3 answers them [sig-v4] [s3-error-responses].

import { expect } from 'vitest';
import { type Keys, presignedUrl } from '../client/signed-fetch.ts';

async function codeAndMessage(response: Response): Promise<[string | undefined, string | undefined]> {
  const text = await response.text();
  return [/<Code>([^<]*)<\/Code>/.exec(text)?.[1], /<Message>([^<]*)<\/Message>/.exec(text)?.[1]];
}

/** `path` names an object the keys may read; a presigned GET of it is judged for each X-Amz-Expires. */
export async function judgePresignedExpires(endpoint: string, keys: Keys, path: string): Promise<void> {
  const url = await presignedUrl(endpoint, keys, path, { expiresIn: 60 });
  expect((await fetch(url)).status, 'the URL as signed').toBe(200);
  // Out of range, the URL is refused before its signature is looked at: no client can sign one.
  const outOfRange: [string, RegExp][] = [
    ['604801', /less than a week/],
    ['609901', /less than a week/],
    ['-1', /non-negative/],
    ['-1000', /non-negative/],
    ['soon', /should be a number/],
  ];
  for (const [expires, message] of outOfRange) {
    const response = await fetch(url.replace(/X-Amz-Expires=\d+/, `X-Amz-Expires=${expires}`));
    expect(response.status, `X-Amz-Expires=${expires}`).toBe(400);
    const [code, text] = await codeAndMessage(response);
    expect(code, `X-Amz-Expires=${expires}`).toBe('AuthorizationQueryParametersError');
    expect(text, `X-Amz-Expires=${expires}`).toMatch(message);
  }
  const zero = await fetch(await presignedUrl(endpoint, keys, path, { expiresIn: 0 }));
  expect(zero.status, 'X-Amz-Expires=0, correctly signed').toBe(403);
  const [code, text] = await codeAndMessage(zero);
  expect(code, 'X-Amz-Expires=0').toBe('AccessDenied');
  expect(text, 'X-Amz-Expires=0').toMatch(/Request has expired/);
}
