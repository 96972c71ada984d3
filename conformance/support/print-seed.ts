import { DEFAULT_RUNS, DEFAULT_SEED, runConfig } from './run-config.ts';

// Printed once per run, so every run can be replayed: MIRRORSPEC_SEED=<seed> npm test.
export default function printSeed(): void {
  const seed = runConfig().seed ?? DEFAULT_SEED;
  const runs = runConfig().runs ?? DEFAULT_RUNS;
  console.log(`fast-check seed ${seed}, ${runs} runs per property (replay with MIRRORSPEC_SEED=${seed})`);
}
