// `npm run bench:instructions`: the instructions a server runs per request, counted by valgrind's
// callgrind in the server's own process (all its threads, user space: the kernel's part of reading and
// writing sockets is not counted, nor is the client's or the origin's), split into the requests' own,
// V8's collector's and V8's compilers'. A rate on this machine moves by half between rounds with the load
// of whatever else runs on it; a count hardly moves with the load, so it is what compares two trees' work
// per request (`--baseline`): two builds of one tree came out within 2 % window by window
// (docs/performance.md). The bare node peers are still being optimized by V8 longest, so the ratios to
// them say less than the ratio to a baseline. Not the issue's targets: those are rates beside nginx
// (npm run bench), and nginx's own work is mostly the kernel's, which this does not see.
//
//   npm run bench:instructions                       the full run (about 6 minutes)
//   npm run bench:instructions -- --short            a short run for CI (about 3 minutes)
//   npm run bench:instructions -- --baseline <bin>   another tree's dist/bin/cli.js beside this one
//
// Each target runs under callgrind with instrumentation off while it warms up, then on for each window of
// sequential requests over one keep-alive connection, each window dumped apart; a figure is its least
// window, and the spread of its windows shows how much else they caught.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isToolError, ToolError, usageErrorLine } from '../../errors/tool-error.ts';
import { chooseCli, describeChoice } from './built-cli.ts';
import { UnderCount } from './callgrind.ts';
import { whole } from './options.ts';
import { plainJavaScript, seedMirrorspec, stopChild, waitForPort } from './peers.ts';

const USAGE = `usage: npm run bench:instructions -- [options]

  --short             a short run: 3,000 requests of warm-up, windows of 300 (for CI; about 3 minutes)
  --warm <n>          requests before counting starts, per figure (default 8000, short 3000)
  --requests <n>      requests per counted window (default 1000, short 300)
  --mirrorspec <bin>  the command line to measure (default as npm run bench chooses it)
  --baseline <bin>    another tree's dist/bin/cli.js or bin/mirrorspec.mjs, counted the same way
  --first-port <n>    the first of the five loopback ports the targets take (default 27700)
`;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIRST_PORT = 27700;
/**
 * Windows per figure. A window can catch work that is not the requests' own (V8 optimizing or
 * deoptimizing, a full collection, a timer's round), which only adds: a figure is its least window.
 */
const WINDOWS = 3;
const REQUEST_TIMEOUT_MS = 30_000;
const MISS_BYTES = 4096;
const HIT_BYTES = 64 * 1024;

type FigureId = 'misses' | 'hits';
const FIGURE_TITLES: Record<FigureId, string> = {
  misses: `mirrored misses, ${MISS_BYTES / 1024} KiB, one at a time, distinct keys`,
  hits: `hit GET ${HIT_BYTES / 1024} KiB, one at a time, the same key`,
};

interface Target {
  label: string;
  args: string[];
  figures: FigureId[];
  /** Buckets and the mirror rule, for a mirrorspec. */
  seed?: boolean;
}

/** One counted window: instructions over its requests, and the requests that did not get their object. */
interface Window {
  requests: number;
  instructions: number;
  /** Of them, V8's garbage collector's and its compilers'. */
  gc: number;
  compiling: number;
  failures: number;
}

interface Counted {
  target: string;
  figure: FigureId;
  windows: Window[];
}

/**
 * Thousands of instructions per request of a window that are the requests' own: neither the collector's
 * nor V8's compiling, which come in lumps (a full collection, a function optimized again) that fall in
 * one window and not the next, and whose amount under callgrind follows its slowness (V8 sizes its heap
 * by allocation per millisecond). They are printed beside it.
 */
export function perRequest(window: Window): number {
  return (window.instructions - window.gc - window.compiling) / window.requests / 1000;
}

/** A figure: thousands of a request's own instructions in its least window. */
export function least(counted: Counted): number {
  return Math.min(...counted.windows.map(perRequest));
}

/** GETs `path(i)` for i from 0 to count - 1, one after another over one connection; how many failed. */
async function sequentialGets(
  port: number,
  count: number,
  path: (i: number) => string,
  bytes: number,
): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let failures = 0;
  try {
    for (let i = 0; i < count; i++) {
      const got = await new Promise<number>((resolve) => {
        const req = request(
          { host: '127.0.0.1', port, path: path(i), agent, timeout: REQUEST_TIMEOUT_MS },
          (res) => {
            let received = 0;
            res.on('data', (chunk: Buffer) => {
              received += chunk.length;
            });
            res.on('end', () => resolve(res.statusCode === 200 ? received : -1));
            res.on('error', () => resolve(-1));
          },
        );
        req.on('error', () => resolve(-1));
        req.on('timeout', () => req.destroy());
        req.end();
      });
      if (got !== bytes) failures++;
    }
  } finally {
    agent.destroy();
  }
  return failures;
}

