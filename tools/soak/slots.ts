// The soak's truth. Keys come from a bounded space of slots, reused over and over, so the simulator's
// per-key bookkeeping stays bounded and its RSS can be judged. Each slot records what its key may hold
// now (`truth`: one content when known, several when a race or a lost answer leaves a choice), and
// every life of a slot (an "incarnation": one origin script) is checked against that truth before the
// slot is reused, and once more at the end.

import { originDigest } from '../../conformance/origin/scriptable-origin.ts';

/** A body made of `{ size, seed }` bytes, as the origin and the PUTs produce them. */
export interface Body {
  size: number;
  seed: number;
  sha256: string;
}

export type Fault = 'status-5xx' | 'short-body' | 'reset' | 'slow-headers' | 'stalled-body';

/** What the origin answers for the slot's key during one incarnation. */
export type Plan =
  | { kind: 'ok'; body: Body; chunked: boolean }
  | { kind: 'faulty'; fault: Fault; body: Body }
  | { kind: 'not-found' };

/** 'absent', 'origin' (the plan's complete body) or 'put:<n>' (the n-th PUT of this incarnation). */
type ContentId = string;

export type Verdict = 'ok' | 'partial' | 'wrong' | 'stale' | 'lost';

/** A GET or several at once on one slot; origin requests for the slot's path arriving meanwhile count. */
interface Episode {
  startedAt: number;
  fetches: number;
}

export interface Slot {
  readonly index: number;
  readonly key: string;
  /** The raw path the simulator requests from the origin for this key. */
  readonly originPath: string;
  incarnation: number;
  plan: Plan;
  puts: Body[];
  truth: Set<ContentId>;
  /** Bytes the key may hold now (the largest candidate), for the stored-bytes budget. */
  liveBytes: number;
  episode?: Episode;
  touched: boolean;
  /**
   * When the miss that stored the origin's object began: until a check sees the object stored, a planned
   * kill after that may have beaten its write-back.
   */
  mirroredDuring?: { from: number };
}

export function body(size: number, seed: number): Body {
  return { size, seed, sha256: originDigest({ size, seed }) };
}

export function contentBody(slot: Slot, id: ContentId): Body | undefined {
  if (id === 'origin') return slot.plan.kind === 'ok' ? slot.plan.body : undefined;
  if (id.startsWith('put:')) return slot.puts[Number(id.slice(4))];
  return undefined;
}

/** The id of a slot's latest PUT. */
export function lastPutId(slot: Slot): ContentId {
  return `put:${slot.puts.length - 1}`;
}

/**
 * Judges what the key holds against the truth. `found` is undefined when the key is absent.
 * - ok: one of the contents the truth allows;
 * - stale: a complete body this slot could hold, but not one the truth allows now (a write-back that
 *   overwrote a PUT, an object that survived a DELETE, the whole body of an origin slower than the
 *   timeout);
 * - lost: absent when an object must be there;
 * - partial: a strict prefix of a body, or any bytes of a body whose fetch failed;
 * - wrong: anything else.
 */
export function judge(slot: Slot, found: { length: number; sha256: string } | undefined): Verdict {
  if (found === undefined) return slot.truth.has('absent') ? 'ok' : 'lost';
  const same = (candidate: Body | undefined) =>
    candidate !== undefined && candidate.size === found.length && candidate.sha256 === found.sha256;
  for (const id of slot.truth) if (same(contentBody(slot, id))) return 'ok';
  const complete: (Body | undefined)[] = [contentBody(slot, 'origin'), ...slot.puts];
  if (complete.some(same)) return 'stale';
  const failedFetch = slot.plan.kind === 'faulty' ? slot.plan : undefined;
  if (
    failedFetch !== undefined &&
    found.length <= failedFetch.body.size &&
    prefixOf(failedFetch.body, found)
  ) {
    // A too-slow origin does send its whole body in the end: stored whole, it is an object the fetch
    // should have given up on, not a partial one. Any other failing origin never sends a whole object
    // (it promised more bytes than it sent, or reset the connection).
    const late = failedFetch.fault === 'slow-headers' || failedFetch.fault === 'stalled-body';
    return late && found.length === failedFetch.body.size ? 'stale' : 'partial';
  }
  for (const candidate of complete) {
    if (candidate !== undefined && found.length < candidate.size && prefixOf(candidate, found))
      return 'partial';
  }
  return 'wrong';
}

/** Generated bodies of one seed are prefixes of each other, so a prefix is checked by generating it. */
function prefixOf(candidate: Body, found: { length: number; sha256: string }): boolean {
  return originDigest({ size: found.length, seed: candidate.seed }) === found.sha256;
}

/** A set with O(1) add, delete and uniform random pick: the pools of slots the workload draws from. */
export class Pool {
  private readonly items: Slot[] = [];
  private readonly at = new Map<Slot, number>();

  get size(): number {
    return this.items.length;
  }

  add(slot: Slot): void {
    if (this.at.has(slot)) return;
    this.at.set(slot, this.items.length);
    this.items.push(slot);
  }

  delete(slot: Slot): void {
    const index = this.at.get(slot);
    if (index === undefined) return;
    const last = this.items.pop() as Slot;
    if (last !== slot) {
      this.items[index] = last;
      this.at.set(last, index);
    }
    this.at.delete(slot);
  }

  /** A uniformly random member, or undefined when empty; `random` is in [0, 1). */
  pick(random: number): Slot | undefined {
    return this.items[Math.floor(random * this.items.length)];
  }
}
