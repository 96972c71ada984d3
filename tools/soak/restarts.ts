// The soak's simulator over a disk store, killed with SIGKILL now and then and started again over the
// same data directory on the same port: what was acknowledged must still be there, whole. Seen from
// outside it is one SimulatorProcess whose planned kills are not crashes.

import { type SimulatorProcess, startSimulatorProcess } from '../../conformance/support/simulator-process.ts';

const START_TIMEOUT_MS = 30_000;

export interface RestartingSimulator extends SimulatorProcess {
  /** SIGKILL, then the same command again over the same data directory and port. */
  killAndRestart(): Promise<void>;
  /** When each planned kill came (ms since the epoch). */
  readonly kills: readonly number[];
}

/** `mirrorspec serve <args> --data-dir <dataDir>`, first on any free port, then always on that one. */
export async function startRestarting(args: string[], dataDir: string): Promise<RestartingSimulator> {
  const withDir = [...args, '--data-dir', dataDir];
  let current = await startSimulatorProcess(['--port', '0', ...withDir], {
    startTimeoutMs: START_TIMEOUT_MS,
  });
  const endpoint = current.endpoint;
  const port = new URL(endpoint).port;
  const listeners: ((crash: string) => void)[] = [];
  const kills: number[] = [];
  let peakBefore = 0;
  const watch = (life: SimulatorProcess) => {
    life.onCrash((crash) => {
      if (life === current) for (const listener of listeners) listener(crash);
    });
  };
  watch(current);
  return {
    endpoint,
    get pid() {
      return current.pid;
    },
    rssMb: () => current.rssMb(),
    get peakRssMb() {
      return Math.max(peakBefore, current.peakRssMb);
    },
    get crash() {
      return current.crash;
    },
    onCrash(listener) {
      listeners.push(listener);
    },
    stop: (graceMs) => current.stop(graceMs),
    kill: () => current.kill(),
    get exited() {
      return current.exited;
    },
    kills,
    async killAndRestart() {
      kills.push(Date.now());
      current.kill();
      await current.exited;
      peakBefore = Math.max(peakBefore, current.peakRssMb);
      current = await startSimulatorProcess(['--port', port, ...withDir], {
        startTimeoutMs: START_TIMEOUT_MS,
      });
      watch(current);
    },
  };
}
