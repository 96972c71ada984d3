// `mirrorspec/vitest`: one simulator for a whole vitest run, started in vitest's globalSetup and handed
// to every test file with provide/inject (https://vitest.dev/config/globalsetup), so test files share
// one port and never start or stop it themselves.
//
//   // vitest.config.ts
//   export default defineConfig({ test: { globalSetup: ['mirrorspec/vitest'] } });
//   // a test file
//   import { inject } from 'vitest';
//   const endpoint = inject('mirrorspecEndpoint');
//
// For options (a profile, keys), a set-up file of the project's own: `export default
// simulatorGlobalSetup({ profile: 'oss' })`.

import type { TestProject } from 'vitest/node';
import { type StartOptions, startSimulator } from './index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The address of the run's simulator, e.g. http://127.0.0.1:40123. */
    mirrorspecEndpoint: string;
  }
}

/** A vitest global set-up that starts a simulator with `options` and stops it when the run ends. */
export function simulatorGlobalSetup(options: StartOptions = {}) {
  return async (project: TestProject): Promise<() => Promise<void>> => {
    const running = await startSimulator(options);
    project.provide('mirrorspecEndpoint', running.endpoint);
    return () => running.close();
  };
}

export default simulatorGlobalSetup();
