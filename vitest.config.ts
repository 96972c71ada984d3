import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { slowFilesFirst } from './conformance/check/slow-files-first.ts';

/**
 * The files that take longest, longest first (`npm test`, 2026-12-02: dialect-check 311 s, check-report
 * 202 s, broken-targets 105 s, profiles-matter 99 s, check-probe 57 s, the rest under 45 s). In a fresh
 * clone vitest started them by size, and dialect-check (six child checks, 2 KB) near the end.
 */
const SLOW_FILES = [
  'conformance/dialect-check.test.ts',
  'conformance/check-report.test.ts',
  'conformance/broken-targets.test.ts',
  'conformance/profiles-matter.test.ts',
  'conformance/check-probe.test.ts',
  'conformance/laws/origin.response.test.ts',
  'conformance/laws/origin.profile.test.ts',
  'conformance/laws/race.test.ts',
  'conformance/laws/origin.failures.test.ts',
  'simulator/serve-data-dir.test.ts',
  'conformance/laws/prepush.test.ts',
  'simulator/server/replay.test.ts',
];

// One project per layer, so each can be run alone (`npm run test:<layer>`).
export default defineConfig({
  // The examples import the package by its name, as an application would: in the tree, the sources
  // (package.json's exports name dist/, which only `npm run build` writes).
  resolve: {
    alias: [
      { find: /^mirrorspec$/, replacement: fileURLToPath(new URL('./simulator/index.ts', import.meta.url)) },
      {
        find: /^mirrorspec\/msw$/,
        replacement: fileURLToPath(new URL('./simulator/msw-handlers.ts', import.meta.url)),
      },
    ],
  },
  test: {
    setupFiles: ['./conformance/support/fast-check-setup.ts'],
    globalSetup: ['./conformance/support/print-seed.ts'],
    testTimeout: 120_000,
    hookTimeout: 30_000,
    // Two files at a time, not vitest's default of one less than the cores (one, on two cores): most files
    // wait on origins, child processes and timeouts, and one at a time left the second core idle (the
    // whole suite used 79% of one core over 18 min on a two-core machine).
    maxWorkers: 2,
    sequence: { sequencer: slowFilesFirst(SLOW_FILES) },
    projects: [
      { extends: true, test: { name: 'spec', include: ['spec/**/*.test.ts'] } },
      { extends: true, test: { name: 'simulator', include: ['simulator/**/*.test.ts', 'bin/**/*.test.ts'] } },
      { extends: true, test: { name: 'conformance', include: ['conformance/**/*.test.ts'] } },
      { extends: true, test: { name: 'checks', include: ['checks/**/*.test.ts'] } },
      { extends: true, test: { name: 'tools', include: ['tools/**/*.test.ts'] } },
    ],
  },
});
