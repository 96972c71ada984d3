// What a report needs from a failing law that vitest's own output does not carry: fast-check's seed, path
// and counterexample as data, and the HTTP exchanges of the run that produced the counterexample. A
// global fast-check plugin traces every run; fast-check shrinks by running again, so the run whose trace
// belongs to the final counterexample is the last one that failed. Records go, one JSON line each, to a
// file in MIRRORSPEC_TRACE_DIR, where `mirrorspec check` picks them up; without it nothing is written.

import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import fc from 'fast-check';
import { onTestFailed } from 'vitest';
import { TIMED_OUT } from '../check/failure-findings.ts';
import { pendingRequests } from '../client/http-client.ts';
import {
  beginRunTrace,
  currentRunTrace,
  endRunTrace,
  type RunTrace,
  resetContacted,
  wasContacted,
} from '../client/http-trace.ts';
import { notApplicableIn } from './not-applicable.ts';
import { runConfig } from './run-config.ts';

/** A property of a law failed: the shrunk counterexample and how to replay it. */
export interface PropertyFailureRecord {
  kind: 'property-failure';
  id: string;
  title: string;
  seed: number;
  path: string;
  counterexample: string;
  /** Each of the counterexample's values on its own (fast-check's stringify), to label with the law's names. */
  values: string[];
  /** Runs until the first failure. */
  runs: number;
  shrinks: number;
  error: string;
  /** The exchanges of the run that failed with the shrunk counterexample. */
  trace?: RunTrace;
}

/** A law ran; whether it sent the chosen target any request, or spoke only to simulators of its own. */
interface TestRecord {
  kind: 'test';
  id: string;
  title: string;
  judgedTarget: boolean;
}

/** A law the target cannot be asked about, and why; `absent` when the target lacks the feature. */
interface NotApplicableRecord {
  kind: 'not-applicable';
  id: string;
  title: string;
  reason: string;
  absent?: boolean;
}

/** A law vitest stopped at its time limit, and what it was waiting for then. */
export interface TimedOutRecord {
  kind: 'timed-out';
  id: string;
  title: string;
  /** How long the test had run when it was stopped. */
  afterMs: number;
  /** Requests to the target still unanswered, longest waiting first. */
  waiting: { method: string; path: string; forMs: number }[];
  /** The last exchange that was answered, if any: where the law had got to. */
  lastAnswered?: { method: string; path: string; status: number };
  /** The exchanges of the run that was stopped, so far. */
  trace?: RunTrace;
}

export type TraceRecord = PropertyFailureRecord | TestRecord | NotApplicableRecord | TimedOutRecord;

interface CurrentTest {
  id: string;
  title: string;
}

let current: CurrentTest | undefined;
/** The endpoint of the target the suite was asked to judge, once the law fixture started it. */
let chosenTarget: string | undefined;

function write(record: TraceRecord): void {
  const directory = runConfig().traceDir;
  if (directory === undefined) return;
  mkdirSync(directory, { recursive: true });
  appendFileSync(join(directory, `${process.pid}-${threadId}.jsonl`), `${JSON.stringify(record)}\n`);
}

/**
 * Names the target the suite judges, or forgets it (undefined) when it is closed: a law file after it in
 * the same worker has a target of its own, or none. Some laws start simulators of their own (to check the
 * simulator's address protection, say); a law that never sends this target a request says nothing about it.
 */
export function noteChosenTarget(endpoint: string | undefined): void {
  chosenTarget = endpoint;
}

export function noteNotApplicable(id: string, title: string, reason: string, absent = false): void {
  write({ kind: 'not-applicable', id, title, reason, ...(absent ? { absent } : {}) });
}

/** Runs one law's test with its behaviour id known, so failures can be filed under it. */
export async function traceBehaviour(id: string, title: string, test: () => Promise<void> | void) {
  current = { id, title };
  resetContacted();
  const started = Date.now();
  onTestFailed(({ task }) => {
    const messages = (task.result?.errors ?? []).map(
      (error) => `${error.message ?? ''}\n${error.stack ?? ''}`,
    );
    if (!messages.some((message) => TIMED_OUT.test(message))) return;
    // The test body is abandoned, not ended: what it still waits for is still pending now.
    const now = Date.now();
    const trace = currentRunTrace();
    const last = trace?.client.at(-1);
    write({
      kind: 'timed-out',
      id,
      title,
      afterMs: now - started,
      waiting: pendingRequests()
        .sort((a, b) => a.startedAt - b.startedAt)
        .map((request) => ({ method: request.method, path: request.path, forMs: now - request.startedAt })),
      ...(last !== undefined
        ? { lastAnswered: { method: last.method, path: last.path, status: last.status } }
        : {}),
      ...(trace !== undefined ? { trace } : {}),
    });
  });
  try {
    await test();
  } finally {
    current = undefined;
    const judgedTarget = chosenTarget !== undefined && wasContacted(chosenTarget);
    write({ kind: 'test', id, title, judgedTarget });
  }
}

type RunOutcome = fc.PreconditionFailure | fc.PropertyFailure | null;

function failed(outcome: RunOutcome): boolean {
  return outcome !== null && !fc.PreconditionFailure.isFailure(outcome);
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 4000 ? `${text.slice(0, 4000)}…` : text;
}

const tracePlugin: fc.Plugin<unknown> = () => {
  let lastFailing: RunTrace | undefined;
  return {
    decorateRun: (nested) => (value) => {
      beginRunTrace();
      const finish = (outcome: RunOutcome) => {
        const trace = endRunTrace();
        if (failed(outcome)) lastFailing = trace;
        return outcome;
      };
      const outcome = nested(value);
      // fast-check requires a synchronous property's run to stay synchronous.
      return outcome instanceof Promise ? outcome.then(finish) : finish(outcome);
    },
    onAllRunsComplete: (details) => {
      if (!details.failed || current === undefined) return;
      if (notApplicableIn(details.errorInstance) !== undefined) return;
      write({
        kind: 'property-failure',
        id: current.id,
        title: current.title,
        seed: details.seed,
        path: details.counterexamplePath ?? '',
        counterexample: details.counterexample === null ? '' : fc.stringify(details.counterexample),
        // A property's counterexample is the tuple of its arbitraries' values.
        values: ((details.counterexample as unknown[] | null) ?? []).map((value) => fc.stringify(value)),
        runs: details.numRuns,
        shrinks: details.numShrinks,
        error: errorText(details.errorInstance),
        ...(lastFailing !== undefined ? { trace: lastFailing } : {}),
      });
    },
  };
};

let installed = false;

/** Installs the plugin once per module registry: per worker in check's child runs, per file in the tree. */
export function installTracePlugin(): void {
  if (installed) return;
  installed = true;
  fc.installGlobalPlugin(tracePlugin);
}
