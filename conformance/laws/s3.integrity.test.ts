// Upload integrity as S3 checks it: Content-MD5, the x-amz-checksum-* headers, and checksums of
// multipart uploads (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html).
// The suite computes every checksum with the AWS SDK's implementations (crc-digests.ts), never the target's.

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { keyArb } from '../arbitraries/keys.ts';
import { errorCode } from '../client/http-client.ts';
import { encodeKey } from '../client/s3-client.ts';
import { behaviour } from '../support/behaviour.ts';
import { ALGORITHMS, type Algorithm, checksum } from '../support/crc-digests.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { requireOwnBuckets, sha256 } from '../support/mirror-laws.ts';
import { MIN_PART_SIZE, MultipartCalls, partBytes, xmlRoot } from '../support/multipart-calls.ts';

const fixture = useLawFixture();
const calls = () => new MultipartCalls(fixture.target.client.http);
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('base64');
const header = (algorithm: Algorithm) => `x-amz-checksum-${algorithm.toLowerCase()}`;

/** A body and a different one of the same length, so only the digest tells them apart. */
const bodyPairArb = fc.uint8Array({ minLength: 1, maxLength: 3000 }).chain((body) =>
  fc.nat({ max: body.length - 1 }).map((at) => {
    const other = Uint8Array.from(body);
    other[at] = ((other[at] ?? 0) + 1) & 0xff;
    return [body, other] as const;
  }),
);

describe('upload integrity', () => {
  behaviour(
    's3.content-md5',
    'a Content-MD5 that is not the body digest is 400 BadDigest, one that is not base64 of 16 bytes 400 InvalidDigest; neither stores',
    async () => {
      requireOwnBuckets(fixture);
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          bodyPairArb,
          fc.constantFrom('put', 'part'),
          fc.constantFrom('mismatch', 'not-16-bytes', 'right'),
          async (key, [body, other], where, kind) => {
            const bucket = await fixture.bucket();
            const value = { mismatch: md5(other), 'not-16-bytes': 'bm90IGFuIG1kNQ==', right: md5(body) }[
              kind
            ];
            const headers = { 'content-md5': value };
            const uploadId = where === 'part' ? await calls().start(bucket, key) : '';
            const sent =
              where === 'put'
                ? await fixture.target.client.putObject(bucket, key, body, headers)
                : await calls().uploadPart(bucket, key, uploadId, 1, body, headers);
            if (kind === 'right') expect(sent.status).toBe(200);
            else
              expect([sent.status, errorCode(sent)]).toEqual([
                400,
                kind === 'mismatch' ? 'BadDigest' : 'InvalidDigest',
              ]);
            if (where === 'put') {
              const got = await fixture.target.client.getObject(bucket, key);
              expect(got.status).toBe(kind === 'right' ? 200 : 404);
            } else {
              const parts = xmlRoot(await calls().listParts(bucket, key, uploadId), 'ListPartsResult');
              expect(parts.Part === undefined).toBe(kind !== 'right');
              await calls().abort(bucket, key, uploadId);
            }
          },
        ),
      );
    },
  );

  behaviour(
    's3.checksum-verified',
    'an x-amz-checksum-* header that does not match the body is 400 BadDigest; a matching one is stored and returned with checksum mode',
    async () => {
      requireOwnBuckets(fixture);
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          bodyPairArb,
          fc.constantFrom(...ALGORITHMS),
          fc.boolean(),
          async (key, [body, other], algorithm, right) => {
            const bucket = await fixture.bucket();
            const value = await checksum(algorithm, right ? body : other);
            const put = await fixture.target.client.putObject(bucket, key, body, {
              [header(algorithm)]: value,
            });
            if (!right) {
              expect([put.status, errorCode(put)]).toEqual([400, 'BadDigest']);
              expect((await fixture.target.client.headObject(bucket, key)).status).toBe(404);
              return;
            }
            expect(put.status).toBe(200);
            const got = await fixture.target.client.getObject(bucket, key, {
              headers: { 'x-amz-checksum-mode': 'ENABLED' },
            });
            expect(sha256(got.body)).toBe(sha256(body));
            expect(got.headers[header(algorithm)]).toBe(value);
            const head = await fixture.target.client.http.send({
              method: 'HEAD',
              path: `/${bucket}/${encodeKey(key)}`,
              headers: { 'x-amz-checksum-mode': 'ENABLED' },
            });
            expect(head.headers[header(algorithm)]).toBe(value);
          },
        ),
      );
    },
  );

  behaviour(
    's3.multipart-checksum',
    'a multipart upload with a checksum algorithm returns part checksums and completes with the checksum of checksums and -N',
    async () => {
      requireOwnBuckets(fixture);
      const composite = ALGORITHMS.filter((algorithm) => algorithm !== 'CRC64NVME');
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          fc.constantFrom(...composite),
          fc.integer({ min: 0, max: 5000 }),
          fc.boolean(),
          async (key, algorithm, lastSize, wrongPart) => {
            const bucket = await fixture.bucket();
            const uploadId = await calls().start(bucket, key, { 'x-amz-checksum-algorithm': algorithm });
            const parts = [partBytes(MIN_PART_SIZE, 1), partBytes(lastSize, 2)];
            if (wrongPart) {
              const refused = await calls().uploadPart(bucket, key, uploadId, 1, parts[0] as Uint8Array, {
                [header(algorithm)]: await checksum(algorithm, parts[1] as Uint8Array),
              });
              expect([refused.status, errorCode(refused)]).toEqual([400, 'BadDigest']);
            }
            const done = [];
            for (const [index, part] of parts.entries()) {
              const value = await checksum(algorithm, part);
              const sent = await calls().uploadPart(bucket, key, uploadId, index + 1, part, {
                [header(algorithm)]: value,
              });
              expect(sent.status).toBe(200);
              expect(sent.headers[header(algorithm)]).toBe(value);
              done.push({
                partNumber: index + 1,
                etag: sent.headers.etag ?? '',
                checksum: [`Checksum${algorithm}`, value] as [string, string],
              });
            }
            const completed = await calls().complete(bucket, key, uploadId, done);
            expect(completed.status).toBe(200);
            const raw = Buffer.concat(done.map(({ checksum: [, value] }) => Buffer.from(value, 'base64')));
            const expected = `${await checksum(algorithm, raw)}-2`;
            expect(xmlRoot(completed, 'CompleteMultipartUploadResult')[`Checksum${algorithm}`]).toBe(
              expected,
            );
            const got = await fixture.target.client.getObject(bucket, key, {
              headers: { 'x-amz-checksum-mode': 'ENABLED' },
            });
            expect(got.headers[header(algorithm)]).toBe(expected);
            expect(sha256(got.body)).toBe(sha256(Buffer.concat(parts)));
          },
        ),
        { numRuns: 4 },
      );
    },
  );
});
