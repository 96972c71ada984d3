// summary.md: the report for people reading it in a CI artefact or a pull request.

import type { BehaviourResult, CheckReport } from './check-report.ts';
import { countStatuses, selectedEntries } from './check-report.ts';
import { STATUS_LABELS } from './check-status.ts';

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

export function renderSummary(report: CheckReport): string {
  const counts = countStatuses(report);
  const runs = report.profiles.map((profile) => `${profile} ${report.runs[profile]}`).join(', ');
  const lines = [
    '# mirrorspec conformance report',
    '',
    `Target: ${report.target}. Profiles: ${report.profiles.join(', ')}. Seed: ${report.seed}. Runs per property: ${runs}.`,
    `Started ${report.startedAt}, took ${(report.durationMs / 1000).toFixed(0)} s. Exit status ${report.exitCode}.`,
    ...(report.only.length > 0 ? [`Only: ${report.only.join(', ')}.`] : []),
    ...(report.skip.length > 0 ? [`Skipped: ${report.skip.join(', ')}.`] : []),
    ...(report.expectationsFile ? [`Expectations: ${report.expectationsFile}.`] : []),
    '',
    `${counts.passed} passed, ${counts.failed} failed, ${counts['expected-failure']} expected failures, ` +
      `${counts['unexpected-pass']} unexpected passes, ${counts.absent} absent, ${counts['not-run']} not run (behaviour × profile).`,
    '',
    `| behaviour | level | ${report.profiles.join(' | ')} |`,
    `| --- | --- | ${report.profiles.map(() => '---').join(' | ')} |`,
    ...selectedEntries(report).map(
      (entry) =>
        `| ${entry.id} | ${entry.level} | ${report.profiles
          .map((profile) => STATUS_LABELS[report.results[profile]?.behaviours[entry.id]?.status ?? 'not-run'])
          .join(' | ')} |`,
    ),
    '',
  ];
  const notable = (wanted: BehaviourResult['status']) =>
    report.profiles.flatMap((profile) =>
      Object.entries(report.results[profile]?.behaviours ?? {})
        .filter(([, result]) => result.status === wanted)
        .map(([id, result]) => ({ profile, id, result })),
    );
  const failed = notable('failed');
  if (failed.length > 0) {
    lines.push('## Failures', '');
    for (const { profile, id, result } of failed) {
      lines.push(`### ${id} on ${profile} (${result.level})`, '');
      if (result.counterexample !== undefined) {
        lines.push(
          `Counterexample (seed ${result.seed}, path \`${result.path}\`, after ${result.failedAfterRuns} runs and ${result.shrinks} shrinks):`,
          '',
          '```',
          result.counterexample,
          '```',
          '',
        );
      }
      if (result.failure) lines.push('```', result.failure.split('\n').slice(0, 12).join('\n'), '```', '');
      if (result.trace !== undefined) {
        lines.push('Exchanges of the counterexample (client → target, then target → origin):', '');
        for (const exchange of result.trace.client) {
          lines.push(
            `- ${exchange.method} ${exchange.path} → ${exchange.status}${exchange.cut ? ' (cut)' : ''}`,
          );
        }
        for (const request of result.trace.origin) {
          lines.push(
            `- origin got ${request.method} ${request.path}${request.query ? `?${request.query}` : ''}`,
          );
        }
        lines.push('');
      }
      if (result.replay) lines.push(`Replay: \`${result.replay}\``, '');
    }
  }
  const expected = notable('expected-failure');
  if (expected.length > 0) {
    lines.push('## Expected failures', '', '| behaviour | profile | reason |', '| --- | --- | --- |');
    for (const { profile, id, result } of expected)
      lines.push(`| ${id} | ${profile} | ${cell(result.reason ?? '')} |`);
    lines.push('');
  }
  const unexpected = notable('unexpected-pass');
  if (unexpected.length > 0) {
    lines.push(
      '## Unexpected passes',
      '',
      'These are listed as known deviations but passed: remove them from the expectations file.',
      '',
      '| behaviour | profile | reason given |',
      '| --- | --- | --- |',
    );
    for (const { profile, id, result } of unexpected)
      lines.push(`| ${id} | ${profile} | ${cell(result.reason ?? '')} |`);
    lines.push('');
  }
  const absent = notable('absent');
  if (absent.length > 0) {
    lines.push('## Absent', '', '| behaviour | profile | why |', '| --- | --- | --- |');
    for (const { profile, id, result } of absent)
      lines.push(`| ${id} | ${profile} | ${cell(result.note ?? '')} |`);
    lines.push('');
  }
  const notRun = notable('not-run').filter(({ result }) => result.note !== 'left out by --only/--skip');
  if (notRun.length > 0) {
    lines.push('## Not run', '', '| behaviour | profile | why |', '| --- | --- | --- |');
    for (const { profile, id, result } of notRun)
      lines.push(`| ${id} | ${profile} | ${cell(result.note ?? '')} |`);
    lines.push('');
  }
  const errors = report.profiles.flatMap((profile) =>
    (report.results[profile]?.errors ?? []).map((error) => `${profile}: ${error}`),
  );
  if (errors.length > 0) {
    lines.push('## Errors', '', ...errors.map((error) => `- ${cell(error)}`), '');
  }
  return lines.join('\n');
}
