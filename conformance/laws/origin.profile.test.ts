// Fetch-time behaviours that differ between vendors. Each law reads what to expect from the profile the
// target claims (spec/vendors/<id>/profile.yaml), and covers both sides of its switch, so a target that behaves
// as another profile fails it.

import fc from 'fast-check';
import { beforeAll, describe, expect } from 'vitest';
import { keyArb } from '../arbitraries/keys.ts';
import { bodyArb } from '../arbitraries/origin-scripts.ts';
import { originBytes } from '../origin/scriptable-origin.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import {
  configure,
  expectMirrorFailed,
  expectNoSuchKey,
  expectNotStored,
  refusedOrigin,
  rule,
  sha256,
  storedSize,
} from '../support/mirror-laws.ts';

const fixture = useLawFixture();
let refused = '';
beforeAll(async () => {
  refused = await refusedOrigin();
});

const switches = () => fixture.target.capabilities.profile.switches;
const nonEmptyBodyArb = bodyArb.filter((body) => body.size > 0);

/** How the first of two origins fails; the second always has the object. */
type FirstAnswer = { kind: 'status'; status: number } | { kind: 'timeout' } | { kind: 'refused' };

const firstAnswerArb: fc.Arbitrary<FirstAnswer> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.integer({ min: 500, max: 599 }).map((status) => ({ kind: 'status' as const, status })),
  },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(400, 401, 403, 405, 409, 410, 429, 451, 204, 304)
      .map((status) => ({ kind: 'status' as const, status })),
  },
  { weight: 3, arbitrary: fc.constant({ kind: 'status', status: 404 }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'timeout' }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'refused' }) },
);

describe('failover between origins', () => {
  behaviour(
    'origin.failover-policy',
    'a failure moves to the next origin as the profile says: any failure or 404, or only a 5xx, a timeout or a refused connection',
    async () => {
      await fc.assert(
        fc.asyncProperty(keyArb, firstAnswerArb, nonEmptyBodyArb, async (key, first, body) => {
          const bucket = await fixture.bucket();
          const path = fixture.originPath();
          if (first.kind === 'status') fixture.origin.scriptPrefix(`${path}/first`, { status: first.status });
          if (first.kind === 'timeout') {
            // Twice the target's own timeout: far past it however slow the machine.
            const late = fixture.target.capabilities.originTimeoutMs * 2;
            fixture.origin.scriptPrefix(`${path}/first`, { delayBeforeHeadersMs: late, body: 'too late' });
          }
          fixture.origin.scriptPrefix(`${path}/second`, { body });
          const firstBase =
            first.kind === 'refused' ? `${refused}${path}/first` : `${fixture.origin.url}${path}/first`;
          await configure(fixture, bucket, [rule('all', [firstBase, `${fixture.origin.url}${path}/second`])]);
          const result = await fixture.target.client.getObject(bucket, key);

          // OSS MirrorSwitchAllErrors=false [oss-php2] and COS standby origins [cos-put] move on only when
          // the origin is down; everywhere else any failure, 404 included, moves on [ks3-async-en].
          const unavailable = first.kind !== 'status' || (first.status >= 500 && first.status <= 599);
          const movesOn = switches().failover === 'any-failure' || unavailable;
          expect(fixture.origin.requestsUnder(`${path}/second`)).toHaveLength(movesOn ? 1 : 0);
          if (movesOn) {
            expect(result.status).toBe(200);
            expect(sha256(result.body)).toBe(sha256(originBytes(body.size, body.seed)));
            return;
          }
          if (first.kind === 'status' && first.status === 404) expectNoSuchKey(result);
          else expectMirrorFailed(result);
          await expectNotStored(fixture, bucket, key);
        }),
      );
    },
  );
});

