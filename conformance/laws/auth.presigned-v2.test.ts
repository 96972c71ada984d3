// AWS Signature Version 2 presigned URLs, as boto3 and s3cmd make them by default, signed by the suite's
// own presigner (conformance/client/presign-v2.ts) and fetched as a browser or curl would. Each law also
// runs against a gateway that checks nothing (resigning-gateway.ts), where it must fail.

import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../simulator/index.ts';
import { fitKey, keyArb } from '../arbitraries/keys.ts';
import { presignedV2Url } from '../client/presign-v2.ts';
import { expectLawFailure, type Gateway, startResigningGateway } from '../client/resigning-gateway.ts';
import type { Keys } from '../client/signed-fetch.ts';
import { behaviour } from '../support/behaviour.ts';
import { encodedSegment } from '../support/encoded-segment.ts';
import { sha256 } from '../support/mirror-laws.ts';

const KEYS: Keys = { accessKeyId: 'v2-access', secretAccessKey: 'v2-secret' };
const BUCKET = 'presigned-v2';
const RUNS = 15;

let running: RunningSimulator;
let gateway: Gateway;
let s3: S3Client;

beforeAll(async () => {
  running = await startSimulator({ credentials: KEYS });
  gateway = await startResigningGateway(running.endpoint, KEYS, 'us-east-1');
  s3 = new S3Client({
    endpoint: running.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: KEYS,
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

afterAll(async () => {
  s3?.destroy();
  await gateway?.close();
  await running?.close();
});

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
const bodyArb = fc.uint8Array({ minLength: 0, maxLength: 2048 });

async function stored(key: string): Promise<string | undefined> {
  try {
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return sha256((await got.Body?.transformToByteArray()) ?? new Uint8Array());
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

const codeOf = async (response: Response) => /<Code>([^<]*)<\/Code>/.exec(await response.text())?.[1];

/** Law: a URL signed with the keys GETs the object's bytes and PUTs new ones, for any key. */
async function signedUrlsWork(endpoint: string): Promise<void> {
  await fc.assert(
    fc.asyncProperty(keyArb.map(fitKey), bodyArb, async (key, body) => {
      const path = `/${BUCKET}/${key.split('/').map(encodedSegment).join('/')}`;
      const put = await fetch(presignedV2Url(endpoint, KEYS, { method: 'PUT', path, expires: inAnHour() }), {
        method: 'PUT',
        body,
      });
      expect(put.status, await put.clone().text()).toBe(200);
      expect(await stored(key)).toBe(sha256(body));
      const got = await fetch(presignedV2Url(endpoint, KEYS, { method: 'GET', path, expires: inAnHour() }));
      expect(got.status).toBe(200);
      expect(sha256(new Uint8Array(await got.arrayBuffer()))).toBe(sha256(body));
    }),
    { numRuns: RUNS },
  );
}

/** Law: a URL past its Expires, or signed with another secret, is 403 and its PUT stores nothing. */
async function badUrlsAreRefused(endpoint: string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'guarded', Body: 'before' }));
  const before = await stored('guarded');
  const cases = fc.oneof(
    fc.record({
      fault: fc.constant('expired' as const),
      secondsAgo: fc.integer({ min: 1, max: 10 * 365 * 86_400 }),
    }),
    fc.record({
      fault: fc.constant('other secret' as const),
      secret: fc.string({ minLength: 1, maxLength: 40 }),
    }),
  );
  await fc.assert(
    fc.asyncProperty(cases, fc.constantFrom('GET' as const, 'PUT' as const), async (bad, method) => {
      const now = Math.floor(Date.now() / 1000);
      const expired = bad.fault === 'expired';
      fc.pre(expired || bad.secret !== KEYS.secretAccessKey);
      const keys = expired ? KEYS : { ...KEYS, secretAccessKey: bad.secret };
      const expires = expired ? now - bad.secondsAgo : now + 3600;
      const url = presignedV2Url(endpoint, keys, { method, path: `/${BUCKET}/guarded`, expires });
      const response = await fetch(url, { method, ...(method === 'PUT' ? { body: 'after' } : {}) });
      expect(response.status).toBe(403);
      const text = await response.text();
      if (expired) expect(text).toMatch(/<Code>AccessDenied<\/Code><Message>Request has expired/);
      else expect(text).toContain('<Code>SignatureDoesNotMatch</Code>');
      expect(await stored('guarded')).toBe(before);
    }),
    { numRuns: RUNS },
  );
}

describe('V2 presigned URLs', () => {
  behaviour('auth.presigned-v2', 'a URL signed with the keys GETs and PUTs any key', () =>
    signedUrlsWork(running.endpoint),
  );

  behaviour(
    'auth.presigned-v2',
    'a URL past its Expires is 403 AccessDenied, one signed with another secret 403 SignatureDoesNotMatch, and neither changes the object',
    () => badUrlsAreRefused(running.endpoint),
  );

  behaviour(
    'auth.presigned-v2',
    'a URL whose query was changed after signing is 403 SignatureDoesNotMatch',
    async () => {
      const url = presignedV2Url(running.endpoint, KEYS, {
        method: 'GET',
        path: `/${BUCKET}/guarded`,
        expires: inAnHour(),
      });
      const other = url.replace('/guarded?', '/other?');
      const response = await fetch(other);
      expect(response.status).toBe(403);
      expect(await codeOf(response)).toBe('SignatureDoesNotMatch');
      // A response override is a sub-resource: signed, never added afterwards.
      const overridden = await fetch(`${url}&response-content-type=text%2Fhtml`);
      expect(await codeOf(overridden)).toBe('SignatureDoesNotMatch');
    },
  );
});

describe('the laws catch a gateway that checks no signature', () => {
  it('the refusal law fails against it, with a counterexample', async () => {
    await expectLawFailure(badUrlsAreRefused(gateway.endpoint), /expected 200 to be 403/);
  });
});
