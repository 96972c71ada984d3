// The vitest configuration of `mirrorspec check`'s child runs (law-run.ts): the law files with the
// fast-check set-up and the seed line, the same settings the tree's vitest.config.ts gives its tests.
// It names files with its own extension, so it serves the sources of a clone and the package's dist/.
//
// The law files of a worker share one module registry (isolate: false): each file imported the
// simulator, the AWS SDK and fast-check anew, which was half of a child run's CPU (tos profile, 50 files,
// four workers: 72 s wall and 116 s user isolated, 36 s and 57 s shared). A law file's fixture starts and
// closes its own target and origin (law-fixture.ts); the names it makes on a target (buckets, the fixed
// rules' run paths in static-rules.ts) are counted per process, so no two files of a worker share one.

import { defineConfig } from 'vitest/config';

const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
const beside = (path: string) => new URL(`${path}.${extension}`, import.meta.url).pathname;

export default defineConfig({
  test: {
    include: [`conformance/laws/*.test.${extension}`],
    setupFiles: [beside('../support/fast-check-setup')],
    globalSetup: [beside('../support/print-seed')],
    isolate: false,
    testTimeout: 120_000,
    hookTimeout: 30_000,
  },
});
