// The judgement of law auth.public-read-bucket, shared by the law (conformance/laws/auth.test.ts) and
// the test that proves it can fail (conformance/public-read-fault.test.ts): S3's ACLs, where a bucket's
// ACL covers the bucket and an object's ACL the object [s3-acl-overview]. A public-read bucket (READ for
// AllUsers) may be listed by anyone; its objects are read by anyone only when written public-read.

import { expect } from 'vitest';
import { type Keys, signedFetch } from '../client/signed-fetch.ts';

async function errorCode(response: Response): Promise<string | undefined> {
  return /<Code>([^<]*)<\/Code>/.exec(await response.text())?.[1];
}

/** Signed set-up: `bucket` public-read, holding `open` (public-read), `closed` and `kept` (private). */
async function publicBucket(endpoint: string, keys: Keys, bucket: string): Promise<void> {
  const put = async (path: string, headers: Record<string, string>, body?: string) => {
    const response = await signedFetch(endpoint, keys, {
      method: 'PUT',
      path,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    expect(response.status, `PUT ${path}: ${await response.clone().text()}`).toBe(200);
  };
  await put(`/${bucket}`, { 'x-amz-acl': 'public-read' });
  await put(`/${bucket}/open`, { 'x-amz-acl': 'public-read' }, 'open bytes');
  await put(`/${bucket}/closed`, {}, 'closed bytes');
  await put(`/${bucket}/kept`, { 'x-amz-acl': 'private' }, 'kept bytes');
}

/**
 * Anyone lists a public-read bucket (ListObjects, ListObjectsV2, ListObjectVersions, HeadBucket) and
 * reads its public-read object; its private objects are 403 AccessDenied to anyone but the owner, as is
 * every write; once the bucket is made private again, its listing is closed too.
 */
export async function judgePublicReadBucket(endpoint: string, keys: Keys, bucket: string): Promise<void> {
  await publicBucket(endpoint, keys, bucket);
  for (const query of ['', '?list-type=2', '?versions']) {
    const listed = await fetch(`${endpoint}/${bucket}${query}`);
    const text = await listed.text();
    expect(listed.status, `an anonymous GET /${bucket}${query}: ${text}`).toBe(200);
    for (const key of ['open', 'closed', 'kept']) expect(text, `${query} lists ${key}`).toContain(key);
  }
  expect((await fetch(`${endpoint}/${bucket}`, { method: 'HEAD' })).status, 'HeadBucket').toBe(200);

  const open = await fetch(`${endpoint}/${bucket}/open`);
  expect(open.status, 'the public-read object').toBe(200);
  expect(await open.text()).toBe('open bytes');
  for (const key of ['closed', 'kept']) {
    const denied = await fetch(`${endpoint}/${bucket}/${key}`);
    expect(denied.status, `an object written private (${key}) in a public-read bucket`).toBe(403);
    expect(await errorCode(denied), key).toBe('AccessDenied');
    expect((await fetch(`${endpoint}/${bucket}/${key}`, { method: 'HEAD' })).status, key).toBe(403);
  }
  for (const [method, path] of [
    ['PUT', `/${bucket}/open`],
    ['DELETE', `/${bucket}/open`],
    ['DELETE', `/${bucket}`],
    ['GET', `/${bucket}?acl`],
    ['GET', `/${bucket}?uploads`],
  ] as const) {
    const response = await fetch(`${endpoint}${path}`, {
      method,
      ...(method === 'PUT' ? { body: 'x' } : {}),
    });
    expect(response.status, `an anonymous ${method} ${path}`).toBe(403);
  }
  // Nothing was changed by the refused calls, and the owner still reads every object.
  const owned = await signedFetch(endpoint, keys, { method: 'GET', path: `/${bucket}/closed` });
  expect(await owned.text()).toBe('closed bytes');
  expect(await (await fetch(`${endpoint}/${bucket}/open`)).text()).toBe('open bytes');

  const closing = await signedFetch(endpoint, keys, {
    method: 'PUT',
    path: `/${bucket}`,
    query: { acl: '' },
    headers: { 'x-amz-acl': 'private' },
  });
  expect(closing.status, await closing.clone().text()).toBe(200);
  expect((await fetch(`${endpoint}/${bucket}?list-type=2`)).status, 'a private bucket is not listed').toBe(
    403,
  );
  expect((await fetch(`${endpoint}/${bucket}/open`)).status, 'a public-read object stays public').toBe(200);
}

/**
 * Anyone lists a public-read-write bucket and writes objects into it (PUT, DELETE, a multipart upload);
 * what it writes is read as its ACL says; the bucket's ACL and policy stay the owner's. Once the bucket
 * is made public-read, anonymous writes are 403 and change nothing.
 */
export async function judgePublicWriteBucket(endpoint: string, keys: Keys, bucket: string): Promise<void> {
  const made = await signedFetch(endpoint, keys, {
    method: 'PUT',
    path: `/${bucket}`,
    headers: { 'x-amz-acl': 'public-read-write' },
  });
  expect(made.status, await made.clone().text()).toBe(200);
  const anyone = (method: string, path: string, init: RequestInit = {}) =>
    fetch(`${endpoint}/${bucket}${path}`, { method, ...init });
  const put = await anyone('PUT', '/dropped.txt', {
    body: 'dropped',
    headers: { 'x-amz-acl': 'public-read' },
  });
  expect(put.status, `an anonymous PUT into a public-read-write bucket: ${await put.text()}`).toBe(200);
  expect(await (await anyone('GET', '/dropped.txt')).text(), 'its public-read object').toBe('dropped');
  const upload = await anyone('POST', '/parts.bin?uploads');
  expect(upload.status, 'an anonymous CreateMultipartUpload').toBe(200);
  expect((await anyone('GET', '?list-type=2')).status, 'the listing').toBe(200);
  expect((await anyone('DELETE', '/dropped.txt')).status, 'an anonymous DELETE').toBe(204);
  expect((await anyone('PUT', '/private.txt', { body: 'closed' })).status).toBe(200);
  expect((await anyone('GET', '/private.txt')).status, 'an object written private is still private').toBe(
    403,
  );
  for (const [method, path] of [
    ['PUT', '?acl'],
    ['GET', '?acl'],
    ['DELETE', ''],
  ] as const) {
    expect((await anyone(method, path)).status, `an anonymous ${method} ${path || '(the bucket)'}`).toBe(403);
  }
  const closing = await signedFetch(endpoint, keys, {
    method: 'PUT',
    path: `/${bucket}`,
    query: { acl: '' },
    headers: { 'x-amz-acl': 'public-read' },
  });
  expect(closing.status).toBe(200);
  expect((await anyone('PUT', '/late.txt', { body: 'late' })).status, 'public-read takes writes back').toBe(
    403,
  );
  const late = await signedFetch(endpoint, keys, { method: 'GET', path: `/${bucket}/late.txt` });
  expect(late.status, 'the refused write stored nothing').toBe(404);
}
