// The terminal's end-of-run table: behaviours down, profiles across, one short status per cell, then the
// totals per profile, the unexpected failures (grouped where they share a cause) and what the columns judge.

import { type CheckReport, selectedEntries } from './check-report.ts';
import { STATUS_LABELS } from './check-status.ts';
import { assertionOf } from './failure-findings.ts';
import {
  cellStatus,
  failureGroups,
  failuresOf,
  profileColumnsNote,
  profileTotals,
  totalsText,
} from './report-overview.ts';

export function renderTable(report: CheckReport): string {
  const entries = selectedEntries(report);
  const width = Math.max(9, ...entries.map((entry) => entry.id.length));
  const columns = report.profiles.map((profile) => Math.max(profile.length, 6));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(width) : cell.padEnd(columns[i - 1] ?? 6))).join('  ');
  const rows = entries.map((entry) =>
    line([
      entry.id,
      ...report.profiles.map((profile) => {
        const status = cellStatus(report, profile, entry.id);
        return status === 'error' ? 'ERROR' : STATUS_LABELS[status];
      }),
    ]),
  );
  const totals = profileTotals(report);
  const failures = failuresOf(report);
  const shared = failureGroups(report).filter((group) => group.members.length > 1);
  const note = profileColumnsNote(report);
  return [
    line(['behaviour', ...report.profiles]),
    line(['-'.repeat(width), ...columns.map((w) => '-'.repeat(w))]),
    ...rows,
    '',
    ...report.profiles.map((profile) => `${profile}: ${totalsText(totals[profile])}`),
    ...(failures.length > 0 ? ['', 'failures:'] : []),
    ...failures.map(
      ({ id, profile, result }) =>
        `  ${id} on ${profile}: ${assertionOf(result.failure) ?? 'failed'}${result.step ? `\n    at ${result.step}` : ''}`,
    ),
    ...(shared.length > 0 ? ['', 'failures that share a cause:'] : []),
    ...shared.map(
      (group) => `  ${group.cause}: ${group.members.map((m) => `${m.id} on ${m.profile}`).join(', ')}`,
    ),
    ...(note ? ['', note] : []),
  ]
    .map((row) => row.trimEnd())
    .join('\n');
}
