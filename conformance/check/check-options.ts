// The options of `mirrorspec check`, read strictly: a mistyped option or value is a usage error (exit 2)
// that says what to write instead, never a silently different run.

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ToolError } from '../../errors/tool-error.ts';
import { type DialectId, dialectIds, isDialectId } from '../../spec/vendors/index.ts';
import { BROKEN_KINDS } from '../targets/broken-targets.ts';
import { loadStaticRules } from '../targets/static-rules.ts';
import type { FailOn } from './check-report.ts';

export const CHECK_USAGE = `usage: mirrorspec check [options]

Runs the conformance suite against a target and writes a report to reports/<run>/ (results.json,
summary.md, junit.xml, index.html).

  --target <target>          what to judge (default: simulator)
                               simulator        the embedded simulator
                               http(s)://...    an endpoint: an S3 server, or one that also speaks the
                                                spec's neutral rule API (PUT /_mirrorspec/buckets/
                                                {bucket}/mirror). It is probed first (S3 basics,
                                                signatures, rule API, settle; one line each); with
                                                MIRRORSPEC_ACCESS_KEY_ID and MIRRORSPEC_SECRET_ACCESS_KEY
                                                set every request is signed (SigV4). Behaviours that
                                                need a rule API it lacks are reported absent
                               container:<kind> started through testcontainers, judged as its URL, stopped:
                                                mirrorspec (the simulator's image), rgw, minio
                               broken:<kind>    test-only, deliberately unsafe simulators the suite must
                                                catch: ${BROKEN_KINDS.join(', ')}
  --dialect <vendor>         write rules through the vendor's own API instead of the neutral one:
                             ${dialectIds.join(', ')} (the simulator then runs that vendor's profile);
                             behaviours whose rules the vendor's API cannot say are not applicable
  --profile <id|all>         vendor profile(s) to expect, comma-separated or all (default: all for the
                             simulator, which then runs as each profile in turn; neutral otherwise;
                             broken targets run as the profile too)
  --only <patterns>          run only behaviours whose id matches (comma-separated; * matches anything,
                             e.g. 'origin.*'); repeatable
  --skip <patterns>          leave out behaviours whose id matches; repeatable
  --baseline                 only the S3 baseline: the s3.* behaviours, which need no rule API
  --fail-on <must|should>    which unexpected failures make the exit status 1 (default must; should
                             fails a CI gate on should behaviours too)
  --expect <file>            known deviations (YAML or JSON): { expectations: [{ id, reason, profile? }] };
                             their failures are expected failures, and if they pass, unexpected passes
  --seed <n>                 fast-check seed (default 20261122, or MIRRORSPEC_SEED)
  --runs <n>                 runs per property on every profile (default: 100 on neutral or a single
                             profile, 25 on the other profiles of a multi-profile run; or MIRRORSPEC_RUNS)
  --timeout <ms>             how long to wait for an endpoint's background work when it offers no
                             POST /_mirrorspec/settle (default 2000)
  --origin-public-url <url>  the base URL at which the target reaches the suite's origin, when it cannot
                             reach loopback; it must forward every path unchanged to the origin
  --origin-port <n>          the loopback port the suite's origin listens on (for a tunnel to forward to);
                             test files then run one at a time
  --origin-timeout <ms>      how long the endpoint waits for an origin's headers (default 10000; the
                             simulator's own is fixed)
  --static-rules <file>      a target whose rules are configured out of band (a CDN, a pull-through
                             proxy): { bucket, rules } with origins written {origin}/<path>; laws
                             run only where the rules they ask for are those, each property run under
                             a key folder of its own in the bucket; the rest is not applicable. The
                             simulator and broken targets are configured with the file first
  --out <dir>                report folder (default reports/<timestamp>)
  -h, --help                 this text

Exit status: 0 when every must behaviour passed or failed as expected (should failures and unexpected
passes are reported; with --fail-on should, should behaviours count as must ones); 1 on any such
unexpected failure, when the target cannot be reached, when the suite could not run, or when nothing
could be checked (every behaviour absent or not run); 2 on a usage error, or on keys that are wrong or
would go unused (set for the simulator, or for a target that does not check signatures).
`;

export interface CheckOptions {
  target: string;
  /** Only the S3 baseline (`--baseline`). */
  baseline: boolean;
  failOn: FailOn;
  dialect?: DialectId;
  /** Absolute path of a static rules file. */
  staticRules?: string;
  profile?: string;
  only: string[];
  skip: string[];
  expect?: string;
  seed?: number;
  runs?: number;
  timeoutMs?: number;
  originPublicUrl?: string;
  originPort?: number;
  originTimeoutMs?: number;
  out?: string;
}

function whole(option: string, value: string | undefined, min = 0, max = Number.MAX_SAFE_INTEGER) {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ToolError('MS_USAGE', `--${option} takes a whole number from ${min} to ${max}, got '${value}'`);
  }
  return Number(value);
}

const patterns = (values: string[] | undefined) =>
  (values ?? [])
    .flatMap((value) => value.split(','))
    .map((p) => p.trim())
    .filter((p) => p !== '');

