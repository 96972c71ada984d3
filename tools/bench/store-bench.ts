// `npm run bench:store`: what each store costs a `serve` process for a large object mirrored through.
// A loopback origin serves a generated object; the same run measures a direct download from that origin
// (the ceiling), then `serve --data-dir` mirroring the object (a miss: origin → client and disk at once)
// and reading it back (a hit, from disk), then the default in-memory store doing the same with a smaller
// object. For each it prints the serve process's peak RSS (VmHWM of /proc/<pid>/status) and MiB/s, and
// whether the disk store met issue 11's target, peak RSS ≤ 150 MB for 1 GiB, judged on the built package
// (dist/, what `npx mirrorspec serve` runs) when there is one, else on the sources. Prints figures, never
// fails on time; exits 1 only when a transfer goes wrong (a status or a digest that is not the origin's).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  originDigest,
  type ScriptableOrigin,
  startOrigin,
} from '../../conformance/origin/scriptable-origin.ts';
import { startSimulatorProcess } from '../../conformance/support/simulator-process.ts';
import { isToolError, ToolError, usageErrorLine } from '../../errors/tool-error.ts';
import { BUILT_CLI, chooseCli, SOURCES_CLI } from './built-cli.ts';

const USAGE = `usage: npm run bench:store -- [options]

  --size-mib <n>          the object mirrored through the disk store (default 1024)
  --memory-size-mib <n>   the object mirrored through the in-memory store (default 256)

The disk store is measured twice when dist/ is built from the sources as they are (\`npm run build\`): serve from the sources through
tsx, whose compiler adds its own memory, and the built package, as an installed package runs; the
target is judged on the last measured.
`;

const TARGET_RSS_MB = 150;
const MIB = 1024 * 1024;

interface Transfer {
  mibPerS: number;
  digest: string;
  status: number;
}

/** Reads a whole answer, hashing it as it comes; nothing is kept. */
async function download(url: string): Promise<Transfer> {
  const started = performance.now();
  const response = await fetch(url);
  const hash = createHash('sha256');
  let bytes = 0;
  const reader = response.body?.getReader();
  for (let read = await reader?.read(); read !== undefined && !read.done; read = await reader?.read()) {
    hash.update(read.value);
    bytes += read.value.byteLength;
  }
  const seconds = (performance.now() - started) / 1000;
  return { mibPerS: bytes / MIB / seconds, digest: hash.digest('hex'), status: response.status };
}

/** The peak resident set of a process so far, in MB (VmHWM is in kB). */
function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1000 : Number.NaN;
}

/** Waits (bounded) until the mirrored object is stored: a HEAD answered from the bucket, not the origin. */
async function waitStored(url: string): Promise<boolean> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const response = await fetch(url, { method: 'HEAD' });
    if (response.status === 200 && response.headers.get('x-mirrorspec-mirror') === null) return true;
    await new Promise((done) => setTimeout(done, 100));
  }
  return false;
}

interface StoreFigures {
  baseRssMb: number;
  /** Peak RSS once the mirror (miss) has been written back, before the read back. */
  missRssMb: number;
  peakRssMb: number;
  miss: Transfer;
  hit: Transfer;
  stored: boolean;
}

/** Mirrors `path` of the origin through a fresh serve process with `args`, then reads it back. */
async function throughServe(
  cli: string,
  origin: ScriptableOrigin,
  path: string,
  args: string[],
): Promise<StoreFigures> {
  const serve = await startSimulatorProcess(['--port', '0', ...args, '--allow-private-origins'], {
    startTimeoutMs: 30_000,
    bin: cli,
  });
  const { endpoint, pid } = serve;
  try {
    await fetch(`${endpoint}/bench`, { method: 'PUT' });
    const rules = JSON.stringify({ rules: [{ id: 'bench', origins: [`${origin.url}/`] }] });
    const configured = await fetch(`${endpoint}/_mirrorspec/buckets/bench/mirror`, {
      method: 'PUT',
      body: rules,
    });
    if (configured.status !== 200) throw new Error(`mirror rules answered ${configured.status}`);
    const baseRssMb = peakRssMb(pid);
    const miss = await download(`${endpoint}/bench${path}`);
    const stored = await waitStored(`${endpoint}/bench${path}`);
    const missRssMb = peakRssMb(pid);
    const hit = await download(`${endpoint}/bench${path}`);
    return { baseRssMb, missRssMb, peakRssMb: peakRssMb(pid), miss, hit, stored };
  } finally {
    await serve.stop();
  }
}

