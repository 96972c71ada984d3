// `npm run bench`: mirrorspec serve measured beside its peers on loopback, every figure in interleaved
// rounds, printed as medians and ratios with the machine's load beside them, and saved under
// reports/bench/. The peers: a bare node:http server answering the same bytes from memory, nginx (static
// files, proxy_store, proxy_cache_lock; Debian) and s3rver (npm). The load generator is wrk (Debian), the
// same for every target. Not a test: it prints figures and whether the ratios meet their targets, and
// exits 0 whatever the figures are; 1 only when it could not measure (wrk or mirrorspec missing).
//
//   npm run bench               the full run (about 8 minutes)
//   npm run bench -- --short    a short run for CI (about 1 minute)

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isToolError, ToolError, usageErrorLine } from '../../errors/tool-error.ts';
import { chooseCli, describeChoice } from './built-cli.ts';
import {
  type Figure,
  hitFigures,
  missPenalty,
  missRate,
  type Settings,
  singleFlight,
  streamThrough,
} from './figures.ts';
import { whole } from './options.ts';
import { FIRST_PORT, HIT_SIZES, startPeers } from './peers.ts';
import { type Check, checksOf, render } from './report.ts';

const USAGE = `usage: npm run bench -- [options]

  --short             a short run: 2 rounds of 2 s, 32 MiB streamed (for CI; about 1 minute)
  --rounds <n>        rounds per figure (default 5, short 2)
  --seconds <n>       seconds per load run (default 5, short 2)
  --stream-mib <n>    size of the object mirrored through, in MiB (default 1024, short 32)
  --only <ids>        figures to run, comma-separated: hit, penalty, misses, flight, stream
  --mirrorspec <bin>  the command line to measure (default the built package, dist/bin/cli.js, when it is
                      built from the sources as they are, else bin/mirrorspec.mjs through tsx)
  --baseline <bin>    another tree's bin/mirrorspec.mjs, measured beside this one in the same rounds
  --first-port <n>    the first of the ten loopback ports the peers take (default 27690)
`;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIGURE_IDS = ['hit', 'penalty', 'misses', 'flight', 'stream'] as const;
type FigureId = (typeof FIGURE_IDS)[number];

interface Options {
  short: boolean;
  /** "full", "short", or "custom" when a setting was given. */
  mode: string;
  rounds: number;
  seconds: number;
  streamMib: number;
  only: FigureId[];
  mirrorspecBin: string;
  /** What the head line says of it: the path given, or which of the tree's commands and why. */
  mirrorspecLabel: string;
  baselineBin?: string;
  firstPort: number;
}

function parseOptions(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      short: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      seconds: { type: 'string' },
      'stream-mib': { type: 'string' },
      only: { type: 'string' },
      mirrorspec: { type: 'string' },
      'first-port': { type: 'string' },
      baseline: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const cli = chooseCli();
  const short = values.short ?? false;
  const only = (values.only ?? FIGURE_IDS.join(',')).split(',').map((id) => id.trim());
  const unknown = only.filter((id) => !(FIGURE_IDS as readonly string[]).includes(id));
  if (unknown.length > 0) {
    throw new ToolError('MS_USAGE', `--only knows ${FIGURE_IDS.join(', ')}, not ${unknown.join(', ')}`);
  }
  const custom = [
    values.rounds,
    values.seconds,
    values['stream-mib'],
    values.only,
    values.mirrorspec,
    values.baseline,
    values['first-port'],
  ].some((value) => value !== undefined);
  return {
    short,
    mode: custom ? 'custom' : short ? 'short' : 'full',
    rounds: whole(values.rounds ?? (short ? '2' : '5'), '--rounds'),
    seconds: whole(values.seconds ?? (short ? '2' : '5'), '--seconds'),
    streamMib: whole(values['stream-mib'] ?? (short ? '32' : '1024'), '--stream-mib'),
    only: only as FigureId[],
    mirrorspecBin: values.mirrorspec ?? cli.path,
    mirrorspecLabel: values.mirrorspec ?? describeChoice(cli),
    ...(values.baseline === undefined ? {} : { baselineBin: values.baseline }),
    firstPort: whole(values['first-port'] ?? String(FIRST_PORT), '--first-port'),
  };
}

