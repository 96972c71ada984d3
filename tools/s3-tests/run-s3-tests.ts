// ceph/s3-tests (https://github.com/ceph/s3-tests) against `mirrorspec serve` or a Ceph RGW, as a
// benchmark of the simulator as an S3 test double, not a gate: it prints passed / failed / errored per
// feature and every test that did not pass with its reason, keeps the run in reports/s3-tests/, and
// rewrites the figures section of docs/s3-compatibility.md from the latest simulator and RGW runs.
//
//   npm run bench:s3-tests -- --s3-tests /tmp/s3-tests               # the simulator
//   npm run bench:s3-tests -- --s3-tests /tmp/s3-tests --target rgw  # RGW, with rgw.sh's variables set
//   npm run bench:s3-tests -- --docs-only                            # the figures again, from the kept runs
//
// Every failure of the simulator is listed with its reason from known-reasons.yaml; one it does not
// explain, or an entry that explains no failure, is printed after the run and marked in the figures.
//
// Needs Debian's python3-pytest, -boto3, -munch, -isodate, -lxml, -requests, -yaml, -httplib2, -gevent
// (tools/s3-tests/README.md). Exit status 0 whatever the tests say; 1 when the run itself could not go.

import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { ToolError } from '../../errors/tool-error.ts';
import { replaceSection } from '../docs/sections.ts';
import { renderFigures } from './figures.ts';
import { parseJunit, type TestResult } from './junit.ts';
import { explain, parseReasons } from './reasons.ts';
import { printable, type RunReport } from './report.ts';
import { renderConf } from './s3tests-conf.ts';
import { MARKERS, SELECTION, TEST_FILE } from './selection.ts';
import { prepareRgw, type RunningTarget, startSimulator } from './targets.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const REPORTS = join(root, 'reports', 's3-tests');
const DOC = join(root, 'docs', 's3-compatibility.md');
const REASONS = join(here, 'known-reasons.yaml');

interface Options {
  target: 'simulator' | 'rgw';
  s3tests: string;
  python: string;
  /** The whole pytest run's bound. */
  timeoutS: number;
  /** Each test's bound (set-up and tear-down included). */
  alarmS: number;
  docs: boolean;
  /** Only rewrite the figures from the kept reports, running nothing. */
  docsOnly: boolean;
}

function options(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      target: { type: 'string', default: 'simulator' },
      's3-tests': { type: 'string', default: process.env.S3TESTS_DIR ?? '/tmp/s3-tests' },
      python: { type: 'string', default: '/usr/bin/python3' },
      'timeout-s': { type: 'string', default: '2400' },
      'alarm-s': { type: 'string', default: '40' },
      'no-docs': { type: 'boolean', default: false },
      'docs-only': { type: 'boolean', default: false },
    },
  });
  const target = values.target;
  if (target !== 'simulator' && target !== 'rgw') {
    throw new ToolError('MS_USAGE', `--target is simulator or rgw, not '${target}'`);
  }
  const s3tests = values['s3-tests'];
  if (!values['docs-only'] && !existsSync(join(s3tests, TEST_FILE))) {
    throw new ToolError(
      'MS_USAGE',
      `no ${TEST_FILE} under ${s3tests}: check ceph/s3-tests out there, or name its folder with --s3-tests`,
    );
  }
  const whole = (raw: string, name: string) => {
    if (!/^\d+$/.test(raw)) throw new ToolError('MS_USAGE', `${name} is a whole number of seconds`);
    return Number(raw);
  };
  return {
    target,
    s3tests,
    python: values.python,
    timeoutS: whole(values['timeout-s'], '--timeout-s'),
    alarmS: whole(values['alarm-s'], '--alarm-s'),
    docs: !values['no-docs'],
    docsOnly: values['docs-only'],
  };
}

/** The checkout's commit: git's, or the first word of a COMMIT file for a tree taken out of git. */
async function s3testsCommit(dir: string): Promise<string> {
  const fromGit = await promisify(execFile)('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], {
    timeout: 10_000,
  }).then(
    (result) => result.stdout.trim(),
    () => undefined,
  );
  if (fromGit) return fromGit;
  const file = join(dir, 'COMMIT');
  return existsSync(file) ? ((await readFile(file, 'utf8')).trim().split(/\s+/)[0] ?? 'unknown') : 'unknown';
}

