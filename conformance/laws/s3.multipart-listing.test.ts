// ListParts and ListMultipartUploads followed page by page, as a client walks them
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html,
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html).

import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { requireOwnBuckets } from '../support/mirror-laws.ts';
import { MultipartCalls, partBytes, xmlRoot } from '../support/multipart-calls.ts';

const fixture = useLawFixture();
const calls = () => new MultipartCalls(fixture.target.client.http);
const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
const many = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Every part of an upload, walked through part-number-marker `maxParts` at a time. */
async function walkParts(bucket: string, key: string, uploadId: string, maxParts: number) {
  const seen: { number: number; size: number; etag: string }[] = [];
  let marker = 0;
  for (let pages = 0; pages < 50; pages++) {
    const page = xmlRoot(
      await calls().listParts(bucket, key, uploadId, `max-parts=${maxParts}&part-number-marker=${marker}`),
      'ListPartsResult',
    );
    const parts = many(page.Part as Record<string, string>[] | undefined);
    expect(parts.length).toBeLessThanOrEqual(maxParts);
    seen.push(
      ...parts.map((part) => ({
        number: Number(part.PartNumber),
        size: Number(part.Size),
        etag: part.ETag ?? '',
      })),
    );
    if (page.IsTruncated !== 'true') return seen;
    marker = Number(page.NextPartNumberMarker);
  }
  throw new Error('ListParts never stopped being truncated');
}

/** Every upload of a bucket under `prefix`, walked through key-marker and upload-id-marker. */
async function walkUploads(bucket: string, prefix: string, maxUploads: number) {
  const seen: { key: string; uploadId: string }[] = [];
  let markers = '';
  for (let pages = 0; pages < 50; pages++) {
    const query = `prefix=${encodeURIComponent(prefix)}&max-uploads=${maxUploads}&encoding-type=url${markers}`;
    const page = xmlRoot(await calls().listUploads(bucket, query), 'ListMultipartUploadsResult');
    const uploads = many(page.Upload as Record<string, string>[] | undefined);
    expect(uploads.length).toBeLessThanOrEqual(maxUploads);
    seen.push(
      ...uploads.map((upload) => ({
        key: decodeURIComponent(upload.Key ?? ''),
        uploadId: upload.UploadId ?? '',
      })),
    );
    if (page.IsTruncated !== 'true') return seen;
    const nextKey = String(page.NextKeyMarker ?? '');
    markers = `&key-marker=${encodeURIComponent(decodeURIComponent(nextKey))}&upload-id-marker=${encodeURIComponent(String(page.NextUploadIdMarker ?? ''))}`;
  }
  throw new Error('ListMultipartUploads never stopped being truncated');
}

describe('multipart listings', () => {
  behaviour(
    's3.multipart-listing',
    'ListParts and ListMultipartUploads walked through their markers give every part and every upload once, in order',
    async () => {
      requireOwnBuckets(fixture);
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 6 }),
          fc.array(fc.constantFrom('a', 'a/b', 'b', 'é', 'a/😀', 'z z'), { minLength: 1, maxLength: 5 }),
          fc.constantFrom('', 'a'),
          fc.integer({ min: 1, max: 4 }),
          async (numbers, keys, prefix, pageSize) => {
            const bucket = await fixture.bucket();
            const uploads: { key: string; uploadId: string }[] = [];
            for (const key of keys) uploads.push({ key, uploadId: await calls().start(bucket, key) });
            const [first] = uploads as [{ key: string; uploadId: string }];
            const sizes = new Map<number, number>();
            for (const number of numbers) {
              const size = (number % 97) + 1;
              sizes.set(number, size);
              expect(
                (await calls().uploadPart(bucket, first.key, first.uploadId, number, partBytes(size, number)))
                  .status,
              ).toBe(200);
            }
            const parts = await walkParts(bucket, first.key, first.uploadId, pageSize);
            expect(parts.map(({ number, size }) => [number, size])).toEqual(
              [...sizes].sort(([a], [b]) => a - b),
            );
            expect(parts.every(({ etag }) => /^"[0-9a-f]{32}"$/.test(etag))).toBe(true);

            const listed = await walkUploads(bucket, prefix, pageSize);
            const expected = uploads.filter(({ key }) => key.startsWith(prefix));
            expect(listed.map(({ key }) => key)).toEqual(expected.map(({ key }) => key).sort(utf8Order));
            expect(new Set(listed.map(({ uploadId }) => uploadId))).toEqual(
              new Set(expected.map(({ uploadId }) => uploadId)),
            );
            for (const { key, uploadId } of uploads) await calls().abort(bucket, key, uploadId);
          },
        ),
        { numRuns: 15 },
      );
    },
  );
});
