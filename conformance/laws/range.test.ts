// Ranges on a miss: what a ranged GET of a missing key answers and asks the origin, per profile.

import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { keyArb } from '../arbitraries/keys.ts';
import { bodyArb } from '../arbitraries/origin-scripts.ts';
import { originBytes } from '../origin/scriptable-origin.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { configure, rule, sha256, storedSize } from '../support/mirror-laws.ts';

const fixture = useLawFixture();

const switches = () => fixture.target.capabilities.profile.switches;
const nonEmptyBodyArb = bodyArb.filter((body) => body.size > 0);

/** A satisfiable single range of an object of `size` bytes (size > 0), and the bytes it covers. */
const rangeArb = (size: number) =>
  fc.oneof(
    fc
      .tuple(fc.integer({ min: 0, max: size - 1 }), fc.integer({ min: 0, max: size + 10 }))
      .map(([start, length]) => ({
        header: `bytes=${start}-${start + length}`,
        start,
        end: Math.min(start + length, size - 1),
      })),
    fc
      .integer({ min: 0, max: size - 1 })
      .map((start) => ({ header: `bytes=${start}-`, start, end: size - 1 })),
    fc
      .integer({ min: 1, max: size + 10 })
      .map((suffix) => ({ header: `bytes=-${suffix}`, start: Math.max(0, size - suffix), end: size - 1 })),
  );

describe('ranges on a miss', () => {
  behaviour(
    'range.not-forwarded',
    "a client's Range never reaches the origin, under pass-all and when passed by name too",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          nonEmptyBodyArb.chain((body) => fc.tuple(fc.constant(body), rangeArb(body.size))),
          fc.constantFrom<Record<string, unknown>>({}, { passAll: true }, { pass: ['Range'] }),
          async (key, [body, range], headers) => {
            const bucket = await fixture.bucket();
            const path = fixture.originPath();
            // The origin honours Range: a store that passes it on gets, and would keep, only the slice.
            fixture.origin.scriptPrefix(path, { body, ranges: true });
            await configure(fixture, bucket, [rule('all', [`${fixture.origin.url}${path}`], { headers })]);
            const result = await fixture.target.client.getObject(bucket, key, {
              headers: { range: range.header },
            });
            expect([200, 206]).toContain(result.status);
            // The origin is asked for the whole object, once [oss-put].
            const requests = fixture.origin.requestsUnder(path);
            expect(requests).toHaveLength(1);
            expect(requests[0]?.headers.range).toBeUndefined();
            await fixture.target.settle(5000);
            expect(await storedSize(fixture, bucket, key)).toBe(body.size);
          },
        ),
      );
    },
  );

  behaviour(
    'range.on-miss',
    'a ranged GET on a missing key stores the whole object and answers the range (range-and-copy) or the whole object',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          nonEmptyBodyArb.chain((body) => fc.tuple(fc.constant(body), rangeArb(body.size))),
          async (key, [body, range]) => {
            const bucket = await fixture.bucket();
            const path = fixture.originPath();
            // The origin honours Range: a store that passes it on gets, and would keep, only the slice.
            fixture.origin.scriptPrefix(path, { body, ranges: true });
            await configure(fixture, bucket, [rule('all', [`${fixture.origin.url}${path}`])]);
            const bytes = originBytes(body.size, body.seed);
            const result = await fixture.target.client.getObject(bucket, key, {
              headers: { range: range.header },
            });
            expect(result.cut).toBeUndefined();
            if (switches().rangeOnMiss === 'range-and-copy') {
              // COS answers the range and copies the whole object apart [cos-guide].
              expect(result.status).toBe(206);
              expect(result.headers['content-range']).toBe(`bytes ${range.start}-${range.end}/${body.size}`);
              expect(sha256(result.body)).toBe(sha256(bytes.subarray(range.start, range.end + 1)));
            } else {
              // US3 and the others: the whole object [us3-guide].
              expect(result.status).toBe(200);
              expect(sha256(result.body)).toBe(sha256(bytes));
            }
            expect(await fixture.target.settle(5000)).toBe(true);
            expect(await storedSize(fixture, bucket, key)).toBe(body.size);
            const whole = await fixture.target.client.getObject(bucket, key);
            expect(sha256(whole.body)).toBe(sha256(bytes));
            expect(fixture.origin.requestsUnder(path)).toHaveLength(1);
          },
        ),
      );
    },
  );
});
