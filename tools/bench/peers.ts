// Starts and stops what `npm run bench` measures, all on loopback on the ports 27690-27699 (or the ten
// from `--first-port`): mirrorspec
// serve, a bare node:http server, a bare node mirror, the origin, nginx (static, proxy_store,
// proxy_cache_lock) and s3rver.
// Each runs in a process of its own; each is stopped by the PID it was started with.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HERE = fileURLToPath(new URL('./', import.meta.url));
export const FIRST_PORT = 27690;
const PORT_OFFSETS = {
  bare: 0,
  origin: 1,
  mirrorspec: 2,
  nginxStatic: 3,
  nginxStore: 4,
  nginxLock: 5,
  s3rver: 6,
  baseline: 7,
  bareMirror: 8,
} as const;
type PeerName = keyof typeof PORT_OFFSETS;
export const HIT_SIZES = [1024, 64 * 1024] as const;
const START_TIMEOUT_MS = 30_000;

export interface Peers {
  /** Base URLs of the targets that started; a target that could not start is absent, with its reason. */
  urls: Partial<Record<PeerName, string>>;
  missing: string[];
  /** nginx proxy_store's directory of stored files, to remove what a figure stored. */
  nginxStore?: string;
  pids: Record<string, number>;
  stop(): Promise<void>;
}

/** Starts every peer that can start, then puts the hit objects where each serves them. */
export async function startPeers(options: {
  mirrorspecBin: string;
  /** Another tree's bin/mirrorspec.mjs, measured beside this one's as the target `baseline`. */
  baselineBin?: string;
  firstPort?: number;
}): Promise<Peers> {
  const first = options.firstPort ?? FIRST_PORT;
  const ports = Object.fromEntries(
    Object.entries(PORT_OFFSETS).map(([name, offset]) => [name, first + offset]),
  ) as Record<PeerName, number>;
  const dir = mkdtempSync(join(tmpdir(), 'mirrorspec-bench-'));
  const children: ChildProcess[] = [];
  const peers: Peers = {
    urls: {},
    missing: [],
    pids: {},
    stop: async () => {
      await Promise.all(children.map((child) => stopChild(child)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  // Whatever ends this process, nothing it started may outlive it.
  process.once('exit', () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });
  const start = async (name: PeerName, args: string[]) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(child);
    peers.pids[name] = child.pid as number;
    await waitForPort(ports[name], child, name);
    peers.urls[name] = `http://127.0.0.1:${ports[name]}`;
  };
  try {
    const nodePeer = plainJavaScript('node-peer.ts');
    await start('origin', [nodePeer, 'origin', String(ports.origin)]);
    await start('bare', [nodePeer, 'bare', String(ports.bare)]);
    await start('bareMirror', [nodePeer, 'mirror', String(ports.bareMirror), String(ports.origin)]);
    await start('mirrorspec', [
      options.mirrorspecBin,
      'serve',
      '--port',
      String(ports.mirrorspec),
      '--allow-private-origins',
    ]);
    await seedMirrorspec(peers.urls.mirrorspec as string, ports.origin);
    if (options.baselineBin !== undefined) {
      await start('baseline', [
        options.baselineBin,
        'serve',
        '--port',
        String(ports.baseline),
        '--allow-private-origins',
      ]);
      await seedMirrorspec(peers.urls.baseline as string, ports.origin);
    }
    try {
      mkdirSync(join(dir, 's3rver'));
      // Through tsx: only the few lines of this wrapper are compiled by it; s3rver itself is JavaScript.
      await start('s3rver', [
        '--import',
        'tsx',
        join(HERE, 's3rver-peer.ts'),
        String(ports.s3rver),
        join(dir, 's3rver'),
      ]);
      for (const size of HIT_SIZES) await put(`${peers.urls.s3rver}/bench/hit-${size}`, pattern(size));
    } catch (error) {
      peers.missing.push(`s3rver: ${(error as Error).message}`);
      delete peers.urls.s3rver;
    }
    startNginx(dir, peers, children, ports);
    await awaitNginx(peers, ports.nginxStatic);
  } catch (error) {
    await peers.stop();
    throw error;
  }
  return peers;
}

/**
 * One of the bench's own TypeScript peers as plain JavaScript, what the built mirrorspec is beside it:
 * through tsx, every named closure would pay its keepNames wrapper. Written under node_modules/.cache,
 * from where its imports (undici) resolve as from the sources.
 */
export function plainJavaScript(file: string): string {
  const source = readFileSync(join(HERE, file), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    fileName: file,
  });
  const out = join(ROOT, 'node_modules', '.cache', 'mirrorspec-bench', file.replace(/\.ts$/, '.mjs'));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, outputText);
  return out;
}