export interface Settings {
  warm: number;
  requests: number;
  run: string;
  workDir: string;
}

/** Counts every figure of one target, in its own process under callgrind. */
export async function countTarget(
  target: Target,
  port: number,
  originPort: number,
  settings: Settings,
): Promise<Counted[]> {
  const name = target.label.replaceAll(' ', '-');
  const server = await UnderCount.start(
    target.args,
    port,
    join(settings.workDir, `${name}.cg`),
    target.label,
  );
  const results: Counted[] = [];
  try {
    if (target.seed) await seedMirrorspec(`http://127.0.0.1:${port}`, originPort);
    for (const figure of target.figures) {
      const bytes = figure === 'misses' ? MISS_BYTES : HIT_BYTES;
      let next = 0;
      const path = (i: number) =>
        figure === 'misses'
          ? `/mirror/m${MISS_BYTES}-${settings.run}-${name}-${next + i}`
          : `/bench/hit-${HIT_BYTES}`;
      const failedWarm = await sequentialGets(port, settings.warm, path, bytes);
      next += settings.warm;
      if (failedWarm === settings.warm)
        throw new Error(`${target.label}: every warm-up ${figure} request failed`);
      const windows: Window[] = [];
      for (let w = 0; w < WINDOWS; w++) {
        let failures = 0;
        const split = await server.count(async () => {
          failures = await sequentialGets(port, settings.requests, path, bytes);
        });
        next += settings.requests;
        windows.push({ requests: settings.requests, ...split, failures });
      }
      results.push({ target: target.label, figure, windows });
    }
  } finally {
    await server.stop();
  }
  return results;
}

