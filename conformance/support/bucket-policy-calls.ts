// The judgement of law auth.bucket-policy, shared by the law (conformance/laws/auth.bucket-policy.test.ts)
// and the test that proves it can fail (conformance/bucket-policy-fault.test.ts): a bucket policy as S3
// evaluates it [s3-bucket-policies], Alice owning the bucket, Bob another user, and anonymous callers.

import { expect } from 'vitest';
import { type Keys, signedFetch } from '../client/signed-fetch.ts';

interface Users {
  alice: Keys;
  bob: Keys;
}

type Call = { method: string; path: string; query?: Record<string, string>; body?: string };

const statement = (effect: string, principal: unknown, action: string, resource: string) => ({
  Effect: effect,
  Principal: principal,
  Action: action,
  Resource: resource,
});

/** Requests as a user (signed) or as anyone (unsigned), and the policy calls, on one bucket. */
function caller(endpoint: string, bucket: string) {
  const as = (keys: Keys | undefined, call: Call) =>
    keys
      ? signedFetch(endpoint, keys, call)
      : fetch(`${endpoint}${call.path}`, { method: call.method, ...(call.body ? { body: call.body } : {}) });
  const status = async (keys: Keys | undefined, call: Call) => (await as(keys, call)).status;
  const setPolicy = async (keys: Keys, ...statements: object[]) =>
    as(keys, {
      method: 'PUT',
      path: `/${bucket}`,
      query: { policy: '' },
      body: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    });
  return { as, status, setPolicy };
}

/** Alice's bucket is private and holds doc.txt; policies change what Bob and anyone may do. */
export async function judgeBucketPolicy(endpoint: string, users: Users, bucket: string): Promise<void> {
  await judgeAllowsAndDenies(endpoint, users, bucket);
  await judgePolicyCalls(endpoint, users, bucket);
}

/** An Allow opens exactly what it names, to whom it names; a Deny binds the owner too. */
async function judgeAllowsAndDenies(endpoint: string, users: Users, bucket: string): Promise<void> {
  const { status, setPolicy } = caller(endpoint, bucket);
  const arn = `arn:aws:s3:::${bucket}`;
  const upload = { method: 'POST', path: `/${bucket}/mpobj`, query: { uploads: '' } };
  const anonymousGet = { method: 'GET', path: `/${bucket}/doc.txt` };

  expect(await status(users.alice, { method: 'PUT', path: `/${bucket}` })).toBe(200);
  expect(await status(users.alice, { method: 'PUT', path: `/${bucket}/doc.txt`, body: 'doc' })).toBe(200);
  expect(await status(users.bob, upload), 'without a policy Bob may not write').toBe(403);
  expect(await status(undefined, anonymousGet), 'without a policy nobody else reads').toBe(403);

  const onBucket = await setPolicy(users.alice, statement('Allow', { AWS: '*' }, 's3:PutObject', arn));
  expect(onBucket.status, `PutBucketPolicy: ${await onBucket.clone().text()}`).toBe(204);
  expect(await status(users.bob, upload), "an Allow on the bucket's ARN is not one on its objects").toBe(403);

  await setPolicy(users.alice, statement('Allow', { AWS: '*' }, 's3:PutObject', `${arn}/mpobj`));
  expect(await status(users.bob, upload), "an Allow on the object's ARN lets Bob write it").toBe(200);
  const other = { method: 'PUT', path: `/${bucket}/other.txt`, body: 'bob' };
  expect(await status(users.bob, other), 'and no other key').toBe(403);

  const reading = statement('Allow', '*', 's3:GetObject', `${arn}/*`);
  await setPolicy(users.alice, reading);
  expect(await status(undefined, anonymousGet), 'an Allow of s3:GetObject to "*" lets anyone read').toBe(200);
  expect(await status(undefined, { method: 'GET', path: `/${bucket}?list-type=2` }), 'but not list').toBe(
    403,
  );

  await setPolicy(users.alice, reading, statement('Deny', '*', 's3:DeleteObject', `${arn}/*`));
  const remove = { method: 'DELETE', path: `/${bucket}/doc.txt` };
  expect(await status(users.alice, remove), 'a Deny binds the owner too').toBe(403);
  expect(await status(users.alice, anonymousGet), 'and the object is still there').toBe(200);
}

/** GetBucketPolicy answers what was stored; a refused policy changes nothing; only the owner calls them. */
async function judgePolicyCalls(endpoint: string, users: Users, bucket: string): Promise<void> {
  const { as, status, setPolicy } = caller(endpoint, bucket);
  const reading = statement('Allow', '*', 's3:GetObject', `arn:aws:s3:::${bucket}/*`);
  const anonymousGet = { method: 'GET', path: `/${bucket}/doc.txt` };
  const kept = await (
    await as(users.alice, { method: 'GET', path: `/${bucket}`, query: { policy: '' } })
  ).text();
  expect(JSON.parse(kept).Statement, 'GetBucketPolicy returns the policy stored').toHaveLength(2);
  const refused: [string, number][] = [
    ['not a policy', 400],
    [
      JSON.stringify({ Statement: [{ ...reading, Condition: { Bool: { 'aws:SecureTransport': 'true' } } }] }),
      501,
    ],
    [
      JSON.stringify({
        Statement: [statement('Allow', '*', 's3:GetObject', 'arn:aws:s3:::another-bucket/*')],
      }),
      400,
    ],
  ];
  for (const [body, expected] of refused) {
    const response = await as(users.alice, {
      method: 'PUT',
      path: `/${bucket}`,
      query: { policy: '' },
      body,
    });
    expect(response.status, `PutBucketPolicy ${body}: ${await response.text()}`).toBe(expected);
  }
  const still = await (
    await as(users.alice, { method: 'GET', path: `/${bucket}`, query: { policy: '' } })
  ).text();
  expect(still, 'a refused policy leaves the one stored').toBe(kept);
  expect(
    await status(users.bob, { method: 'GET', path: `/${bucket}`, query: { policy: '' } }),
    "Bob may not read Alice's policy",
  ).toBe(403);
  expect((await setPolicy(users.bob, reading)).status, 'nor set it').toBe(403);

  expect(await status(users.alice, { method: 'DELETE', path: `/${bucket}`, query: { policy: '' } })).toBe(
    204,
  );
  const gone = await as(users.alice, { method: 'GET', path: `/${bucket}`, query: { policy: '' } });
  expect(gone.status).toBe(404);
  expect(await gone.text()).toContain('<Code>NoSuchBucketPolicy</Code>');
  expect(await status(undefined, anonymousGet), 'without its policy the bucket is private again').toBe(403);
}
