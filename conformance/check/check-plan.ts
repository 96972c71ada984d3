// What one `mirrorspec check` run will do, settled before anything runs: the profiles, the behaviours
// --only, --skip and --baseline keep, the law files that judge them on this target, the runs per property
// and the report folder. Keys the run could not use and options that select nothing are refused here.

import { join, resolve } from 'node:path';
import { ToolError } from '../../errors/tool-error.ts';
import { type Behaviour, loadCatalogue } from '../../spec/catalogue.ts';
import { profileIds } from '../../spec/profiles.ts';
import { LAW_FILES } from '../laws/law-files.ts';
import { NO_RULE_API } from '../support/not-applicable.ts';
import { DEFAULT_RUNS, DEFAULT_SEED, decodeRunConfig, type RunConfig } from '../support/run-config.ts';
import type { TargetProbe } from '../targets/probe-target.ts';
import type { CheckOptions } from './check-options.ts';
import { behaviourIdsIn } from './check-status.ts';
import { matchesIdPattern, selectIds } from './id-pattern.ts';
import { lawName, lawPath } from './law-run.ts';
import { type Expectation, loadExpectations } from './load-expectations.ts';

export const FULL_RUNS = DEFAULT_RUNS;
/**
 * Runs per property on the other profiles of a multi-profile run. Most laws do not depend on the
 * profile and the neutral run gives them their full runs; 25 keeps `npm run check` (eight profiles on
 * two cores) near ten minutes.
 */
const OTHER_PROFILE_RUNS = 25;

export interface Plan {
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

export const URL_TARGET = /^https?:/;

export function plan(options: CheckOptions): Plan {
  const base = decodeRunConfig(process.env);
  refuseUnusableKeys(options, base);
  const known = profileIds();
  const simulator = options.target === 'simulator';
  const profiles = profilesOf(options, known, simulator);
  const catalogue = loadCatalogue();
  const selected = selectedIds(options, catalogue);
  const { judging, ownSimulatorOnly } = lawFilesFor(selected, simulator);
  let expectations: Expectation[] = [];
  if (options.expect !== undefined) {
    expectations = loadExpectations(options.expect, {
      ids: new Set(catalogue.map((entry) => entry.id)),
      profiles: known,
    });
  }
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
    runs: runsPerProfile(profiles, options.runs ?? base.runs),
    out,
  };
}

/** Keys that sign nothing, or only half a pair of them, would be a run the user did not ask for. */
function refuseUnusableKeys(options: CheckOptions, base: RunConfig): void {
  const keyNames = [
    ...(base.accessKeyId ? ['MIRRORSPEC_ACCESS_KEY_ID'] : []),
    ...(base.secretAccessKey ? ['MIRRORSPEC_SECRET_ACCESS_KEY'] : []),
  ];
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
}

function profilesOf(options: CheckOptions, known: string[], simulator: boolean): string[] {
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
  return profiles;
}

function selectedIds(options: CheckOptions, catalogue: readonly Behaviour[]): Set<string> {
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
  return selected;
}

/**
 * The law files that judge a selected behaviour on this target. Each law file declares what it judges:
 * files that start simulators of their own judge no other target, and the ids only they cover are said so.
 */
function lawFilesFor(selected: Set<string>, simulator: boolean) {
  const lawFiles = Object.keys(LAW_FILES).sort();
  const relevant = lawFiles.filter((name) => behaviourIdsIn(lawPath(name)).some((id) => selected.has(id)));
  const judging = (
    simulator ? relevant : relevant.filter((name) => LAW_FILES[name] !== 'own-simulators')
  ).map(lawPath);
  const covered = new Set(judging.flatMap((file) => behaviourIdsIn(file)));
  const ownSimulatorOnly = new Set([...selected].filter((id) => !covered.has(id)));
  return { judging, ownSimulatorOnly };
}

function runsPerProfile(profiles: string[], fixedRuns: number | undefined): Record<string, number> {
  return Object.fromEntries(
    profiles.map((profile) => [
      profile,
      fixedRuns ?? (profile === 'neutral' || profiles.length === 1 ? FULL_RUNS : OTHER_PROFILE_RUNS),
    ]),
  );
}

/**
 * The plan narrowed to what the probe found: on a target without a rule API, the files whose laws need
 * one are not run, and the behaviours only they judge are absent, with what the probe saw.
 */
export function applyProbe(p: Plan, probe: TargetProbe): void {
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
