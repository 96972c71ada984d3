// The laws of the COS origin-pull dialect: both round trips, and refusals by name.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { originUrlOfKey, readBack, refusal } from '../../dialects/dialect-test-support.ts';
import type { MirrorRuleDocument } from '../../model.ts';
import { validateAgainstSpec } from '../../validate-configuration.ts';
import { cosDialect } from './dialect.ts';
import { keyTail, nativeRules, neutralRules, pathedRule } from './dialect-arbitraries.ts';
import { BREAKERS, UNSUPPORTED } from './dialect-breakers.ts';
import { canonicalNative, expectedIds, roundTrip, type Tree, withDefaults, xml } from './dialect-trees.ts';

// ---- laws -----------------------------------------------------------------------------------------------

describe('laws of the COS origin-pull dialect', () => {
  it('native to neutral to native keeps every supported field', () => {
    fc.assert(
      fc.property(nativeRules, (rules) => {
        const body = xml(rules);
        const { first, rendered, second } = readBack(cosDialect, body);
        expect(second).toEqual(first);
        expect(canonicalNative(rendered)).toEqual(canonicalNative(body));
      }),
    );
  });

  it('neutral to native to neutral keeps every rule the vendor can express', () => {
    fc.assert(
      fc.property(neutralRules, (rules) => {
        const parsed = roundTrip({ rules });
        validateAgainstSpec(parsed.configuration);
        const ids = expectedIds(rules);
        const expected = rules.map((rule, index) => withDefaults({ ...rule, id: ids[index] ?? rule.id }));
        expect(parsed.configuration.rules.map(withDefaults)).toEqual(expected);
      }),
    );
  });

  it('neutral rules whose origins carry a common path keep the origin URL of every key', () => {
    fc.assert(
      fc.property(pathedRule, fc.array(keyTail, { minLength: 1, maxLength: 4 }), (rule, tails) => {
        validateAgainstSpec({ rules: [rule] });
        const parsed = roundTrip({ rules: [rule] });
        validateAgainstSpec(parsed.configuration);
        const returned = parsed.configuration.rules[0] as MirrorRuleDocument;
        // COS keeps hosts only: the path is in the key rewrite now.
        expect(returned.origins).toEqual(
          rule.origins.map((origin) =>
            /^[^:]*:\/\/[^/]*/.exec(origin)?.[0].replace(/^\w+/, (s) => s.toLowerCase()),
          ),
        );
        const { origins: _o, keyRewrite: _k, ...kept } = withDefaults({ ...rule, id: returned.id });
        const { origins: _bo, keyRewrite: _bk, ...keptBack } = withDefaults(returned);
        expect(keptBack).toEqual(kept);
        for (const tail of tails) {
          const key = (rule.condition?.keyPrefix ?? '') + tail;
          rule.origins.forEach((_, index) => {
            expect(originUrlOfKey(returned, key, index)).toBe(originUrlOfKey(rule, key, index));
          });
        }
      }),
    );
  });

  it('every unsupported field is refused by name', () => {
    fc.assert(
      fc.property(
        nativeRules,
        fc.constantFrom(...UNSUPPORTED),
        fc.nat(),
        (rules, { field, insert }, pick) => {
          const broken = structuredClone(rules);
          insert(broken[pick % broken.length] as Tree);
          const error = refusal(cosDialect, xml(broken));
          expect({ status: error.status, code: error.code }).toEqual({ status: 501, code: 'NotImplemented' });
          expect(error.message).toContain(field);
          expect(error.message).toContain('does not model');
        },
      ),
    );
  });

  it("invalid documents get COS's code and status", () => {
    fc.assert(
      fc.property(nativeRules, fc.constantFrom(...BREAKERS), (rules, { what, status, code, apply }) => {
        const broken = structuredClone(rules);
        apply(broken[0] as Tree, broken);
        const error = refusal(cosDialect, xml(broken));
        expect({ status: error.status, code: error.code }, what).toEqual({ status, code });
      }),
    );
  });

  it('a document cut short inside its closing tag is malformed XML', () => {
    fc.assert(
      fc.property(nativeRules, fc.integer({ min: 2, max: 40 }), (rules, cut) => {
        const body = xml(rules);
        expect(refusal(cosDialect, body.slice(0, body.length - cut)).code).toBe('MalformedXML');
      }),
    );
  });
});
