// The public entry of the simulator: in-process (`createSimulator`, a fetch function) or on a port
// (`startSimulator`). Anything outside simulator/ uses only what this file exports.

import { serve } from './server/node-adapter.ts';
import { createSimulator, type Simulator, type SimulatorOptions } from './simulator.ts';

export type { MirrorRuleDocument } from '../spec/model.ts';
export { loadProfile, type Profile, profileIds } from '../spec/profiles.ts';
export { FetchOriginClient } from './origin/fetch-origin-client.ts';
export type { OriginClient, OriginRequest, OriginResponse, OriginTimeouts } from './origin/origin-client.ts';
export { DEFAULT_ORIGIN_TIMEOUTS } from './origin/origin-client.ts';
export { UndiciOriginClient } from './origin/undici-origin-client.ts';
export type { Credentials } from './protocol/authenticate.ts';
export { type Seed, type SeedBucket, seedSimulator } from './seed.ts';
export {
  type FetchHandler,
  type RunningServer,
  type ServeOptions,
  serve as serveFetch,
} from './server/node-adapter.ts';
export type { ReplaySource } from './server/replay.ts';
export type { RequestInfo, Simulator, SimulatorOptions } from './simulator.ts';
export { createSimulator, VERSION } from './simulator.ts';
export {
  type RunningSimulatorContainer,
  type SimulatorContainerOptions,
  startSimulatorContainer,
} from './simulator-container.ts';
export { DiskStore } from './storage/disk-store.ts';
export { MemoryStore } from './storage/memory-store.ts';
export type { ObjectMeta, ObjectStore, ObjectWriter } from './storage/object-store.ts';

export interface StartOptions extends SimulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: an ephemeral port. */
  port?: number;
}

export interface RunningSimulator {
  /** e.g. http://127.0.0.1:9000 */
  endpoint: string;
  host: string;
  port: number;
  simulator: Simulator;
  close(): Promise<void>;
}

export async function startSimulator(options: StartOptions = {}): Promise<RunningSimulator> {
  const simulator = createSimulator(options);
  const host = options.host ?? '127.0.0.1';
  const running = await serve((request, info) => simulator.fetch(request, info), {
    host,
    port: options.port ?? 0,
    replay: simulator.replay,
  });
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    endpoint: `http://${shownHost}:${running.port}`,
    host,
    port: running.port,
    simulator,
    async close() {
      await running.close();
      await simulator.close();
    },
  };
}
