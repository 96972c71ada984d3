// The measurements of `npm run bench`, each the same for every target: wrk (Debian) for requests per
// second and latency under load, and a node:http client for what wrk cannot see: the time to the first
// byte of one answer, how many origin fetches concurrent misses cause, and the bytes per second of one
// large transfer.

import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

export interface WrkFigures {
  requestsPerSecond: number;
  requests: number;
  p99Ms: number;
  /** Answers that were not 2xx or 3xx, plus socket errors: a run with any is not a clean figure. */
  errors: number;
}

/**
 * `wrk -t1 -c<connections> -d<seconds>s --latency` against `url`; with `script`, a Lua file that makes each
 * request (the distinct keys of the miss figures). One thread: the machine has two cores, one for wrk and
 * one for the server measured.
 */
export function runWrk(url: string, options: { connections: number; seconds: number; script?: string }) {
  const args = ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--latency', '--timeout', '10s'];
  if (options.script) args.push('-s', options.script);
  args.push(url);
  return new Promise<WrkFigures>((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), (options.seconds + 30) * 1000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`wrk exited with ${code}: ${output.slice(-500)}`));
      else resolve(parseWrk(output));
    });
  });
}

export function parseWrk(output: string): WrkFigures {
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(output);
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s)\s*$/m.exec(output);
  if (!rate || !p99) throw new Error(`wrk printed no figures:\n${output.slice(-500)}`);
  const unit = { us: 0.001, ms: 1, s: 1000 }[p99[2] as 'us' | 'ms' | 's'];
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  const requests = Number(/(\d+) requests in/.exec(output)?.[1] ?? 0);
  return {
    requestsPerSecond: Number(rate[1]),
    requests,
    p99Ms: Number(p99[1]) * unit,
    errors: non2xx + socketErrors,
  };
}

/** A wrk script whose every request is a GET of `<prefix><n>`, n counting up: no two alike. */
export function distinctKeysScript(file: string, prefix: string): string {
  writeFileSync(
    file,
    `local n = 0\nrequest = function()\n  n = n + 1\n  return wrk.format("GET", "${prefix}" .. n)\nend\n`,
  );
  return file;
}

const oneSocket = new Agent({ keepAlive: true, maxSockets: 1 });

/** Milliseconds from sending a GET until its status line arrives, and the status; the body is read. */
export function timeToFirstByte(url: string): Promise<{ ms: number; status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { agent: oneSocket, timeout: 30_000 }, (res) => {
      const ms = performance.now() - started;
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on('end', () => resolve({ ms, status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer in 30 s`)));
    req.end();
  });
}

/** Sends `count` GETs of `url` at once, each on its own connection; resolves with their statuses. */
export async function concurrentGets(url: string, count: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: false, maxSockets: count });
  try {
    return await Promise.all(
      Array.from(
        { length: count },
        () =>
          new Promise<number>((resolve, reject) => {
            const req = request(url, { agent, timeout: 60_000 }, (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode ?? 0));
            });
            req.on('error', reject);
            req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer in 60 s`)));
            req.end();
          }),
      ),
    );
  } finally {
    agent.destroy();
  }
}

/** One GET read to its end: MiB per second over the whole transfer, and the bytes received. */
export function transferRate(
  url: string,
  timeoutMs: number,
): Promise<{ mibPerSecond: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ mibPerSecond: bytes / 2 ** 20 / ((performance.now() - started) / 1000), bytes });
      });
      res.on('error', reject);
    });
    const timer = setTimeout(
      () => req.destroy(new Error(`GET ${url}: not done in ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end();
  });
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time used so far by process `pid` and its children (nginx's worker under its master), in ms, from
 * /proc: user plus system time of every thread. Undefined where /proc is not there. The machine's other
 * work does not count in it, so per request it is steadier than a rate on a shared machine.
 */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command, which is in parentheses and may hold spaces: utime is the 12th of them.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    const theirs = children === '' ? [] : children.split(/\s+/).map((child) => cpuMs(Number(child)) ?? 0);
    return own + theirs.reduce((sum, ms) => sum + ms, 0);
  } catch {
    return undefined;
  }
}
