// `mirrorspec check`: the conformance laws against a target, once per profile, each profile in a child
// vitest run. A line per behaviour as it finishes, a behaviour × profile table at the end, and a report
// in reports/<run>/: results.json (the data), summary.md, junit.xml and index.html (renderings of it).

import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { isToolError, type ToolError, toolErrorLine, usageErrorLine } from '../errors/tool-error.ts';
import { type Behaviour, loadCatalogue } from '../spec/catalogue.ts';
import { CHECK_USAGE, parseCheckOptions } from './check/check-options.ts';
import { checkOriginPort } from './check/check-origin-port.ts';
import { applyProbe, FULL_RUNS, type Plan, plan, URL_TARGET } from './check/check-plan.ts';
import {
  type CheckReport,
  countStatuses,
  exitCodeOf,
  JUDGED_STATUSES,
  type ProfileRun,
  profileRun,
  type VitestFile,
} from './check/check-report.ts';
import { readTraceRecords } from './check/check-status.ts';
import { LAW_ROOT as root, vitestRun } from './check/law-run.ts';
import { expectationFor } from './check/load-expectations.ts';
import { renderJunit } from './check/render-junit.ts';
import { renderReportPage } from './check/render-report-page.ts';
import { renderSummary } from './check/render-summary.ts';
import { renderTable } from './check/render-table.ts';
import { replayOptions } from './check/replay-command.ts';
import { type RunConfig, withRunConfig } from './support/run-config.ts';
import { probeTarget, type TargetProbe } from './targets/probe-target.ts';

/** Law files run at a time (vitest's default is one less than the cores: one, on two). */
const FILES_AT_A_TIME = 4;

export async function checkCommand(argv: string[]): Promise<number> {
  const p = await planRun(argv);
  if (typeof p === 'number') return p;
  const started = Date.now();
  mkdirSync(p.out, { recursive: true });
  const catalogue = loadCatalogue();
  process.stdout.write(
    `mirrorspec check: target ${p.options.target}, profiles ${p.profiles.join(', ')}, ` +
      `${p.selected.size} of ${catalogue.length} behaviours, seed ${p.seed}, runs per property ` +
      `${p.profiles.map((profile) => `${profile} ${p.runs[profile]}`).join(', ')}\n`,
  );
  const { probe, stopped } = await probeUrlTarget(p);
  const results: Record<string, ProfileRun> = {};
  for (const profile of p.profiles)
    results[profile] = await judgeProfile(p, profile, catalogue, probe, stopped);
  const report = checkReport(p, catalogue, results, probe, stopped, started);
  writeReport(p.out, report);
  printOutcome(p, report, started);
  return report.exitCode;
}

/** The plan of the run, or the exit status of a usage or tool error (said on stderr) or of --help. */
async function planRun(argv: string[]): Promise<Plan | number> {
  try {
    const options = parseCheckOptions(argv);
    if (options === 'help') {
      process.stdout.write(CHECK_USAGE);
      return 0;
    }
    const p = plan(options);
    if (options.originPort !== undefined) await checkOriginPort(options.originPort);
    return p;
  } catch (error) {
    if (!isToolError(error)) throw error;
    const line = error.code === 'MS_USAGE' ? usageErrorLine : toolErrorLine;
    process.stderr.write(line('mirrorspec check', error));
    return error.exitStatus;
  }
}

/**
 * Know the target before judging it: what a URL target lacks is absent, not failed. A target the probe
 * cannot reach stops the run (`stopped`), which still writes its report.
 */
async function probeUrlTarget(p: Plan): Promise<{ probe?: TargetProbe; stopped?: ToolError }> {
  if (!URL_TARGET.test(p.options.target)) return {};
  try {
    const probe = await probeTarget(
      {
        ...p.base,
        target: p.options.target,
        dialect: p.options.dialect,
        staticRules: p.options.staticRules,
      },
      { ruleApi: !p.options.baseline },
    );
    for (const finding of probe.findings) process.stdout.write(`probe: ${finding}\n`);
    applyProbe(p, probe);
    return { probe };
  } catch (error) {
    if (!isToolError(error)) throw error;
    process.stderr.write(toolErrorLine('mirrorspec check', error));
    return { stopped: error };
  }
}

