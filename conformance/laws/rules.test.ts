// When one rule's condition holds: prefixes and suffixes compared literally, empty and absent conditions
// matching every key, and a prefix with a suffix needing both.

import fc from 'fast-check';
import { beforeAll, describe, expect } from 'vitest';
import { keyArb } from '../arbitraries/keys.ts';
import { originBytes } from '../origin/scriptable-origin.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import {
  configure,
  expectMirrorFailed,
  expectNoSuchKey,
  refusedOrigin,
  rule,
  sha256,
} from '../support/mirror-laws.ts';

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
let refused = '';
beforeAll(async () => {
  refused = await refusedOrigin();
});

type Answer = 'ok' | 'not-found' | 'error' | 'forbidden' | 'refused';
const answerArb = fc.constantFrom<Answer>('ok', 'not-found', 'error', 'forbidden', 'refused');

/** Scripts one origin path prefix to give `answer`, returning the base URL a rule names. */
function scriptAnswer(prefix: string, answer: Answer, seed: number): string {
  if (answer === 'refused') return `${refused}${prefix}`;
  const script =
    answer === 'ok'
      ? { body: { size: 64 + (seed % 100), seed } }
      : { status: answer === 'not-found' ? 404 : answer === 'forbidden' ? 403 : 503 };
  fixture.origin.scriptPrefix(prefix, script);
  return `${fixture.origin.url}${prefix}`;
}

const conditionArb = fc.record(
  {
    keyPrefix: fc.constantFrom('', 'a', 'ab', 'img/', 'é'),
    keySuffix: fc.constantFrom('', 'b', '.jpg', '/'),
  },
  { requiredKeys: [] },
);
const keyForRulesArb = fc.oneof(
  keyArb,
  fc.constantFrom('ab', 'a.jpg', 'img/x.jpg', 'img/', 'éb', 'b', 'abb.jpg'),
);

/**
 * The rules a profile accepts, in order: at most its rule limit, and prefixes that differ (US3, seed 002)
 * or do not nest (OBS [obs-api]) where it says so. A rule without a prefix has the empty one.
 */
function acceptedByProfile<T extends { condition: { keyPrefix?: string } }>(specs: T[]): T[] {
  const { limits, switches } = fixture.target.capabilities.profile;
  const kept: T[] = [];
  for (const spec of specs) {
    const prefix = spec.condition.keyPrefix ?? '';
    const clash = kept.some(({ condition }) => {
      const other = condition.keyPrefix ?? '';
      if (switches.prefixRules === 'unique') return other === prefix;
      return (
        switches.prefixRules === 'non-overlapping' && (other.startsWith(prefix) || prefix.startsWith(other))
      );
    });
    if (!clash) kept.push(spec);
  }
  return kept.slice(0, limits.maxRules);
}

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

describe('rule order', () => {
  behaviour(
    'rules.first-match',
    'only the first rule whose condition holds is used, even when its origin then fails',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ condition: conditionArb, answer: answerArb }), { minLength: 1, maxLength: 6 }),
          keyForRulesArb,
          fc.integer({ min: 1, max: 1_000_000 }),
          async (generated, key, seed) => {
            const specs = acceptedByProfile(generated);
            const bucket = await fixture.bucket();
            const base = fixture.originPath();
            const rules = specs.map((spec, index) =>
              rule(`r${index}`, [scriptAnswer(`${base}/rule${index}`, spec.answer, seed + index)], {
                condition: spec.condition,
              }),
            );
            await configure(fixture, bucket, rules);
            const chosen = specs.findIndex(
              ({ condition }) =>
                key.startsWith(condition.keyPrefix ?? '') && key.endsWith(condition.keySuffix ?? ''),
            );
            const result = await fixture.target.client.getObject(bucket, key);

            specs.forEach((_, index) => {
              const seen = fixture.origin.requestsUnder(`${base}/rule${index}/`).length;
              expect(seen, `requests to rule ${index}'s origin`).toBe(index === chosen ? seen : 0);
            });
            const answer = specs[chosen]?.answer;
            if (answer === undefined || answer === 'not-found') expectNoSuchKey(result);
            else if (answer === 'ok') {
              expect(result.status).toBe(200);
              expect(sha256(result.body)).toBe(
                sha256(originBytes(64 + ((seed + chosen) % 100), seed + chosen)),
              );
            } else expectMirrorFailed(result);
            if (answer !== undefined && answer !== 'refused') {
              expect(fixture.origin.requestsUnder(`${base}/rule${chosen}/`)).toHaveLength(1);
            }
          },
        ),
      );
    },
  );
});
