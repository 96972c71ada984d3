// The figures section of docs/s3-compatibility.md, from the reports the benchmark keeps
// (reports/s3-tests/<target>.json): per feature, the simulator beside RGW, and every test the simulator
// does not pass with its reason.

import type { TestResult } from './junit.ts';
import { type RunReport, tallies } from './report.ts';
import { featureOf, MARKERS, SELECTION } from './selection.ts';

const cell = (tally: { passed: number; failed: number; errored: number } | undefined) =>
  tally === undefined ? '–' : `${tally.passed} / ${tally.failed} / ${tally.errored}`;

const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The Markdown of the figures; `peer` is the server measured beside the simulator (RGW), if any. */
export function renderFigures(simulator: RunReport, peer?: RunReport): string {
  const ours = new Map(tallies(simulator.results).map((row) => [row.feature, row.tally]));
  const theirs = new Map(peer ? tallies(peer.results).map((row) => [row.feature, row.tally]) : []);
  const features = [...new Set([...ours.keys(), ...theirs.keys()])];
  const total = ours.get('total');
  const lines = [
    `Measured ${simulator.date} with ceph/s3-tests ${simulator.s3tests}, ` +
      `${simulator.results.length} tests (\`${TEST_FILE_NOTE}\`), by \`npm run bench:s3-tests\`.`,
    '',
    `| Feature | ${simulator.label}: passed / failed / errored |${peer ? ` ${peer.label}: passed / failed / errored |` : ''}`,
    `| --- | --- |${peer ? ' --- |' : ''}`,
    ...features.map((feature) => {
      const name = feature === 'total' ? '**total**' : feature;
      return `| ${name} | ${cell(ours.get(feature))} |${peer ? ` ${cell(theirs.get(feature))} |` : ''}`;
    }),
    '',
    `The simulator passes ${total?.passed ?? 0} of ${simulator.results.length}` +
      (peer ? `; ${peer.label} passes ${theirs.get('total')?.passed ?? 0} of ${peer.results.length}.` : '.'),
    ...[...simulator.notes, ...(peer?.notes ?? [])].map((note) => `\n- ${note}`),
    '',
    ...failureTable(simulator, peer),
  ];
  return lines.join('\n');
}

const TEST_FILE_NOTE = `-m "${MARKERS}" -k "${SELECTION}"`;

function failureTable(simulator: RunReport, peer?: RunReport): string[] {
  const peerResults = new Map<string, TestResult>(peer?.results.map((result) => [result.name, result]) ?? []);
  const failing = simulator.results
    .filter((result) => result.outcome !== 'passed')
    .sort((a, b) => featureOf(a.name).localeCompare(featureOf(b.name)) || a.name.localeCompare(b.name));
  if (failing.length === 0) return ['The simulator passes every test of the selection.'];
  return [
    `### What the simulator does not pass (${failing.length})`,
    '',
    `| Test | Feature | Outcome | Reason |${peer ? ' RGW |' : ''}`,
    `| --- | --- | --- | --- |${peer ? ' --- |' : ''}`,
    ...failing.map((result) => {
      const theirs = peerResults.get(result.name)?.outcome ?? '–';
      const reason = escapeCell(result.reason ?? '');
      return `| \`${result.name}\` | ${featureOf(result.name)} | ${result.outcome} | ${reason} |${peer ? ` ${theirs} |` : ''}`;
    }),
  ];
}
