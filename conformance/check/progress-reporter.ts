// A vitest reporter for `mirrorspec check`: one line per behaviour as soon as all of its tests are done,
// labelled with the profile, instead of vitest's per-file output. A behaviour can have tests in several
// files, so it is done only once every file that names it has been collected and its tests have ended.

import type { Reporter, TestCase, TestModule, TestSpecification } from 'vitest/node';
import { runConfig } from '../support/run-config.ts';
import { behaviourIdsIn, type CheckStatus, classify, idOfTitle, readTraceRecords } from './check-status.ts';
import { assertionOf, TIMED_OUT } from './failure-findings.ts';

interface Tally {
  pending: Set<TestCase>;
  /** Files that name the behaviour and are not collected yet. */
  uncollected: Set<string>;
  outcomes: { title: string; state: 'passed' | 'failed'; durationMs: number; why?: string }[];
  printed: boolean;
}

export default class ProgressReporter implements Reporter {
  private readonly config = runConfig();
  private readonly profile = this.config.checkProfile ?? 'neutral';
  private readonly expected = new Set(this.config.checkExpected);
  private readonly targetOnly = this.config.checkTargetOnly;
  private readonly tallies = new Map<string, Tally>();

  private tally(id: string): Tally {
    let tally = this.tallies.get(id);
    if (tally === undefined) {
      tally = { pending: new Set(), uncollected: new Set(), outcomes: [], printed: false };
      this.tallies.set(id, tally);
    }
    return tally;
  }

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    for (const specification of specifications) {
      for (const id of behaviourIdsIn(specification.moduleId))
        this.tally(id).uncollected.add(specification.moduleId);
    }
  }

  onTestModuleCollected(module: TestModule): void {
    for (const test of module.children.allTests()) {
      const id = idOfTitle(test.name);
      if (id === undefined || test.options.mode === 'skip' || test.options.mode === 'todo') continue;
      this.tally(id).pending.add(test);
    }
    for (const [id, tally] of this.tallies) {
      if (tally.uncollected.delete(module.moduleId)) this.printIfDone(id);
    }
  }

  onTestCaseResult(test: TestCase): void {
    const id = idOfTitle(test.name);
    if (id === undefined) return;
    const tally = this.tally(id);
    tally.pending.delete(test);
    const state = test.result().state;
    if (state === 'passed' || state === 'failed') {
      const durationMs = test.diagnostic()?.duration ?? 0;
      const errors = test.result().errors ?? [];
      const text = errors.map((error) => `${error.message ?? ''}\n${error.stack ?? ''}`).join('\n');
      // A test stopped at its time limit carries vitest's STACK_TRACE_ERROR: say what happened instead.
      const why =
        state !== 'failed'
          ? undefined
          : TIMED_OUT.test(text)
            ? `timed out after ${(durationMs / 1000).toFixed(1)} s (the report names the step it was waiting for)`
            : assertionOf(errors.map((error) => error.message ?? '').join('\n'));
      tally.outcomes.push({ title: test.name, state, durationMs, ...(why ? { why } : {}) });
    }
    this.printIfDone(id);
  }

  onTestModuleEnd(module: TestModule): void {
    // A file that failed to load or whose hooks failed reports no test results: stop waiting for them.
    for (const test of module.children.allTests()) {
      const id = idOfTitle(test.name);
      if (id !== undefined && this.tallies.get(id)?.pending.delete(test)) this.printIfDone(id);
    }
  }

  onTestRunEnd(): void {
    for (const [id, tally] of this.tallies) {
      if (!tally.printed && tally.outcomes.length > 0) this.print(id, tally);
    }
  }

  private printIfDone(id: string): void {
    const tally = this.tally(id);
    if (tally.printed || tally.pending.size > 0 || tally.uncollected.size > 0 || tally.outcomes.length === 0)
      return;
    this.print(id, tally);
  }

  private print(id: string, tally: Tally): void {
    tally.printed = true;
    let outcomes = tally.outcomes;
    if (this.targetOnly) {
      // Tests that judged only simulators of their own say nothing about this target.
      const records = readTraceRecords(this.config.traceDir ?? '');
      const elsewhere = new Set(
        records
          .filter((r) => r.kind === 'test' && r.id === id && !r.judgedTarget)
          .map((r) => `[${id}] ${r.title}`),
      );
      outcomes = outcomes.filter((outcome) => !elsewhere.has(outcome.title));
    }
    const status: CheckStatus = classify(
      outcomes.map((outcome) => outcome.state),
      this.expected.has(id),
    );
    const seconds = (outcomes.reduce((sum, outcome) => sum + outcome.durationMs, 0) / 1000).toFixed(1);
    const tests = `${outcomes.length} test${outcomes.length === 1 ? '' : 's'}`;
    const detail = status === 'not-run' ? 'judges only its own simulators' : `${tests}, ${seconds} s`;
    process.stdout.write(`  ${this.profile.padEnd(11)} ${status.padEnd(17)} ${id}  (${detail})\n`);
    for (const outcome of outcomes) {
      if (outcome.why) process.stdout.write(`      ${outcome.why.slice(0, 200)}\n`);
    }
  }
}