function render(counted: readonly Counted[]): string {
  const lines: string[] = [];
  for (const figure of ['misses', 'hits'] as const) {
    const rows = counted.filter((c) => c.figure === figure);
    if (rows.length === 0) continue;
    lines.push(
      `${FIGURE_TITLES[figure]} (thousand instructions per request, lower is better: the least window's own; each window's own, collector's and compilers')`,
    );
    for (const row of rows) {
      const per = (n: number, w: Window) => (n / w.requests / 1000).toFixed(1);
      const windows = row.windows
        .map((w) => `${perRequest(w).toFixed(1)} (+${per(w.gc, w)} GC, +${per(w.compiling, w)} compiling)`)
        .join(', ');
      const failed = row.windows.reduce((sum, w) => sum + w.failures, 0);
      lines.push(
        `  ${row.target.padEnd(22)} ${least(row).toFixed(1).padStart(8)}   windows: ${windows}${failed ? `   (${failed} requests failed)` : ''}`,
      );
    }
    lines.push('');
  }
  lines.push("ratios (of each one's least window, its own instructions):");
  for (const figure of ['misses', 'hits'] as const) {
    const rows = counted.filter((c) => c.figure === figure);
    const mirrorspec = rows.find((c) => c.target === 'mirrorspec serve');
    if (mirrorspec === undefined) continue;
    for (const other of rows.filter((c) => c !== mirrorspec)) {
      lines.push(
        `  ${(least(mirrorspec) / least(other)).toFixed(3)}×  ${FIGURE_TITLES[figure]}: mirrorspec serve ÷ ${other.target}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function parse(args: string[]) {
  return parseArgs({
    args,
    options: {
      short: { type: 'boolean', default: false },
      warm: { type: 'string' },
      requests: { type: 'string' },
      mirrorspec: { type: 'string' },
      baseline: { type: 'string' },
      'first-port': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }).values;
}

async function main(argv: string[]): Promise<number> {
  let values: ReturnType<typeof parse>;
  let warm: number;
  let requests: number;
  let firstPort: number;
  try {
    values = parse(argv);
    warm = whole(values.warm ?? (values.short ? '3000' : '8000'), '--warm');
    requests = whole(values.requests ?? (values.short ? '300' : '1000'), '--requests');
    firstPort = whole(values['first-port'] ?? String(FIRST_PORT), '--first-port');
  } catch (error) {
    const usage = isToolError(error) ? error : new ToolError('MS_USAGE', (error as Error).message);
    process.stderr.write(usageErrorLine('bench:instructions', usage));
    return usage.exitStatus;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (spawnSync('valgrind', ['--version']).error || spawnSync('callgrind_control', ['-h']).error) {
    process.stderr.write(
      'bench:instructions: valgrind is not installed: `apt-get install valgrind` (Debian), then run again\n',
    );
    return 1;
  }
  const cli = chooseCli();
  const mirrorspecBin = values.mirrorspec ?? cli.path;
  const started = new Date();
  const mode =
    values.warm || values.requests || values.baseline || values.mirrorspec
      ? 'custom'
      : values.short
        ? 'short'
        : 'full';
  const workDir = mkdtempSync(join(tmpdir(), 'mirrorspec-instructions-'));
  const settings: Settings = { warm, requests, run: started.getTime().toString(36), workDir };
  const head = [
    `mirrorspec instructions per request, ${mode} run, ${started.toISOString()}`,
    `machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}, load ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
    `mirrorspec: ${values.mirrorspec ?? describeChoice(cli)}${values.baseline ? `; baseline: ${values.baseline}` : ''}`,
    `settings: ${warm} requests of warm-up per figure, then ${WINDOWS} counted windows of ${requests}; callgrind counts the server's process (all threads, user space)`,
  ];
  process.stdout.write(`${head.join('\n')}\n\n`);
  const nodePeer = plainJavaScript('node-peer.ts');
  const ports = portsFrom(firstPort);
  const targets = targetsOf(mirrorspecBin, values.baseline, nodePeer, ports);
  const origin = spawn(process.execPath, [nodePeer, 'origin', String(ports.origin)], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  process.once('exit', () => origin.kill('SIGKILL'));
  const counted: Counted[] = [];
  try {
    await waitForPort(ports.origin, origin, 'origin');
    for (const [target, port] of targets) {
      const done = await countTarget(target, port, ports.origin, settings);
      counted.push(...done);
      for (const c of done)
        process.stdout.write(
          `${c.target}, ${c.figure}: ${c.windows.map((w) => perRequest(w).toFixed(1)).join(' ')} thousand instructions per request\n`,
        );
    }
  } catch (error) {
    process.stderr.write(`bench:instructions: could not count: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await stopChild(origin);
    rmSync(workDir, { recursive: true, force: true });
  }
  process.stdout.write(`\n${render(counted)}`);
  save(started, mode, head, counted, { warm, requests, windows: WINDOWS });
  return 0;
}

function portsFrom(first: number) {
  return { origin: first, mirrorspec: first + 1, baseline: first + 2, bare: first + 3, mirror: first + 4 };
}

/** What is counted, each with its port: mirrorspec (and the baseline) on both figures, each bare peer on its own. */
function targetsOf(
  mirrorspecBin: string,
  baselineBin: string | undefined,
  nodePeer: string,
  ports: ReturnType<typeof portsFrom>,
): [Target, number][] {
  const serve = (bin: string, port: number) => [
    bin,
    'serve',
    '--port',
    String(port),
    '--allow-private-origins',
  ];
  const both: FigureId[] = ['misses', 'hits'];
  return [
    [
      { label: 'mirrorspec serve', args: serve(mirrorspecBin, ports.mirrorspec), figures: both, seed: true },
      ports.mirrorspec,
    ],
    ...(baselineBin === undefined
      ? []
      : [
          [
            {
              label: 'mirrorspec baseline',
              args: serve(baselineBin, ports.baseline),
              figures: both,
              seed: true,
            },
            ports.baseline,
          ] as [Target, number],
        ]),
    [
      {
        label: 'bare node mirror',
        args: [nodePeer, 'mirror', String(ports.mirror), String(ports.origin)],
        figures: ['misses'],
      },
      ports.mirror,
    ],
    [
      { label: 'bare node server', args: [nodePeer, 'bare', String(ports.bare)], figures: ['hits'] },
      ports.bare,
    ],
  ];
}

/** The run's text and JSON under reports/bench/. */
function save(started: Date, mode: string, head: string[], counted: Counted[], settings: object): void {
  const out = join(ROOT, 'reports/bench');
  mkdirSync(out, { recursive: true });
  const stamp = `${started.toISOString().replaceAll(':', '-').slice(0, 19)}-instructions-${mode}`;
  writeFileSync(join(out, `${stamp}.txt`), `${head.join('\n')}\n\n${render(counted)}`);
  writeFileSync(join(out, `${stamp}.json`), `${JSON.stringify({ started, settings, counted }, null, 2)}\n`);
  process.stdout.write(
    `saved: reports/bench/${stamp}.txt and .json (${((Date.now() - started.getTime()) / 1000).toFixed(0)} s)\n`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
