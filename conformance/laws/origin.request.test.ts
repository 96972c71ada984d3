// What the target asks the origin: the URL (base path, key rewrite, query string), the headers it passes
// or never passes (credentials included), and how it follows or relays redirects.

import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { reservedUrlArb } from '../arbitraries/hosts.ts';
import { fitKey, hostileKeyArb, keyArb } from '../arbitraries/keys.ts';
import { credentialHeaders, presignedParameters } from '../arbitraries/vendor-credentials.ts';
import { errorCode } from '../client/http-client.ts';
import { originBytes } from '../origin/scriptable-origin.ts';
import { behaviour } from '../support/behaviour.ts';
import { encodedSegment, upperEscapes } from '../support/encoded-segment.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import {
  configure,
  decodedPath,
  expectMirrorFailed,
  expectNotStored,
  requirePlainRequests,
  rule,
  settingsOf,
  sha256,
} from '../support/mirror-laws.ts';

const fixture = useLawFixture();

/** Whether a key's dot segments, removed per RFC 3986 section 5.2.4, climb above the base path. */
function climbsOut(key: string): boolean {
  let depth = 0;
  for (const segment of key.split('/')) {
    if (segment !== '.') depth += segment === '..' ? -1 : 1;
    if (depth < 0) return true;
  }
  return false;
}

const basePathArb = fc.oneof(
  fc.constant(''),
  fc
    .array(fc.stringMatching(/^[a-z0-9_-]{1,8}$/), { minLength: 1, maxLength: 3 })
    .map((s) => `/${s.join('/')}`),
);

describe('the origin URL', () => {
  behaviour(
    'origin.url',
    'the origin is asked for its base path, one slash and the key, and the object is stored under the key',
    async () => {
      await fc.assert(
        fc.asyncProperty(keyArb, basePathArb, fc.boolean(), async (key, basePath, trailingSlash) => {
          const bucket = await fixture.bucket();
          const path = `${fixture.originPath()}${basePath}`;
          fixture.origin.scriptPrefix(path, { body: 'x' });
          await configure(fixture, bucket, [
            rule('all', [`${fixture.origin.url}${path}${trailingSlash ? '/' : ''}`]),
          ]);
          expect((await fixture.target.client.getObject(bucket, key)).status).toBe(200);
          const requests = fixture.origin.requestsUnder(path);
          expect(requests).toHaveLength(1);
          // An ordinary key is unreserved characters only, so its encoding is itself.
          expect(requests[0]?.path).toBe(`${path}/${key}`);
          expect((await fixture.target.client.headObject(bucket, key)).status).toBe(200);
        }),
      );
    },
  );

  behaviour(
    'origin.url-hostile-keys',
    'a key with reserved characters, spaces, unicode, dot or empty segments reaches the origin (or a redirect Location) with every segment percent-encoded exactly per RFC 3986, unless its dot segments climb out of the base path: then 400 InvalidArgument and no origin sees it',
    async () => {
      const redirects = fixture.target.capabilities.profile.switches.modes.includes('redirect');
      await fc.assert(
        fc.asyncProperty(
          hostileKeyArb,
          basePathArb,
          fc.boolean(),
          fc.boolean(),
          async (key, basePath, trailingSlash, viaRedirect) => {
            const redirect = viaRedirect && redirects;
            const bucket = await fixture.bucket();
            const path = `${fixture.originPath()}${basePath}`;
            fixture.origin.scriptPrefix(path, { body: 'x' });
            await configure(fixture, bucket, [
              rule(
                'all',
                [`${fixture.origin.url}${path}${trailingSlash ? '/' : ''}`],
                redirect ? { mode: 'redirect' } : {},
              ),
            ]);
            const result = await fixture.target.client.getObject(bucket, key);
            if (climbsOut(key)) {
              expect(result.status, 'a key that climbs out of the base path').toBe(400);
              expect(errorCode(result)).toBe('InvalidArgument');
              expect(result.headers.location, 'and no Location names it').toBeUndefined();
              expect(fixture.origin.requestsUnder(path)).toEqual([]);
              return;
            }
            // Exact: `+` as %2B (never raw, which origins read as a space), `%` as %25 (never decoded
            // twice), `.` and `..` as escapes.
            const expected = `${path}/${key.split('/').map(encodedSegment).join('/')}`;
            if (redirect) {
              // A redirect rule sends the client to that same origin URL (mode.redirect).
              expect(result.status, 'the redirect').toBe(302);
              expect(upperEscapes(result.headers.location ?? ''), 'its Location').toBe(
                `${fixture.origin.url}${expected}`,
              );
              expect(fixture.origin.requestsUnder(path)).toEqual([]);
              return;
            }
            const requests = fixture.origin.requestsUnder(path);
            expect(requests, 'the origin is asked once, under the base path').toHaveLength(1);
            expect(upperEscapes(requests[0]?.path ?? ''), 'the origin request').toBe(expected);
            expect(result.status).toBe(200);
          },
        ),
      );
    },
  );

  behaviour(
    'origin.key-rewrite',
    'key rewrites change only the origin URL, never the stored key',
    async () => {
      const rewriteArb = fc.oneof(
        fc.record({
          kind: fc.constant('prefix' as const),
          replacement: fc.constantFrom('', 'def/', 'x/y/', 'ü-'),
        }),
        fc.record({
          kind: fc.constant('key' as const),
          template: fc.constantFrom('prefix/${key}.suffix', 'fixed.txt', '${key}/${key}', 'a/${key}'),
        }),
      );
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          fc.constantFrom('', 'abc/', 'img/'),
          rewriteArb,
          async (rest, prefix, rewrite) => {
            const key = fitKey(`${prefix}${rest}`);
            const bucket = await fixture.bucket();
            const path = fixture.originPath();
            fixture.origin.scriptPrefix(path, { body: 'rewritten' });
            const keyRewrite =
              rewrite.kind === 'prefix'
                ? { replacePrefixWith: rewrite.replacement }
                : { replaceKeyWith: rewrite.template };
            await configure(fixture, bucket, [
              rule('all', [`${fixture.origin.url}${path}/`], {
                condition: { keyPrefix: prefix },
                keyRewrite,
              }),
            ]);
            const expectedOriginKey =
              rewrite.kind === 'prefix'
                ? rewrite.replacement + key.slice(prefix.length)
                : rewrite.template.replaceAll('${key}', key);
            expect((await fixture.target.client.getObject(bucket, key)).status).toBe(200);
            const [request] = fixture.origin.requestsUnder(path);
            expect(decodedPath((request?.path ?? '').slice(path.length + 1))).toBe(expectedOriginKey);
            expect((await fixture.target.client.headObject(bucket, key)).status).toBe(200);
            // The rewritten key names nothing in the bucket (when it is a valid key at all).
            if (expectedOriginKey !== key && Buffer.byteLength(expectedOriginKey) <= 1024) {
              await expectNotStored(fixture, bucket, expectedOriginKey);
            }
          },
        ),
      );
    },
  );
});

