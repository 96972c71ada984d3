// `mirrorspec check`: the conformance laws against a target, once per profile, each profile in a child
// vitest run. A line per behaviour as it finishes, a behaviour × profile table at the end, and a report
// in reports/<run>/: results.json (the data), summary.md, junit.xml and index.html (renderings of it).

import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { isToolError, ToolError, toolErrorLine, usageErrorLine } from '../errors/tool-error.ts';
import { loadCatalogue } from '../spec/catalogue.ts';
import { profileIds } from '../spec/profiles.ts';
import { CHECK_USAGE, type CheckOptions, parseCheckOptions } from './check/check-options.ts';
import { checkOriginPort } from './check/check-origin-port.ts';
import {
  type CheckReport,
  countStatuses,
  exitCodeOf,
  JUDGED_STATUSES,
  type ProfileRun,
  profileRun,
  type VitestFile,
} from './check/check-report.ts';
import { behaviourIdsIn, readTraceRecords } from './check/check-status.ts';
import { matchesIdPattern, selectIds } from './check/id-pattern.ts';
import { lawName, lawPath, LAW_ROOT as root, vitestRun } from './check/law-run.ts';
import { type Expectation, expectationFor, loadExpectations } from './check/load-expectations.ts';
import { renderJunit } from './check/render-junit.ts';
import { renderReportPage } from './check/render-report-page.ts';
import { renderSummary } from './check/render-summary.ts';
import { renderTable } from './check/render-table.ts';
import { replayOptions } from './check/replay-command.ts';
import { LAW_FILES } from './laws/law-files.ts';
import { NO_RULE_API } from './support/not-applicable.ts';
import {
  DEFAULT_RUNS,
  DEFAULT_SEED,
  decodeRunConfig,
  type RunConfig,
  withRunConfig,
} from './support/run-config.ts';
import { probeTarget, type TargetProbe } from './targets/probe-target.ts';

const FULL_RUNS = DEFAULT_RUNS;
/**
 * Runs per property on the other profiles of a multi-profile run. Most laws do not depend on the
 * profile and the neutral run gives them their full runs; 25 keeps `npm run check` (eight profiles on
 * two cores) near ten minutes.
 */
const OTHER_PROFILE_RUNS = 25;

/** Law files run at a time (vitest's default is one less than the cores: one, on two). */
const FILES_AT_A_TIME = 4;

interface Plan {
  options: CheckOptions;
  /** The run configuration this process was started with: the user's keys, bucket prefix, and so on. */
  base: RunConfig;
  profiles: string[];
  selected: Set<string>;
  files: string[];
  ownSimulatorOnly: Set<string>;
  /** Selected ids left out because they need a feature the target lacks (the probe found): why. */
  absent: Map<string, string>;
  expectations: Expectation[];
  seed: number;
  runs: Record<string, number>;
  out: string;
}

const URL_TARGET = /^https?:/;

function plan(options: CheckOptions): Plan {
  const base = decodeRunConfig(process.env);
  const keyNames = [
    ...(base.accessKeyId ? ['MIRRORSPEC_ACCESS_KEY_ID'] : []),
    ...(base.secretAccessKey ? ['MIRRORSPEC_SECRET_ACCESS_KEY'] : []),
  ];
  // Keys that sign nothing would be a run the user did not ask for, without a word: refuse it.
  if (!URL_TARGET.test(options.target) && keyNames.length > 0) {
    throw new ToolError(
      'MS_CREDENTIALS',
      `${keyNames.join(' and ')} ${keyNames.length > 1 ? 'are' : 'is'} set, but --target ${options.target} signs nothing, so the keys would go unused: unset them, or give --target the URL of the endpoint they belong to`,
    );
  }
  if (keyNames.length === 1) {
    const other =
      keyNames[0] === 'MIRRORSPEC_ACCESS_KEY_ID'
        ? 'MIRRORSPEC_SECRET_ACCESS_KEY'
        : 'MIRRORSPEC_ACCESS_KEY_ID';
    throw new ToolError(
      'MS_CREDENTIALS',
      `${keyNames[0]} is set without ${other}, so nothing could be signed: set both, or neither`,
    );
  }
  if (URL_TARGET.test(options.target) && options.dialect !== undefined) {
    const missing = [
      ...(base.accessKeyId ? [] : ['MIRRORSPEC_ACCESS_KEY_ID']),
      ...(base.secretAccessKey ? [] : ['MIRRORSPEC_SECRET_ACCESS_KEY']),
    ];
    if (missing.length > 0) {
      throw new ToolError(
        'MS_CREDENTIALS',
        `--dialect ${options.dialect} against an endpoint signs every request: set ${missing.join(' and ')} (see spec/vendors/${options.dialect}/README.md)`,
      );
    }
  }
  const known = profileIds();
  const simulator = options.target === 'simulator';
  const asked = options.profile ?? options.dialect ?? (simulator ? 'all' : 'neutral');
  const profiles = asked === 'all' ? known : asked.split(',').map((p) => p.trim());
  for (const profile of profiles) {
    if (!known.includes(profile)) {
      throw new ToolError(
        'MS_USAGE',
        `--profile '${profile}' is not a profile: use all or one of ${known.join(', ')}`,
      );
    }
  }

  const catalogue = loadCatalogue();
  const ids = catalogue.map((entry) => entry.id);
  // A mistyped --only pattern would quietly narrow the run; a mistyped --skip, quietly widen it.
  for (const [option, list] of [
    ['--only', options.only],
    ['--skip', options.skip],
  ] as const) {
    const unmatched = list.filter((pattern) => !ids.some((id) => matchesIdPattern(id, pattern)));
    if (unmatched.length > 0) {
      throw new ToolError(
        'MS_USAGE',
        `${option} ${unmatched.map((p) => `'${p}'`).join(', ')} matches no behaviour id`,
      );
    }
  }
  // The S3 baseline is the s3.* behaviours: the S3 API itself, which a mirror stands on.
  const selected = new Set(
    selectIds(ids, options.only, options.skip).filter((id) => !options.baseline || id.startsWith('s3.')),
  );
  if (selected.size === 0) {
    throw new ToolError(
      'MS_USAGE',
      `--only/--skip${options.baseline ? '/--baseline' : ''} leave no behaviour to run (only: ${options.only.join(', ') || '-'}; skip: ${options.skip.join(', ') || '-'})`,
    );
  }

  // Each law file declares what it judges: files that start simulators of their own judge no other target.
  const lawFiles = Object.keys(LAW_FILES).sort();
  const relevant = lawFiles.filter((name) => behaviourIdsIn(lawPath(name)).some((id) => selected.has(id)));
  const judging = (
    simulator ? relevant : relevant.filter((name) => LAW_FILES[name] !== 'own-simulators')
  ).map(lawPath);
  const covered = new Set(judging.flatMap((file) => behaviourIdsIn(file)));
  const ownSimulatorOnly = new Set([...selected].filter((id) => !covered.has(id)));

  let expectations: Expectation[] = [];
  if (options.expect !== undefined) {
    expectations = loadExpectations(options.expect, {
      ids: new Set(catalogue.map((entry) => entry.id)),
      profiles: known,
    });
  }

  const fixedRuns = options.runs ?? base.runs;
  const runs = Object.fromEntries(
    profiles.map((profile) => [
      profile,
      fixedRuns ?? (profile === 'neutral' || profiles.length === 1 ? FULL_RUNS : OTHER_PROFILE_RUNS),
    ]),
  );
  const seed = options.seed ?? base.seed ?? DEFAULT_SEED;
  const out = resolve(options.out ?? join('reports', new Date().toISOString().replace(/[:.]/g, '-')));
  return {
    options,
    base,
    profiles,
    selected,
    files: judging,
    ownSimulatorOnly,
    absent: new Map(),
    expectations,
    seed,
    runs,
    out,
  };
}

