// The fuzz targets, on a short budget each, as part of the test suite; `npm run fuzz` runs them longer.

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runFuzz } from './run-fuzz.ts';
import { closeFuzzTargets, FUZZ_TARGETS } from './targets.ts';

/** Milliseconds each target runs for in the test suite: enough for some thousands of inputs. */
const BUDGET_MS = 1500;

afterAll(closeFuzzTargets);

describe('fuzzing, on a short budget', () => {
  for (const target of FUZZ_TARGETS) {
    it(`${target.name}: no input crashes it or takes seconds (${target.covers})`, async () => {
      // The run's seed (printed by the suite, MIRRORSPEC_SEED to replay) decides the inputs.
      const seed = fc.readConfigureGlobal().seed ?? 0;
      const [outcome] = await runFuzz({ seed, millisecondsPerTarget: BUDGET_MS, only: [target.name] });
      expect(outcome?.failure).toBeUndefined();
      expect(outcome?.runs).toBeGreaterThan(0);
    });
  }
});

describe('the fuzzer', () => {
  it('reports a parser that throws something other than its own error, with a shrunk counterexample', async () => {
    // A planted fault: a parser that crashes (TypeError) on any input holding a quote.
    const planted = {
      name: 'planted',
      covers: 'a parser with a planted crash',
      property: () =>
        fc.property(fc.string(), (text) => {
          if (text.includes('"')) throw new TypeError('planted crash');
        }),
    };
    const [outcome] = await runFuzz({ seed: 7, millisecondsPerTarget: 1000, targets: [planted] });
    expect(outcome?.failure).toMatch(/Counterexample: \["\\""\]/);
    expect(outcome?.failure).toMatch(/seed: 7, path: /);
  });
});
