// Behaviours a target cannot be asked about: rules its vendor's API has no words for (a suffix condition
// through KS3's API), or the neutral rule API itself on a target configured through a vendor's. Such a
// behaviour is reported as not applicable, with the reason, never as passed. A target that has no mirror
// rule API at all (a plain S3 server, as the probe of `mirrorspec check` found) lacks the feature: a law
// that needs rules there is reported *absent*, never failed.

import fc from 'fast-check';

export class NotApplicable extends Error {
  override name = 'NotApplicable';
}

/** The reason every absent law gives, before what the probe saw. */
export const NO_RULE_API = 'the target has no mirror rule API';

/** A law that needs a mirror rule API, on a target that has none. */
class Absent extends NotApplicable {
  override name = 'Absent';
}

/**
 * Inexpressible runs tolerated before a law with no expressible run at all is declared not applicable.
 * Until then such a run is discarded (fc.pre), so a law whose arbitraries sometimes produce rules the
 * target can take still checks those.
 */
const DISCARDS_BEFORE_GIVING_UP = 20;

let current: { configured: number; discarded: number; verdict?: string; absent?: boolean } = {
  configured: 0,
  discarded: 0,
};

/** Called as each behaviour's test starts. */
export function beginBehaviourRuns(): void {
  current = { configured: 0, discarded: 0 };
}

/** Throws at once when the running law was found not applicable: keeps shrinking cheap. */
export function throwIfNotApplicable(): void {
  if (current.verdict === undefined) return;
  throw current.absent ? new Absent(current.verdict) : new NotApplicable(current.verdict);
}

/** The rules of this run reached the target. */
export function noteConfigured(): void {
  current.configured++;
}

/** The rules of this run cannot reach the target: discard the run, or give up on the law. */
export function skipRun(reason: string): never {
  current.discarded++;
  if (current.configured === 0 && current.discarded >= DISCARDS_BEFORE_GIVING_UP) {
    current.verdict = reason;
    throw new NotApplicable(reason);
  }
  fc.pre(false);
  throw new NotApplicable(reason); // not reached: fc.pre(false) throws
}

/**
 * The running law needs a mirror rule API and the target has none (`why`: what the probe saw): the law
 * is absent, and every later run of it stops at once.
 */
export function ruleApiAbsent(why: string): never {
  current.verdict = `${NO_RULE_API}: ${why}`;
  current.absent = true;
  throw new Absent(current.verdict);
}

/** The NotApplicable (or Absent) behind an error, also when fast-check wrapped it. */
export function notApplicableIn(error: unknown): NotApplicable | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof NotApplicable || cause.name === 'NotApplicable' || cause.name === 'Absent')
      return cause as NotApplicable;
  }
  return undefined;
}

/** Whether a NotApplicable is an Absent (across vitest's module registries, by name). */
export function isAbsent(error: NotApplicable): boolean {
  return error instanceof Absent || error.name === 'Absent';
}
