import fc from 'fast-check';
import { DEFAULT_RUNS, DEFAULT_SEED, runConfig } from './run-config.ts';
import { installTracePlugin } from './trace-plugin.ts';

// Every property run is replayable: one seed for the whole run, printed, and overridable with
// MIRRORSPEC_SEED to replay a failure. CI runs the fixed default seed.
const seed = runConfig().seed ?? DEFAULT_SEED;
const numRuns = runConfig().runs ?? DEFAULT_RUNS;

fc.configureGlobal({ seed, numRuns, endOnFailure: false });

// Failing laws leave their counterexample's HTTP exchanges for `mirrorspec check` (MIRRORSPEC_TRACE_DIR).
installTracePlugin();
