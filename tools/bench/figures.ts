// The figures of `npm run bench`. Each is measured in rounds, every round running every target once, in an
// order that turns by one each round (A B C, B C A, …), so that whatever else loads the machine falls on
// all targets alike; each target's figure is the median of its rounds.

import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import {
  concurrentGets,
  cpuMs,
  distinctKeysScript,
  median,
  runWrk,
  timeToFirstByte,
  transferRate,
  type WrkFigures,
} from './load.ts';
import type { Peers } from './peers.ts';
import { send } from './peers.ts';

export type Target =
  | 'mirrorspec'
  | 'baseline'
  | 'bare'
  | 'bareMirror'
  | 'nginxStatic'
  | 'nginxStore'
  | 'nginxLock'
  | 's3rver'
  | 'origin';

export const TARGET_NAMES: Record<Target, string> = {
  mirrorspec: 'mirrorspec serve',
  // `--baseline <bin>`: another tree's serve in the same run, so a change is measured beside what it changes.
  baseline: 'mirrorspec baseline',
  bare: 'bare node:http',
  bareMirror: 'bare node mirror',
  nginxStatic: 'nginx static',
  nginxStore: 'nginx proxy_store',
  nginxLock: 'nginx proxy_cache_lock',
  s3rver: 's3rver',
  origin: 'origin direct',
};

export interface Figure {
  id: string;
  title: string;
  unit: string;
  better: 'higher' | 'lower' | 'none';
  /** Each target's value per round, in round order. */
  rounds: Partial<Record<Target, number[]>>;
  /** The 1-minute load average when the figure began and when it ended. */
  load: [number, number];
  notes: string[];
}

export interface Settings {
  rounds: number;
  /** Seconds per wrk run. */
  seconds: number;
  connections: number;
  /** Keys per round for the miss penalty. */
  penaltyKeys: number;
  streamBytes: number;
  /** A name no earlier run used, so that every miss is a miss. */
  run: string;
  workDir: string;
  deadline: number;
}

/** The order of round `round`: the targets turned by `round` places. */
export function roundOrder<T>(targets: readonly T[], round: number): T[] {
  const shift = round % Math.max(targets.length, 1);
  return [...targets.slice(shift), ...targets.slice(0, shift)];
}

function present(peers: Peers, targets: readonly Target[]): Target[] {
  return targets.filter((target) => peers.urls[target] !== undefined);
}

function newFigure(id: string, title: string, unit: string, better: Figure['better']): Figure {
  return { id, title, unit, better, rounds: {}, load: [loadavg()[0] as number, 0], notes: [] };
}

function record(figure: Figure, target: Target, value: number): void {
  figure.rounds[target] = [...(figure.rounds[target] ?? []), value];
}

/** The process that serves `target`: nginx's master (its worker counts as its child), or the node process. */
function pidOf(peers: Peers, target: Target): number | undefined {
  return target.startsWith('nginx') ? peers.pids.nginx : peers.pids[target];
}

/** Runs `load` and adds the server's CPU time per request it made, in µs, where /proc tells it. */
async function withCpu(
  peers: Peers,
  target: Target,
  load: () => Promise<WrkFigures>,
): Promise<WrkFigures & { cpuUs?: number }> {
  const pid = pidOf(peers, target);
  const before = pid === undefined ? undefined : cpuMs(pid);
  const figures = await load();
  const after = pid === undefined ? undefined : cpuMs(pid);
  if (before === undefined || after === undefined || figures.requests === 0) return figures;
  return { ...figures, cpuUs: ((after - before) * 1000) / figures.requests };
}

function overdue(settings: Settings, figure: Figure): boolean {
  if (Date.now() < settings.deadline) return false;
  figure.notes.push('stopped early: the run reached its time bound');
  return true;
}

