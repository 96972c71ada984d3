// Multipart upload, as the S3 API reference states it: parts assembled at Complete, whole and at once, in
// part order, with the `-N` ETag; the part rules Complete enforces; abort; and the two listings
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html,
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html).

import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { keyArb } from '../arbitraries/keys.ts';
import { errorCode } from '../client/http-client.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { listPage } from '../support/list-objects.ts';
import { requireOwnBuckets, sha256 } from '../support/mirror-laws.ts';
import {
  type CompletedPart,
  MIN_PART_SIZE,
  MultipartCalls,
  multipartEtag,
  partBytes,
  xmlRoot,
} from '../support/multipart-calls.ts';

const fixture = useLawFixture();
const calls = () => new MultipartCalls(fixture.target.client.http);

/** Uploads `parts` as parts 1..n (or the numbers given) and returns what Complete needs. */
async function uploadParts(
  bucket: string,
  key: string,
  uploadId: string,
  parts: Uint8Array[],
  numbers = parts.map((_, index) => index + 1),
): Promise<CompletedPart[]> {
  const done: CompletedPart[] = [];
  for (const [index, part] of parts.entries()) {
    const partNumber = numbers[index] ?? index + 1;
    const result = await calls().uploadPart(bucket, key, uploadId, partNumber, part);
    expect(result.status, `UploadPart ${partNumber}`).toBe(200);
    done.push({ partNumber, etag: result.headers.etag ?? '' });
  }
  return done;
}

