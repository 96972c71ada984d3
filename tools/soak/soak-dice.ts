// The soak's seeded choices: which plan a miss's origin follows, how large its body is, which fault a
// failing origin has and how it is scripted. The mix follows from --seed, though timing never repeats.

import type { OriginScript } from '../../conformance/origin/scriptable-origin.ts';
import { type Body, body, type Fault, type Plan } from './slots.ts';

// The miss bodies: mostly small, some around the simulator's 64 KiB pre-buffer, a few up to 2 MB.
export const PREBUFFER = 64 * 1024;
const MAX_BODY = 2 * 1024 * 1024;
const MAX_PUT = 256 * 1024;
/**
 * Beyond the simulator's 1 s origin timeout, so these fetches must fail. Well beyond: undici checks its
 * header and body timeouts on a coarse clock (ticks of about 500 ms), so a 1 s timeout fires after 1 to
 * 1.5 s, later still when the event loop is busy.
 */
const TOO_SLOW_MS = [2600, 3000] as const;
/** Well within the timeout, so a race's fetch succeeds and only the user's write decides. */
export const SLOW_MS = [200, 600] as const;
export class SoakDice {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32, as the origin's bodies: the mix follows from --seed, though timing never repeats. */
  random(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  }

  seed(): number {
    return Math.floor(this.random() * 2 ** 32);
  }

  okPlan(): Plan {
    return { kind: 'ok', body: body(this.missSize(), this.seed()), chunked: this.random() < 0.3 };
  }

  private missSize(): number {
    const roll = this.random();
    if (roll < 0.1) return 0;
    if (roll < 0.15)
      return [PREBUFFER - 1, PREBUFFER, PREBUFFER + 1, 2 * PREBUFFER][
        Math.floor(this.random() * 4)
      ] as number;
    if (roll < 0.55) return 1 + Math.floor(this.random() * 16 * 1024);
    if (roll < 0.8) return 16 * 1024 + Math.floor(this.random() * 48 * 1024);
    if (roll < 0.95) return PREBUFFER + Math.floor(this.random() * (512 * 1024 - PREBUFFER));
    return 512 * 1024 + Math.floor(this.random() * (MAX_BODY - 512 * 1024 + 1));
  }

  faultyPlan(): Plan {
    const faults: Fault[] = ['status-5xx', 'short-body', 'reset', 'slow-headers', 'stalled-body'];
    const fault = faults[Math.floor(this.random() * faults.length)] as Fault;
    const size =
      fault === 'status-5xx' || fault === 'slow-headers'
        ? Math.floor(this.random() * 2048)
        : 1024 + Math.floor(this.random() * (fault === 'reset' ? 512 * 1024 : 256 * 1024));
    return { kind: 'faulty', fault, body: body(size, this.seed()) };
  }

  /** The body of a user's PUT: up to 256 KiB. */
  putBody(): Body {
    return body(Math.floor(this.random() * (MAX_PUT + 1)), this.seed());
  }
}

/** The origin script of a plan; `roll` in [0, 1) picks the details of a fault. */
export function scriptFor(plan: Exclude<Plan, { kind: 'not-found' }>, roll: number): OriginScript {
  const content = { size: plan.body.size, seed: plan.body.seed };
  if (plan.kind === 'ok') return { body: content, ...(plan.chunked ? { chunked: true } : {}) };
  const chunked = roll < 0.3 ? { chunked: true } : {};
  switch (plan.fault) {
    case 'status-5xx':
      return { status: [500, 502, 503][Math.floor(roll * 3)] as number, body: content };
    case 'short-body':
      // A Content-Length that promises more than is sent: the connection closes early.
      return { body: content, contentLength: content.size + 1 + Math.floor(roll * 64 * 1024) };
    case 'reset':
      return { body: content, resetAfterBytes: Math.floor(roll * content.size), ...chunked };
    case 'slow-headers':
      return { body: content, delayBeforeHeadersMs: between(roll, TOO_SLOW_MS) };
    case 'stalled-body':
      return { body: content, delayMidBodyMs: between(roll, TOO_SLOW_MS), ...chunked };
  }
}

export function planName(plan: Plan): string {
  if (plan.kind === 'ok') return `origin 200${plan.chunked ? ' chunked' : ''}`;
  if (plan.kind === 'faulty') return `failing origin: ${plan.fault}`;
  return 'origin 404';
}

export function planDetails(plan: Plan): string {
  return plan.kind === 'not-found' ? planName(plan) : `${planName(plan)}, ${plan.body.size} bytes`;
}

export function between(roll: number, [low, high]: readonly [number, number]): number {
  return Math.round(low + roll * (high - low));
}
