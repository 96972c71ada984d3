// pytest's JUnit XML (--junitxml) as one outcome per test: passed, failed (the test's own assertion or
// an answer it did not expect), errored (in set-up or tear-down: the suite's own bucket clean-up), or
// skipped, each failure with its reason as pytest's message gives it.

import { XMLParser } from 'fast-xml-parser';

export type Outcome = 'passed' | 'failed' | 'errored' | 'skipped';

export interface TestResult {
  /** The test function's name, e.g. `test_object_copy_zero_size`. */
  name: string;
  outcome: Outcome;
  /** The first line of the failure's message, for failed, errored and skipped tests. */
  reason?: string;
}

interface Problem {
  '@_message'?: string;
  '#text'?: string;
}

interface TestCase {
  '@_name': string;
  failure?: Problem | Problem[];
  error?: Problem | Problem[];
  skipped?: Problem | Problem[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  isArray: (name) => ['testsuite', 'testcase'].includes(name),
});

/** The outcomes in the report, one per test name (a test that failed and errored counts as failed). */
export function parseJunit(xml: string): TestResult[] {
  const document = parser.parse(xml) as {
    testsuites?: { testsuite?: { testcase?: TestCase[] }[] };
    testsuite?: { testcase?: TestCase[] }[];
  };
  const suites = document.testsuites?.testsuite ?? document.testsuite ?? [];
  const byName = new Map<string, TestResult>();
  for (const testCase of suites.flatMap((suite) => suite.testcase ?? [])) {
    // pytest's own failure (an internal error) is a testcase without a test's name.
    if (typeof testCase['@_name'] !== 'string') continue;
    const result = resultOf(testCase);
    const earlier = byName.get(result.name);
    if (earlier === undefined || rank(result.outcome) > rank(earlier.outcome))
      byName.set(result.name, result);
  }
  return [...byName.values()];
}

function resultOf(testCase: TestCase): TestResult {
  const name = testCase['@_name'];
  for (const [key, outcome] of [
    ['failure', 'failed'],
    ['error', 'errored'],
    ['skipped', 'skipped'],
  ] as const) {
    const problem = testCase[key];
    if (problem === undefined) continue;
    const first = Array.isArray(problem) ? problem[0] : problem;
    return { name, outcome, reason: reasonOf(first) };
  }
  return { name, outcome: 'passed' };
}

function rank(outcome: Outcome): number {
  return { passed: 0, skipped: 1, errored: 2, failed: 3 }[outcome];
}

/** The message's first meaningful line, without the long botocore prefix, at most 240 characters. */
function reasonOf(problem: Problem | undefined): string {
  const text = (problem?.['@_message'] ?? problem?.['#text'] ?? '').trim();
  const line =
    text
      .split('\n')
      .map((part) => part.trim())
      .find((part) => part !== '') ?? 'no message';
  const short = line
    .replace(
      /^failed on (setup|teardown) with "(.*)"$/,
      (_, phase: string, inner: string) => `${phase}: ${inner}`,
    )
    .replace(/(^|: )botocore\.exceptions\.ClientError: /, '$1')
    .replace(/An error occurred \(([^)]+)\) when calling the (\w+) operation/, '$2: $1');
  return short.length > 240 ? `${short.slice(0, 239)}…` : short;
}