/** The bench's buckets: `bench` with the hit objects, `mirror` with one rule to the origin. */
export async function seedMirrorspec(endpoint: string, originPort: number): Promise<void> {
  await put(`${endpoint}/bench`);
  for (const size of HIT_SIZES) await put(`${endpoint}/bench/hit-${size}`, pattern(size));
  await put(`${endpoint}/mirror`);
  const rules = { rules: [{ id: 'all', origins: [`http://127.0.0.1:${originPort}/mirror/`] }] };
  await put(`${endpoint}/_mirrorspec/buckets/mirror/mirror`, Buffer.from(JSON.stringify(rules)));
}

function startNginx(
  dir: string,
  peers: Peers,
  children: ChildProcess[],
  ports: Record<PeerName, number>,
): void {
  if (spawnSync('nginx', ['-v']).error) {
    peers.missing.push('nginx: not installed (Debian package nginx)');
    return;
  }
  for (const sub of ['logs', 'tmp', 'cache', 'static/bench', 'store/mirror'])
    mkdirSync(join(dir, 'nginx', sub), { recursive: true });
  const home = join(dir, 'nginx');
  for (const size of HIT_SIZES) writeFileSync(join(home, 'static/bench', `hit-${size}`), pattern(size));
  // A root master runs its worker as nobody, which must reach the directory and write the store.
  spawnSync('chmod', ['-R', 'a+rwX', dir]);
  const config = readFileSync(join(HERE, 'nginx-bench.conf.template'), 'utf8')
    .replaceAll('@DIR@', home)
    .replaceAll('@ORIGIN_PORT@', String(ports.origin))
    .replaceAll('@STATIC_PORT@', String(ports.nginxStatic))
    .replaceAll('@STORE_PORT@', String(ports.nginxStore))
    .replaceAll('@LOCK_PORT@', String(ports.nginxLock));
  writeFileSync(join(home, 'nginx.conf'), config);
  const child = spawn('nginx', ['-c', join(home, 'nginx.conf'), '-p', home], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  peers.pids.nginx = child.pid as number;
  peers.nginxStore = join(home, 'store');
  peers.urls.nginxStatic = `http://127.0.0.1:${ports.nginxStatic}`;
  peers.urls.nginxStore = `http://127.0.0.1:${ports.nginxStore}`;
  peers.urls.nginxLock = `http://127.0.0.1:${ports.nginxLock}`;
}

/** Resolves once nginx answers, or records it missing. */
async function awaitNginx(peers: Peers, port: number): Promise<void> {
  if (peers.urls.nginxStatic === undefined) return;
  try {
    await waitForPort(port, undefined, 'nginx');
  } catch (error) {
    peers.missing.push(`nginx: ${(error as Error).message}`);
    delete peers.urls.nginxStatic;
    delete peers.urls.nginxStore;
    delete peers.urls.nginxLock;
  }
}

/** The bytes every target serves for an object of `size` bytes: the bare server's and the origin's. */
function pattern(size: number): Buffer {
  return Buffer.alloc(size, 'mirrorspec bench ');
}

export async function waitForPort(
  port: number,
  child: ChildProcess | undefined,
  name: string,
  timeoutMs = START_TIMEOUT_MS,
): Promise<void> {
  let stderr = '';
  child?.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-2000);
  });
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${stderr}`);
    if (await answers(port)) return;
    await sleep(100);
  }
  throw new Error(`${name} did not answer on port ${port} within ${timeoutMs / 1000} s: ${stderr}`);
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/', method: 'GET', timeout: 1000, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(true));
      },
    );
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** An unsigned PUT (bucket or object) that must succeed. */
function put(url: string, body?: Buffer): Promise<void> {
  return send('PUT', url, body);
}

export function send(method: string, url: string, body?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const headers = body
      ? { 'content-length': String(body.length), 'content-type': 'application/octet-stream' }
      : {};
    const req = request(url, { method, headers, agent: false, timeout: 30_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () =>
        (res.statusCode ?? 500) < 300
          ? resolve()
          : reject(new Error(`${method} ${url}: ${res.statusCode} ${text}`)),
      );
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer in 30 s`)));
    req.end(body);
  });
}

/** SIGTERM, then SIGKILL after 5 s; by the PID the child was started with. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
