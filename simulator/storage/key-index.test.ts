import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyIndex } from './key-index.ts';
import { listingModel } from './store-contract-properties.ts';

describe('the key index in sorted blocks', () => {
  // Few characters and short keys (30 of them), some of whose UTF-16 order differs from their UTF-8 order,
  // so that deletes often find their key and empty a block.
  const alphabet = fc.constantFrom('a', 'b', '/', '\uffee', '\u{1f600}');
  const key = fc.array(alphabet, { minLength: 1, maxLength: 2 }).map((units) => units.join(''));
  const cursor = fc.array(alphabet, { maxLength: 3 }).map((units) => units.join(''));
  const step = fc.oneof(
    { weight: 3, arbitrary: key.map((k) => ({ insert: k })) },
    key.map((k) => ({ delete: k })),
  );

  it('holds and lists what a sort of every key lists, with blocks split and emptied along the way', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(step, { maxLength: 60 }),
        fc.array(fc.record({ prefix: cursor, startAfter: cursor, limit: fc.integer({ min: 0, max: 30 }) }), {
          minLength: 1,
          maxLength: 5,
        }),
        (maxBlock, steps, queries) => {
          const index = new KeyIndex(maxBlock);
          const keys = new Set<string>();
          for (const change of steps) {
            if ('insert' in change) {
              index.insert(change.insert);
              keys.add(change.insert);
            } else {
              index.delete(change.delete);
              keys.delete(change.delete);
            }
          }
          expect(index.size).toBe(keys.size);
          expect(index.range('', '', keys.size + 1)).toEqual(listingModel(keys, '', '', keys.size + 1));
          for (const { prefix, startAfter, limit } of queries) {
            expect(index.range(prefix, startAfter, limit)).toEqual(
              listingModel(keys, prefix, startAfter, limit),
            );
          }
        },
      ),
    );
  });
});
