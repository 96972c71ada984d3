// What every rendering of a report says first, computed once: whether the suite could run at all, what
// the profile columns judge, the totals per profile, and the failures in the order a person reads them.

import type { BehaviourResult, CheckReport } from './check-report.ts';
import { CHECK_STATUSES, type CheckStatus } from './check-status.ts';
import { type FailureGroup, groupFailures } from './failure-findings.ts';

/** A cell as a person should read it: a status, or `error` where the suite could not run it. */
export type CellStatus = CheckStatus | 'error';

/** The note check-report.ts gives a selected behaviour none of whose tests ran. */
const UNREPORTED = /^no test of it ran/;

export function cellStatus(report: CheckReport, profile: string, id: string): CellStatus {
  const run = report.results[profile];
  const result = run?.behaviours[id];
  if (result === undefined) return run !== undefined && run.errors.length > 0 ? 'error' : 'not-run';
  if (result.status === 'not-run' && (run?.errors.length ?? 0) > 0 && UNREPORTED.test(result.note ?? ''))
    return 'error';
  return result.status;
}

/** `profile: message` for every error that kept the suite from running some or all of its laws. */
export function runErrors(report: CheckReport): string[] {
  return report.profiles.flatMap((profile) =>
    (report.results[profile]?.errors ?? []).map((error) => `${profile}: ${error}`),
  );
}

/** True when no selected behaviour got a verdict on a profile: the report says nothing about the target there. */
export function nothingRan(report: CheckReport, profile: string): boolean {
  const behaviours = report.results[profile]?.behaviours ?? {};
  return report.selected.every((id) => (behaviours[id]?.status ?? 'not-run') === 'not-run');
}

/** What the profile columns judge; said on every simulator run, so nobody reads them as vendor results. */
export function profileColumnsNote(report: CheckReport): string | undefined {
  if (report.target === 'simulator' || report.target.startsWith('broken:')) {
    return (
      `Each profile column judges the ${report.target === 'simulator' ? 'embedded simulator' : `deliberately broken simulator ${report.target}`} ` +
      "playing that vendor's profile, not the vendor's own service: to judge a vendor, run with --target <its endpoint>."
    );
  }
  return undefined;
}

type ProfileTotals = Record<CellStatus, number>;

/** Per profile, how many selected behaviours ended in each status. */
export function profileTotals(report: CheckReport): Record<string, ProfileTotals> {
  const totals: Record<string, ProfileTotals> = {};
  for (const profile of report.profiles) {
    const counts = Object.fromEntries([...CHECK_STATUSES, 'error'].map((s) => [s, 0])) as ProfileTotals;
    for (const id of report.selected) counts[cellStatus(report, profile, id)]++;
    totals[profile] = counts;
  }
  return totals;
}

/** `12 passed, 1 failed, 3 not-run`: the non-zero counts, in status order. */
export function totalsText(counts: Partial<ProfileTotals> = {}): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`);
  return parts.length > 0 ? parts.join(', ') : 'nothing selected';
}

interface ReportedFailure {
  id: string;
  profile: string;
  result: BehaviourResult;
}

/** Unexpected failures, `must` before `should`, in catalogue order within each. */
export function failuresOf(report: CheckReport): ReportedFailure[] {
  const order = new Map(report.catalogue.map((entry, i) => [entry.id, i]));
  return report.profiles
    .flatMap((profile) =>
      Object.entries(report.results[profile]?.behaviours ?? {})
        .filter(([id, result]) => result.status === 'failed' && report.selected.includes(id))
        .map(([id, result]) => ({ id, profile, result })),
    )
    .sort(
      (a, b) =>
        Number(a.result.level !== 'must') - Number(b.result.level !== 'must') ||
        (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0),
    );
}

/** The unexpected failures grouped by shared cause (same step, status and assertion). */
export function failureGroups(report: CheckReport): FailureGroup[] {
  return groupFailures(failuresOf(report));
}
