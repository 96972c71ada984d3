// Where `mirrorspec check` finds its law files and how it starts vitest on them. The same code runs from
// the TypeScript sources of a clone and from the JavaScript a package ships in dist/: the law files, the
// reporter and the vitest configuration carry the extension of this very module.

import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
/** `.ts` in a clone, `.js` in the package. */
const EXTENSION = here.endsWith('.ts') ? '.ts' : '.js';

/** The folder holding conformance/: the repository, or dist/ of the installed package. */
export const LAW_ROOT = join(dirname(here), '..', '..');
const LAWS = join(LAW_ROOT, 'conformance', 'laws');

/** The file of a law file named in LAW_FILES (`hit.test.ts`), with this build's extension. */
export function lawPath(name: string): string {
  return join(LAWS, name.replace(/\.ts$/, EXTENSION));
}

/** The LAW_FILES name of a law file's path: the inverse of lawPath. */
export function lawName(file: string): string {
  return basename(file).replace(/\.js$/, '.ts');
}

/**
 * The command and arguments that start `vitest run` on the laws, before the files and filters. vitest is
 * started from its own package with this node, not through npx: npx from inside an installed package
 * could fetch a vitest of its own choosing.
 */
export function vitestRun(): { command: string; args: string[] } {
  const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
  return {
    command: process.execPath,
    args: [
      vitest,
      'run',
      `--config=${join(dirname(here), `law-run-config${EXTENSION}`)}`,
      `--reporter=${join(dirname(here), `progress-reporter${EXTENSION}`)}`,
    ],
  };
}