/** The options, or 'help'; throws an MS_USAGE (or MS_STATIC_RULES) tool error. */
export function parseCheckOptions(argv: string[]): CheckOptions | 'help' {
  const values = readArgs(argv);
  if (values.help) return 'help';
  const target = checkedTarget(values.target as string);
  const publicUrl = checkedPublicUrl(values['origin-public-url'] as string | undefined);
  const options: CheckOptions = {
    target,
    baseline: values.baseline === true,
    failOn: checkedFailOn(values['fail-on'] as string),
    only: patterns(values.only as string[] | undefined),
    skip: patterns(values.skip as string[] | undefined),
  };
  const numbers = wholeNumbers(values);
  const dialect = checkedDialect(
    values.dialect as string | undefined,
    target,
    values.profile as string | undefined,
  );
  if (dialect !== undefined) options.dialect = dialect;
  const staticRules = checkedStaticRules(values['static-rules'] as string | undefined, dialect);
  if (staticRules !== undefined) options.staticRules = staticRules;
  if (values.profile !== undefined) options.profile = values.profile as string;
  if (values.expect !== undefined) options.expect = values.expect as string;
  if (values.out !== undefined) options.out = values.out as string;
  if (numbers.seed !== undefined) options.seed = numbers.seed;
  if (numbers.runs !== undefined) options.runs = numbers.runs;
  if (numbers.timeoutMs !== undefined) options.timeoutMs = numbers.timeoutMs;
  if (publicUrl !== undefined) options.originPublicUrl = publicUrl;
  if (numbers.originPort !== undefined) options.originPort = numbers.originPort;
  if (numbers.originTimeoutMs !== undefined) options.originTimeoutMs = numbers.originTimeoutMs;
  return options;
}

type ArgValues = Record<string, string | string[] | boolean | undefined>;

/** The command line as option values; an unknown option or a missing value is a usage error. */
function readArgs(argv: string[]): ArgValues {
  try {
    return parseArgs({
      args: argv,
      options: {
        target: { type: 'string', default: 'simulator' },
        profile: { type: 'string' },
        dialect: { type: 'string' },
        only: { type: 'string', multiple: true },
        skip: { type: 'string', multiple: true },
        expect: { type: 'string' },
        seed: { type: 'string' },
        runs: { type: 'string' },
        timeout: { type: 'string' },
        'origin-public-url': { type: 'string' },
        'origin-port': { type: 'string' },
        'origin-timeout': { type: 'string' },
        'static-rules': { type: 'string' },
        baseline: { type: 'boolean' },
        'fail-on': { type: 'string', default: 'must' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new ToolError('MS_USAGE', (error as Error).message);
  }
}

function checkedTarget(target: string): string {
  const kinds = BROKEN_KINDS as readonly string[];
  if (
    target !== 'simulator' &&
    !/^https?:\/\/[^/]/.test(target) &&
    !(target.startsWith('broken:') && kinds.includes(target.slice('broken:'.length)))
  ) {
    throw new ToolError(
      'MS_USAGE',
      `--target '${target}' is not a target: use simulator, an http(s):// URL, or broken:<kind> (${BROKEN_KINDS.join(', ')})`,
    );
  }
  if (/^https?:/.test(target) && !URL.canParse(target))
    throw new ToolError('MS_USAGE', `--target '${target}' is not a URL`);
  return target;
}

function checkedPublicUrl(publicUrl: string | undefined): string | undefined {
  if (
    publicUrl !== undefined &&
    !(URL.canParse(publicUrl) && /^https?:$/.test(new URL(publicUrl).protocol))
  ) {
    throw new ToolError('MS_USAGE', `--origin-public-url takes an http(s) URL, got '${publicUrl}'`);
  }
  return publicUrl;
}

function checkedFailOn(failOn: string): FailOn {
  if (failOn !== 'must' && failOn !== 'should')
    throw new ToolError('MS_USAGE', `--fail-on takes must or should, got '${failOn}'`);
  return failOn;
}

/** The options that take a whole number, each within its range. */
function wholeNumbers(values: ArgValues) {
  return {
    seed: whole('seed', values.seed as string | undefined, 0, 2 ** 31 - 1),
    runs: whole('runs', values.runs as string | undefined, 1),
    timeoutMs: whole('timeout', values.timeout as string | undefined, 0),
    originPort: whole('origin-port', values['origin-port'] as string | undefined, 1, 65535),
    originTimeoutMs: whole('origin-timeout', values['origin-timeout'] as string | undefined, 1),
  };
}

/** A dialect names a vendor's rule API, which only the simulator or an endpoint can be written through. */
function checkedDialect(
  dialect: string | undefined,
  target: string,
  profile: string | undefined,
): DialectId | undefined {
  if (dialect === undefined) return undefined;
  if (!isDialectId(dialect)) {
    throw new ToolError(
      'MS_USAGE',
      `--dialect '${dialect}' is not a dialect: use one of ${dialectIds.join(', ')}`,
    );
  }
  if (target.startsWith('broken:'))
    throw new ToolError('MS_USAGE', '--dialect takes the simulator or an http(s):// target');
  if (target === 'simulator' && profile !== undefined && profile !== dialect) {
    throw new ToolError(
      'MS_USAGE',
      `the simulator speaks the ${dialect} API only as the ${dialect} profile: leave out --profile or write --profile ${dialect}`,
    );
  }
  return dialect;
}

/** The static rules file's absolute path, once it has been read and found valid. */
function checkedStaticRules(staticRules: string | undefined, dialect: DialectId | undefined) {
  if (staticRules === undefined) return undefined;
  if (dialect !== undefined)
    throw new ToolError(
      'MS_USAGE',
      '--static-rules and --dialect exclude each other: fixed rules are written by nobody',
    );
  loadStaticRules(staticRules);
  return resolve(staticRules);
}
