// The run configuration: everything a run of the laws is told from outside, as one typed value. It
// crosses into vitest's child process as MIRRORSPEC_* environment variables, so it is written by one
// encoder (`mirrorspec check`, tests that start a child run) and read by one decoder (the law fixture,
// the targets, the reporter, the seed setup). A user may set the same variables by hand
// (`MIRRORSPEC_SEED=7 npm test`, the vendor keys of docs/vendors/), so the decoder is strict: an unknown
// MIRRORSPEC_* name or a malformed value is an MS_RUN_CONFIG error naming the variable and what it takes,
// never a run that quietly does something else.

import { ToolError } from '../../errors/tool-error.ts';

/** The fast-check defaults; CI runs this seed (see fast-check-setup.ts). */
export const DEFAULT_SEED = 20261122;
export const DEFAULT_RUNS = 100;

export interface RunConfig {
  /** `simulator` (the default), an http(s):// endpoint, or `broken:<kind>`. */
  target: string;
  /** The profile the embedded simulators (broken ones too) run as; unset for an endpoint. */
  profile?: string;
  /** The profile the laws expect of the target; default: the profile it runs as. */
  expectProfile?: string;
  /** Write rules through this vendor's own API (`check --dialect`). */
  dialect?: string;
  /** The fast-check seed; DEFAULT_SEED when unset. */
  seed?: number;
  /** Runs per property; DEFAULT_RUNS when unset. */
  runs?: number;
  /** Runs per property of `check --dialect` in dialect-check.test.ts. */
  dialectRuns: number;
  /** Where failing laws leave their traces for `mirrorspec check`; no traces without it. */
  traceDir?: string;
  /** A static rules file (`check --static-rules`). */
  staticRules?: string;
  originPort?: number;
  /** Where the target reaches the suite's origin. */
  originPublicUrl?: string;
  originTimeoutMs?: number;
  settleWaitMs?: number;
  /** A signed endpoint's keys and addressing (docs/vendors/). */
  accessKeyId?: string;
  secretAccessKey?: string;
  region?: string;
  rulesEndpoint?: string;
  addressing?: 'virtual' | 'path';
  obsAgency?: string;
  bucketPrefix?: string;
  bucketSuffix?: string;
  /**
   * What the probe of `mirrorspec check` found missing: why the target has no mirror rule API (`PUT
   * /_mirrorspec/buckets/b/mirror answered 404 NoSuchBucket`). A law that needs one is then absent.
   */
  ruleApiAbsent?: string;
  /** For the progress lines of `mirrorspec check`: the profile, the ids an expectations file excuses, and
   * whether only the chosen target's tests count. */
  checkProfile?: string;
  checkExpected: string[];
  checkTargetOnly: boolean;
}

type Kind = 'text' | 'whole' | 'port' | 'target' | 'url' | 'addressing' | 'list' | 'flag';

/** Each field, its variable and what it takes: the one table both directions read. */
const VARIABLES = {
  target: ['MIRRORSPEC_TARGET', 'target'],
  profile: ['MIRRORSPEC_PROFILE', 'text'],
  expectProfile: ['MIRRORSPEC_EXPECT_PROFILE', 'text'],
  dialect: ['MIRRORSPEC_DIALECT', 'text'],
  seed: ['MIRRORSPEC_SEED', 'whole'],
  runs: ['MIRRORSPEC_RUNS', 'whole'],
  dialectRuns: ['MIRRORSPEC_DIALECT_RUNS', 'whole'],
  traceDir: ['MIRRORSPEC_TRACE_DIR', 'text'],
  staticRules: ['MIRRORSPEC_STATIC_RULES', 'text'],
  originPort: ['MIRRORSPEC_ORIGIN_PORT', 'port'],
  originPublicUrl: ['MIRRORSPEC_ORIGIN_PUBLIC_URL', 'url'],
  originTimeoutMs: ['MIRRORSPEC_ORIGIN_TIMEOUT_MS', 'whole'],
  settleWaitMs: ['MIRRORSPEC_SETTLE_WAIT_MS', 'whole'],
  accessKeyId: ['MIRRORSPEC_ACCESS_KEY_ID', 'text'],
  secretAccessKey: ['MIRRORSPEC_SECRET_ACCESS_KEY', 'text'],
  region: ['MIRRORSPEC_REGION', 'text'],
  rulesEndpoint: ['MIRRORSPEC_RULES_ENDPOINT', 'url'],
  addressing: ['MIRRORSPEC_ADDRESSING', 'addressing'],
  obsAgency: ['MIRRORSPEC_OBS_AGENCY', 'text'],
  bucketPrefix: ['MIRRORSPEC_BUCKET_PREFIX', 'text'],
  bucketSuffix: ['MIRRORSPEC_BUCKET_SUFFIX', 'text'],
  ruleApiAbsent: ['MIRRORSPEC_RULE_API_ABSENT', 'text'],
  checkProfile: ['MIRRORSPEC_CHECK_PROFILE', 'text'],
  checkExpected: ['MIRRORSPEC_CHECK_EXPECTED', 'list'],
  checkTargetOnly: ['MIRRORSPEC_CHECK_TARGET_ONLY', 'flag'],
} as const satisfies Record<keyof RunConfig, readonly [string, Kind]>;

const DEFAULTS = {
  target: 'simulator',
  dialectRuns: 5,
  checkExpected: [],
  checkTargetOnly: false,
} satisfies Partial<RunConfig>;

