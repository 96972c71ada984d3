// The simulator under soak, as `mirrorspec serve` in a child process: its RSS is then the simulator's
// alone (not the origin's or the clients'), and a crash is a process exit the soak can see and count.

import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/mirrorspec.mjs', import.meta.url));
const RSS_SAMPLE_MS = 250;
const STDERR_TAIL_CHARS = 4000;

export interface SimulatorProcess {
  readonly endpoint: string;
  readonly pid: number;
  /** Current resident set size in MB, undefined where /proc is not available or the process is gone. */
  rssMb(): number | undefined;
  /** Largest RSS seen by the 250 ms sampler, in MB (0 when never sampled). */
  readonly peakRssMb: number;
  /** Set when the process ended without being asked to: code or signal, and the end of its stderr. */
  readonly crash: string | undefined;
  /** Called once if the process ends without being asked to. */
  onCrash(listener: (crash: string) => void): void;
  /** SIGTERM, then SIGKILL if it has not ended within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once; for the hard deadline, for exits of this process and for a soak's planned kills. */
  kill(): void;
  /** Resolves once the process has ended, however it ended. */
  readonly exited: Promise<void>;
}

interface StartOptions {
  startTimeoutMs: number;
  /** The command-line entry to run (relative to the package root, or absolute): the sources' by default. */
  bin?: string;
}

export async function startSimulatorProcess(
  args: string[],
  options: StartOptions,
): Promise<SimulatorProcess> {
  const bin = options.bin === undefined ? BIN : resolve(ROOT, options.bin);
  const child = spawn(process.execPath, [bin, 'serve', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Whatever happens to this process, the simulator must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    stderr = (stderr + text).slice(-STDERR_TAIL_CHARS);
  });

  const endpoint = await listeningUrl(child, options.startTimeoutMs, () => stderr);
  const pid = child.pid as number;

  let peak = 0;
  const sample = () => {
    const rss = readRssMb(pid);
    if (rss !== undefined) peak = Math.max(peak, rss);
  };
  sample();
  const sampler = setInterval(sample, RSS_SAMPLE_MS);

  let stopping = false;
  let crash: string | undefined;
  const listeners: ((crash: string) => void)[] = [];
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      clearInterval(sampler);
      process.off('exit', killOnExit);
      if (!stopping) {
        crash = `exited with ${signal ?? `code ${code}`}${stderr ? `; stderr ends with: ${stderr.trim()}` : ''}`;
        for (const listener of listeners) listener(crash);
      }
      resolve();
    });
  });

  return {
    endpoint,
    pid,
    rssMb: () => (crash === undefined ? readRssMb(pid) : undefined),
    get peakRssMb() {
      return peak;
    },
    get crash() {
      return crash;
    },
    onCrash(listener) {
      listeners.push(listener);
    },
    async stop(graceMs = 5000) {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, graceMs);
      });
      await Promise.race([exited, late]);
      clearTimeout(timer);
      await exited;
    },
    kill() {
      stopping = true;
      child.kill('SIGKILL');
    },
    exited,
  };
}

/** The URL from the 'listening on <url>' line; rejects when the process ends or is silent too long. */
function listeningUrl(child: ChildProcess, timeoutMs: number, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const fail = (message: string) => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`${message}${stderr() ? `; stderr: ${stderr().trim()}` : ''}`));
    };
    const timer = setTimeout(() => fail(`the simulator did not listen within ${timeoutMs} ms`), timeoutMs);
    const onData = (text: string) => {
      stdout += text;
      const match = /listening on (\S+)/.exec(stdout);
      if (match?.[1] !== undefined) {
        cleanup();
        // Drained from now on, so a chatty simulator can never block on a full pipe.
        child.stdout?.resume();
        resolve(match[1]);
      }
    };
    const onExit = (code: number | null, signal: string | null) =>
      fail(`the simulator exited before listening (${signal ?? `code ${code}`})`);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

function readRssMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match?.[1] === undefined ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}
