// Origins that misbehave mid-answer: a wrong Content-MD5, a redirect loop, and one slow origin among
// quick ones. The faults are made deterministic by an origin that pauses or lies on demand.

import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { fitKey, keyArb } from '../arbitraries/keys.ts';
import { behaviour } from '../support/behaviour.ts';
import { type LawFixture, useLawFixture } from '../support/law-fixture.ts';
import { configure, expectMirrorFailed, expectNotStored, rule } from '../support/mirror-laws.ts';

const fixture = useLawFixture();
const sizeArb = fc.integer({ min: 2, max: 200_000 });

/** Resolves once the origin has received `count` requests under `path`, or throws after 5 s. */
async function originReached(f: LawFixture, path: string, count = 1): Promise<void> {
  const deadline = Date.now() + 5000;
  while (f.origin.requestsUnder(path).length < count) {
    if (Date.now() > deadline) throw new Error(`the origin saw no request under ${path} within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('atomic write-back', () => {
  behaviour(
    'origin.md5-check',
    'with checkMd5 a body that does not match its Content-MD5 is not stored',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          sizeArb,
          fc.constantFrom<'right' | 'wrong' | undefined>('right', 'wrong', undefined),
          fc.boolean(),
          async (key, size, md5, checkMd5) => {
            const bucket = await fixture.bucket();
            const path = fixture.originPath();
            fixture.origin.scriptPrefix(path, {
              body: { size, seed: 5 },
              ...(md5 ? { contentMd5: md5 } : {}),
            });
            await configure(fixture, bucket, [rule('all', [`${fixture.origin.url}${path}`], { checkMd5 })]);
            const result = await fixture.target.client.getObject(bucket, key);
            await fixture.target.settle(5000);
            if (checkMd5 && md5 === 'wrong') {
              expectMirrorFailed(result);
              await expectNotStored(fixture, bucket, key);
            } else {
              expect(result.status).toBe(200);
              expect((await fixture.target.client.headObject(bucket, key)).headers['content-length']).toBe(
                String(size),
              );
            }
          },
        ),
      );
    },
  );
});

describe('slow and looping origins', () => {
  behaviour('origin.slow-isolated', 'a slow origin never delays the answers for other keys', async () => {
    // The slow origin holds its answer until every other key is answered, or until half the target's
    // origin timeout has passed: order, not speed, decides. A target that makes the other keys wait for
    // the slow one answers them only after the hold, once the slow key is done.
    const holdMs = Math.ceil(fixture.target.capabilities.originTimeoutMs / 2);
    await fc.assert(
      fc.asyncProperty(keyArb, fc.integer({ min: 1, max: 4 }), async (key, others) => {
        const bucket = await fixture.bucket();
        const slow = fixture.originPath();
        const fast = fixture.originPath();
        let release = () => {};
        const held = new Promise<void>((resolve) => {
          release = resolve;
        });
        fixture.origin.scriptPrefix(slow, { body: { size: 1000, seed: 1 }, gate: () => held });
        fixture.origin.scriptPrefix(fast, { body: 'fast' });
        await configure(fixture, bucket, [
          rule('slow', [`${fixture.origin.url}${slow}`], { condition: { keyPrefix: 'slow/' } }),
          // A prefix of its own: OBS refuses nested prefixes, and the empty one contains every other.
          rule('fast', [`${fixture.origin.url}${fast}`], { condition: { keyPrefix: 'fast/' } }),
        ]);
        const order: string[] = [];
        const slowGet = fixture.target.client
          .getObject(bucket, fitKey(`slow/${key}`))
          .then(() => order.push('slow'));
        await originReached(fixture, slow);
        const hold = setTimeout(release, holdMs);
        try {
          await Promise.all(
            Array.from({ length: others }, (_, i) =>
              fixture.target.client.getObject(bucket, fitKey(`fast/${i}/${key}`)).then((result) => {
                expect(result.status).toBe(200);
                order.push('fast');
              }),
            ),
          );
        } finally {
          clearTimeout(hold);
          release();
          await slowGet;
        }
        expect(order.at(-1)).toBe('slow');
      }),
      { numRuns: 30 },
    );
  });

  behaviour(
    'origin.redirect-loop',
    'an origin redirect loop is 424 MirrorFailed and stores nothing',
    async () => {
      await fc.assert(
        fc.asyncProperty(keyArb, fc.integer({ min: 1, max: 4 }), async (key, length) => {
          const bucket = await fixture.bucket();
          const path = fixture.originPath();
          for (let i = 0; i < length; i++) {
            fixture.origin.script(`${path}/loop${i}`, {
              redirect: { location: `${fixture.origin.url}${path}/loop${(i + 1) % length}` },
            });
          }
          fixture.origin.scriptPrefix(`${path}/start`, {
            redirect: { location: `${fixture.origin.url}${path}/loop0` },
          });
          await configure(fixture, bucket, [rule('all', [`${fixture.origin.url}${path}/start`])]);
          expectMirrorFailed(await fixture.target.client.getObject(bucket, key));
          await expectNotStored(fixture, bucket, key);
          expect(fixture.origin.requestsUnder(path).length).toBeLessThanOrEqual(11);
        }),
      );
    },
  );
});
