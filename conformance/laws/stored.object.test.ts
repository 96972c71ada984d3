// What a mirrored object is once stored: its own date, the standard storage class and an ETag computed
// from its bytes.

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { keyArb } from '../arbitraries/keys.ts';
import { bodyArb } from '../arbitraries/origin-scripts.ts';
import { originBytes } from '../origin/scriptable-origin.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { listedEntry } from '../support/list-objects.ts';
import { configure, rule } from '../support/mirror-laws.ts';

const fixture = useLawFixture();

/** A bucket whose one rule mirrors from a fresh origin path scripted with `script`. */
async function mirrored(script: Parameters<typeof fixture.origin.scriptPrefix>[1], extra = {}) {
  const bucket = await fixture.bucket();
  const path = fixture.originPath();
  fixture.origin.scriptPrefix(path, script);
  await configure(fixture, bucket, [rule('all', [`${fixture.origin.url}${path}`], extra)]);
  return { bucket, path };
}

/** Clocks of a remote target may drift; a stored date must still be close to now, and far from 2015. */
const CLOCK_SLACK_MS = 5 * 60 * 1000;

describe('the stored object', () => {
  behaviour(
    'stored.last-modified',
    "a mirrored object's Last-Modified is when it was stored, not the origin's",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          bodyArb,
          fc.date({ min: new Date('1995-01-01'), max: new Date('2015-01-01'), noInvalidDate: true }),
          async (key, body, originDate) => {
            const { bucket } = await mirrored({
              body,
              headers: { 'last-modified': originDate.toUTCString() },
            });
            const before = Date.now();
            const got = await fixture.target.client.getObject(bucket, key);
            expect(got.status).toBe(200);
            const after = Date.now();
            const near = (date: string | undefined, where: string) => {
              const time = Date.parse(date ?? '');
              expect(time, `${where}: ${date}`).toBeGreaterThanOrEqual(before - CLOCK_SLACK_MS);
              expect(time, `${where}: ${date}`).toBeLessThanOrEqual(after + CLOCK_SLACK_MS);
            };
            if (got.headers['last-modified'] !== undefined) near(got.headers['last-modified'], 'GET');
            await fixture.target.settle(5000);
            near((await fixture.target.client.headObject(bucket, key)).headers['last-modified'], 'HEAD');
            near((await listedEntry(fixture.target.client, bucket, key))?.lastModified, 'listing');
          },
        ),
      );
    },
  );

  behaviour('stored.storage-class', 'a mirrored object is listed in the STANDARD storage class', async () => {
    await fc.assert(
      fc.asyncProperty(keyArb, bodyArb, async (key, body) => {
        const { bucket } = await mirrored({ body, headers: { 'x-amz-storage-class': 'GLACIER' } });
        const got = await fixture.target.client.getObject(bucket, key);
        expect(got.status).toBe(200);
        // S3 leaves the header out for STANDARD; whatever the origin said must not show through.
        expect([undefined, 'STANDARD']).toContain(got.headers['x-amz-storage-class']);
        const entry = await listedEntry(fixture.target.client, bucket, key);
        expect(entry?.storageClass).toBe('STANDARD');
        expect(entry?.size).toBe(body.size);
      }),
    );
  });

  behaviour(
    'stored.etag-md5',
    "a mirrored object's ETag is the MD5 of its bytes, whatever ETag the origin sent",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          bodyArb,
          fc.option(fc.stringMatching(/^[a-f0-9]{32}(-[1-9])?$/), { nil: undefined }),
          async (key, body, originEtag) => {
            const { bucket } = await mirrored({
              body,
              ...(originEtag === undefined ? {} : { headers: { etag: `"${originEtag}"` } }),
            });
            const md5 = `"${createHash('md5').update(originBytes(body.size, body.seed)).digest('hex')}"`;
            const got = await fixture.target.client.getObject(bucket, key);
            expect(got.status).toBe(200);
            // The miss may be answered before the object is stored; when it names an ETag, it is this one.
            if (got.headers.etag !== undefined) expect(got.headers.etag).toBe(md5);
            await fixture.target.settle(5000);
            expect((await fixture.target.client.headObject(bucket, key)).headers.etag).toBe(md5);
            expect((await fixture.target.client.getObject(bucket, key)).headers.etag).toBe(md5);
            expect((await listedEntry(fixture.target.client, bucket, key))?.etag).toBe(md5);
          },
        ),
      );
    },
  );
});
