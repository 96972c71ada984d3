// Printed once per run, so every run can be replayed: MIRRORSPEC_SEED=<seed> npm test.
export default function printSeed(): void {
  const seed = process.env.MIRRORSPEC_SEED ?? '20261122';
  const runs = process.env.MIRRORSPEC_RUNS ?? '100';
  console.log(`fast-check seed ${seed}, ${runs} runs per property (replay with MIRRORSPEC_SEED=${seed})`);
}
