// summary.md: the report for people reading it in a CI artefact or a pull request. What to act on comes
// first (the suite could not run; failures, grouped by cause), then totals, then the whole matrix.

import type { BehaviourResult, CheckReport } from './check-report.ts';
import { countStatuses, selectedEntries } from './check-report.ts';
import { STATUS_LABELS } from './check-status.ts';
import { assertionOf } from './failure-findings.ts';
import {
  type CellStatus,
  cellStatus,
  failureGroups,
  failuresOf,
  nothingRan,
  profileColumnsNote,
  profileTotals,
  runErrors,
  totalsText,
} from './report-overview.ts';

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const label = (status: CellStatus) => (status === 'error' ? 'ERROR' : STATUS_LABELS[status]);

function failureLines(id: string, profile: string, result: BehaviourResult): string[] {
  const lines = [`### ${id} on ${profile} (${result.level})`, ''];
  const assertion = assertionOf(result.failure);
  if (assertion) lines.push(`**Failed:** ${assertion}`, '');
  if (result.step) lines.push(`**At:** ${result.step}`, '');
  if (result.counterexample !== undefined) {
    lines.push(
      `**Counterexample** (seed ${result.seed}, path \`${result.path}\`, after ${result.failedAfterRuns} runs and ${result.shrinks} shrinks):`,
      '',
      '```',
      result.counterexample,
      '```',
      '',
    );
  }
  if (result.failure && result.failure !== assertion) {
    lines.push('```', result.failure.split('\n').slice(0, 12).join('\n'), '```', '');
  }
  if (result.trace !== undefined) {
    lines.push('Exchanges of the counterexample (client → target, then target → origin):', '');
    for (const exchange of result.trace.client) {
      lines.push(`- ${exchange.method} ${exchange.path} → ${exchange.status}${exchange.cut ? ' (cut)' : ''}`);
    }
    for (const request of result.trace.origin) {
      lines.push(`- origin got ${request.method} ${request.path}${request.query ? `?${request.query}` : ''}`);
    }
    lines.push('');
  }
  if (result.replay) lines.push(`Replay: \`${result.replay}\``, '');
  return lines;
}

export function renderSummary(report: CheckReport): string {
  return [
    ...headLines(report),
    ...couldNotRunLines(report),
    ...failuresSection(report),
    ...totalsLines(report),
    ...matrixLines(report),
    ...expectedFailureLines(report),
    ...unexpectedPassLines(report),
    ...notJudgedLines(report),
  ].join('\n');
}

function headLines(report: CheckReport): string[] {
  const runs = report.profiles.map((profile) => `${profile} ${report.runs[profile]}`).join(', ');
  const note = profileColumnsNote(report);
  return [
    '# mirrorspec conformance report',
    '',
    `Target: ${report.target}. Profiles: ${report.profiles.join(', ')}. Seed: ${report.seed}. Runs per property: ${runs}.`,
    `Started ${report.startedAt}, took ${(report.durationMs / 1000).toFixed(0)} s. Exit status ${report.exitCode}.`,
    ...(report.only.length > 0 ? [`Only: ${report.only.join(', ')}.`] : []),
    ...(report.skip.length > 0 ? [`Skipped: ${report.skip.join(', ')}.`] : []),
    ...(report.expectationsFile ? [`Expectations: ${report.expectationsFile}.`] : []),
    ...(note ? ['', `> ${note}`] : []),
    '',
  ];
}

function couldNotRunLines(report: CheckReport): string[] {
  const errors = runErrors(report);
  const silent = report.profiles.filter((profile) => nothingRan(report, profile));
  if (errors.length === 0 && silent.length === 0) return [];
  return [
    '## Error: the suite could not run',
    '',
    ...(silent.length > 0
      ? [`- No law ran on ${silent.join(', ')}: the report says nothing about the target there.`]
      : []),
    ...errors.map((error) => `- ${cell(error)}`),
    '',
  ];
}

