// The `mirrorspec` command of this very copy of the suite, for laws that run `mirrorspec serve` as a
// user would: bin/mirrorspec.mjs (the TypeScript sources through tsx) in a clone, bin/cli.js in the
// package's dist/. Started with this node, not npx, so a clone never runs a stale or absent build.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);

export const MIRRORSPEC_BIN = join(
  dirname(here),
  '..',
  '..',
  'bin',
  here.endsWith('.ts') ? 'mirrorspec.mjs' : 'cli.js',
);