const paramNameArb = fc.oneof(
  // Prefixed so a name never spells an S3 subresource (acl, uploads...), which is not a GetObject at all.
  fc.stringMatching(/^q[a-z0-9_]{0,8}$/),
  fc.constantFrom('X-Amz-Signature', 'X-Amz-Credential', 'x-amz-date', 'X-Amz-Security-Token', 'versionId2'),
);
const paramValueArb = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9._~-]{0,10}$/),
  fc.constantFrom('a%20b', 'x+y', '%2F', ''),
);

describe('the query string', () => {
  behaviour(
    'origin.query-string',
    'the query string reaches the origin only when the rule passes it, verbatim, never with X-Amz-* parameters',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          fc.array(fc.tuple(paramNameArb, paramValueArb), { maxLength: 6 }),
          fc.option(fc.boolean(), { nil: undefined }),
          async (key, params, pass) => {
            const bucket = await fixture.bucket();
            const path = fixture.originPath();
            fixture.origin.scriptPrefix(path, { body: 'q' });
            // Taken as given: under fixed rules the law judges the promise of the value in force.
            const [inForce] = await configure(
              fixture,
              bucket,
              [
                rule(
                  'all',
                  [`${fixture.origin.url}${path}`],
                  pass === undefined ? {} : { passQueryString: pass },
                ),
              ],
              { given: ['passQueryString'] },
            );
            const passed = settingsOf(inForce).passQueryString;
            const query = params.map(([name, value]) => `${name}=${value}`).join('&');
            expect((await fixture.target.client.getObject(bucket, key, { query })).status).toBe(200);
            const [request] = fixture.origin.requestsUnder(path);
            const expected = passed
              ? params
                  .filter(([name]) => !name.toLowerCase().startsWith('x-amz-'))
                  .map(([name, value]) => `${name}=${value}`)
                  .join('&')
              : '';
            expect(request?.query).toBe(expected);
          },
        ),
      );
    },
  );
});

const headerNameArb = fc.stringMatching(/^x-h-[a-z0-9]{1,6}$/);
const headerValueArb = fc
  .stringMatching(/^[A-Za-z0-9 ,;=/._-]{1,16}$/)
  .map((v) => v.trim())
  .filter((v) => v !== '');

