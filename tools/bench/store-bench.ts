// `npm run bench:store`: what each store costs a `serve` process for a large object mirrored through.
// A loopback origin serves a generated object; the same run measures a direct download from that origin
// (the ceiling), then `serve --data-dir` mirroring the object (a miss: origin → client and disk at once)
// and reading it back (a hit, from disk), then the default in-memory store doing the same with a smaller
// object. For each it prints the serve process's peak RSS (VmHWM of /proc/<pid>/status) and MiB/s, and
// whether the disk store met issue 11's target: peak RSS ≤ 150 MB for 1 GiB. Prints figures, never
// fails on time; exits 1 only when a transfer goes wrong (a status or a digest that is not the origin's).

import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  originDigest,
  type ScriptableOrigin,
  startOrigin,
} from '../../conformance/origin/scriptable-origin.ts';
import { isToolError, ToolError, usageErrorLine } from '../../errors/tool-error.ts';

const USAGE = `usage: npm run bench:store -- [options]

  --size-mib <n>          the object mirrored through the disk store (default 1024)
  --memory-size-mib <n>   the object mirrored through the in-memory store (default 256)
  --built                 run the built package (dist/bin/cli.js, as an installed package runs;
                          \`npm run build\` first) instead of the sources through tsx, whose
                          compiler adds its own memory to the serve process
`;

const TARGET_RSS_MB = 150;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MIB = 1024 * 1024;
const BUILT_CLI = 'dist/bin/cli.js';
let cli = 'bin/mirrorspec.mjs';

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

async function startServe(args: string[]): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`serve did not listen in 30 s:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
  return { child, endpoint };
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
  peakRssMb: number;
  miss: Transfer;
  hit: Transfer;
  stored: boolean;
}

/** Mirrors `path` of the origin through a fresh serve process with `args`, then reads it back. */
async function throughServe(origin: ScriptableOrigin, path: string, args: string[]): Promise<StoreFigures> {
  const { child, endpoint } = await startServe([...args, '--allow-private-origins']);
  try {
    const pid = child.pid as number;
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
    const hit = await download(`${endpoint}/bench${path}`);
    return { baseRssMb, peakRssMb: peakRssMb(pid), miss, hit, stored };
  } finally {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  }
}

function line(label: string, sizeMib: number, figures: StoreFigures, direct: Transfer): string {
  return (
    `${label.padEnd(22)} ${String(sizeMib).padStart(5)} MiB   peak RSS ${figures.peakRssMb.toFixed(1).padStart(7)} MB ` +
    `(${figures.baseRssMb.toFixed(1)} MB before)   mirror (miss) ${figures.miss.mibPerS.toFixed(0).padStart(4)} MiB/s   ` +
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
  if (sizes.built) {
    if (!existsSync(join(ROOT, BUILT_CLI))) {
      process.stderr.write(`store-bench: ${BUILT_CLI} is missing: run \`npm run build\` first\n`);
      return 1;
    }
    cli = BUILT_CLI;
  }
  process.stdout.write(`serve runs as: node ${cli}\n`);
  const origin = await startOrigin();
  const dataDir = await mkdtemp(join(tmpdir(), 'mirrorspec-store-bench-'));
  try {
    const disk = { size: sizes.disk * MIB, seed: 11 };
    const memory = { size: sizes.memory * MIB, seed: 12 };
    origin.script('/disk.bin', { body: disk });
    origin.script('/memory.bin', { body: memory });
    const directDisk = await download(`${origin.url}/disk.bin`);
    const onDisk = await throughServe(origin, '/disk.bin', ['--data-dir', dataDir]);
    const directMemory = await download(`${origin.url}/memory.bin`);
    const inMemory = await throughServe(origin, '/memory.bin', []);
    process.stdout.write(`${line('disk (--data-dir)', sizes.disk, onDisk, directDisk)}\n`);
    process.stdout.write(`${line('memory (default)', sizes.memory, inMemory, directMemory)}\n`);
    const met = onDisk.peakRssMb <= TARGET_RSS_MB;
    process.stdout.write(
      `disk store peak RSS ${onDisk.peakRssMb.toFixed(1)} MB for ${sizes.disk} MiB ` +
        `(target ≤ ${TARGET_RSS_MB} MB for 1024 MiB: ${met ? 'met' : 'NOT met'})\n`,
    );
    const found = [
      ...problems('disk', onDisk, originDigest(disk)),
      ...problems('memory', inMemory, originDigest(memory)),
    ];
    for (const problem of found) process.stderr.write(`store-bench: ${problem}\n`);
    return found.length > 0 ? 1 : 0;
  } finally {
    await origin.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function parseOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      'size-mib': { type: 'string', default: '1024' },
      'memory-size-mib': { type: 'string', default: '256' },
      built: { type: 'boolean', default: false },
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
    built: values.built,
  };
}

process.exitCode = await main(process.argv.slice(2));
