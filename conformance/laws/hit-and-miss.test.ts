import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { keyArb } from '../arbitraries/keys.ts';
import { bodyArb } from '../arbitraries/origin-scripts.ts';
import { originBytes } from '../origin/scriptable-origin.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { configure, expectNoSuchKey, headTriggers, rule, sha256 } from '../support/mirror-laws.ts';

const fixture = useLawFixture();

describe('hits and misses', () => {
  behaviour('hit.no-origin', 'a GET on an existing key never contacts an origin', async () => {
    await fc.assert(
      fc.asyncProperty(keyArb, fc.uint8Array({ maxLength: 2048 }), async (key, bytes) => {
        const bucket = await fixture.bucket();
        const path = fixture.originPath();
        fixture.origin.scriptPrefix(path, { body: 'from the origin' });
        await configure(fixture, bucket, [rule('all', [`${fixture.origin.url}${path}`])]);
        expect((await fixture.target.client.putObject(bucket, key, bytes)).status).toBe(200);
        const got = await fixture.target.client.getObject(bucket, key);
        expect(got.status).toBe(200);
        expect(sha256(got.body)).toBe(sha256(bytes));
        expect(fixture.origin.requestsUnder(path)).toEqual([]);
      }),
    );
  });

  behaviour(
    'miss.no-rule',
    'a GET on a missing key that matches no rule is 404 NoSuchKey and contacts no origin',
    async () => {
      await fc.assert(
        fc.asyncProperty(keyArb, fc.boolean(), async (key, withRules) => {
          const bucket = await fixture.bucket();
          const path = fixture.originPath();
          fixture.origin.scriptPrefix(path, { body: 'from the origin' });
          if (withRules) {
            // Conditions the key cannot meet: a prefix it lacks, a suffix it lacks.
            const prefix = key.startsWith('none/') ? 'nothing/' : 'none/';
            const suffix = key.endsWith('.none') ? '.nothing' : '.none';
            const rules = [
              rule('prefix', [`${fixture.origin.url}${path}`], { condition: { keyPrefix: prefix } }),
              rule('suffix', [`${fixture.origin.url}${path}`], { condition: { keySuffix: suffix } }),
            ];
            // OBS refuses nested prefixes, and the suffix rule's empty prefix contains every other
            // [obs-api]: one of the two there, picked by the key.
            const nested = fixture.target.capabilities.profile.switches.prefixRules === 'non-overlapping';
            await configure(
              fixture,
              bucket,
              nested ? rules.slice(key.length % 2, (key.length % 2) + 1) : rules,
            );
          }
          expectNoSuchKey(await fixture.target.client.getObject(bucket, key));
          expect(fixture.origin.requestsUnder(path)).toEqual([]);
        }),
      );
    },
  );

  behaviour(
    'head.miss-no-origin',
    'a HEAD on a missing key is 404 and never contacts an origin, unless the profile lets HEAD trigger',
    async () => {
      await fc.assert(
        fc.asyncProperty(keyArb, fc.boolean(), async (key, triggerOnHead) => {
          const bucket = await fixture.bucket();
          const path = fixture.originPath();
          fixture.origin.scriptPrefix(path, { body: 'from the origin' });
          await configure(fixture, bucket, [
            rule('all', [`${fixture.origin.url}${path}`], { triggerOnHead }),
          ]);
          const head = await fixture.target.client.headObject(bucket, key);
          // US3 fetches on every HEAD, OSS and OBS on rules that allow it [us3-guide][oss-php2][obs-api-zh].
          if (headTriggers(fixture, { triggerOnHead })) {
            expect(head.status).toBe(200);
            expect(head.headers['content-length']).toBe(String('from the origin'.length));
            expect(fixture.origin.requestsUnder(path)).toHaveLength(1);
            // Stored: a second HEAD is a hit.
            expect((await fixture.target.client.headObject(bucket, key)).status).toBe(200);
            expect(fixture.origin.requestsUnder(path)).toHaveLength(1);
            return;
          }
          expect(head.status).toBe(404);
          expect(fixture.origin.requestsUnder(path)).toEqual([]);
          // And nothing was written: the key is still missing for a second HEAD.
          expect((await fixture.target.client.headObject(bucket, key)).status).toBe(404);
        }),
      );
    },
  );
});

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
