// `mirrorspec check --dialect <vendor>` against the simulator in that vendor's profile: every rule goes
// through the vendor's own API, the whole suite passes, and what the vendor's API cannot say is reported
// as not applicable with the reason, never as passed. The S3 baseline (s3.*) is left out: it writes no
// rule, so a dialect cannot change it, and `npm run check` judges it in every profile (it was a quarter
// of this file's time, the longest of `npm test`).

import { describe, expect, it } from 'vitest';
import { dialectIds } from '../spec/vendors/index.ts';
import { runCheck } from './support/run-check.ts';
import { runConfig } from './support/run-config.ts';

/** Few runs per property: this checks the dialect path end to end; `npm run check` does the depth. */
const RUNS = String(runConfig().dialectRuns);

describe.each(dialectIds)('check --dialect %s', (dialect) => {
  it(
    'passes the whole suite but the S3 baseline with rules written through the vendor API',
    { timeout: 600_000 },
    async () => {
      const run = await runCheck(['--dialect', dialect, '--skip', 's3.*', '--runs', RUNS]);
      const { status, output } = run;
      const report = run.report();
      expect(status, output.slice(-3000)).toBe(0);
      expect(report.profiles).toEqual([dialect]);
      const behaviours = Object.entries(report.results[dialect]?.behaviours ?? {});
      const failed = behaviours.filter(([, result]) => result.status === 'failed').map(([id]) => id);
      expect(failed).toEqual([]);
      const passed = behaviours.filter(([, result]) => result.status === 'passed');
      expect(passed.length).toBeGreaterThan(behaviours.length / 2);
      // The neutral API's own laws cannot be asked through a vendor's API.
      expect(report.results[dialect]?.behaviours['config.replace']?.note).toMatch(/neutral rule API/);
      // Whatever did not run says why.
      for (const [id, result] of behaviours) {
        if (result.status === 'not-run') expect(result.note, id).toMatch(/\S/);
      }
    },
  );
});
