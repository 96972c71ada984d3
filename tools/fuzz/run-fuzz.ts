// Runs the fuzz targets for a time budget each and says what came of it: runs done, and for a finding
// the seed, the shrunk counterexample and the path that replays it.

import fc from 'fast-check';
import { FUZZ_TARGETS, type FuzzTarget } from './targets.ts';

interface FuzzOutcome {
  target: string;
  runs: number;
  /** The failure as fast-check reports it (seed, path, counterexample), or undefined. */
  failure?: string;
}

interface FuzzOptions {
  seed: number;
  /** Time each target runs for. */
  millisecondsPerTarget: number;
  /** Names of the targets to run; all when empty. */
  only?: readonly string[];
  /** The targets to choose from; default FUZZ_TARGETS. */
  targets?: readonly FuzzTarget[];
  /** Replays one failure: the path fast-check printed (needs the same seed and one target). */
  path?: string;
  log?: (line: string) => void;
}

/** Runs every chosen target in turn; resolves with one outcome per target. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzOutcome[]> {
  const chosen = chooseTargets(options.targets ?? FUZZ_TARGETS, options.only ?? []);
  const outcomes: FuzzOutcome[] = [];
  for (const target of chosen) {
    options.log?.(
      `fuzz ${target.name} (${target.covers}) for ${options.millisecondsPerTarget} ms, seed ${options.seed}`,
    );
    const details = await fc.check(target.property() as fc.IAsyncProperty<unknown[]>, {
      seed: options.seed,
      numRuns: Number.MAX_SAFE_INTEGER,
      interruptAfterTimeLimit: options.millisecondsPerTarget,
      markInterruptAsFailure: false,
      ...(options.path ? { path: options.path } : {}),
    });
    const outcome: FuzzOutcome = { target: target.name, runs: details.numRuns };
    if (details.failed) outcome.failure = fc.defaultReportMessage(details) ?? 'failed';
    options.log?.(
      `  ${details.numRuns} runs${details.failed ? `: FAILED\n${outcome.failure}` : ', no crash and no slow input'}`,
    );
    outcomes.push(outcome);
  }
  return outcomes;
}

function chooseTargets(targets: readonly FuzzTarget[], only: readonly string[]): FuzzTarget[] {
  if (only.length === 0) return [...targets];
  const unknown = only.filter((name) => !targets.some((target) => target.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `unknown fuzz target ${unknown.join(', ')}: choose from ${targets.map((target) => target.name).join(', ')}`,
    );
  }
  return targets.filter((target) => only.includes(target.name));
}