function line(label: string, sizeMib: number, figures: StoreFigures, direct: Transfer): string {
  return (
    `${label.padEnd(26)} ${String(sizeMib).padStart(5)} MiB   peak RSS ${figures.peakRssMb.toFixed(1).padStart(7)} MB ` +
    `(${figures.baseRssMb.toFixed(1)} MB before, ${figures.missRssMb.toFixed(1)} MB after the mirror)   mirror (miss) ${figures.miss.mibPerS.toFixed(0).padStart(4)} MiB/s   ` +
    `read back (hit) ${figures.hit.mibPerS.toFixed(0).padStart(4)} MiB/s   direct ${direct.mibPerS.toFixed(0)} MiB/s`
  );
}

function problems(label: string, figures: StoreFigures, digest: string): string[] {
  const out: string[] = [];
  for (const [what, transfer] of [
    ['mirror', figures.miss],
    ['read back', figures.hit],
  ] as const) {
    if (transfer.status !== 200) out.push(`${label}: ${what} answered ${transfer.status}`);
    else if (transfer.digest !== digest) out.push(`${label}: ${what} bytes differ from the origin's`);
  }
  if (!figures.stored) out.push(`${label}: the mirrored object was never stored`);
  return out;
}

/** Runs each measurement in turn and prints one line per store and way of running serve. */
async function measure(origin: ScriptableOrigin, sizes: { disk: number; memory: number }, clis: string[]) {
  const dataDir = await mkdtemp(join(tmpdir(), 'mirrorspec-store-bench-'));
  const disk = { size: sizes.disk * MIB, seed: 11 };
  const memory = { size: sizes.memory * MIB, seed: 12 };
  origin.script('/disk.bin', { body: disk });
  origin.script('/memory.bin', { body: memory });
  const found: string[] = [];
  let judged: { cli: string; figures: StoreFigures } | undefined;
  try {
    const directDisk = await download(`${origin.url}/disk.bin`);
    for (const cli of clis) {
      await rm(dataDir, { recursive: true, force: true });
      const figures = await throughServe(cli, origin, '/disk.bin', ['--data-dir', dataDir]);
      process.stdout.write(`${line(`disk, ${cli}`, sizes.disk, figures, directDisk)}\n`);
      found.push(...problems(`disk (${cli})`, figures, originDigest(disk)));
      judged = { cli, figures };
    }
    const directMemory = await download(`${origin.url}/memory.bin`);
    const cli = clis.at(-1) as string;
    const inMemory = await throughServe(cli, origin, '/memory.bin', []);
    process.stdout.write(`${line(`memory, ${cli}`, sizes.memory, inMemory, directMemory)}\n`);
    found.push(...problems(`memory (${cli})`, inMemory, originDigest(memory)));
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  return { found, judged };
}

async function main(argv: string[]): Promise<number> {
  let sizes: ReturnType<typeof parseOptions>;
  try {
    sizes = parseOptions(argv);
  } catch (error) {
    const usage = isToolError(error) ? error : new ToolError('MS_USAGE', (error as Error).message);
    process.stderr.write(usageErrorLine('store-bench', usage));
    return usage.exitStatus;
  }
  if (sizes === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  // The built package is what users run (npx mirrorspec serve); the sources add tsx's compiler.
  const cli = chooseCli();
  const built = cli.built;
  if (!cli.built) process.stdout.write(`measuring the sources only: ${cli.why}\n`);
  const origin = await startOrigin();
  try {
    const { found, judged } = await measure(origin, sizes, built ? [SOURCES_CLI, BUILT_CLI] : [SOURCES_CLI]);
    if (judged) {
      const met = judged.figures.peakRssMb <= TARGET_RSS_MB;
      process.stdout.write(
        `disk store peak RSS ${judged.figures.peakRssMb.toFixed(1)} MB for ${sizes.disk} MiB with ${judged.cli} ` +
          `(target ≤ ${TARGET_RSS_MB} MB for 1024 MiB: ${met ? 'met' : 'NOT met'})\n`,
      );
    }
    for (const problem of found) process.stderr.write(`store-bench: ${problem}\n`);
    return found.length > 0 ? 1 : 0;
  } finally {
    await origin.close();
  }
}

function parseOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      'size-mib': { type: 'string', default: '1024' },
      'memory-size-mib': { type: 'string', default: '256' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help' as const;
  const whole = (raw: string, option: string) => {
    if (!/^[1-9]\d*$/.test(raw))
      throw new ToolError('MS_USAGE', `${option} takes a whole number of MiB, got '${raw}'`);
    return Number(raw);
  };
  return {
    disk: whole(values['size-mib'], '--size-mib'),
    memory: whole(values['memory-size-mib'], '--memory-size-mib'),
  };
}

process.exitCode = await main(process.argv.slice(2));
