// Why the simulator does not pass a test of the selection: tools/s3-tests/known-reasons.yaml names each
// known failure (a test name, or a pattern with `*`) with its cause and reason, and the figures list
// every failure with it. Kept honest both ways: a failure no entry explains is shown as unexplained, and
// an entry that explains no failure of the run (the test now passes, or is gone) is shown as stale.

import { parse } from 'yaml';
import { ToolError } from '../../errors/tool-error.ts';
import type { TestResult } from './junit.ts';

export interface KnownReason {
  /** A test name (`test_object_raw_get_object_acl`), or a pattern where `*` stands for any text. */
  test: string;
  /** The kind of cause, one of CAUSES. */
  cause: Cause;
  reason: string;
}

/** The kinds of cause, in the order the figures count them. */
export const CAUSES = [
  'old boto3',
  'out of scope',
  'as S3 answers',
  'by design',
  'simulator gap',
  'single user',
] as const;
type Cause = (typeof CAUSES)[number];

export interface Explained {
  /** Per failing test, the entry that explains it. */
  reasons: Map<string, KnownReason>;
  /** Failing tests no entry explains. */
  unexplained: string[];
  /** Entries that explain no failing test of the run, and why: the test passes, or is not in the run. */
  stale: { entry: KnownReason; why: 'passes' | 'not in the run' }[];
}

/** Parses known-reasons.yaml: a list of { test, cause, reason }; throws naming the first bad entry. */
export function parseReasons(text: string): KnownReason[] {
  const document = parse(text) as unknown;
  if (!Array.isArray(document)) throw new ToolError('MS_USAGE', 'known-reasons.yaml is a list of entries');
  return document.map((raw, index) => {
    const entry = raw as Partial<Record<keyof KnownReason, unknown>>;
    const where = `known-reasons.yaml entry ${index + 1}`;
    if (typeof entry.test !== 'string' || entry.test === '')
      throw new ToolError('MS_USAGE', `${where}: 'test' names a test or a pattern`);
    if (!CAUSES.includes(entry.cause as Cause))
      throw new ToolError('MS_USAGE', `${where} (${entry.test}): 'cause' is one of ${CAUSES.join(', ')}`);
    if (typeof entry.reason !== 'string' || entry.reason.trim() === '')
      throw new ToolError('MS_USAGE', `${where} (${entry.test}): 'reason' says why`);
    return { test: entry.test, cause: entry.cause as Cause, reason: entry.reason.trim() };
  });
}

/** Whether `pattern` (exact, or with `*` for any text) names `test` (parameters `[…]` ignored). */
export function namesTest(pattern: string, test: string): boolean {
  const name = test.replace(/\[.*\]$/, '');
  if (!pattern.includes('*')) return pattern === name || pattern === test;
  const escaped = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`).test(name);
}

/** Each failing test with the first entry that names it; the failures none names; the stale entries. */
export function explain(results: readonly TestResult[], known: readonly KnownReason[]): Explained {
  const reasons = new Map<string, KnownReason>();
  const unexplained: string[] = [];
  const used = new Set<KnownReason>();
  for (const result of results) {
    if (result.outcome === 'passed' || result.outcome === 'skipped') continue;
    const entry = known.find((candidate) => namesTest(candidate.test, result.name));
    if (entry === undefined) {
      unexplained.push(result.name);
      continue;
    }
    reasons.set(result.name, entry);
    used.add(entry);
  }
  const stale = known
    .filter((entry) => !used.has(entry))
    .map((entry) => ({
      entry,
      why: results.some((result) => namesTest(entry.test, result.name))
        ? ('passes' as const)
        : ('not in the run' as const),
    }));
  return { reasons, unexplained, stale };
}
