// How one behaviour did on one profile, from its tests' outcomes and the expectations file. Shared by
// the live progress lines and the final report, so both always say the same.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceRecord } from '../support/trace-plugin.ts';

/**
 * `absent`: the behaviour needs a feature the target lacks (a mirror rule API, on a plain S3 server), so
 * the target cannot be asked about it: neither passed nor failed, and not an oversight of the run either.
 */
export const CHECK_STATUSES = [
  'passed',
  'failed',
  'expected-failure',
  'unexpected-pass',
  'absent',
  'not-run',
] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** A behaviour's status: failed if any of its tests failed, passed if all passed, turned by an expectation. */
export function classify(outcomes: readonly ('passed' | 'failed')[], expected: boolean): CheckStatus {
  if (outcomes.length === 0) return 'not-run';
  const failed = outcomes.includes('failed');
  if (expected) return failed ? 'expected-failure' : 'unexpected-pass';
  return failed ? 'failed' : 'passed';
}

/** Short labels for the terminal table. */
export const STATUS_LABELS: Record<CheckStatus, string> = {
  passed: 'pass',
  failed: 'FAIL',
  'expected-failure': 'xfail',
  'unexpected-pass': 'XPASS',
  absent: 'absent',
  'not-run': '-',
};

/** The statically named behaviour ids in a test file, as catalogue-coverage.test.ts reads them. */
export function behaviourIdsIn(file: string): string[] {
  const ids = new Set<string>();
  for (const match of readFileSync(file, 'utf8').matchAll(/\bbehaviour\(\s*'([^']+)'/g)) {
    if (match[1]) ids.add(match[1]);
  }
  return [...ids];
}

/** The id of a test titled `[id] title`, if it is one. */
export function idOfTitle(title: string): string | undefined {
  return /^\[([^\]]+)\] /.exec(title)?.[1];
}

/** Every record the test workers left in `directory` (see conformance/support/trace-plugin.ts). */
export function readTraceRecords(directory: string): TraceRecord[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((name) => name.endsWith('.jsonl'))
    .flatMap((name) =>
      readFileSync(join(directory, name), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as TraceRecord];
          } catch {
            // A worker killed mid-write leaves half a line; the rest of the file still counts.
            return [];
          }
        }),
    );
}