/**
 * MIRRORSPEC_* names that are not run settings: the CI's peers (.ci/run, .ci/peers/lib.sh) read them, the
 * container targets' images (conformance/targets/container-target.ts) and the container tests' runs, and
 * a check run inside that CI must not refuse them.
 */
const NOT_RUN_SETTINGS = new Set([
  'MIRRORSPEC_PEERS',
  'MIRRORSPEC_PEERS_STATE',
  'MIRRORSPEC_IMAGE',
  'MIRRORSPEC_RGW_IMAGE',
  'MIRRORSPEC_MINIO_IMAGE',
  'MIRRORSPEC_CONTAINER_RUNS',
  // The gateway store's keys (`serve --store s3://…`) and its tests' S3 server.
  'MIRRORSPEC_STORE_ACCESS_KEY_ID',
  'MIRRORSPEC_STORE_SECRET_ACCESS_KEY',
  'MIRRORSPEC_TEST_S3_ENDPOINT',
  'MIRRORSPEC_TEST_S3_ACCESS_KEY',
  'MIRRORSPEC_TEST_S3_SECRET_KEY',
]);

/** What each kind takes, for the error that says what to write instead. */
const TAKES: Record<Kind, string> = {
  text: 'a non-empty text',
  whole: 'a whole number',
  port: 'a port from 1 to 65535',
  target: 'simulator, an http(s):// URL or broken:<kind>',
  url: 'an http(s):// URL',
  addressing: 'virtual or path',
  list: 'a comma-separated list',
  flag: '1 or 0',
};

function decodeValue(kind: Kind, raw: string): string | number | boolean | string[] | undefined {
  switch (kind) {
    case 'text':
      return raw === '' ? undefined : raw;
    case 'whole':
      return /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
    case 'port':
      return /^\d{1,5}$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 65_535 ? Number(raw) : undefined;
    case 'target':
      return raw === 'simulator' || /^https?:\/\/[^/]/.test(raw) || /^broken:[a-z0-9-]+$/.test(raw)
        ? raw
        : undefined;
    case 'url':
      return /^https?:\/\/[^/]/.test(raw) && URL.canParse(raw) ? raw : undefined;
    case 'addressing':
      return raw === 'virtual' || raw === 'path' ? raw : undefined;
    case 'list':
      return raw.split(',').filter(Boolean);
    case 'flag':
      return raw === '1' ? true : raw === '0' ? false : undefined;
  }
}

/**
 * The run configuration in `env`. Unset (or, for the optional texts, empty) variables take their
 * defaults; throws an MS_RUN_CONFIG tool error on an unknown MIRRORSPEC_* name or a malformed value.
 */
export function decodeRunConfig(env: NodeJS.ProcessEnv = process.env): RunConfig {
  const known = new Map<string, [keyof RunConfig, Kind]>(
    Object.entries(VARIABLES).map(([field, [name, kind]]) => [name, [field as keyof RunConfig, kind]]),
  );
  const config: Record<string, unknown> = { ...DEFAULTS, checkExpected: [] };
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('MIRRORSPEC_') || raw === undefined || NOT_RUN_SETTINGS.has(name)) continue;
    const entry = known.get(name);
    if (entry === undefined) {
      throw new ToolError(
        'MS_RUN_CONFIG',
        `${name} is not a run setting: unset it, or use one of ${[...known.keys()].join(', ')}`,
      );
    }
    const [field, kind] = entry;
    const value = decodeValue(kind, raw);
    if (value !== undefined) config[field] = value;
    else if (kind !== 'text') {
      throw new ToolError('MS_RUN_CONFIG', `${name} takes ${TAKES[kind]}, got '${raw}'`);
    }
  }
  return config as unknown as RunConfig;
}

/**
 * The environment variables that carry `config`: every MIRRORSPEC_* name, set or (as undefined) unset,
 * so that spreading them over another environment leaves nothing of an earlier run behind.
 */
export function encodeRunConfig(config: RunConfig): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [field, [name, kind]] of Object.entries(VARIABLES)) {
    const value = config[field as keyof RunConfig];
    if (value === undefined) env[name] = undefined;
    else if (kind === 'list') env[name] = (value as string[]).join(',');
    else if (kind === 'flag') env[name] = value ? '1' : '0';
    else env[name] = String(value);
  }
  return env;
}

/** `env` with `config` in place of whatever MIRRORSPEC_* variables it had: a child run's environment. */
export function withRunConfig(env: NodeJS.ProcessEnv, config: RunConfig): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) if (!name.startsWith('MIRRORSPEC_')) result[name] = value;
  for (const [name, value] of Object.entries(encodeRunConfig(config))) {
    if (value !== undefined) result[name] = value;
  }
  return result;
}

let current: RunConfig | undefined;

/** This process's run configuration, decoded from its environment once. */
export function runConfig(): RunConfig {
  current ??= decodeRunConfig(process.env);
  return current;
}

/**
 * The value of the run setting whose variable is `name` (MIRRORSPEC_OBS_AGENCY), or undefined when it is
 * unset or no setting has that name: for readers that derive a name from data, such as the rule writer
 * naming a vendor field's override.
 */
export function runSettingNamed(name: string): string | undefined {
  const entry = Object.entries(VARIABLES).find(([, [variable]]) => variable === name);
  if (entry === undefined) return undefined;
  const value = runConfig()[entry[0] as keyof RunConfig];
  return value === undefined ? undefined : String(value);
}
