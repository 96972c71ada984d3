// One target and one origin per test file, and fresh names per property run, so runs never see each
// other's buckets or origin requests and nothing needs resetting between them.

import { afterAll, beforeAll } from 'vitest';
import { ToolError } from '../../errors/tool-error.ts';
import { traceOrigin, untraceOrigin } from '../client/http-trace.ts';
import { type ScriptableOrigin, startOrigin } from '../origin/scriptable-origin.ts';
import { BROKEN_KINDS, type BrokenKind, startBrokenTarget } from '../targets/broken-targets.ts';
import { startSimulatorTarget } from '../targets/simulator-target.ts';
import {
  loadStaticRules,
  resolvedRules,
  type StaticRules,
  withStaticRules,
} from '../targets/static-rules.ts';
import type { Target } from '../targets/target.ts';
import { startUrlTarget } from '../targets/url-target.ts';
import { throwIfNotApplicable } from './not-applicable.ts';
import { runConfig } from './run-config.ts';
import { noteChosenTarget } from './trace-plugin.ts';

export interface LawFixture {
  readonly target: Target;
  /**
   * The suite's origin. Its `url` is where the target reaches it: the loopback URL, or
   * MIRRORSPEC_ORIGIN_PUBLIC_URL when the target cannot reach loopback (`check --origin-public-url`).
   */
  readonly origin: ScriptableOrigin;
  /** A new bucket on the target, created. */
  bucket(): Promise<string>;
  /** A new path prefix on the origin, e.g. `/r17`, for this run's scripts. */
  originPath(): string;
}

let counter = 0;
let randomPrefix: string | undefined;

function runPrefix(target: Target): string {
  if (!target.signed) return 'law';
  randomPrefix ??= `ms${Math.random().toString(36).slice(2, 8)}`;
  return randomPrefix;
}

/**
 * The target the laws judge: the embedded simulator, an endpoint (MIRRORSPEC_TARGET=http(s)://...:
 * an S3 server, one speaking the spec's neutral API, or a vendor's with MIRRORSPEC_DIALECT), or (to test the suite itself) a deliberately broken one named by
 * MIRRORSPEC_TARGET=broken:<kind>.
 */
function startTarget(): Promise<Target> {
  const config = runConfig();
  const chosen = config.target;
  if (chosen === 'simulator') return startSimulatorTarget();
  // Keys sign every request (SigV4, or the vendor's scheme with a dialect); what the target has no API
  // for, the probe of `mirrorspec check` found and the configuration says (url-target.ts).
  if (/^https?:\/\//.test(chosen)) return startUrlTarget(config);
  const kind = chosen.replace(/^broken:/, '');
  if (chosen.startsWith('broken:') && (BROKEN_KINDS as readonly string[]).includes(kind)) {
    return startBrokenTarget(kind as BrokenKind);
  }
  throw new ToolError(
    'MS_RUN_CONFIG',
    `MIRRORSPEC_TARGET='${chosen}' is not a target: use simulator, an http(s):// URL or broken:${BROKEN_KINDS.join('|broken:')}`,
  );
}

/**
 * The target with the rules of a static rules file in force. An endpoint was configured with them out of
 * band; the embedded simulators (plain or broken) are configured with them here, before any law runs.
 */
async function withFixedRules(target: Target, fixed: StaticRules, originUrl: string): Promise<Target> {
  if (!/^https?:\/\//.test(runConfig().target)) {
    await target.client.createBucket(fixed.bucket);
    const put = await target.client.putMirror(fixed.bucket, { rules: resolvedRules(fixed, originUrl) });
    if (put.status !== 200) {
      throw new Error(
        `the static rules were refused: ${put.status} ${Buffer.from(put.body).toString('utf8')}`,
      );
    }
  }
  return withStaticRules(target, fixed, originUrl);
}

/**
 * The suite's origin, on loopback (on MIRRORSPEC_ORIGIN_PORT if set, so a tunnel can forward to it). A
 * target that cannot reach loopback reaches it through MIRRORSPEC_ORIGIN_PUBLIC_URL, a base that
 * forwards path for path; the laws build every URL they hand the target from `origin.url`, so showing
 * them that base is all it takes.
 */
async function startLawOrigin(): Promise<ScriptableOrigin> {
  const { originPort, originPublicUrl } = runConfig();
  const origin = await startOrigin(originPort ? { port: originPort } : {});
  const publicUrl = originPublicUrl?.replace(/\/+$/, '');
  if (!publicUrl) return origin;
  return new Proxy(origin, {
    get: (real, property) => (property === 'url' ? publicUrl : Reflect.get(real, property, real)),
  });
}

export function useLawFixture(): LawFixture {
  let target: Target | undefined;
  let origin: ScriptableOrigin | undefined;
  beforeAll(async () => {
    [target, origin] = await Promise.all([startTarget(), startLawOrigin()]);
    const { staticRules } = runConfig();
    if (staticRules) target = await withFixedRules(target, loadStaticRules(staticRules), origin.url);
    traceOrigin(origin);
    noteChosenTarget(target.endpoint);
  });
  afterAll(async () => {
    if (origin !== undefined) untraceOrigin(origin);
    await Promise.all([target?.close(), origin?.close()]);
    noteChosenTarget(undefined);
  });
  return {
    get target() {
      if (target === undefined)
        throw new Error('the target is not started yet: use the fixture inside a test');
      return target;
    },
    get origin() {
      if (origin === undefined)
        throw new Error('the origin is not started yet: use the fixture inside a test');
      return origin;
    },
    async bucket() {
      throwIfNotApplicable();
      // Fixed rules serve one bucket: each run gets a folder of its own in it instead.
      const fixed = this.target.fixed;
      if (fixed !== undefined) {
        fixed.beginRun();
        return fixed.bucket;
      }
      // Bucket names are global at a vendor: a run's own prefix (MIRRORSPEC_BUCKET_PREFIX, else a random
      // one at a vendor) keeps them apart; COS wants its APPID at the end (MIRRORSPEC_BUCKET_SUFFIX).
      const { bucketPrefix, bucketSuffix } = runConfig();
      const name = `${bucketPrefix ?? runPrefix(this.target)}-${process.pid}-${++counter}${bucketSuffix ?? ''}`;
      const result = await this.target.client.createBucket(name);
      if (result.status !== 200) throw new Error(`creating bucket ${name} failed with ${result.status}`);
      return name;
    },
    originPath() {
      return this.target.fixed?.originPath() ?? `/r${++counter}`;
    },
  };
}
