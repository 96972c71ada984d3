// `npm run fuzz -- [--seconds N] [--seed S] [--target name]...`: fast-check at high run counts against
// every parser of untrusted input (tools/fuzz/targets.ts), each for its share of the time budget. The
// seed is printed; a finding prints its counterexample and the --seed and --path that replay it, and
// the run exits 1. A short run of the same targets is part of the test suite (fuzz.test.ts).

import { parseArgs } from 'node:util';
import { runFuzz } from './run-fuzz.ts';
import { closeFuzzTargets, FUZZ_TARGETS } from './targets.ts';

const USAGE = `usage: npm run fuzz -- [options]

  --seconds <n>    time budget for the whole run, shared by the targets (default 120)
  --seed <n>       seed of the run (default: random, printed)
  --target <name>  run only this target (repeatable): ${FUZZ_TARGETS.map((target) => target.name).join(', ')}
  --path <path>    with --seed and one --target: replay the failure fast-check printed
`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '120' },
      seed: { type: 'string' },
      target: { type: 'string', multiple: true },
      path: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const seconds = Number(values.seconds);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400) {
    process.stderr.write(
      `fuzz: --seconds takes a whole number from 1 to 86400, got '${values.seconds}'\n${USAGE}`,
    );
    return 2;
  }
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
  if (!Number.isInteger(seed)) {
    process.stderr.write(`fuzz: --seed takes a whole number, got '${values.seed}'\n`);
    return 2;
  }
  const only = values.target ?? [];
  const count = only.length === 0 ? FUZZ_TARGETS.length : only.length;
  process.stdout.write(`fuzz seed ${seed} (replay with --seed ${seed})\n`);
  const outcomes = await runFuzz({
    seed,
    millisecondsPerTarget: Math.floor((seconds * 1000) / count),
    only,
    ...(values.path ? { path: values.path } : {}),
    log: (line) => process.stdout.write(`${line}\n`),
  }).finally(closeFuzzTargets);
  const failed = outcomes.filter((outcome) => outcome.failure !== undefined);
  const runs = outcomes.reduce((sum, outcome) => sum + outcome.runs, 0);
  process.stdout.write(
    `${runs} runs over ${outcomes.length} targets in ${seconds} s, seed ${seed}: ${failed.length === 0 ? 'no finding' : `findings in ${failed.map((outcome) => outcome.target).join(', ')}`}\n`,
  );
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    process.stderr.write(`fuzz: ${(error as Error).message}\n`);
    process.exit(2);
  },
);