/** Hit GET of a stored object of `size` bytes under wrk: requests per second and p99, from the same runs. */
export async function hitFigures(peers: Peers, settings: Settings, size: number): Promise<Figure[]> {
  const label = size >= 1024 ? `${size / 1024} KiB` : `${size} B`;
  const rate = newFigure(
    `hit-${size}-rps`,
    `hit GET ${label}, ${settings.connections} connections`,
    'req/s',
    'higher',
  );
  const p99 = newFigure(`hit-${size}-p99`, `hit GET ${label}, p99 latency`, 'ms', 'lower');
  const cpu = newFigure(`hit-${size}-cpu`, `hit GET ${label}, server CPU per request`, 'µs', 'lower');
  const targets = present(peers, ['mirrorspec', 'baseline', 'bare', 'nginxStatic', 's3rver']);
  const path = `/bench/hit-${size}`;
  for (const target of targets) {
    // A warm-up, unrecorded: the JIT and the connection pools settle before anything counts.
    await runWrk(`${peers.urls[target]}${path}`, { connections: settings.connections, seconds: 1 });
  }
  for (let round = 0; round < settings.rounds && !overdue(settings, rate); round++) {
    for (const target of roundOrder(targets, round)) {
      const figures = await withCpu(peers, target, () =>
        runWrk(`${peers.urls[target]}${path}`, {
          connections: settings.connections,
          seconds: settings.seconds,
        }),
      );
      if (figures.errors > 0)
        rate.notes.push(`${TARGET_NAMES[target]} round ${round + 1}: ${figures.errors} errors`);
      record(rate, target, figures.requestsPerSecond);
      record(p99, target, figures.p99Ms);
      if (figures.cpuUs !== undefined) record(cpu, target, figures.cpuUs);
    }
  }
  rate.load[1] = loadavg()[0] as number;
  p99.load = rate.load;
  cpu.load = rate.load;
  return [rate, p99, cpu];
}

/**
 * The miss penalty: a miss's time to first byte less a hit's on the same target, with a 64 KiB object
 * the origin answers at once. Each round misses `penaltyKeys` new keys one after another, each followed
 * by a hit of the key just stored; the round's value is the median miss less the median hit.
 */
export async function missPenalty(peers: Peers, settings: Settings): Promise<Figure[]> {
  const penalty = newFigure(
    'miss-penalty',
    'miss penalty (miss TTFB − hit TTFB), 64 KiB origin',
    'ms',
    'lower',
  );
  const misses = newFigure('miss-ttfb', 'miss TTFB, 64 KiB origin', 'ms', 'lower');
  const targets = present(peers, ['mirrorspec', 'baseline', 'bareMirror', 'nginxStore']);
  const missThenHit = async (target: Target, name: string) => {
    const url = `${peers.urls[target]}/mirror/m65536-${settings.run}-${name}`;
    const first = await timeToFirstByte(url);
    const second = await timeToFirstByte(url);
    if (first.status !== 200 || second.status !== 200 || first.bytes !== 65536) {
      penalty.notes.push(
        `${TARGET_NAMES[target]}: answered ${first.status}/${second.status}, ${first.bytes} bytes`,
      );
    }
    return { miss: first.ms, hit: second.ms };
  };
  // A warm-up, unrecorded, of what the rounds do, five times over: the rounds' 40 misses each are too
  // few for the JIT to have compiled a node server's miss path by the first of them.
  for (const target of compiledAtRunTime(targets))
    for (let i = 0; i < 5 * settings.penaltyKeys; i++) await missThenHit(target, `warm-${i}`);
  for (let round = 0; round < settings.rounds && !overdue(settings, penalty); round++) {
    for (const target of roundOrder(targets, round)) {
      const missed: number[] = [];
      const hit: number[] = [];
      for (let i = 0; i < settings.penaltyKeys; i++) {
        const { miss, hit: again } = await missThenHit(target, `p${round}-${i}`);
        missed.push(miss);
        hit.push(again);
      }
      record(penalty, target, median(missed) - median(hit));
      record(misses, target, median(missed));
    }
  }
  penalty.load[1] = loadavg()[0] as number;
  misses.load = penalty.load;
  return [penalty, misses];
}

/** Mirrored misses per second: every request a new 4 KiB key, `connections` at once, under wrk. */
export async function missRate(peers: Peers, settings: Settings): Promise<Figure[]> {
  const figure = newFigure(
    'miss-rps',
    `mirrored misses, 4 KiB, distinct keys, ${settings.connections} connections`,
    'req/s',
    'higher',
  );
  const cpu = newFigure(
    'miss-cpu',
    'mirrored misses, server CPU per request (origin not counted)',
    'µs',
    'lower',
  );
  const targets = present(peers, ['mirrorspec', 'baseline', 'bareMirror', 'nginxStore', 'nginxLock']);
  await warmUpMisses(peers, settings, compiledAtRunTime(targets));
  for (let round = 0; round < settings.rounds && !overdue(settings, figure); round++) {
    for (const target of roundOrder(targets, round)) {
      const script = distinctKeysScript(
        join(settings.workDir, `misses-${target}-${round}.lua`),
        `/mirror/m4096-${settings.run}-r${round}-`,
      );
      const figures = await withCpu(peers, target, () =>
        runWrk(`${peers.urls[target]}/`, {
          connections: settings.connections,
          seconds: settings.seconds,
          script,
        }),
      );
      if (figures.errors > 0)
        figure.notes.push(`${TARGET_NAMES[target]} round ${round + 1}: ${figures.errors} errors`);
      record(figure, target, figures.requestsPerSecond);
      if (figures.cpuUs !== undefined) record(cpu, target, figures.cpuUs);
    }
  }
  figure.load[1] = loadavg()[0] as number;
  cpu.load = figure.load;
  return [figure, cpu];
}

