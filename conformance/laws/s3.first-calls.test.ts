// What clients ask before anything else, and what they must be told: where a bucket is
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html), that a bucket is missing
// whatever else the request carries, and the response-* header overrides of a download link
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html).

import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { errorCode, type HttpRequest } from '../client/http-client.ts';
import { encodeKey } from '../client/s3-client.ts';
import { behaviour } from '../support/behaviour.ts';
import { bucketRegion, judgeCreateAgain } from '../support/create-bucket-calls.ts';
import { useLawFixture } from '../support/law-fixture.ts';

const fixture = useLawFixture();

/** Requests on a missing bucket, each with something S3 servers commonly do not implement. */
function onMissingBucket(bucket: string): HttpRequest[] {
  const object = `/${bucket}/${encodeKey('some/key')}`;
  return [
    { method: 'GET', path: `/${bucket}?acl` },
    { method: 'GET', path: `/${bucket}?location` },
    { method: 'GET', path: `/${bucket}?versioning` },
    { method: 'GET', path: `/${bucket}` },
    {
      method: 'GET',
      path: `/${bucket}?list-type=2`,
      headers: { 'x-amz-optional-object-attributes': 'RestoreStatus' },
    },
    { method: 'PUT', path: object, headers: { 'x-amz-tagging': 'colour=blue' }, body: 'x' },
    { method: 'PUT', path: object, headers: { 'x-amz-storage-class': 'GLACIER' }, body: 'x' },
    { method: 'GET', path: `${object}?versionId=3HL4kqtJlcpXroDTDmJ` },
    { method: 'GET', path: `${object}?tagging` },
    { method: 'GET', path: object, headers: { 'x-amz-server-side-encryption-customer-algorithm': 'AES256' } },
    { method: 'DELETE', path: object, headers: { 'x-amz-mfa': '123456 000000' } },
  ];
}

const OVERRIDES: Record<string, string> = {
  'content-type': 'text/x-law',
  'content-language': 'fr-CA',
  expires: 'Thu, 01 Jan 2099 00:00:00 GMT',
  'cache-control': 'no-store, max-age=0',
  'content-disposition': 'attachment; filename="a b.txt"',
  'content-encoding': 'identity',
};

describe('the first calls of every client', () => {
  behaviour(
    's3.bucket-location',
    'GetBucketLocation answers a LocationConstraint for a bucket and 404 NoSuchBucket for a missing one',
    async () => {
      const bucket = await fixture.bucket();
      const found = await fixture.target.client.http.send({ method: 'GET', path: `/${bucket}?location` });
      const xml = Buffer.from(found.body).toString('utf8');
      expect(found.status, xml).toBe(200);
      expect(xml).toMatch(/<LocationConstraint[\s>/]/);
      const missing = await fixture.target.client.http.send({ method: 'GET', path: `/${bucket}x?location` });
      expect(missing.status).toBe(404);
      expect(errorCode(missing)).toBe('NoSuchBucket');
    },
  );

  behaviour(
    's3.create-bucket-again',
    "re-creating one's own bucket is 200 and resets its ACL in us-east-1, 409 BucketAlreadyOwnedByYou elsewhere; its objects stay",
    async () => {
      const bucket = await fixture.bucket();
      const send = (request: HttpRequest) => fixture.target.client.http.send(request);
      // A vendor profile's store is not S3 in us-east-1: only its 409 is asked for.
      const neutral = fixture.target.capabilities.profile.id === 'neutral';
      const legacy = neutral && (await bucketRegion(send, bucket)) === 'us-east-1';
      await judgeCreateAgain(send, bucket, legacy);
    },
  );

  behaviour(
    's3.missing-bucket-first',
    'a request on a missing bucket is 404 NoSuchBucket whatever header or sub-resource it carries',
    async () => {
      // A name next to a bucket of the run's own, never created.
      const missing = `${await fixture.bucket()}x`;
      for (const request of onMissingBucket(missing)) {
        const result = await fixture.target.client.http.send(request);
        const what = `${request.method} ${request.path} ${JSON.stringify(request.headers ?? {})}`;
        expect(result.status, what).toBe(404);
        expect(errorCode(result), what).toBe('NoSuchBucket');
      }
    },
  );

  behaviour(
    's3.response-overrides',
    'a GET with response-* parameters answers the same bytes with each header set as asked',
    async () => {
      const bucket = await fixture.bucket();
      const put = await fixture.target.client.putObject(bucket, 'download.txt', 'the bytes', {
        'content-type': 'text/plain',
        'cache-control': 'max-age=60',
      });
      expect(put.status).toBe(200);
      await fc.assert(
        fc.asyncProperty(fc.subarray(Object.keys(OVERRIDES), { minLength: 1 }), async (names) => {
          const query = names
            .map((name) => `response-${name}=${encodeURIComponent(OVERRIDES[name] ?? '')}`)
            .join('&');
          const result = await fixture.target.client.getObject(bucket, 'download.txt', { query });
          expect(result.status, Buffer.from(result.body).toString('utf8')).toBe(200);
          expect(Buffer.from(result.body).toString('utf8')).toBe('the bytes');
          for (const name of names) expect(result.headers[name], name).toBe(OVERRIDES[name]);
        }),
        { numRuns: 20 },
      );
    },
  );
});
