// What a profile changes in PutBucketMirror: how many rules, which prefix conditions may sit side by
// side, and whether https origins are taken. Every law expects what the profile the suite expects says,
// so it fails against a target that behaves as another profile.

import fc from 'fast-check';
import { describe, expect } from 'vitest';
import type { Profile } from '../../spec/profiles.ts';
import { reservedHostArb } from '../arbitraries/hosts.ts';
import { behaviour } from '../support/behaviour.ts';
import { expectConfigVerdict } from '../support/config-verdict.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { rule } from '../support/mirror-laws.ts';

const fixture = useLawFixture();
const profile = (): Profile => fixture.target.capabilities.profile;

/** Rule ids no one of which appears inside another, so a message naming one is unambiguous. */
const NAMES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];

/** Expects `document` accepted or refused as said, the previous configuration kept when refused. */
const attempt = (document: { rules: unknown[] }, accepted: boolean) =>
  expectConfigVerdict(fixture, document, accepted);

/** A rule with an http origin and this prefix (absent when undefined). */
function prefixed(id: string, prefix: string | undefined) {
  return rule(
    id,
    [`http://${id}.invalid/`],
    prefix === undefined ? {} : { condition: { keyPrefix: prefix } },
  );
}

/** Whether the profile refuses these prefixes side by side (undefined is the empty prefix). */
function prefixesRefused(prefixes: (string | undefined)[]): boolean {
  const policy = profile().switches.prefixRules;
  const all = prefixes.map((p) => p ?? '');
  const equal = all.some((p, i) => all.indexOf(p) !== i);
  const nested = all.some((p, i) => all.some((q, j) => i !== j && p !== q && q.startsWith(p)));
  return (policy !== 'any' && equal) || (policy === 'non-overlapping' && nested);
}

const prefixArb = fc.oneof(
  fc.constantFrom<string | undefined>(undefined, '', 'img/', 'img/2024/', 'doc', 'doc/', 'a*', 'é/'),
  fc.stringMatching(/^[a-z]{1,4}\/?$/),
);

describe('rule limit', () => {
  behaviour(
    'config.rule-limit',
    "the profile's number of rules is accepted and one more is refused, leaving the previous rules in force",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: -2, max: 3 }),
          fc.string({ maxLength: 6 }),
          async (offset, tag) => {
            const { maxRules } = profile().limits;
            const count = Math.max(0, maxRules + offset);
            // Prefixes of their own, `p<n>/`, which no profile's prefix switch objects to.
            const rules = Array.from({ length: count }, (_, index) =>
              prefixed(`r${index}`, `p${index}/${tag}`),
            );
            const message = await attempt({ rules }, count <= maxRules);
            if (count > maxRules) expect(message, 'the message gives the limit').toContain(String(maxRules));
          },
        ),
      );
    },
  );
});

describe('prefix conditions', () => {
  behaviour(
    'config.prefix-unique',
    'two rules with the same prefix are refused where the profile needs distinct or unnested prefixes, naming both',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.shuffledSubarray(NAMES, { minLength: 2, maxLength: 5 }),
          prefixArb,
          fc.array(prefixArb, { maxLength: 3 }),
          fc.nat(),
          fc.nat(),
          async (ids, shared, others, first, second) => {
            // Two rules share `shared`, at random places among rules with prefixes from `others`.
            const placed: (string | undefined)[] = others.slice(
              0,
              Math.min(ids.length, profile().limits.maxRules) - 2,
            );
            placed.splice(first % (placed.length + 1), 0, shared);
            placed.splice(second % (placed.length + 1), 0, shared);
            const rules = placed.map((prefix, i) => prefixed(ids[i] ?? `r${i}`, prefix));
            const refused = prefixesRefused(placed);
            expect(refused, 'a shared prefix is refused unless prefixes are free').toBe(
              profile().switches.prefixRules !== 'any',
            );
            const message = await attempt({ rules }, !refused);
            if (refused) {
              // Both rules that share the prefix are named.
              const sharing = placed.flatMap((prefix, i) =>
                (prefix ?? '') === (shared ?? '') ? [ids[i]] : [],
              );
              for (const id of sharing.slice(0, 2)) expect(message, `names rule ${id}`).toContain(id);
            }
          },
        ),
      );
    },
  );

  behaviour(
    'config.prefix-nested',
    'two rules whose prefixes nest are refused where the profile forbids it, naming both, and accepted elsewhere',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.shuffledSubarray(NAMES, { minLength: 2, maxLength: 5 }),
          fc.constantFrom('', 'img', 'img/', 'a*', 'é'),
          fc.stringMatching(/^[a-z0-9/]{1,5}$/),
          fc.uniqueArray(fc.stringMatching(/^[x-z][a-z]{0,3}\/$/), { maxLength: 3 }),
          fc.boolean(),
          async (ids, outer, extension, others, innerFirst) => {
            const inner = outer + extension;
            const count = Math.min(ids.length, profile().limits.maxRules);
            // The nested pair, in either order, then prefixes that clash with neither (unless outer is '').
            const pair = innerFirst ? [inner, outer] : [outer, inner];
            const prefixes = [...pair, ...others.filter((p) => p !== outer && p !== inner)].slice(0, count);
            const rules = prefixes.map((prefix, i) => prefixed(ids[i] ?? `r${i}`, prefix));
            const refused = prefixesRefused(prefixes);
            expect(refused).toBe(profile().switches.prefixRules === 'non-overlapping');
            const message = await attempt({ rules }, !refused);
            if (refused) {
              expect(message, 'names the outer rule').toContain(ids[innerFirst ? 1 : 0]);
              expect(message, 'names the inner rule').toContain(ids[innerFirst ? 0 : 1]);
            }
          },
        ),
      );
    },
  );
});

describe('https origins', () => {
  behaviour(
    'config.https-origins',
    'an https origin is refused where the profile takes only http origins, saying so, and accepted elsewhere',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(reservedHostArb, { minLength: 1, maxLength: 3 }),
          fc.nat(),
          fc.constantFrom('', '/', '/base/'),
          async (hosts, which, path) => {
            // Every origin http but one, at a random place.
            const secure = which % hosts.length;
            const origins = hosts.map((host, i) => `${i === secure ? 'https' : 'http'}://${host}${path}`);
            const refused = profile().switches.httpsOrigins === 'refused';
            const message = await attempt({ rules: [rule('mixed', origins)] }, !refused);
            if (refused) expect(message, 'the message says https is the problem').toMatch(/https/i);
          },
        ),
      );
    },
  );
});