/** Runs pytest on the selection; resolves with the JUnit XML it wrote. */
async function runPytest(target: RunningTarget, opts: Options, work: string): Promise<string> {
  const confPath = join(work, 's3tests.conf');
  const junitPath = join(work, 'junit.xml');
  await writeFile(confPath, renderConf(target.conf));
  const args = ['-m', 'pytest', '-p', 's3tests_alarm', '-p', 'no:cacheprovider', TEST_FILE];
  // Native tracebacks: pytest's own parse the 19,000-line test file for every failure, seconds each.
  args.push('-m', MARKERS, '-k', SELECTION, `--junitxml=${junitPath}`, '-q', '-rN', '--tb=native');
  const child = spawn(opts.python, args, {
    cwd: opts.s3tests,
    env: {
      ...process.env,
      S3TEST_CONF: confPath,
      PYTHONPATH: join(here, 'python'),
      S3TESTS_ALARM_S: String(opts.alarmS),
      // botocore signs with the AWS Common Runtime when python3-awscrt is installed (awscli pulls it
      // in), and the CRT refuses to presign an expiry of 0 or less before any request is sent: the
      // figures must not depend on which packages the machine happens to have.
      BOTO_DISABLE_CRT: 'true',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const timer = setTimeout(() => child.kill('SIGTERM'), opts.timeoutS * 1000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  if (!existsSync(junitPath)) {
    throw new ToolError('MS_TARGET_UNREACHABLE', `pytest exited with ${code} and wrote no JUnit report`);
  }
  return readFile(junitPath, 'utf8');
}

/**
 * With one user for main, alt and tenant, a test that speaks as another user cannot mean what it tests:
 * its failure says so, found by the test's source calling for the alt or tenant client.
 */
async function markSingleUser(results: TestResult[], opts: Options): Promise<TestResult[]> {
  const source = await readFile(join(opts.s3tests, TEST_FILE), 'utf8');
  const needsAnother = new Set<string>();
  for (const block of source.split(/\n(?=def test_)/)) {
    const name = /^def (test_\w+)/.exec(block)?.[1];
    if (name && /get_alt_client|get_tenant_client|alt_client|tenant_client/.test(block))
      needsAnother.add(name);
  }
  return results.map((result) =>
    result.outcome !== 'passed' && needsAnother.has(result.name.replace(/\[.*$/, ''))
      ? {
          ...result,
          reason: `needs a second user (alt/tenant), run with one key pair; ${result.reason ?? ''}`,
        }
      : result,
  );
}

async function updateDocs(): Promise<boolean> {
  const read = async (name: string) => {
    const file = join(REPORTS, `${name}.json`);
    return existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as RunReport) : undefined;
  };
  const simulator = await read('simulator');
  if (simulator === undefined || !existsSync(DOC)) return false;
  const text = await readFile(DOC, 'utf8');
  const figures = renderFigures(simulator, await read('rgw'), await knownReasons());
  await writeFile(DOC, replaceSection(text, 's3-tests-figures', figures));
  return true;
}

async function knownReasons() {
  return existsSync(REASONS) ? parseReasons(await readFile(REASONS, 'utf8')) : [];
}

/** The simulator's failures no known reason explains, and the reasons that explain none: said aloud. */
async function reasonsCheck(report: RunReport): Promise<string> {
  const { unexplained, stale } = explain(report.results, await knownReasons());
  const lines = [
    ...unexplained.map((name) => `  unexplained (add it to known-reasons.yaml): ${name}`),
    ...stale.map(({ entry, why }) => `  stale reason (${why}): ${entry.test}`),
  ];
  return lines.length === 0 ? '' : `\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<void> {
  const opts = options(argv);
  if (opts.docsOnly) {
    if (!(await updateDocs()))
      throw new ToolError('MS_USAGE', `no simulator report in ${REPORTS} to write figures from`);
    process.stdout.write(`figures written to ${DOC}\n`);
    return;
  }
  const target = opts.target === 'rgw' ? await prepareRgw(process.env) : await startSimulator(root);
  const work = await mkdtemp(join(tmpdir(), 'mirrorspec-s3-tests-'));
  try {
    const xml = await runPytest(target, opts, work);
    let results = parseJunit(xml);
    if (!target.distinctUsers) results = await markSingleUser(results, opts);
    const report: RunReport = {
      target: target.name,
      label: target.label,
      date: new Date().toISOString().slice(0, 10),
      s3tests: await s3testsCommit(opts.s3tests),
      notes: target.notes,
      results,
    };
    await mkdir(REPORTS, { recursive: true });
    await writeFile(join(REPORTS, `${target.name}.json`), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(join(REPORTS, `${target.name}.junit.xml`), xml);
    process.stdout.write(`${printable(report)}\n`);
    if (target.name === 'simulator') process.stdout.write(await reasonsCheck(report));
    if (opts.docs && (await updateDocs())) process.stdout.write(`\nfigures written to ${DOC}\n`);
  } finally {
    await target.stop();
    await rm(work, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench:s3-tests: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
