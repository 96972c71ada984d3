// HEAD on a missing key: whether it reaches an origin is a profile switch, and both sides are checked.

import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { keyArb } from '../arbitraries/keys.ts';
import { bodyArb } from '../arbitraries/origin-scripts.ts';
import { originBytes } from '../origin/scriptable-origin.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { configure, headTriggers, rule, sha256, storedSize } from '../support/mirror-laws.ts';

const fixture = useLawFixture();

describe('hits and misses', () => {
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

describe('HEAD on a missing key', () => {
  behaviour(
    'head.trigger',
    'a HEAD on a missing matching key fetches and stores the object exactly where the profile lets HEAD trigger',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          bodyArb,
          fc.boolean(),
          fc.boolean(),
          async (key, body, triggerOnHead, withGet) => {
            const bucket = await fixture.bucket();
            const path = fixture.originPath();
            fixture.origin.scriptPrefix(path, {
              body,
              headers: { 'content-type': 'image/png' },
              delayBeforeHeadersMs: withGet ? 50 : 0,
            });
            await configure(fixture, bucket, [
              rule('all', [`${fixture.origin.url}${path}`], { triggerOnHead }),
            ]);
            const expected = sha256(originBytes(body.size, body.seed));
            if (!headTriggers(fixture, { triggerOnHead })) {
              // GET is the only trigger [oss-overview][cos-guide]; a rule's opt-in means nothing here.
              const head = await fixture.target.client.headObject(bucket, key);
              expect(head.status).toBe(404);
              expect(fixture.origin.requestsUnder(path)).toEqual([]);
              expect(await storedSize(fixture, bucket, key)).toBeUndefined();
              return;
            }
            // US3 always [us3-guide]; OSS MirrorAllowHeadObject [oss-php2], OBS HEAD in
            // mirrorAllowHttpMethod [obs-api-zh]. A concurrent GET shares the one origin fetch.
            const [head, got] = await Promise.all([
              fixture.target.client.headObject(bucket, key),
              withGet ? fixture.target.client.getObject(bucket, key) : undefined,
            ]);
            expect(head.status).toBe(200);
            expect(head.headers['content-length']).toBe(String(body.size));
            expect(head.headers['content-type']).toBe('image/png');
            if (got !== undefined) {
              expect(got.status).toBe(200);
              expect(sha256(got.body)).toBe(expected);
            }
            expect(fixture.origin.requestsUnder(path)).toHaveLength(1);
            expect(await storedSize(fixture, bucket, key)).toBe(body.size);
            const again = await fixture.target.client.getObject(bucket, key);
            expect(sha256(again.body)).toBe(expected);
            expect(fixture.origin.requestsUnder(path)).toHaveLength(1);
          },
        ),
      );
    },
  );
});
