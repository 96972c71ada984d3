// The vitest configuration of `mirrorspec check`'s child runs (law-run.ts): the law files with the
// fast-check set-up and the seed line, the same settings the tree's vitest.config.ts gives its tests.
// It names files with its own extension, so it serves the sources of a clone and the package's dist/.

import { defineConfig } from 'vitest/config';

const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
const beside = (path: string) => new URL(`${path}.${extension}`, import.meta.url).pathname;

export default defineConfig({
  test: {
    include: [`conformance/laws/*.test.${extension}`],
    setupFiles: [beside('../support/fast-check-setup')],
    globalSetup: [beside('../support/print-seed')],
    testTimeout: 120_000,
    hookTimeout: 30_000,
  },
});