/**
 * The plan narrowed to what the probe found: on a target without a rule API, the files whose laws need
 * one are not run, and the behaviours only they judge are absent, with what the probe saw.
 */
function applyProbe(p: Plan, probe: TargetProbe): void {
  const why = probe.ruleApiAbsent;
  if (why === undefined) return;
  const needsRules = (file: string) => LAW_FILES[lawName(file)] === 'any-target';
  const kept = p.files.filter((file) => !needsRules(file));
  const keptIds = new Set(kept.flatMap((file) => behaviourIdsIn(file)));
  for (const file of p.files.filter(needsRules)) {
    for (const id of behaviourIdsIn(file)) {
      if (p.selected.has(id) && !keptIds.has(id)) {
        p.absent.set(id, `${NO_RULE_API}: ${why}`);
        p.ownSimulatorOnly.delete(id);
      }
    }
  }
  p.files = kept;
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

export async function checkCommand(argv: string[]): Promise<number> {
  let p: Plan;
  try {
    const options = parseCheckOptions(argv);
    if (options === 'help') {
      process.stdout.write(CHECK_USAGE);
      return 0;
    }
    p = plan(options);
    if (options.originPort !== undefined) await checkOriginPort(options.originPort);
  } catch (error) {
    if (!isToolError(error)) throw error;
    const line = error.code === 'MS_USAGE' ? usageErrorLine : toolErrorLine;
    process.stderr.write(line('mirrorspec check', error));
    return error.exitStatus;
  }

  const started = Date.now();
  mkdirSync(p.out, { recursive: true });
  const catalogue = loadCatalogue();
  process.stdout.write(
    `mirrorspec check: target ${p.options.target}, profiles ${p.profiles.join(', ')}, ` +
      `${p.selected.size} of ${catalogue.length} behaviours, seed ${p.seed}, runs per property ` +
      `${p.profiles.map((profile) => `${profile} ${p.runs[profile]}`).join(', ')}\n`,
  );

  // Know the target before judging it: what a URL target lacks is absent, not failed.
  let probe: TargetProbe | undefined;
  let stopped: ToolError | undefined;
  if (URL_TARGET.test(p.options.target)) {
    try {
      probe = await probeTarget(
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
    } catch (error) {
      if (!isToolError(error)) throw error;
      stopped = error;
      process.stderr.write(toolErrorLine('mirrorspec check', error));
    }
  }

  const results: Record<string, ProfileRun> = {};
  for (const profile of p.profiles) {
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
    if (stopped !== undefined)
      run.errors.push(`the suite could not run: ${stopped.code}: ${stopped.message}`);
    if (files === undefined) {
      const log = join(raw, 'vitest.log');
      const tail = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').slice(-15).join('\n') : '';
      run.errors.push(`the suite wrote no results (vitest exited with ${status}); its output is in ${log}`);
      process.stderr.write(`mirrorspec check: ${profile}: the suite wrote no results:\n${tail}\n`);
    }
    results[profile] = run;
  }

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

  const report: CheckReport = {
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
  writeFileSync(join(p.out, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(p.out, 'summary.md'), renderSummary(report));
  writeFileSync(join(p.out, 'junit.xml'), renderJunit(report));
  writeFileSync(join(p.out, 'index.html'), renderReportPage(report));

  const counts = countStatuses(report);
  process.stdout.write(`\n${renderTable(report)}\n\n`);
  for (const profile of p.profiles) {
    for (const error of results[profile]?.errors ?? [])
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
  return report.exitCode;
}
