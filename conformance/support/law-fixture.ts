// One target and one origin per test file, and fresh names per property run, so runs never see each
// other's buckets or origin requests and nothing needs resetting between them.

import { afterAll, beforeAll } from 'vitest';
import { type ScriptableOrigin, startOrigin } from '../origin/scriptable-origin.ts';
import { BROKEN_KINDS, type BrokenKind, startBrokenTarget } from '../targets/broken-targets.ts';
import { startSimulatorTarget } from '../targets/simulator-target.ts';
import type { Target } from '../targets/target.ts';

export interface LawFixture {
  readonly target: Target;
  readonly origin: ScriptableOrigin;
  /** A new bucket on the target, created. */
  bucket(): Promise<string>;
  /** A new path prefix on the origin, e.g. `/r17`, for this run's scripts. */
  originPath(): string;
}

let counter = 0;

/**
 * The target the laws judge: the embedded simulator, or (to test the suite itself) a deliberately
 * broken one named by MIRRORSPEC_TARGET=broken:<kind>.
 */
function startTarget(): Promise<Target> {
  const chosen = process.env.MIRRORSPEC_TARGET ?? 'simulator';
  if (chosen === 'simulator') return startSimulatorTarget();
  const kind = chosen.replace(/^broken:/, '');
  if (chosen.startsWith('broken:') && (BROKEN_KINDS as readonly string[]).includes(kind)) {
    return startBrokenTarget(kind as BrokenKind);
  }
  throw new Error(
    `MIRRORSPEC_TARGET='${chosen}' is not a target: use simulator or broken:${BROKEN_KINDS.join('|broken:')}`,
  );
}

export function useLawFixture(): LawFixture {
  let target: Target | undefined;
  let origin: ScriptableOrigin | undefined;
  beforeAll(async () => {
    [target, origin] = await Promise.all([startTarget(), startOrigin()]);
  });
  afterAll(async () => {
    await Promise.all([target?.close(), origin?.close()]);
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
      const name = `law-${process.pid}-${++counter}`;
      const result = await this.target.client.createBucket(name);
      if (result.status !== 200) throw new Error(`creating bucket ${name} failed with ${result.status}`);
      return name;
    },
    originPath() {
      return `/r${++counter}`;
    },
  };
}
