// The terminal's end-of-run table: behaviours down, profiles across, one short status per cell.

import { type CheckReport, selectedEntries } from './check-report.ts';
import { STATUS_LABELS } from './check-status.ts';

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
        const status = report.results[profile]?.behaviours[entry.id]?.status ?? 'not-run';
        return STATUS_LABELS[status];
      }),
    ]),
  );
  return [
    line(['behaviour', ...report.profiles]),
    line(['-'.repeat(width), ...columns.map((w) => '-'.repeat(w))]),
    ...rows,
  ]
    .map((row) => row.trimEnd())
    .join('\n');
}
