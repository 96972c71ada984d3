// Once stored: a mirrored object is served from the bucket with the headers it was stored with, never
// refreshed from the origin, and fetched again only after a DELETE.

import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { keyArb } from '../arbitraries/keys.ts';
import { bodyArb, storedHeadersArb } from '../arbitraries/origin-scripts.ts';
import { originBytes } from '../origin/scriptable-origin.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { configure, rule, sha256 } from '../support/mirror-laws.ts';

const fixture = useLawFixture();

const switches = () => fixture.target.capabilities.profile.switches;

describe('once stored', () => {
  behaviour(
    'stored.served-from-bucket',
    'after a mirrored GET, later GETs and HEADs are served from the bucket without the origin',
    async () => {
      await fc.assert(
        fc.asyncProperty(keyArb, bodyArb, fc.integer({ min: 1, max: 3 }), async (key, body, repeats) => {
          const bucket = await fixture.bucket();
          const path = fixture.originPath();
          fixture.origin.scriptPrefix(path, { body, headers: { 'content-type': 'image/png' } });
          await configure(fixture, bucket, [rule('all', [`${fixture.origin.url}${path}`])]);
          const expected = sha256(originBytes(body.size, body.seed));
          expect(sha256((await fixture.target.client.getObject(bucket, key)).body)).toBe(expected);
          expect(fixture.origin.requestsUnder(path)).toHaveLength(1);
          for (let i = 0; i < repeats; i++) {
            const again = await fixture.target.client.getObject(bucket, key);
            expect(again.status).toBe(200);
            expect(sha256(again.body)).toBe(expected);
            const head = await fixture.target.client.headObject(bucket, key);
            expect(head.status).toBe(200);
            expect(head.headers['content-length']).toBe(String(body.size));
            expect(head.headers['content-type']).toBe('image/png');
          }
          expect(fixture.origin.requestsUnder(path)).toHaveLength(1);
        }),
      );
    },
  );

  behaviour(
    'stored.no-refresh',
    'once stored, a change at the origin (new bytes, ETag and Last-Modified) never changes what GET or HEAD returns',
    async () => {
      await fc.assert(
        fc.asyncProperty(keyArb, bodyArb, bodyArb, fc.boolean(), async (key, first, second, noCache) => {
          const bucket = await fixture.bucket();
          const path = fixture.originPath();
          // Validators that change on every origin answer: a store that revalidates sees a new version.
          fixture.origin.scriptPrefix(path, { body: first, validators: 'changing' });
          await configure(fixture, bucket, [rule('all', [`${fixture.origin.url}${path}`])]);
          expect((await fixture.target.client.getObject(bucket, key)).status, 'the mirrored GET').toBe(200);
          await fixture.target.settle(5000);
          const stored = await fixture.target.client.getObject(bucket, key);
          expect(stored.status, 'the GET of the stored object').toBe(200);

          fixture.origin.scriptPrefix(path, { body: second, validators: 'changing' });
          // A client asking for a fresh copy gets the stored one too: the bucket is not a cache.
          const got = await fixture.target.client.getObject(bucket, key, {
            headers: noCache ? { 'cache-control': 'no-cache' } : {},
          });
          const head = await fixture.target.client.headObject(bucket, key);
          await fixture.target.settle(5000);
          const last = await fixture.target.client.getObject(bucket, key);
          const expected = sha256(originBytes(first.size, first.seed));
          expect(sha256(got.body), 'the GET after the change').toBe(expected);
          expect(sha256(last.body), 'the last GET').toBe(expected);
          for (const [step, answer] of [
            ['the GET after the change', got],
            ['the HEAD after it', head],
            ['the last GET', last],
          ] as const) {
            expect(answer.headers.etag, `${step}: ETag`).toBe(stored.headers.etag);
            expect(answer.headers['last-modified'], `${step}: Last-Modified`).toBe(
              stored.headers['last-modified'],
            );
          }
        }),
      );
    },
  );

  behaviour(
    'stored.delete-refetch',
    "after a DELETE, the next GET mirrors the origin's current content",
    async () => {
      await fc.assert(
        fc.asyncProperty(keyArb, bodyArb, bodyArb, async (key, first, second) => {
          const bucket = await fixture.bucket();
          const path = fixture.originPath();
          fixture.origin.scriptPrefix(path, { body: first });
          await configure(fixture, bucket, [rule('all', [`${fixture.origin.url}${path}`])]);
          expect((await fixture.target.client.getObject(bucket, key)).status).toBe(200);
          fixture.origin.scriptPrefix(path, { body: second });
          expect((await fixture.target.client.deleteObject(bucket, key)).status).toBe(204);
          const got = await fixture.target.client.getObject(bucket, key);
          expect(got.status).toBe(200);
          expect(sha256(got.body)).toBe(sha256(originBytes(second.size, second.seed)));
          expect(fixture.origin.requestsUnder(path)).toHaveLength(2);
        }),
      );
    },
  );
});

const metaToken = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const metaValue = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .,;=_-]{0,14}[A-Za-z0-9]$/);
/** Origin headers under metadata prefixes some vendor keeps, and others no vendor should. */
const metaHeadersArb = fc.dictionary(
  fc
    .tuple(fc.constantFrom('x-cos-meta-', 'x-amz-meta-', 'x-oss-meta-', 'x-origin-'), metaToken)
    .map(([prefix, name]) => `${prefix}${name}`),
  metaValue,
  { maxKeys: 4 },
);

describe('what is stored', () => {
  behaviour(
    'stored.headers-kept',
    "the stored object carries exactly the profile's stored headers and meta-prefixed headers from the origin",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          bodyArb,
          storedHeadersArb,
          metaHeadersArb,
          fc.constantFrom('content-language', 'x-cos-meta-fixed'),
          async (key, body, standard, meta, extra) => {
            const bucket = await fixture.bucket();
            const path = fixture.originPath();
            const sent: Record<string, string> = { ...standard, ...meta, [extra]: 'kept-or-not' };
            fixture.origin.scriptPrefix(path, { body, headers: sent });
            await configure(fixture, bucket, [rule('all', [`${fixture.origin.url}${path}`])]);
            expect((await fixture.target.client.getObject(bucket, key)).status).toBe(200);
            await fixture.target.settle(5000);

            // JD keeps five headers [jd-guide]; COS those and every x-cos-meta-* [cos-guide-zh].
            const { storedHeaders, storedMetaPrefixes } = switches();
            const kept = (name: string) =>
              storedHeaders.includes(name) || storedMetaPrefixes.some((prefix) => name.startsWith(prefix));
            const head = await fixture.target.client.headObject(bucket, key);
            const again = await fixture.target.client.getObject(bucket, key);
            for (const response of [head, again]) {
              expect(response.status).toBe(200);
              for (const [name, value] of Object.entries(sent)) {
                expect(response.headers[name], name).toBe(kept(name) ? value : undefined);
              }
            }
            expect(fixture.origin.requestsUnder(path)).toHaveLength(1);
          },
        ),
      );
    },
  );
});