describe('multipart upload', () => {
  behaviour(
    's3.multipart-complete',
    'parts completed in order read back as their bytes in part order with the -N ETag, and nothing is visible before Complete',
    async () => {
      requireOwnBuckets(fixture);
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 0, max: 70_000 }),
          fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 3, maxLength: 3 }),
          async (key, count, lastSize, numbers) => {
            const bucket = await fixture.bucket();
            const uploadId = await calls().start(bucket, key);
            // Every part but the last at the 5 MiB minimum; part numbers need only ascend, not be dense.
            const sizes = Array.from({ length: count }, (_, index) =>
              index < count - 1 ? MIN_PART_SIZE : lastSize,
            );
            const parts = sizes.map((size, index) => partBytes(size, index + 1));
            const sorted = [...numbers].sort((a, b) => a - b).slice(0, count);
            const done = await uploadParts(bucket, key, uploadId, parts, sorted);
            expect(
              (await fixture.target.client.headObject(bucket, key)).status,
              'no object before Complete',
            ).toBe(404);
            expect((await listPage(fixture.target.client, bucket, {})).contents).toEqual([]);

            const completed = await calls().complete(bucket, key, uploadId, done);
            expect(completed.status).toBe(200);
            const etag = multipartEtag(parts);
            expect(xmlRoot(completed, 'CompleteMultipartUploadResult').ETag).toBe(etag);
            const got = await fixture.target.client.getObject(bucket, key);
            expect(got.status).toBe(200);
            expect(got.headers.etag).toBe(etag);
            expect(got.body.byteLength).toBe(sizes.reduce((a, b) => a + b, 0));
            expect(sha256(got.body)).toBe(sha256(Buffer.concat(parts)));
            const listed = (await listPage(fixture.target.client, bucket, {})).contents;
            expect(listed.map((entry) => [entry.key, entry.etag])).toEqual([[key, etag]]);
            expect((await calls().listParts(bucket, key, uploadId)).status, 'the upload is gone').toBe(404);
          },
        ),
        { numRuns: 3 },
      );
    },
  );

  behaviour(
    's3.multipart-complete',
    'a Complete repeated after success answers as the first did while the object is the one it made, and 404 NoSuchUpload once it is not',
    async () => {
      requireOwnBuckets(fixture);
      const bucket = await fixture.bucket();
      const key = 'retried/complete';
      const uploadId = await calls().start(bucket, key);
      const parts = [partBytes(1, 1)];
      const done = await uploadParts(bucket, key, uploadId, parts);
      const first = await calls().complete(bucket, key, uploadId, done);
      expect(first.status).toBe(200);
      // A client whose answer was lost retries: S3 answers the retry as it answered the Complete.
      const again = await calls().complete(bucket, key, uploadId, done);
      expect(again.status, Buffer.from(again.body).toString('utf8')).toBe(200);
      // The same object's ETag (the quotes aside: RGW leaves them off a retried Complete's answer).
      const unquoted = (etag: unknown) => String(etag).replaceAll('"', '');
      expect(unquoted(xmlRoot(again, 'CompleteMultipartUploadResult').ETag)).toBe(
        unquoted(multipartEtag(parts)),
      );
      expect((await fixture.target.client.getObject(bucket, key)).body.byteLength).toBe(1);
      expect((await fixture.target.client.putObject(bucket, key, 'overwritten')).status).toBe(200);
      const late = await calls().complete(bucket, key, uploadId, done);
      expect([late.status, errorCode(late)], 'after the object changed').toEqual([404, 'NoSuchUpload']);
      expect(Buffer.from((await fixture.target.client.getObject(bucket, key)).body).toString()).toBe(
        'overwritten',
      );
    },
  );

  behaviour(
    's3.multipart-part-rules',
    'Complete refuses parts out of order (InvalidPartOrder), unknown or with another ETag (InvalidPart), or under 5 MiB before the last (EntityTooSmall), storing nothing',
    async () => {
      requireOwnBuckets(fixture);
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          fc.constantFrom('order', 'unknown-part', 'wrong-etag', 'too-small'),
          fc.integer({ min: 1, max: 1000 }),
          async (key, fault, smallSize) => {
            const bucket = await fixture.bucket();
            const uploadId = await calls().start(bucket, key);
            // One fault at a time: only the order case lists part 1 before another, so it gets 5 MiB.
            const firstSize = fault === 'order' ? MIN_PART_SIZE : smallSize;
            const parts = [partBytes(firstSize, 1), partBytes(smallSize, 2)];
            const done = await uploadParts(bucket, key, uploadId, parts);
            const [first, second] = done as [CompletedPart, CompletedPart];
            const listed: Record<typeof fault, CompletedPart[]> = {
              order: [second, first],
              'unknown-part': [{ ...first, partNumber: 3 }],
              'wrong-etag': [{ ...first, etag: second.etag }],
              'too-small': [first, second],
            };
            const expected = {
              order: 'InvalidPartOrder',
              'unknown-part': 'InvalidPart',
              'wrong-etag': 'InvalidPart',
              'too-small': 'EntityTooSmall',
            }[fault];
            const refused = await calls().complete(bucket, key, uploadId, listed[fault]);
            expect([refused.status, errorCode(refused)]).toEqual([400, expected]);
            expect((await fixture.target.client.headObject(bucket, key)).status, 'nothing stored').toBe(404);
            // The upload is still there: a single small part is a valid last part.
            const retried = await calls().complete(bucket, key, uploadId, [first]);
            expect(retried.status).toBe(200);
            expect(sha256((await fixture.target.client.getObject(bucket, key)).body)).toBe(
              sha256(parts[0] ?? new Uint8Array()),
            );
          },
        ),
        { numRuns: 8 },
      );
    },
  );

  behaviour(
    's3.multipart-abort',
    'an aborted upload leaves no object and no upload: its parts and Complete are 404 NoSuchUpload afterwards',
    async () => {
      requireOwnBuckets(fixture);
      await fc.assert(
        fc.asyncProperty(keyArb, fc.uint8Array({ maxLength: 2000 }), async (key, part) => {
          const bucket = await fixture.bucket();
          const uploadId = await calls().start(bucket, key);
          const done = await uploadParts(bucket, key, uploadId, [part]);
          expect((await calls().abort(bucket, key, uploadId)).status).toBe(204);
          expect((await fixture.target.client.headObject(bucket, key)).status).toBe(404);
          const late = await calls().uploadPart(bucket, key, uploadId, 2, part);
          expect([late.status, errorCode(late)]).toEqual([404, 'NoSuchUpload']);
          const complete = await calls().complete(bucket, key, uploadId, done);
          expect([complete.status, errorCode(complete)]).toEqual([404, 'NoSuchUpload']);
          const uploads = xmlRoot(await calls().listUploads(bucket), 'ListMultipartUploadsResult');
          expect(uploads.Upload ?? []).toEqual([]);
          expect((await listPage(fixture.target.client, bucket, {})).contents).toEqual([]);
        }),
        { numRuns: 10 },
      );
    },
  );
});
