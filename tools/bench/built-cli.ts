// Which `mirrorspec` the benches start. An installed package runs dist/bin/cli.js (plain JavaScript);
// the sources run through tsx, whose compiler takes about 30 MB of its own and whose output costs a
// defineProperty for every named closure made per request (esbuild's keepNames). So a bench judges the
// built package, as users run it, when dist/ is built from the sources as they are now.

import { type Dirent, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The built command, relative to the package root. */
export const BUILT_CLI = 'dist/bin/cli.js';
/** The sources' command, relative to the package root. */
export const SOURCES_CLI = 'bin/mirrorspec.mjs';
/** What tools/build/build.ts compiles and copies into dist/. */
const SOURCE_DIRS = ['bin', 'simulator', 'spec', 'conformance', 'errors'];
/** The only test files the build compiles (tsconfig.build.json): the laws `mirrorspec check` runs. */
const BUILT_TESTS = 'conformance/laws/';

/** The built command (absolute path), or why the sources are judged instead. */
type CliChoice = { built: true; path: string } | { built: false; path: string; why: string };

/** `root`: the package root (a test's own tree; default this package's). */
export function chooseCli(root = ROOT): CliChoice {
  const sources = join(root, SOURCES_CLI);
  let builtAt: number;
  try {
    builtAt = statSync(join(root, BUILT_CLI)).mtimeMs;
  } catch {
    return { built: false, path: sources, why: `${BUILT_CLI} is missing; npm run build builds it` };
  }
  const newer = SOURCE_DIRS.map((dir) => newerFile(root, dir, builtAt)).find((file) => file);
  if (newer !== undefined) {
    return {
      built: false,
      path: sources,
      why: `${newer} is newer than ${BUILT_CLI}; npm run build builds it anew`,
    };
  }
  return { built: true, path: join(root, BUILT_CLI) };
}

/** The line a bench prints to say which command it judges. */
export function describeChoice(choice: CliChoice): string {
  return choice.built
    ? `${BUILT_CLI} (the built package)`
    : `${SOURCES_CLI}, the sources through tsx: ${choice.why}`;
}

/** A file under root/dir changed after `since`, relative to `root`, or undefined. */
function newerFile(root: string, dir: string, since: number): string | undefined {
  let entries: Dirent[];
  try {
    entries = readdirSync(join(root, dir), { withFileTypes: true, recursive: true });
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const file = relative(root, path);
    // A test the build leaves out changes nothing the built package runs.
    if (entry.name.endsWith('.test.ts') && !file.startsWith(BUILT_TESTS)) continue;
    if (statSync(path).mtimeMs > since) return file;
  }
  return undefined;
}