/** One profile's laws run and read back as its results, with what kept the suite from reporting. */
async function judgeProfile(
  p: Plan,
  profile: string,
  catalogue: readonly Behaviour[],
  probe: TargetProbe | undefined,
  stopped: ToolError | undefined,
): Promise<ProfileRun> {
  const raw = join(p.out, 'raw', profile);
  mkdirSync(raw, { recursive: true });
  const profileStarted = Date.now();
  // No file to run is no vitest at all: vitest given no file would run every one.
  const ran = stopped === undefined && p.files.length > 0;
  const status = ran ? await runProfile(p, profile, raw, probe) : 0;
  const files = ran ? readVitestFiles(raw) : [];
  const run = profileRun({
    profile,
    target: p.options.target,
    catalogue,
    selected: p.selected,
    files: files ?? [],
    records: readTraceRecords(join(raw, 'traces')),
    expectations: p.expectations,
    seed: p.seed,
    runs: p.runs[profile] ?? FULL_RUNS,
    durationMs: Date.now() - profileStarted,
    targetOnly: p.options.target !== 'simulator',
    ownSimulatorOnly: p.ownSimulatorOnly,
    absent: p.absent,
    replayOptions: replayOptions(p.options),
  });
  if (stopped !== undefined) run.errors.push(`the suite could not run: ${stopped.code}: ${stopped.message}`);
  if (files === undefined) {
    const log = join(raw, 'vitest.log');
    const tail = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').slice(-15).join('\n') : '';
    run.errors.push(`the suite wrote no results (vitest exited with ${status}); its output is in ${log}`);
    process.stderr.write(`mirrorspec check: ${profile}: the suite wrote no results:\n${tail}\n`);
  }
  return run;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One child vitest run of the laws on one profile; resolves with its exit status. */
async function runProfile(
  p: Plan,
  profile: string,
  raw: string,
  probe: TargetProbe | undefined,
): Promise<number | null> {
  const { options } = p;
  const allSelected = p.selected.size === loadCatalogue().length;
  const vitest = vitestRun();
  const args = [
    ...vitest.args,
    ...p.files.map((file) => relative(root, file)),
    ...(allSelected ? [] : ['-t', `\\[(?:${[...p.selected].map(escapeRegExp).join('|')})\\] `]),
    '--reporter=json',
    `--outputFile.json=${join(raw, 'vitest.json')}`,
    // The laws mostly wait (on origins, delays, timeouts), so more files at a time than cores pays.
    ...(options.originPort !== undefined ? ['--no-file-parallelism'] : [`--maxWorkers=${FILES_AT_A_TIME}`]),
  ];
  const expected = [...p.selected].filter((id) => expectationFor(p.expectations, id, profile) !== undefined);
  const config: RunConfig = {
    ...p.base,
    target: options.target,
    // The embedded simulators (broken ones too) run as the profile; an endpoint is what it is.
    profile: /^https?:/.test(options.target) ? undefined : profile,
    expectProfile: profile,
    dialect: options.dialect,
    seed: p.seed,
    runs: p.runs[profile],
    traceDir: join(raw, 'traces'),
    staticRules: options.staticRules,
    originPort: options.originPort,
    originPublicUrl: options.originPublicUrl,
    originTimeoutMs: options.originTimeoutMs,
    settleWaitMs: options.timeoutMs,
    checkProfile: profile,
    checkExpected: expected,
    checkTargetOnly: options.target !== 'simulator',
    ruleApiAbsent: probe?.ruleApiAbsent,
  };
  const env = { ...withRunConfig(process.env, config), NO_COLOR: '1', FORCE_COLOR: '0' };

  const log = createWriteStream(join(raw, 'vitest.log'));
  const child = spawn(vitest.command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  // Progress lines go to the terminal; vitest's own output (warnings, its json notice) to the log.
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('  ')) process.stdout.write(`${line}\n`);
    else log.write(`${line}\n`);
  });
  child.stderr.pipe(log, { end: false });
  const status = await new Promise<number | null>((done) => child.once('close', done));
  await new Promise<void>((done) => log.end(done));
  return status;
}

function readVitestFiles(raw: string): VitestFile[] | undefined {
  try {
    const report = JSON.parse(readFileSync(join(raw, 'vitest.json'), 'utf8')) as {
      testResults: VitestFile[];
    };
    return report.testResults;
  } catch {
    return undefined;
  }
}

function checkReport(
  p: Plan,
  catalogue: readonly Behaviour[],
  results: Record<string, ProfileRun>,
  probe: TargetProbe | undefined,
  stopped: ToolError | undefined,
  started: number,
): CheckReport {
  const selected = catalogue.map((entry) => entry.id).filter((id) => p.selected.has(id));
  // A run that checked nothing is no pass: say so, and fail.
  const judged = JUDGED_STATUSES.reduce(
    (sum, status) => sum + countStatuses({ results, selected })[status],
    0,
  );
  if (judged === 0 && stopped === undefined) {
    for (const run of Object.values(results)) {
      run.errors.push(
        'nothing could be checked: every selected behaviour was absent or not run (their notes say why)',
      );
    }
  }
  return {
    target: p.options.target,
    ...(probe !== undefined ? { probe: probe.findings } : {}),
    profiles: p.profiles,
    seed: p.seed,
    runs: p.runs,
    only: p.options.only,
    skip: p.options.skip,
    selected,
    ...(p.options.expect ? { expectationsFile: p.options.expect } : {}),
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    failOn: p.options.failOn,
    exitCode: stopped?.exitStatus ?? exitCodeOf(results, p.options.failOn),
    catalogue: catalogue.map(({ id, level, statement }) => ({ id, level, statement })),
    results,
  };
}

/** results.json and its renderings. */
function writeReport(out: string, report: CheckReport): void {
  writeFileSync(join(out, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(out, 'summary.md'), renderSummary(report));
  writeFileSync(join(out, 'junit.xml'), renderJunit(report));
  writeFileSync(join(out, 'index.html'), renderReportPage(report));
}

/** The table, the errors, the counts and where the report is, on stdout. */
function printOutcome(p: Plan, report: CheckReport, started: number): void {
  const counts = countStatuses(report);
  process.stdout.write(`\n${renderTable(report)}\n\n`);
  for (const profile of p.profiles) {
    for (const error of report.results[profile]?.errors ?? [])
      process.stdout.write(`error (${profile}): ${error}\n`);
  }
  process.stdout.write(
    `${counts.passed} passed, ${counts.failed} failed, ${counts['expected-failure']} expected failures, ` +
      `${counts['unexpected-pass']} unexpected passes, ${counts.absent} absent, ${counts['not-run']} not run ` +
      `(behaviour × profile) in ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
  if (counts['unexpected-pass'] > 0) {
    process.stdout.write('unexpected passes: remove those entries from the expectations file\n');
  }
  process.stdout.write(`report: ${join(p.out, 'index.html')} (and results.json, summary.md, junit.xml)\n`);
}
