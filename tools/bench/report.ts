// How `npm run bench` prints its figures: each target's median with its rounds beside it, and the ratios
// the issue sets targets for, each computed from medians of the same run, with the ratio within each round
// beside it.

import { type Figure, TARGET_NAMES, type Target } from './figures.ts';
import { median } from './load.ts';

export interface Check {
  /** e.g. "hit GET 64 KiB req/s, mirrorspec ÷ bare node:http" */
  label: string;
  ratio: number;
  /** The bound the ratio must meet, and on which side; absent for a ratio only reported. */
  goal?: { bound: number; side: 'at least' | 'at most' };
  met?: boolean;
  /**
   * The ratio within each round (the two targets ran one after the other in it), when both have every
   * round: how far the machine's load moved the ratio, which the ratio of medians alone hides.
   */
  rounds?: number[];
  /** In how many of those rounds the goal was met. */
  metRounds?: number;
}

/** [figure id, numerator, denominator, goal]: the ratios worth printing, with the targets. */
const RATIOS: [string, Target, Target, Check['goal']?][] = [
  ['hit-65536-rps', 'mirrorspec', 'bare', { bound: 0.9, side: 'at least' }],
  ['hit-65536-rps', 'mirrorspec', 's3rver', { bound: 5, side: 'at least' }],
  ['hit-65536-rps', 'mirrorspec', 'nginxStatic'],
  ['hit-65536-p99', 'mirrorspec', 'bare', { bound: 1.5, side: 'at most' }],
  ['hit-65536-p99', 'mirrorspec', 'nginxStatic'],
  ['hit-65536-cpu', 'mirrorspec', 'bare'],
  ['hit-65536-cpu', 'mirrorspec', 'nginxStatic'],
  ['hit-1024-rps', 'mirrorspec', 'bare'],
  ['hit-1024-rps', 'mirrorspec', 'nginxStatic'],
  ['hit-1024-rps', 'mirrorspec', 's3rver'],
  ['hit-1024-p99', 'mirrorspec', 'bare'],
  ['hit-1024-cpu', 'mirrorspec', 'bare'],
  ['miss-penalty', 'mirrorspec', 'nginxStore', { bound: 1.5, side: 'at most' }],
  ['miss-rps', 'mirrorspec', 'nginxStore', { bound: 0.6, side: 'at least' }],
  ['miss-rps', 'mirrorspec', 'nginxLock'],
  ['miss-cpu', 'mirrorspec', 'nginxStore'],
  // The bare node mirror (tools/bench/node-peer.ts): how far the runtime and its HTTP client alone are
  // from nginx, and mirrorspec from them.
  ['miss-penalty', 'mirrorspec', 'bareMirror'],
  ['miss-penalty', 'bareMirror', 'nginxStore'],
  ['miss-rps', 'mirrorspec', 'bareMirror'],
  ['miss-rps', 'bareMirror', 'nginxStore'],
  ['miss-cpu', 'mirrorspec', 'bareMirror'],
  ['miss-cpu', 'bareMirror', 'nginxStore'],
  ['stream', 'mirrorspec', 'origin'],
  ['stream', 'nginxStore', 'origin'],
  ['stream', 'mirrorspec', 'nginxStore'],
  // With --baseline: the same figures of the baseline tree, so a change is read beside the peers it met.
  ['hit-65536-rps', 'baseline', 'bare'],
  ['hit-65536-cpu', 'baseline', 'bare'],
  ['hit-65536-p99', 'baseline', 'bare'],
  ['hit-1024-cpu', 'baseline', 'bare'],
  ['miss-penalty', 'baseline', 'nginxStore'],
  ['miss-rps', 'baseline', 'nginxStore'],
  ['stream', 'baseline', 'origin'],
  ['stream-cpu', 'mirrorspec', 'nginxStore'],
  ['stream-cpu', 'baseline', 'nginxStore'],
];

export function checksOf(figures: readonly Figure[]): Check[] {
  const checks: Check[] = [];
  for (const [id, top, bottom, goal] of RATIOS) {
    const figure = figures.find((f) => f.id === id);
    const a = figure?.rounds[top];
    const b = figure?.rounds[bottom];
    if (!figure || !a?.length || !b?.length) continue;
    const ratio = median(a) / median(b);
    const label = `${figure.title} (${figure.unit}): ${TARGET_NAMES[top]} ÷ ${TARGET_NAMES[bottom]}`;
    const check: Check = { label, ratio };
    const rounds = a.length === b.length ? a.map((value, round) => value / (b[round] as number)) : undefined;
    if (rounds) check.rounds = rounds;
    if (goal) {
      check.goal = goal;
      check.met = meets(ratio, goal);
      if (rounds) check.metRounds = rounds.filter((value) => meets(value, goal)).length;
    }
    checks.push(check);
  }
  return checks;
}

function meets(ratio: number, goal: NonNullable<Check['goal']>): boolean {
  return goal.side === 'at least' ? ratio >= goal.bound : ratio <= goal.bound;
}

function number(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(Math.abs(value) >= 10 ? 1 : 2);
}

/** The figures as text, then the ratios; either list may be empty. */
export function render(figures: readonly Figure[], checks: readonly Check[]): string {
  const lines: string[] = [];
  for (const figure of figures) {
    const better = figure.better === 'none' ? '' : `, ${figure.better} is better`;
    lines.push(
      `${figure.title} (${figure.unit}${better}; load ${figure.load[0].toFixed(2)} → ${figure.load[1].toFixed(2)})`,
    );
    for (const [target, values] of Object.entries(figure.rounds) as [Target, number[]][]) {
      lines.push(
        `  ${TARGET_NAMES[target].padEnd(24)} ${number(median(values)).padStart(9)}   rounds: ${values.map(number).join(' ')}`,
      );
    }
    for (const note of figure.notes) lines.push(`  note: ${note}`);
  }
  if (checks.length > 0) {
    lines.push('ratios (medians of this run):');
    for (const check of checks) {
      const inRounds =
        check.metRounds === undefined ? '' : ` (met in ${check.metRounds} of ${check.rounds?.length} rounds)`;
      const goal = check.goal
        ? `  target ${check.goal.side} ${check.goal.bound}: ${check.met ? 'met' : 'NOT met'}${inRounds}`
        : '';
      const rounds = check.rounds
        ? `  rounds: ${check.rounds.map((value) => value.toFixed(2)).join(' ')}`
        : '';
      lines.push(`  ${check.ratio.toFixed(2)}×  ${check.label}${goal}${rounds}`);
    }
  }
  return lines.join('\n');
}
