// A run's outcomes as figures: per feature passed / failed / errored, the failures with their reasons,
// printed for the terminal and kept as JSON in reports/s3-tests/<target>.json for the documentation.

import type { Outcome, TestResult } from './junit.ts';
import { FEATURE_ORDER, featureOf } from './selection.ts';

export interface RunReport {
  target: string;
  label: string;
  /** The day of the run, YYYY-MM-DD (UTC). */
  date: string;
  /** The ceph/s3-tests commit the tests came from. */
  s3tests: string;
  notes: string[];
  results: TestResult[];
}

type Tally = Record<Outcome, number>;

const empty = (): Tally => ({ passed: 0, failed: 0, errored: 0, skipped: 0 });

/** Per feature, in the report's order, and the total. */
export function tallies(results: readonly TestResult[]): { feature: string; tally: Tally }[] {
  const byFeature = new Map<string, Tally>(FEATURE_ORDER.map((feature) => [feature, empty()]));
  const total = empty();
  for (const result of results) {
    const feature = featureOf(result.name);
    const tally = byFeature.get(feature) ?? empty();
    tally[result.outcome] += 1;
    total[result.outcome] += 1;
    byFeature.set(feature, tally);
  }
  const rows = [...byFeature.entries()]
    .filter(([, tally]) => tally.passed + tally.failed + tally.errored + tally.skipped > 0)
    .map(([feature, tally]) => ({ feature, tally }));
  return [...rows, { feature: 'total', tally: total }];
}

/** The terminal's view: one line per feature, then every test that did not pass with its reason. */
export function printable(report: RunReport): string {
  const lines = [`${report.label}, ceph/s3-tests ${report.s3tests}, ${report.date}`];
  for (const note of report.notes) lines.push(`  note: ${note}`);
  for (const { feature, tally } of tallies(report.results)) {
    const counts = `${tally.passed} passed, ${tally.failed} failed, ${tally.errored} errored`;
    lines.push(`  ${feature.padEnd(36)} ${counts}${tally.skipped ? `, ${tally.skipped} skipped` : ''}`);
  }
  const failing = report.results.filter((result) => result.outcome !== 'passed');
  if (failing.length > 0) lines.push('', '  not passed:');
  for (const result of failing) lines.push(`    ${result.outcome} ${result.name}: ${result.reason ?? ''}`);
  return lines.join('\n');
}
