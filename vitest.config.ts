import { defineConfig } from 'vitest/config';

// One project per layer, so each can be run alone (`npm run test:<layer>`).
export default defineConfig({
  test: {
    setupFiles: ['./conformance/support/fast-check-setup.ts'],
    globalSetup: ['./conformance/support/print-seed.ts'],
    testTimeout: 120_000,
    hookTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'spec', include: ['spec/**/*.test.ts'] } },
      { extends: true, test: { name: 'simulator', include: ['simulator/**/*.test.ts', 'bin/**/*.test.ts'] } },
      { extends: true, test: { name: 'conformance', include: ['conformance/**/*.test.ts'] } },
      { extends: true, test: { name: 'checks', include: ['checks/**/*.test.ts'] } },
      { extends: true, test: { name: 'tools', include: ['tools/**/*.test.ts'] } },
    ],
  },
});