/**
 * The node targets, whose code the JIT compiles as it runs. nginx compiles nothing at run time, and is
 * not warmed up: a warm-up of 200 misses made proxy_store's later misses slower, not faster (its
 * penalty 0.46 and 0.73 ms without, 1.05 and 1.27 ms with, runs interleaved), for a reason not found.
 */
function compiledAtRunTime(targets: readonly Target[]): Target[] {
  return targets.filter((target) => !target.startsWith('nginx'));
}

/**
 * A second of 4 KiB misses on every target given, unrecorded, as the hit figures have: the
 * first round otherwise measured a miss path the JIT had not compiled yet, which no long-running
 * server pays.
 */
async function warmUpMisses(peers: Peers, settings: Settings, targets: readonly Target[]): Promise<void> {
  for (const target of targets) {
    const script = distinctKeysScript(
      join(settings.workDir, `warm-${target}.lua`),
      `/mirror/m4096-${settings.run}-warm-`,
    );
    await runWrk(`${peers.urls[target]}/`, { connections: settings.connections, seconds: 1, script });
  }
}

/** Origin fetches caused by 50 concurrent GETs of one missing key, the origin answering after 300 ms. */
export async function singleFlight(peers: Peers, settings: Settings): Promise<Figure[]> {
  const figure = newFigure(
    'single-flight',
    'origin fetches for 50 concurrent misses of one key',
    'fetches',
    'none',
  );
  const targets = present(peers, ['mirrorspec', 'nginxStore', 'nginxLock']);
  for (let round = 0; round < settings.rounds && !overdue(settings, figure); round++) {
    for (const target of roundOrder(targets, round)) {
      const path = `/mirror/slow300-65536-${settings.run}-f${round}-${target}`;
      const statuses = await concurrentGets(`${peers.urls[target]}${path}`, 50);
      const wrong = statuses.filter((status) => status !== 200).length;
      if (wrong > 0)
        figure.notes.push(`${TARGET_NAMES[target]} round ${round + 1}: ${wrong} answers not 200`);
      const counted = await fetch(`${peers.urls.origin}/_count?path=${encodeURIComponent(path)}`);
      record(figure, target, Number(await counted.text()));
    }
  }
  figure.load[1] = loadavg()[0] as number;
  return [figure];
}

/** One large object mirrored through (a miss read to its end), beside the origin read directly. */
export async function streamThrough(peers: Peers, settings: Settings): Promise<Figure[]> {
  const mib = settings.streamBytes / 2 ** 20;
  const figure = newFigure(
    'stream',
    `${mib >= 1024 ? `${mib / 1024} GiB` : `${mib} MiB`} mirrored through (a miss)`,
    'MiB/s',
    'higher',
  );
  const cpu = newFigure('stream-cpu', `${figure.title}, server CPU per MiB`, 'ms', 'lower');
  const targets = present(peers, ['mirrorspec', 'baseline', 'nginxStore', 'origin']);
  for (let round = 0; round < settings.rounds && !overdue(settings, figure); round++) {
    for (const target of roundOrder(targets, round)) {
      const key = `big${settings.streamBytes}-${settings.run}-s${round}`;
      // The relaying server's CPU (all its threads); the origin's own is not counted.
      const pid = target === 'origin' ? undefined : pidOf(peers, target);
      const before = pid === undefined ? undefined : cpuMs(pid);
      const result = await transferRate(`${peers.urls[target]}/mirror/${key}`, 300_000);
      const after = pid === undefined ? undefined : cpuMs(pid);
      if (before !== undefined && after !== undefined) record(cpu, target, (after - before) / mib);
      if (result.bytes !== settings.streamBytes)
        figure.notes.push(`${TARGET_NAMES[target]}: ${result.bytes} bytes`);
      record(figure, target, result.mibPerSecond);
      // What was stored goes again, so that memory and disk hold one copy at a time.
      if (target === 'mirrorspec' || target === 'baseline')
        await send('DELETE', `${peers.urls[target]}/mirror/${key}`).catch(() => undefined);
      if (target === 'nginxStore' && peers.nginxStore)
        rmSync(join(peers.nginxStore, 'mirror', key), { force: true });
    }
  }
  figure.load[1] = loadavg()[0] as number;
  cpu.load = figure.load;
  return [figure, cpu];
}
