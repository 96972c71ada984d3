// `mirrorspec check`: the conformance suite against the embedded simulator, with a report per run in
// reports/<run>/ (results.json per behaviour, summary.md, junit.xml). Exits non-zero on any failure.

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalogue } from '../spec/catalogue.ts';

const USAGE = `usage: mirrorspec check [options]

  --target simulator   what to judge (only the embedded simulator in this version)
  --seed <n>           fast-check seed (default 20261122; printed by every run for replay)
  --runs <n>           runs per property (default 100)
  --out <dir>          report folder (default reports/<timestamp>)
`;

interface AssertionResult {
  title: string;
  fullName: string;
  status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo' | 'disabled';
  duration?: number;
  failureMessages: string[];
}

interface BehaviourResult {
  id: string;
  level: string;
  statement: string;
  status: 'passed' | 'failed' | 'not run';
  tests: { title: string; status: string; failure?: string }[];
}

const root = new URL('..', import.meta.url).pathname;

export async function checkCommand(argv: string[]): Promise<number> {
  let values: { target?: string; seed?: string; runs?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        target: { type: 'string', default: 'simulator' },
        seed: { type: 'string' },
        runs: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
    for (const option of ['seed', 'runs'] as const) {
      const value = values[option];
      if (value !== undefined && !/^\d+$/.test(value))
        throw new Error(`--${option} takes a whole number, got '${value}'`);
    }
    if (values.target !== 'simulator') {
      throw new Error(
        `--target '${values.target}' is not supported yet: this version judges the embedded simulator only`,
      );
    }
  } catch (error) {
    process.stderr.write(`mirrorspec check: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  const out = values.out ?? join(root, 'reports', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(out, { recursive: true });
  const raw = join(out, 'vitest.json');
  const vitest = spawnSync(
    'npx',
    [
      'vitest',
      'run',
      '--project',
      'conformance',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${raw}`,
      '--reporter=junit',
      `--outputFile.junit=${join(out, 'junit.xml')}`,
    ],
    {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        ...(values.seed ? { MIRRORSPEC_SEED: values.seed } : {}),
        ...(values.runs ? { MIRRORSPEC_RUNS: values.runs } : {}),
      },
    },
  );

  let assertions: AssertionResult[];
  try {
    const report = JSON.parse(readFileSync(raw, 'utf8')) as {
      testResults: { assertionResults: AssertionResult[] }[];
    };
    assertions = report.testResults.flatMap((file) => file.assertionResults);
  } catch {
    process.stderr.write(
      `mirrorspec check: the suite wrote no results (vitest exited with ${vitest.status})\n`,
    );
    return 1;
  }

  const seed = values.seed ?? process.env.MIRRORSPEC_SEED ?? '20261122';
  const behaviours: BehaviourResult[] = loadCatalogue().map((entry) => {
    const tests = assertions
      .filter((assertion) => assertion.title.startsWith(`[${entry.id}] `))
      .map((assertion) => ({
        title: assertion.title.slice(entry.id.length + 3),
        status: assertion.status,
        ...(assertion.failureMessages.length > 0 ? { failure: assertion.failureMessages.join('\n') } : {}),
      }));
    const status =
      tests.length === 0 ? 'not run' : tests.every((t) => t.status === 'passed') ? 'passed' : 'failed';
    return { id: entry.id, level: entry.level, statement: entry.statement, status, tests };
  });

  writeFileSync(
    join(out, 'results.json'),
    `${JSON.stringify({ target: 'simulator', seed: Number(seed), runs: Number(values.runs ?? 100), behaviours }, null, 2)}\n`,
  );
  const rows = behaviours.map(
    (b) => `| ${b.id} | ${b.level} | ${b.status} | ${b.statement.replaceAll('|', '\\|')} |`,
  );
  const failed = behaviours.filter((b) => b.status !== 'passed');
  writeFileSync(
    join(out, 'summary.md'),
    [
      '# mirrorspec conformance report',
      '',
      `Target: embedded simulator. Seed: ${seed} (replay with \`mirrorspec check --seed ${seed}\`).`,
      '',
      `${behaviours.length - failed.length} of ${behaviours.length} behaviours pass.`,
      '',
      '| behaviour | level | status | statement |',
      '| --- | --- | --- | --- |',
      ...rows,
      '',
    ].join('\n'),
  );
  process.stdout.write(`\n${behaviours.map((b) => `${b.status.padEnd(8)} ${b.id}`).join('\n')}\n`);
  process.stdout.write(
    `\nbehaviours: ${behaviours.length - failed.length} passed, ${failed.length} failed\n`,
  );
  process.stdout.write(`report: ${out}\n`);
  return failed.length === 0 && vitest.status === 0 ? 0 : 1;
}
