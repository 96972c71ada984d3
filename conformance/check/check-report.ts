// The report of one `mirrorspec check` run as data (results.json): per profile, per behaviour, its
// status, how to replay it and, for a failure, the shrunk counterexample with its HTTP exchanges. The
// other report files are renderings of this.

import type { Behaviour } from '../../spec/catalogue.ts';
import type { RunTrace } from '../client/http-trace.ts';
import type { PropertyFailureRecord, TimedOutRecord, TraceRecord } from '../support/trace-plugin.ts';
import { type CheckStatus, classify, idOfTitle } from './check-status.ts';
import {
  describeExchange,
  failedStep,
  labelCounterexample,
  propertyParameterNames,
  stepName,
  TIMED_OUT,
} from './failure-findings.ts';
import { type Expectation, expectationFor } from './load-expectations.ts';
import { replayCommand } from './replay-command.ts';

interface TestOutcome {
  title: string;
  status: 'passed' | 'failed';
  durationMs: number;
  failure?: string;
}

export interface BehaviourResult {
  status: CheckStatus;
  level: Behaviour['level'];
  /** Runs per property on this profile (a law may fix its own, smaller number). */
  runs: number;
  seed: number;
  /** fast-check's path to the shrunk counterexample; with the seed it replays it exactly. */
  path?: string;
  /** The shrunk counterexample, each value under the law's own name for it: `key: "a/b", size: 12`. */
  counterexample?: string;
  /** The request the failure happened at (the last before the assertion failed), and the one before. */
  step?: string;
  /** The test ran into its time limit: how long it ran, and what it was waiting for then. */
  timedOut?: { afterMs: number; waiting: string[] };
  /** Runs until the first failure, and shrinking steps after it. */
  failedAfterRuns?: number;
  shrinks?: number;
  failure?: string;
  /** Client to target and target to origin, in the run that failed with the counterexample. */
  trace?: RunTrace;
  /** From the expectations file, for expected failures and unexpected passes. */
  reason?: string;
  /** Why nothing was run, or why the behaviour is absent. */
  note?: string;
  /** The command that replays this behaviour on this profile. */
  replay?: string;
  tests: TestOutcome[];
}

export interface ProfileRun {
  runs: number;
  durationMs: number;
  /** What kept the suite from reporting some tests: a file that failed to load, a failing hook. */
  errors: string[];
  behaviours: Record<string, BehaviourResult>;
}

/** Which failures fail the run (`check --fail-on`): `must` ones only, or `should` ones too. */
export type FailOn = 'must' | 'should';

export interface CheckReport {
  target: string;
  /** What the probe found of a URL target, one line each, before any law ran. */
  probe?: string[];
  profiles: string[];
  seed: number;
  /** Runs per property, per profile. */
  runs: Record<string, number>;
  only: string[];
  skip: string[];
  /** The behaviours --only and --skip kept; the others are in the results as not run. */
  selected: string[];
  expectationsFile?: string;
  startedAt: string;
  durationMs: number;
  /** `check --fail-on`; must when unset. */
  failOn?: FailOn;
  exitCode: number;
  catalogue: { id: string; level: Behaviour['level']; statement: string }[];
  results: Record<string, ProfileRun>;
}

/** What vitest's json reporter says of one test. */
interface VitestAssertion {
  title: string;
  status: string;
  duration?: number | null;
  failureMessages: string[];
}

export interface VitestFile {
  name: string;
  status: string;
  message?: string;
  assertionResults: VitestAssertion[];
}