describe('request headers', () => {
  behaviour(
    'origin.headers-policy',
    'no client header reaches the origin by default; pass, pass-all, remove and set work as the rule says',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          fc.dictionary(headerNameArb, headerValueArb, { maxKeys: 6 }),
          fc.record(
            {
              passAll: fc.boolean(),
              pass: fc.array(headerNameArb, { maxLength: 4 }),
              remove: fc.array(headerNameArb, { maxLength: 4 }),
              set: fc.array(fc.record({ name: headerNameArb, value: headerValueArb }), { maxLength: 4 }),
            },
            { requiredKeys: [] },
          ),
          async (key, clientHeaders, policy) => {
            // Names the client sends are also candidates for pass/remove/set, so the cases meet.
            const names = Object.keys(clientHeaders);
            const pick = (list: string[] | undefined) => list?.map((name, i) => names[i] ?? name);
            const headers = {
              ...policy,
              ...(policy.pass ? { pass: pick(policy.pass) } : {}),
              ...(policy.remove ? { remove: pick(policy.remove) } : {}),
              ...(policy.set ? { set: policy.set.map((s, i) => ({ ...s, name: names[i] ?? s.name })) } : {}),
            };
            const bucket = await fixture.bucket();
            const path = fixture.originPath();
            fixture.origin.scriptPrefix(path, { body: 'h' });
            // Taken as given: under fixed rules the law checks the promise of the policy in force.
            const [inForce] = await configure(
              fixture,
              bucket,
              [rule('all', [`${fixture.origin.url}${path}`], { headers })],
              { given: ['headers'] },
            );
            const policyInForce = (inForce?.headers ?? {}) as typeof headers;
            expect(
              (await fixture.target.client.getObject(bucket, key, { headers: clientHeaders })).status,
            ).toBe(200);
            const [request] = fixture.origin.requestsUnder(path);

            const expected: Record<string, string> = {};
            for (const [name, value] of Object.entries(clientHeaders)) {
              const passed = policyInForce.passAll === true || (policyInForce.pass ?? []).includes(name);
              if (passed && !(policyInForce.remove ?? []).includes(name)) expected[name] = value;
            }
            for (const { name, value } of policyInForce.set ?? []) expected[name] = value;
            const seen = Object.fromEntries(
              Object.entries(request?.headers ?? {}).filter(([name]) => name.startsWith('x-h-')),
            );
            expect(seen).toEqual(expected);
          },
        ),
      );
    },
  );

  behaviour(
    'origin.headers-never-forwarded',
    "Authorization, Range, Date, Content-Length, the bucket's Host and x-amz-*/x-oss-* never reach the origin, even under pass-all",
    async () => {
      requirePlainRequests(fixture);
      const forbidden = [
        'authorization',
        'range',
        'date',
        'x-amz-date',
        'x-amz-content-sha256',
        'x-oss-meta-a',
        'x-amz-security-token',
      ];
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          fc.subarray(forbidden, { minLength: 1 }),
          fc.boolean(),
          async (key, sent, listed) => {
            const bucket = await fixture.bucket();
            const path = fixture.originPath();
            fixture.origin.scriptPrefix(path, { body: 'never' });
            // Never, under any header policy: the law takes the one in force as given.
            await configure(
              fixture,
              bucket,
              [
                rule('all', [`${fixture.origin.url}${path}`], {
                  headers: {
                    passAll: true,
                    ...(listed ? { pass: sent.filter((n) => n !== 'range').slice(0, 10) } : {}),
                  },
                }),
              ],
              { given: ['headers', 'passQueryString'] },
            );
            const values: Record<string, string> = {
              authorization: 'AWS4-HMAC-SHA256 Credential=SECRET/20260101/us-east-1/s3/aws4_request',
              range: 'bytes=0-0',
              date: 'Thu, 01 Jan 2026 00:00:00 GMT',
            };
            const clientHeaders = Object.fromEntries(
              sent.map((name) => [name, values[name] ?? 'secret-value']),
            );
            // COS answers a ranged miss with the range [cos-guide]; the origin is asked for all of it anyway.
            const ranged =
              sent.includes('range') &&
              fixture.target.capabilities.profile.switches.rangeOnMiss === 'range-and-copy';
            expect(
              (await fixture.target.client.getObject(bucket, key, { headers: clientHeaders })).status,
            ).toBe(ranged ? 206 : 200);
            const [request] = fixture.origin.requestsUnder(path);
            for (const name of sent) expect(request?.headers[name], name).toBeUndefined();
            expect(request?.headers['content-length']).toBeUndefined();
            const targetHost = new URL(fixture.target.endpoint).host;
            expect(request?.headers.host).not.toBe(targetHost);
          },
        ),
      );
    },
  );
});

