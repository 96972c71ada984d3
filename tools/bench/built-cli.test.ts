import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseCli } from './built-cli.ts';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A package tree with one source file, and the built command when `builtAt` is given (seconds). */
function tree(sourceAt: number, builtAt?: number): string {
  const root = mkdtempSync(join(tmpdir(), 'mirrorspec-built-cli-'));
  roots.push(root);
  const file = (path: string, at: number) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), '');
    utimesSync(join(root, path), at, at);
  };
  file('bin/mirrorspec.mjs', 1000);
  file('simulator/storage/store.ts', sourceAt);
  if (builtAt !== undefined) file('dist/bin/cli.js', builtAt);
  return root;
}

describe('which mirrorspec a bench judges', () => {
  it('is the built package when dist/ is newer than every source', () => {
    const root = tree(2000, 3000);
    expect(chooseCli(root)).toEqual({ built: true, path: join(root, 'dist/bin/cli.js') });
  });

  it('is the sources, naming the newer file, when a source changed after the build', () => {
    const root = tree(4000, 3000);
    expect(chooseCli(root)).toEqual({
      built: false,
      path: join(root, 'bin/mirrorspec.mjs'),
      why: 'simulator/storage/store.ts is newer than dist/bin/cli.js; npm run build builds it anew',
    });
  });

  it('stays the built package when only a test the build leaves out changed, not when a law did', () => {
    const root = tree(2000, 3000);
    const touch = (path: string) => {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), '');
      utimesSync(join(root, path), 4000, 4000);
    };
    touch('simulator/storage/store.test.ts');
    expect(chooseCli(root)).toMatchObject({ built: true });
    touch('conformance/laws/origin.test.ts');
    expect(chooseCli(root)).toMatchObject({
      built: false,
      why: 'conformance/laws/origin.test.ts is newer than dist/bin/cli.js; npm run build builds it anew',
    });
  });

  it('is the sources when nothing is built', () => {
    const root = tree(2000);
    expect(chooseCli(root)).toMatchObject({
      built: false,
      why: 'dist/bin/cli.js is missing; npm run build builds it',
    });
  });
});
