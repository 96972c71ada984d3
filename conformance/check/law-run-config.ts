// The vitest configuration of `mirrorspec check`'s child runs (law-run.ts): the law files with the
// fast-check set-up and the seed line, the same settings the tree's vitest.config.ts gives its tests.
// It names files with its own extension, so it serves the sources of a clone and the package's dist/.

import { defineConfig } from 'vitest/config';
import { slowFilesFirst } from './slow-files-first.ts';

const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
const beside = (path: string) => new URL(`${path}.${extension}`, import.meta.url).pathname;

/**
 * The law files that take longest, longest first (one check of each profile, 2026-12-02): at 5 to 25
 * runs origin.failures takes 20 s (origin.timeout-424 waits out the origin timeout four times whatever the
 * runs), half a dialect check, and it started after most of the others; at 100 runs origin.response,
 * origin.profile and race take 25 to 45 s.
 */
const SLOW_LAW_FILES = [
  'origin.failures',
  'origin.response',
  'origin.profile',
  'race',
  'config.limits',
  'prepush',
  'auth',
  'auth.users',
  'writeback',
  'origin.request',
  'miss',
].map((name) => `laws/${name}.test.${extension}`);

export default defineConfig({
  test: {
    include: [`conformance/laws/*.test.${extension}`],
    setupFiles: [beside('../support/fast-check-setup')],
    globalSetup: [beside('../support/print-seed')],
    testTimeout: 120_000,
    hookTimeout: 30_000,
    sequence: { sequencer: slowFilesFirst(SLOW_LAW_FILES) },
  },
});
