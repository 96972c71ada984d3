import fc from 'fast-check';
import { installTracePlugin } from './trace-plugin.ts';

// Every property run is replayable: one seed for the whole run, printed, and overridable with
// MIRRORSPEC_SEED to replay a failure. CI runs the fixed default seed.
const DEFAULT_SEED = 20261122;
const DEFAULT_RUNS = 100;

export const seed = Number.parseInt(process.env.MIRRORSPEC_SEED ?? `${DEFAULT_SEED}`, 10);
export const numRuns = Number.parseInt(process.env.MIRRORSPEC_RUNS ?? `${DEFAULT_RUNS}`, 10);

fc.configureGlobal({ seed, numRuns, endOnFailure: false });

// Failing laws leave their counterexample's HTTP exchanges for `mirrorspec check` (MIRRORSPEC_TRACE_DIR).
installTracePlugin();
