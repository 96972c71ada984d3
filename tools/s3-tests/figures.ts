// The figures section of docs/s3-compatibility.md, from the reports the benchmark keeps
// (reports/s3-tests/<target>.json): per feature, the simulator beside RGW, and every test the simulator
// does not pass with its reason: the known one (known-reasons.yaml, reasons.ts) and the run's own error.

import type { TestResult } from './junit.ts';
import { CAUSES, type Explained, explain, type KnownReason } from './reasons.ts';
import { type RunReport, tallies } from './report.ts';
import { featureOf, MARKERS, SELECTION } from './selection.ts';

const cell = (tally: { passed: number; failed: number; errored: number } | undefined) =>
  tally === undefined ? '–' : `${tally.passed} / ${tally.failed} / ${tally.errored}`;

const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * The Markdown of the figures; `peer` is the server measured beside the simulator (RGW), if any; `known`
 * the entries of known-reasons.yaml.
 */
export function renderFigures(
  simulator: RunReport,
  peer?: RunReport,
  known: readonly KnownReason[] = [],
): string {
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
    ...failureTable(simulator, explain(simulator.results, known), peer),
  ];
  return lines.join('\n');
}

const TEST_FILE_NOTE = `-m "${MARKERS}" -k "${SELECTION}"`;

function failureTable(simulator: RunReport, explained: Explained, peer?: RunReport): string[] {
  const peerResults = new Map<string, TestResult>(peer?.results.map((result) => [result.name, result]) ?? []);
  const failing = simulator.results
    .filter((result) => result.outcome !== 'passed')
    .sort((a, b) => featureOf(a.name).localeCompare(featureOf(b.name)) || a.name.localeCompare(b.name));
  if (failing.length === 0)
    return ['The simulator passes every test of the selection.', ...staleLines(explained)];
  const byCause = CAUSES.map(
    (cause) =>
      [
        cause,
        failing.filter((result) => explained.reasons.get(result.name)?.cause === cause).length,
      ] as const,
  ).filter(([, count]) => count > 0);
  const counts = [
    ...byCause.map(([cause, count]) => `${cause} ${count}`),
    ...(explained.unexplained.length > 0 ? [`**unexplained ${explained.unexplained.length}**`] : []),
  ];
  return [
    `### What the simulator does not pass (${failing.length})`,
    '',
    `By cause: ${counts.join(', ')}. Causes: _old boto3_, Debian's boto3 1.26 refuses the parameter or ` +
      'cannot parse the answer before any request is sent; _out of scope_, a feature the simulator does ' +
      'not claim (refused with 501 NotImplemented); _as S3 answers_, the simulator answers as S3 documents ' +
      'and the test expects RGW; _by design_, the simulator differs from S3 on purpose (a law says how); ' +
      '_simulator gap_, not done yet; _single user_, needs a second user.',
    '',
    `| Test | Feature | Outcome | Cause | Reason | Error in this run |${peer ? ' RGW |' : ''}`,
    `| --- | --- | --- | --- | --- | --- |${peer ? ' --- |' : ''}`,
    ...failing.map((result) => {
      const theirs = peerResults.get(result.name)?.outcome ?? '–';
      const entry = explained.reasons.get(result.name);
      const cause = entry?.cause ?? '**unexplained**';
      const error = escapeCell(result.reason ?? '');
      return `| \`${result.name}\` | ${featureOf(result.name)} | ${result.outcome} | ${cause} | ${escapeCell(entry?.reason ?? '')} | ${error} |${peer ? ` ${theirs} |` : ''}`;
    }),
    ...staleLines(explained),
  ];
}

/** known-reasons.yaml entries that explain no failure of this run: to be removed or corrected. */
function staleLines(explained: Explained): string[] {
  if (explained.stale.length === 0) return [];
  return [
    '',
    `**Stale entries in tools/s3-tests/known-reasons.yaml (${explained.stale.length})**: they explain no failure of this run.`,
    '',
    ...explained.stale.map(({ entry, why }) => `- \`${entry.test}\` (${why}): ${escapeCell(entry.reason)}`),
  ];
}