/** The failures, those that share a cause named together first. */
function failuresSection(report: CheckReport): string[] {
  const failures = failuresOf(report);
  if (failures.length === 0) return [];
  const lines = [`## Failures (${failures.length})`, ''];
  const shared = failureGroups(report).filter((g) => g.members.length > 1);
  if (shared.length > 0) {
    lines.push('Failures that share a cause (the same step, status and assertion):', '');
    for (const group of shared) {
      lines.push(
        `- \`${cell(group.cause)}\`: ${group.members.map((m) => `${m.id} on ${m.profile}`).join(', ')}`,
      );
    }
    lines.push('');
  }
  for (const { id, profile, result } of failures) lines.push(...failureLines(id, profile, result));
  return lines;
}

function totalsLines(report: CheckReport): string[] {
  const counts = countStatuses(report);
  const totals = profileTotals(report);
  return [
    '## Totals',
    '',
    `${counts.passed} passed, ${counts.failed} failed, ${counts['expected-failure']} expected failures, ` +
      `${counts['unexpected-pass']} unexpected passes, ${counts.absent} absent, ${counts['not-run']} not run (behaviour × profile).`,
    '',
    '| profile | totals |',
    '| --- | --- |',
    ...report.profiles.map((profile) => `| ${profile} | ${totalsText(totals[profile])} |`),
    '',
  ];
}

function matrixLines(report: CheckReport): string[] {
  return [
    '## Every behaviour',
    '',
    `| behaviour | level | ${report.profiles.join(' | ')} |`,
    `| --- | --- | ${report.profiles.map(() => '---').join(' | ')} |`,
    ...selectedEntries(report).map(
      (entry) =>
        `| ${entry.id} | ${entry.level} | ${report.profiles
          .map((profile) => label(cellStatus(report, profile, entry.id)))
          .join(' | ')} |`,
    ),
    '',
  ];
}

/** The results of one status, profile by profile. */
function resultsWith(report: CheckReport, wanted: BehaviourResult['status']) {
  return report.profiles.flatMap((profile) =>
    Object.entries(report.results[profile]?.behaviours ?? {})
      .filter(([, result]) => result.status === wanted)
      .map(([id, result]) => ({ profile, id, result })),
  );
}

function expectedFailureLines(report: CheckReport): string[] {
  const expected = resultsWith(report, 'expected-failure');
  if (expected.length === 0) return [];
  return [
    '## Expected failures',
    '',
    '| behaviour | profile | reason |',
    '| --- | --- | --- |',
    ...expected.map(({ profile, id, result }) => `| ${id} | ${profile} | ${cell(result.reason ?? '')} |`),
    '',
  ];
}

function unexpectedPassLines(report: CheckReport): string[] {
  const unexpected = resultsWith(report, 'unexpected-pass');
  if (unexpected.length === 0) return [];
  return [
    '## Unexpected passes',
    '',
    'These are listed as known deviations but passed: remove them from the expectations file.',
    '',
    '| behaviour | profile | reason given |',
    '| --- | --- | --- |',
    ...unexpected.map(({ profile, id, result }) => `| ${id} | ${profile} | ${cell(result.reason ?? '')} |`),
    '',
  ];
}

/** Everything else that did not pass, as what it is (not run, absent, error), with the reason. */
function notJudgedLines(report: CheckReport): string[] {
  const other = report.profiles.flatMap((profile) =>
    selectedEntries(report).flatMap((entry) => {
      const status = cellStatus(report, profile, entry.id);
      const result = report.results[profile]?.behaviours[entry.id];
      if (['passed', 'failed', 'expected-failure', 'unexpected-pass'].includes(status)) return [];
      if (result?.note === 'left out by --only/--skip') return [];
      return [{ profile, id: entry.id, status, why: result?.note ?? result?.reason ?? '' }];
    }),
  );
  if (other.length === 0) return [];
  return [
    '## Not judged',
    '',
    '| behaviour | profile | status | why |',
    '| --- | --- | --- | --- |',
    ...other.map(({ profile, id, status, why }) => `| ${id} | ${profile} | ${status} | ${cell(why)} |`),
    '',
  ];
}
