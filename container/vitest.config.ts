import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The container tests: they need a container runtime (Docker, or podman's Docker API in DOCKER_HOST) and
// the images .ci/containers.sh builds, so they are not among `npm test`'s projects; that script runs them.
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['container/tests/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    // One container at a time: the machine's two cores also run the suite each check starts.
    fileParallelism: false,
  },
});
