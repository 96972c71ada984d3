// What the generators of every vendor dialect's laws share: the parts of a rule that the dialects
// write alike, under the same names.

import fc from 'fast-check';

/**
 * A header rule: pass every header or only some, remove some, set some, each part optional. `set` is
 * the vendor's own list of headers to set (a name and a value each, under its own field names).
 */
export function headerRuleArbitrary<Set>(headerName: fc.Arbitrary<string>, set: fc.Arbitrary<Set>) {
  return fc.record(
    {
      passAll: fc.boolean(),
      pass: fc.array(headerName, { maxLength: 10 }),
      remove: fc.array(headerName, { maxLength: 10 }),
      set,
    },
    { requiredKeys: [] },
  );
}
