// The two rule modes that answer a miss with a 302 to the origin instead of the object: redirect, which
// stores nothing, and redirect-async, which copies the object in the background. Checked only where the
// profile offers the mode: elsewhere the law is not applicable.

import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { keyArb } from '../arbitraries/keys.ts';
import { bodyArb } from '../arbitraries/origin-scripts.ts';
import type { HttpResult } from '../client/http-client.ts';
import { encodeKey } from '../client/s3-client.ts';
import { originBytes } from '../origin/scriptable-origin.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { configure, expectNotStored, rule, sha256 } from '../support/mirror-laws.ts';
import { NotApplicable } from '../support/not-applicable.ts';

const fixture = useLawFixture();
const offers = (mode: 'redirect' | 'redirect-async') =>
  fixture.target.capabilities.profile.switches.modes.includes(mode);

/** A vendor without the mode cannot be asked for it: the law is not applicable there, not passed. */
function requireMode(...modes: ('redirect' | 'redirect-async')[]): void {
  if (!modes.some(offers)) {
    const profile = fixture.target.capabilities.profile.id;
    throw new NotApplicable(`the ${profile} profile offers no ${modes.join(' or ')} mode`);
  }
}

/** The origin URL of `key`: the base without its trailing slash, one slash, the key encoded per RFC 3986. */
const originUrl = (base: string, key: string, query = '') =>
  `${base.replace(/\/$/, '')}/${encodeKey(key)}${query === '' ? '' : `?${query}`}`;

function expectRedirect(result: HttpResult, location: string): void {
  expect(result.status).toBe(302);
  expect(result.headers.location).toBe(location);
}

// Parameter names start with 'q', as no S3 subresource (acl, cors, ...) does.
const queryArb = fc
  .array(fc.stringMatching(/^q[a-z]{0,3}=[a-z0-9]{0,4}$/), { maxLength: 3 })
  .map((parts) => parts.join('&'));

describe('redirect', () => {
  behaviour(
    'mode.redirect',
    'a miss under a redirect rule is a 302 to the origin URL of the key; the origin sees nothing and nothing is stored',
    async () => {
      requireMode('redirect');
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          fc.constantFrom('', '/', '/base', '/a/b/'),
          queryArb,
          fc.boolean(),
          async (key, basePath, query, passQueryString) => {
            const bucket = await fixture.bucket();
            const path = fixture.originPath();
            fixture.origin.scriptPrefix(path, { body: 'must not be fetched' });
            const base = `${fixture.origin.url}${path}${basePath}`;
            await configure(fixture, bucket, [rule('away', [base], { mode: 'redirect', passQueryString })]);
            const result = await fixture.target.client.getObject(bucket, key, { query });
            expectRedirect(result, originUrl(base, key, passQueryString ? query : ''));
            await fixture.target.settle(5000);
            expect(fixture.origin.requestsUnder(path)).toEqual([]);
            await expectNotStored(fixture, bucket, key);
          },
        ),
      );
    },
  );
});

describe('redirect status', () => {
  behaviour(
    'mode.redirect-status',
    'a redirect or redirect-async rule answers a miss with its configured status and the origin URL of the key',
    async () => {
      requireMode('redirect', 'redirect-async');
      const modes = (['redirect', 'redirect-async'] as const).filter(offers);
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          fc.constantFrom(...modes),
          fc.constantFrom(301, 302, 307, undefined),
          async (key, mode, redirectStatus) => {
            const bucket = await fixture.bucket();
            const path = fixture.originPath();
            fixture.origin.scriptPrefix(path, { body: 'the object' });
            const base = `${fixture.origin.url}${path}`;
            const extra = redirectStatus === undefined ? { mode } : { mode, redirectStatus };
            await configure(fixture, bucket, [rule('away', [base], extra)]);
            const result = await fixture.target.client.getObject(bucket, key);
            expect(result.status).toBe(redirectStatus ?? 302);
            expect(result.headers.location).toBe(originUrl(base, key));
            await fixture.target.settle(10_000);
          },
        ),
      );
    },
  );
});

describe('redirect-async', () => {
  behaviour(
    'mode.redirect-async',
    'a miss under a redirect-async rule is a 302 to the origin URL of the key, and the object is stored in the background',
    async () => {
      requireMode('redirect-async');
      await fc.assert(
        fc.asyncProperty(keyArb, bodyArb, fc.constantFrom('', '/', '/base/'), async (key, body, basePath) => {
          const bucket = await fixture.bucket();
          const path = fixture.originPath();
          fixture.origin.scriptPrefix(path, { body, headers: { 'content-type': 'image/png' } });
          const base = `${fixture.origin.url}${path}${basePath}`;
          await configure(fixture, bucket, [rule('copy', [base], { mode: 'redirect-async' })]);
          expectRedirect(await fixture.target.client.getObject(bucket, key), originUrl(base, key));
          expect(await fixture.target.settle(10_000), 'the copy settles').toBe(true);
          const stored = await fixture.target.client.getObject(bucket, key);
          expect(stored.status).toBe(200);
          expect(sha256(stored.body)).toBe(sha256(originBytes(body.size, body.seed)));
          expect(stored.headers['content-type']).toBe('image/png');
          expect(fixture.origin.requestsUnder(path)).toHaveLength(1);
        }),
      );
    },
  );

  behaviour(
    'mode.redirect-async-repeat',
    'until the copy lands every GET is a 302 again, never 404 or 424, and one copy runs per key',
    async () => {
      requireMode('redirect-async');
      await fc.assert(
        fc.asyncProperty(keyArb, bodyArb, fc.integer({ min: 1, max: 5 }), async (key, body, repeats) => {
          const bucket = await fixture.bucket();
          const path = fixture.originPath();
          // The origin holds its answer until the GETs are done, so the copy cannot land in between.
          let release = () => {};
          const gate = new Promise<void>((resolve) => {
            release = resolve;
          });
          fixture.origin.scriptPrefix(path, { body, gate: () => gate });
          const base = `${fixture.origin.url}${path}`;
          await configure(fixture, bucket, [rule('copy', [base], { mode: 'redirect-async' })]);
          try {
            for (let i = 0; i <= repeats; i++) {
              expectRedirect(await fixture.target.client.getObject(bucket, key), originUrl(base, key));
            }
          } finally {
            release();
          }
          expect(await fixture.target.settle(10_000), 'the copy settles').toBe(true);
          const stored = await fixture.target.client.getObject(bucket, key);
          expect(stored.status).toBe(200);
          expect(sha256(stored.body)).toBe(sha256(originBytes(body.size, body.seed)));
          expect(fixture.origin.requestsUnder(path), 'one copy for all the GETs').toHaveLength(1);
        }),
      );
    },
  );
});