describe('origin redirects', () => {
  behaviour(
    'origin.redirect-follow',
    'origin redirects are followed up to 10 hops; an 11th hop is 424 MirrorFailed and nothing is stored',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          fc.integer({ min: 0, max: 13 }),
          fc.constantFrom(301, 302, 303, 307, 308),
          async (key, hops, status) => {
            const bucket = await fixture.bucket();
            const path = fixture.originPath();
            // The first hop is the key's own origin URL; the others lie under the run's origin path,
            // named with `~`, which no ordinary key has, so every origin path fits one fixed rule.
            const hopPath = (hop: number) => (hop === 0 ? `${path}/${key}` : `${path}/~hop${hop}`);
            const finalPath = `${path}/~final`;
            for (let hop = 0; hop < hops; hop++) {
              const next = hop + 1 === hops ? finalPath : hopPath(hop + 1);
              fixture.origin.script(hopPath(hop), {
                redirect: { location: `${fixture.origin.url}${next}`, status },
              });
            }
            if (hops === 0) fixture.origin.script(hopPath(0), { body: { size: 500, seed: 1 } });
            fixture.origin.script(finalPath, { body: { size: 500, seed: hops + 1 } });
            await configure(fixture, bucket, [
              rule('all', [`${fixture.origin.url}${path}`], { followRedirects: true }),
            ]);
            const result = await fixture.target.client.getObject(bucket, key);
            if (hops <= 10) {
              expect(result.status).toBe(200);
              expect(sha256(result.body)).toBe(sha256(originBytes(500, hops === 0 ? 1 : hops + 1)));
              expect((await fixture.target.client.headObject(bucket, key)).status).toBe(200);
            } else {
              expectMirrorFailed(result);
              await expectNotStored(fixture, bucket, key);
            }
          },
        ),
      );
    },
  );

  behaviour(
    'origin.redirect-relay',
    "with redirect following off, the client gets the origin's 3xx with its Location and nothing is stored",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          fc.constantFrom(301, 302, 303, 307, 308),
          reservedUrlArb,
          async (key, status, location) => {
            const bucket = await fixture.bucket();
            const path = fixture.originPath();
            fixture.origin.scriptPrefix(path, { redirect: { location, status } });
            await configure(fixture, bucket, [
              rule('all', [`${fixture.origin.url}${path}`], { followRedirects: false }),
            ]);
            const result = await fixture.target.client.getObject(bucket, key);
            // KS3 fails the fetch instead of relaying the 3xx [ks3-py-sample].
            if (fixture.target.capabilities.profile.switches.followOff === 'fail') {
              expectMirrorFailed(result);
            } else {
              expect(result.status).toBe(status);
              expect(result.headers.location).toBe(location);
            }
            expect(fixture.origin.requestsUnder(path)).toHaveLength(1);
            await expectNotStored(fixture, bucket, key);
          },
        ),
      );
    },
  );
});

describe('no credential leaks', () => {
  behaviour(
    'origin.credentials-never-forwarded',
    "credentials and presigned parameters, S3's and every vendor's, never reach an origin, even under pass-all and pass-query-string",
    async () => {
      requirePlainRequests(fixture);
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          fc.subarray(Object.keys(credentialHeaders), { minLength: 1 }),
          fc.subarray(presignedParameters),
          fc.boolean(),
          async (key, headerNames, parameters, passCookieByName) => {
            const bucket = await fixture.bucket();
            const path = fixture.originPath();
            fixture.origin.scriptPrefix(path, { body: 'ok' });
            // Never, under any policy: the law takes the header policy and query setting in force as given.
            const [inForce] = await configure(
              fixture,
              bucket,
              [
                rule('all', [`${fixture.origin.url}${path}`], {
                  passQueryString: true,
                  headers: { passAll: true, ...(passCookieByName ? { pass: ['cookie'] } : {}) },
                }),
              ],
              { given: ['headers', 'passQueryString'] },
            );
            const settings = settingsOf(inForce);
            const cookiePassed = settings.pass.includes('cookie');
            const headers = Object.fromEntries(
              headerNames.map((name) => [name, credentialHeaders[name] ?? '']),
            );
            const query = ['keep=1', ...parameters].join('&');
            expect((await fixture.target.client.getObject(bucket, key, { headers, query })).status).toBe(200);
            const [seen] = fixture.origin.requestsUnder(path);
            for (const name of headerNames) {
              if (name === 'cookie' && cookiePassed)
                expect(seen?.headers.cookie).toBe(credentialHeaders.cookie);
              else expect(seen?.headers[name], name).toBeUndefined();
            }
            expect(seen?.query).toBe(settings.passQueryString ? 'keep=1' : '');
          },
        ),
      );
    },
  );
});