describe("a rule's own failover list", () => {
  const answerArb = fc.oneof(
    fc
      .constantFrom(400, 403, 404, 410, 429, 500, 502, 503)
      .map((status) => ({ kind: 'status' as const, status })),
    fc.constant({ kind: 'refused' as const }),
  );
  const listArb = fc
    .subarray(['4XX', '5XX', '403', '404', '503'], { minLength: 1 })
    .filter((list) => !list.some((item) => item !== `${item[0]}XX` && list.includes(`${item[0]}XX`)));

  behaviour(
    'origin.failover-list',
    "a rule's failoverOn list decides which answers move on: listed statuses and classes (404 only by number); no answer always moves on",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          answerArb,
          listArb,
          nonEmptyBodyArb,
          async (key, first, failoverOn, body) => {
            const bucket = await fixture.bucket();
            const path = fixture.originPath();
            if (first.kind === 'status')
              fixture.origin.scriptPrefix(`${path}/first`, { status: first.status });
            fixture.origin.scriptPrefix(`${path}/second`, { body });
            const firstBase =
              first.kind === 'refused' ? `${refused}${path}/first` : `${fixture.origin.url}${path}/first`;
            await configure(fixture, bucket, [
              rule('listed', [firstBase, `${fixture.origin.url}${path}/second`], { failoverOn }),
            ]);
            const result = await fixture.target.client.getObject(bucket, key);

            const status = first.kind === 'status' ? first.status : undefined;
            const movesOn =
              status === undefined ||
              failoverOn.includes(String(status)) ||
              (status !== 404 && failoverOn.includes(`${String(status)[0]}XX`));
            expect(fixture.origin.requestsUnder(`${path}/second`)).toHaveLength(movesOn ? 1 : 0);
            if (movesOn) {
              expect(result.status).toBe(200);
              expect(sha256(result.body)).toBe(sha256(originBytes(body.size, body.seed)));
              return;
            }
            if (status === 404) expectNoSuchKey(result);
            else expectMirrorFailed(result);
            await expectNotStored(fixture, bucket, key);
          },
        ),
      );
    },
  );
});

describe('redirects not followed', () => {
  behaviour(
    'origin.follow-off-fails',
    'with following off, an origin 3xx is 424 where the profile fails it, else relayed; nothing is stored either way',
    async () => {
      await fc.assert(
        fc.asyncProperty(keyArb, fc.constantFrom(301, 302, 303, 307, 308), async (key, status) => {
          const bucket = await fixture.bucket();
          const path = fixture.originPath();
          const location = `${fixture.origin.url}${path}/moved`;
          fixture.origin.scriptPrefix(`${path}/start`, { redirect: { location, status } });
          fixture.origin.scriptPrefix(`${path}/moved`, { body: 'the moved object' });
          await configure(fixture, bucket, [
            rule('all', [`${fixture.origin.url}${path}/start`], { followRedirects: false }),
          ]);
          const result = await fixture.target.client.getObject(bucket, key);
          // KS3 follow3xx=false answers 424 [ks3-py-sample][ks3-api]; OSS, JD and COS relay [oss-put][jd-guide][cos-get].
          if (switches().followOff === 'fail') {
            expect(result.status).toBe(424);
            expectMirrorFailed(result);
          } else {
            expect(result.status).toBe(status);
            expect(result.headers.location).toBe(location);
          }
          expect(fixture.origin.requestsUnder(`${path}/start`)).toHaveLength(1);
          expect(fixture.origin.requestsUnder(`${path}/moved`)).toEqual([]);
          await expectNotStored(fixture, bucket, key);
        }),
      );
    },
  );
});

describe('chunked origins', () => {
  behaviour(
    'origin.chunked-fails',
    'a chunked origin answer is 424 with nothing stored where the profile needs a Content-Length, else relayed and stored',
    async () => {
      await fc.assert(
        fc.asyncProperty(keyArb, bodyArb, fc.boolean(), async (key, body, chunked) => {
          const bucket = await fixture.bucket();
          const path = fixture.originPath();
          fixture.origin.scriptPrefix(path, { body, chunked });
          await configure(fixture, bucket, [rule('all', [`${fixture.origin.url}${path}`])]);
          const result = await fixture.target.client.getObject(bucket, key);
          // OBS: the origin must send Content-Length [obs-java]; JD and COS relay chunked [jd-guide][cos-guide].
          if (chunked && switches().chunkedOrigin === 'fail') {
            expect(result.status).toBe(424);
            expectMirrorFailed(result);
            await fixture.target.settle(5000);
            await expectNotStored(fixture, bucket, key);
            return;
          }
          expect(result.status).toBe(200);
          expect(sha256(result.body)).toBe(sha256(originBytes(body.size, body.seed)));
          await fixture.target.settle(5000);
          expect(await storedSize(fixture, bucket, key)).toBe(body.size);
        }),
      );
    },
  );
});
