// Fetch-time behaviours that differ between vendors. Each law reads what to expect from the profile the
// target claims (spec/profiles/<id>.yaml), and covers both sides of its switch, so a target that behaves
// as another profile fails it.

import fc from 'fast-check';
import { beforeAll, describe, expect } from 'vitest';
import { keyArb } from '../arbitraries/keys.ts';
import { bodyArb, storedHeadersArb } from '../arbitraries/origin-scripts.ts';
import { originBytes } from '../origin/scriptable-origin.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import {
  configure,
  expectMirrorFailed,
  expectNoSuchKey,
  expectNotStored,
  headTriggers,
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
            const late = fixture.target.capabilities.originTimeoutMs + 1500;
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
