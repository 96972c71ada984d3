// When one rule's condition holds: prefixes and suffixes compared literally, empty and absent conditions
// matching every key, and a prefix with a suffix needing both.

import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { keyArb } from '../arbitraries/keys.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { configure, expectNoSuchKey, rule } from '../support/mirror-laws.ts';

const fixture = useLawFixture();

/**
 * Configures one rule with `condition` (none when undefined) and GETs `key`: fired, the origin answers
 * and sees one request; not fired, the GET is 404 NoSuchKey and the origin sees nothing.
 */
async function expectFires(condition: Record<string, string> | undefined, key: string, fires: boolean) {
  const bucket = await fixture.bucket();
  const path = fixture.originPath();
  fixture.origin.scriptPrefix(path, { body: 'fired' });
  await configure(fixture, bucket, [
    rule('only', [`${fixture.origin.url}${path}`], condition === undefined ? {} : { condition }),
  ]);
  const result = await fixture.target.client.getObject(bucket, key);
  const why = `${JSON.stringify(condition)} and key ${JSON.stringify(key)}`;
  if (fires) {
    expect(result.status, why).toBe(200);
    expect(Buffer.from(result.body).toString('utf8')).toBe('fired');
    expect(fixture.origin.requestsUnder(path), why).toHaveLength(1);
  } else {
    expectNoSuchKey(result);
    expect(fixture.origin.requestsUnder(path), why).toEqual([]);
  }
}

const matches = (condition: { keyPrefix?: string; keySuffix?: string }, key: string) =>
  key.startsWith(condition.keyPrefix ?? '') && key.endsWith(condition.keySuffix ?? '');

const wildcardArb = fc.constantFrom('*', '?', '**', '*?');
const wordArb = fc.stringMatching(/^[a-z]{0,3}$/);

describe('rule conditions', () => {
  behaviour(
    'rules.literal-wildcards',
    "'*' and '?' in a prefix or suffix match only themselves",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.tuple(wordArb, wildcardArb, wordArb),
          fc.option(wildcardArb, { nil: undefined }),
          fc.constantFrom('literal', 'replaced', 'dropped', 'other'),
          fc.stringMatching(/^[a-z0-9/._-]{1,8}$/),
          async ([before, wildcard, after], suffixWildcard, shape, rest) => {
            const condition: Record<string, string> = { keyPrefix: `${before}${wildcard}${after}` };
            if (suffixWildcard !== undefined) condition.keySuffix = `.${suffixWildcard}`;
            const tail = suffixWildcard === undefined ? rest : `${rest}.${suffixWildcard}`;
            // The key as the prefix says, or with the wildcard replaced by what it would match as a
            // pattern (a letter), or left out, or a key with the wildcard in the suffix replaced.
            const key = {
              literal: `${before}${wildcard}${after}${tail}`,
              replaced: `${before}${'x'.repeat(wildcard.length)}${after}${tail}`,
              dropped: `${before}${after}${tail}`,
              other: `${before}${wildcard}${after}${rest}.x`,
            }[shape];
            await expectFires(condition, key, matches(condition, key));
          },
        ),
      );
    },
  );

  behaviour(
    'rules.empty-prefix',
    'a rule whose prefix and suffix are empty applies to every key',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          fc.constantFrom<Record<string, string>>(
            { keyPrefix: '' },
            { keyPrefix: '', keySuffix: '' },
            { keySuffix: '' },
          ),
          async (key, condition) => {
            await expectFires(condition, key, true);
          },
        ),
      );
    },
  );

  behaviour(
    'rules.no-condition',
    'a rule without a condition, or with an empty one, fires for any missing key',
    async () => {
      await fc.assert(
        fc.asyncProperty(keyArb, fc.boolean(), async (key, empty) => {
          await expectFires(empty ? {} : undefined, key, true);
        }),
      );
    },
  );

  behaviour(
    'rules.suffix-and-prefix',
    'a rule with a prefix and a suffix fires only when the key has both',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('img/', 'a', 'é/', 'x y/'),
          fc.constantFrom('.jpg', 'b', '/', '.tar.gz'),
          fc.boolean(),
          fc.boolean(),
          fc.stringMatching(/^[a-z0-9/.]{0,6}$/),
          async (prefix, suffix, withPrefix, withSuffix, middle) => {
            // Keys with the prefix or a near miss at the start, the suffix or a near miss at the end.
            const key = `${withPrefix ? prefix : `z${prefix}`}${middle}${withSuffix ? suffix : `${suffix}z`}`;
            const condition = { keyPrefix: prefix, keySuffix: suffix };
            await expectFires(condition, key, matches(condition, key));
          },
        ),
      );
    },
  );

  behaviour(
    'rules.header-condition',
    'a rule with header conditions fires only for a request carrying each header with exactly that value',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          fc.constantFrom('x-mirror-tenant', 'X-Mirror-Tenant'),
          fc.constantFrom('a', 'b', 'A'),
          fc.option(fc.constantFrom('a', 'b', 'A', ''), { nil: undefined }),
          async (key, name, equals, sent) => {
            const bucket = await fixture.bucket();
            const path = fixture.originPath();
            fixture.origin.scriptPrefix(path, { body: 'fired' });
            const condition = { headers: [{ name, equals }] };
            await configure(fixture, bucket, [
              rule('tenant', [`${fixture.origin.url}${path}`], { condition }),
            ]);
            const headers: Record<string, string> = sent === undefined ? {} : { 'x-mirror-tenant': sent };
            const result = await fixture.target.client.getObject(bucket, key, { headers });
            if (sent === equals) {
              expect(result.status).toBe(200);
              expect(fixture.origin.requestsUnder(path)).toHaveLength(1);
            } else {
              expectNoSuchKey(result);
              expect(fixture.origin.requestsUnder(path)).toEqual([]);
            }
          },
        ),
      );
    },
  );
});