interface ProfileInput {
  profile: string;
  target: string;
  catalogue: readonly Behaviour[];
  /** The ids --only and --skip kept. */
  selected: ReadonlySet<string>;
  files: readonly VitestFile[];
  records: readonly TraceRecord[];
  expectations: readonly Expectation[];
  seed: number;
  runs: number;
  durationMs: number;
  /** Leave out tests that judged only simulators of their own (any target but the simulator). */
  targetOnly: boolean;
  /** Selected ids none of whose files were run, because those files judge only their own simulators. */
  ownSimulatorOnly: ReadonlySet<string>;
  /** Selected ids none of whose files were run, because they need a feature the target lacks: why. */
  absent: ReadonlyMap<string, string>;
  /** The options that select this target on the command line, for replay commands. */
  replayOptions: string;
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

function clip(text: string, length: number): string {
  const plain = text.replace(ANSI, '');
  return plain.length > length ? `${plain.slice(0, length)}…` : plain;
}

export function profileRun(input: ProfileInput): ProfileRun {
  const records = sortRecords(input);
  const assertions = input.files.flatMap((file) => file.assertionResults);
  const errors = input.files
    .filter((file) => file.status === 'failed' && file.message)
    .map((file) => `${file.name}: ${clip(file.message ?? '', 2000)}`);
  const behaviours: Record<string, BehaviourResult> = {};
  for (const entry of input.catalogue)
    behaviours[entry.id] = behaviourResult(input, records, assertions, entry);
  return { runs: input.runs, durationMs: input.durationMs, errors, behaviours };
}

/** What the trace records say of the run, by test title (`[id] title`) or by behaviour id. */
interface SortedRecords {
  /** Tests that judged only simulators of their own. */
  judgedElsewhere: Set<string>;
  notApplicable: Map<string, string>;
  /** The plan's absent behaviours and those a law found absent: why. */
  absent: Map<string, string>;
  failures: Map<string, PropertyFailureRecord>;
  timeouts: Map<string, TimedOutRecord>;
}

function sortRecords(input: ProfileInput): SortedRecords {
  const judgedElsewhere = new Set(
    input.records.filter((r) => r.kind === 'test' && !r.judgedTarget).map((r) => `[${r.id}] ${r.title}`),
  );
  const notApplicable = new Map<string, string>();
  const absent = new Map(input.absent);
  for (const record of input.records) {
    if (record.kind !== 'not-applicable') continue;
    if (record.absent) absent.set(record.id, record.reason);
    else notApplicable.set(record.id, record.reason);
  }
  const failures = new Map<string, PropertyFailureRecord>();
  const timeouts = new Map<string, TimedOutRecord>();
  for (const record of input.records) {
    if (record.kind === 'property-failure') failures.set(`[${record.id}] ${record.title}`, record);
    if (record.kind === 'timed-out') timeouts.set(`[${record.id}] ${record.title}`, record);
  }
  return { judgedElsewhere, notApplicable, absent, failures, timeouts };
}

function behaviourResult(
  input: ProfileInput,
  records: SortedRecords,
  assertions: readonly VitestAssertion[],
  entry: Behaviour,
): BehaviourResult {
  const ran = assertions.filter(
    (a) => idOfTitle(a.title) === entry.id && (a.status === 'passed' || a.status === 'failed'),
  );
  const counted = input.targetOnly ? ran.filter((a) => !records.judgedElsewhere.has(a.title)) : ran;
  const tests: TestOutcome[] = counted.map((a) => ({
    title: a.title.slice(entry.id.length + 3),
    status: a.status as 'passed' | 'failed',
    durationMs: Math.round(a.duration ?? 0),
    ...(a.failureMessages.length > 0 ? { failure: clip(a.failureMessages.join('\n'), 4000) } : {}),
  }));
  const expectation = expectationFor(input.expectations, entry.id, input.profile);
  const classified = classify(
    tests.map((t) => t.status),
    expectation !== undefined,
  );
  const absentWhy = input.selected.has(entry.id) ? records.absent.get(entry.id) : undefined;
  const status = classified === 'not-run' && absentWhy !== undefined ? 'absent' : classified;
  const result: BehaviourResult = {
    status,
    level: entry.level,
    runs: input.runs,
    seed: input.seed,
    tests,
    ...(expectation !== undefined ? { reason: expectation.reason } : {}),
  };
  if (status === 'absent') result.note = absentWhy;
  else if (status === 'not-run') result.note = notRunNote(input, records, entry.id, ran.length > 0);
  else {
    result.replay = replayCommand(input.replayOptions, {
      profile: input.profile,
      id: entry.id,
      seed: input.seed,
      runs: input.runs,
    });
  }
  const failedTest = counted.find((a) => a.status === 'failed');
  if (failedTest !== undefined) addFailure(result, input, records, entry.id, failedTest);
  return result;
}

function notRunNote(input: ProfileInput, records: SortedRecords, id: string, ran: boolean): string {
  const why = records.notApplicable.get(id);
  return !input.selected.has(id)
    ? 'left out by --only/--skip'
    : why !== undefined
      ? `not applicable to this target: ${why}`
      : ran || input.ownSimulatorOnly.has(id)
        ? 'its laws judge only simulators of their own, not this target'
        : 'no test of it ran (see errors)';
}

/** The failure of a behaviour's first failed test: its counterexample, or what it was waiting for. */
function addFailure(
  result: BehaviourResult,
  input: ProfileInput,
  records: SortedRecords,
  id: string,
  failedTest: VitestAssertion,
): void {
  result.failure = clip(failedTest.failureMessages.join('\n'), 4000);
  const timedOut = records.timeouts.get(failedTest.title);
  const stopped = timedOut !== undefined || TIMED_OUT.test(result.failure);
  // A property vitest stopped runs on until the file's clients close under it: what fast-check then
  // reports ("the client is closed") is an echo of the timeout, not a counterexample.
  const failure = stopped ? undefined : records.failures.get(failedTest.title);
  if (failure !== undefined) addCounterexample(result, input, id, failedTest, failure);
  if (stopped) addTimeout(result, failedTest, timedOut);
  result.step = failedStep(result.trace);
}

function addCounterexample(
  result: BehaviourResult,
  input: ProfileInput,
  id: string,
  failedTest: VitestAssertion,
  failure: PropertyFailureRecord,
): void {
  // The assertion that failed says more than fast-check's wrapper around it.
  if (failure.error) result.failure = failure.error;
  result.seed = failure.seed;
  result.path = failure.path;
  const file = input.files.find((f) => f.assertionResults.includes(failedTest));
  const names = file && propertyParameterNames(file.name, id, failedTest.title.slice(id.length + 3));
  result.counterexample =
    failure.values?.length > 0 ? labelCounterexample(names, failure.values) : failure.counterexample;
  result.failedAfterRuns = failure.runs;
  result.shrinks = failure.shrinks;
  if (failure.trace !== undefined) result.trace = failure.trace;
}

/** vitest stopped the test: its own message is a stack that reads STACK_TRACE_ERROR. */
function addTimeout(
  result: BehaviourResult,
  failedTest: VitestAssertion,
  timedOut: TimedOutRecord | undefined,
) {
  const afterMs = timedOut?.afterMs ?? Math.round(failedTest.duration ?? 0);
  const waiting = (timedOut?.waiting ?? []).map(
    (w) => `${stepName(w.method, w.path)} (${w.method} ${w.path}, waiting ${(w.forMs / 1000).toFixed(1)} s)`,
  );
  const last = timedOut?.lastAnswered;
  result.timedOut = { afterMs, waiting };
  result.failure =
    `timed out: the test was stopped after ${(afterMs / 1000).toFixed(1)} s, ` +
    (waiting.length > 0
      ? `waiting for ${waiting.join(' and ')}`
      : `with no request to the target open (the law itself was waiting: a poll, a timer or the origin)${
          last ? `; the last answer was ${describeExchange(last)}` : ''
        }`);
  if (timedOut?.trace !== undefined) result.trace = timedOut.trace;
}

/** The catalogue entries a run was asked about, in catalogue order. */
export function selectedEntries(report: CheckReport): CheckReport['catalogue'] {
  const selected = new Set(report.selected);
  return report.catalogue.filter((entry) => selected.has(entry.id));
}

/**
 * 1 when a `must` behaviour (with `failOn` should, any behaviour) failed unexpectedly or the suite could
 * not report, else 0.
 */
export function exitCodeOf(results: Record<string, ProfileRun>, failOn: FailOn = 'must'): number {
  for (const run of Object.values(results)) {
    if (run.errors.length > 0) return 1;
    for (const result of Object.values(run.behaviours)) {
      if (result.status === 'failed' && (result.level === 'must' || failOn === 'should')) return 1;
    }
  }
  return 0;
}

/** Statuses that say how the target behaved; absent and not-run say it could not be asked. */
export const JUDGED_STATUSES: readonly CheckStatus[] = [
  'passed',
  'failed',
  'expected-failure',
  'unexpected-pass',
];

/** Statuses counted over behaviour × profile, for the behaviours the run was asked about. */
export function countStatuses(
  report: Pick<CheckReport, 'results' | 'selected'>,
): Record<CheckStatus, number> {
  const selected = new Set(report.selected);
  const counts: Record<CheckStatus, number> = {
    passed: 0,
    failed: 0,
    'expected-failure': 0,
    'unexpected-pass': 0,
    absent: 0,
    'not-run': 0,
  };
  for (const run of Object.values(report.results)) {
    for (const [id, result] of Object.entries(run.behaviours)) if (selected.has(id)) counts[result.status]++;
  }
  return counts;
}
