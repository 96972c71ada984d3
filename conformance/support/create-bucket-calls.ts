// The judgement of law s3.create-bucket-again, shared by the law (conformance/laws/s3.first-calls.test.ts)
// and the test that proves it can fail (conformance/create-bucket-fault.test.ts). S3 answers a re-created
// bucket of one's own 409 BucketAlreadyOwnedByYou in every region but us-east-1, where "for legacy
// compatibility" it answers 200 OK and resets the bucket's ACL [s3-error-responses].

import { expect } from 'vitest';
import { errorCode, type HttpRequest, type HttpResult } from '../client/http-client.ts';

type Send = (request: HttpRequest) => Promise<HttpResult>;

const text = (result: HttpResult) => Buffer.from(result.body).toString('utf8');
const allUsers = (result: HttpResult) => text(result).includes('/groups/global/AllUsers');

/** The region GetBucketLocation names: an empty LocationConstraint is us-east-1, as S3 answers it. */
export async function bucketRegion(send: Send, bucket: string): Promise<string> {
  const found = await send({ method: 'GET', path: `/${bucket}?location` });
  expect(found.status, text(found)).toBe(200);
  return /<LocationConstraint[^>]*>([^<]*)</.exec(text(found))?.[1] || 'us-east-1';
}

/**
 * `bucket` exists and is the caller's. Made public-read and given an object, it is created again with
 * no x-amz-acl: with `legacy` (us-east-1) that is 200 and the ACL is private again, else 409
 * BucketAlreadyOwnedByYou and the ACL stays; either way its object is kept.
 */
export async function judgeCreateAgain(send: Send, bucket: string, legacy: boolean): Promise<void> {
  const opened = await send({
    method: 'PUT',
    path: `/${bucket}?acl`,
    headers: { 'x-amz-acl': 'public-read' },
  });
  expect(opened.status, text(opened)).toBe(200);
  const put = await send({ method: 'PUT', path: `/${bucket}/kept.txt`, body: 'kept' });
  expect(put.status, text(put)).toBe(200);

  const again = await send({ method: 'PUT', path: `/${bucket}` });
  if (legacy) {
    expect(again.status, `re-creating one's own bucket in us-east-1: ${text(again)}`).toBe(200);
  } else {
    expect(again.status, `re-creating one's own bucket outside us-east-1: ${text(again)}`).toBe(409);
    expect(errorCode(again)).toBe('BucketAlreadyOwnedByYou');
  }
  const acl = await send({ method: 'GET', path: `/${bucket}?acl` });
  expect(acl.status, text(acl)).toBe(200);
  expect(allUsers(acl), legacy ? 'the legacy 200 resets the ACL to private' : 'a 409 changes nothing').toBe(
    !legacy,
  );
  const kept = await send({ method: 'GET', path: `/${bucket}/kept.txt` });
  expect(kept.status, 'the object is kept').toBe(200);
  expect(text(kept)).toBe('kept');
}