async function measure(
  options: Options,
  settings: Settings,
): Promise<{ figures: Figure[]; missing: string[] }> {
  const peers = await startPeers({
    mirrorspecBin: options.mirrorspecBin,
    firstPort: options.firstPort,
    ...(options.baselineBin === undefined ? {} : { baselineBin: options.baselineBin }),
  });
  const figures: Figure[] = [];
  const show = (done: Figure[]) => {
    figures.push(...done);
    for (const figure of done) process.stdout.write(`${render([figure], [])}\n`);
  };
  try {
    for (const missing of peers.missing) process.stdout.write(`(not measured: ${missing})\n`);
    if (options.only.includes('hit'))
      for (const size of [...HIT_SIZES].reverse()) show(await hitFigures(peers, settings, size));
    if (options.only.includes('penalty')) show(await missPenalty(peers, settings));
    if (options.only.includes('misses')) show(await missRate(peers, settings));
    if (options.only.includes('flight')) show(await singleFlight(peers, settings));
    if (options.only.includes('stream'))
      show(await streamThrough(peers, { ...settings, rounds: Math.min(settings.rounds, 3) }));
  } finally {
    await peers.stop();
  }
  return { figures, missing: peers.missing };
}

async function main(argv: string[]): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseOptions(argv);
  } catch (error) {
    // parseArgs says what is wrong (an unknown option, a missing value) in its own words.
    const usage = isToolError(error) ? error : new ToolError('MS_USAGE', (error as Error).message);
    process.stderr.write(usageErrorLine('bench', usage));
    return usage.exitStatus;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (spawnSync('wrk', ['-v']).error) {
    process.stderr.write('bench: wrk is not installed: `apt-get install wrk` (Debian), then run again\n');
    return 1;
  }
  const started = new Date();
  const workDir = mkdtempSync(join(tmpdir(), 'mirrorspec-bench-run-'));
  const settings: Settings = {
    rounds: options.rounds,
    seconds: options.seconds,
    connections: 16,
    penaltyKeys: options.short ? 10 : 40,
    streamBytes: options.streamMib * 2 ** 20,
    run: started.getTime().toString(36),
    workDir,
    // The bound of the whole run: past it every figure stops after its current round.
    deadline: Date.now() + (options.short ? 4 : 14) * 60_000,
  };
  const head = [
    `mirrorspec bench, ${options.mode} run, ${started.toISOString()}`,
    `machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}, load ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
    `mirrorspec: ${options.mirrorspecLabel}${options.baselineBin ? `; baseline: ${options.baselineBin}` : ''}`,
    `settings: ${settings.rounds} rounds, ${settings.seconds} s per load run, ${settings.connections} connections, wrk -t1`,
  ];
  process.stdout.write(`${head.join('\n')}\n\n`);
  try {
    const { figures, missing } = await measure(options, settings);
    const checks: Check[] = checksOf(figures);
    const text = `${head.join('\n')}\n\n${missing.map((m) => `(not measured: ${m})\n`).join('')}${render(figures, checks)}`;
    process.stdout.write(`\n${render([], checks)}\n`);
    const out = join(ROOT, 'reports/bench');
    mkdirSync(out, { recursive: true });
    const stamp = `${started.toISOString().replaceAll(':', '-').slice(0, 19)}-${options.mode}`;
    writeFileSync(join(out, `${stamp}.txt`), text);
    writeFileSync(
      join(out, `${stamp}.json`),
      `${JSON.stringify({ started, settings, missing, figures, checks }, null, 2)}\n`,
    );
    process.stdout.write(
      `saved: reports/bench/${stamp}.txt and .json (${((Date.now() - started.getTime()) / 1000).toFixed(0)} s)\n`,
    );
    return 0;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

process.exitCode = await main(process.argv.slice(2));
