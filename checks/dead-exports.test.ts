import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ExportEntry, exportEntries, findDeadExports } from './dead-exports.ts';
import { readImportAliases, readSourceFiles, readSourceTree } from './source-files.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The dead exports of a planted tree, as `path:line name`. */
function deadIn(files: Record<string, string>, entries: readonly ExportEntry[] = []): string[] {
  return findDeadExports(readSourceFiles(new Map(Object.entries(files))), entries).map(
    (entry) => `${entry.file}:${entry.line} ${entry.name}`,
  );
}

describe('the tree exports only what another file imports', () => {
  const files = readSourceFiles(readSourceTree(root), readImportAliases(root));

  it('has no export that no file imports and no entry lists', () => {
    expect(findDeadExports(files).map((entry) => `${entry.file}:${entry.line} ${entry.name}`)).toEqual([]);
  });

  it('lists no entry for a file, a folder or a name the tree no longer has', () => {
    const stale = exportEntries.filter((entry) => {
      const matching = files.filter((file) =>
        entry.path.endsWith('/') ? file.path.startsWith(entry.path) : file.path === entry.path,
      );
      const names = new Set(matching.flatMap((file) => file.exports.map((exported) => exported.name)));
      return matching.length === 0 || (entry.names ?? []).some((name) => !names.has(name));
    });
    expect(stale).toEqual([]);
  });

  it("lists every module of package.json's exports and bin among the entries", () => {
    const manifest: {
      exports: Record<string, string | { import: string }>;
      bin: Record<string, string>;
    } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    // The manifest names the build (./dist/simulator/index.js); the entries name its source.
    const source = (target: string) => target.replace(/^\.?\/?(dist\/)?/, '').replace(/\.js$/, '.ts');
    const paths = exportEntries.map((entry) => entry.path);
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (subpath === './package.json') continue;
      expect(paths).toContain(source(typeof target === 'string' ? target : target.import));
    }
    for (const target of Object.values(manifest.bin)) {
      expect(paths.some((path) => source(target).startsWith(path))).toBe(true);
    }
  });
});

describe('dead-export check', () => {
  it('reports an export nobody imports, and not one somebody does', () => {
    const found = deadIn({
      'a.ts': 'export function used() {}\nexport const unused = 1;\nexport interface Shape {}\n',
      'b.ts': "import { used } from './a.ts';\nused();\n",
    });
    expect(found).toEqual(['a.ts:2 unused', 'a.ts:3 Shape']);
  });

  it('counts type imports, default imports and imports under another name', () => {
    const found = deadIn({
      'a.ts': 'export interface Shape {}\nexport default 1;\nexport const named = 2;\n',
      'b.ts': "import type { Shape } from './a.ts';\nimport one, { named as other } from './a.ts';\n",
    });
    expect(found).toEqual([]);
  });

  it('counts a name used only in its own file as dead', () => {
    const found = deadIn({ 'a.ts': 'export const limit = 1;\nconsole.log(limit);\n' });
    expect(found).toEqual(['a.ts:1 limit']);
  });

  it('follows re-exports: a re-exported name is used when the re-export is, and dead at both ends when not', () => {
    const files = {
      'inner.ts': 'export const kept = 1;\nexport const dropped = 2;\n',
      'outer.ts': "export { kept, dropped } from './inner.ts';\n",
      'user.ts': "import { kept } from './outer.ts';\n",
    };
    expect(deadIn(files)).toEqual(['inner.ts:2 dropped', 'outer.ts:1 dropped']);
  });

  it('counts what an entry re-exports, with export * and namespace imports taking everything', () => {
    const found = deadIn(
      {
        'index.ts': "export * from './api.ts';\n",
        'api.ts': 'export const a = 1;\nexport const b = 2;\n',
        'tool.ts': 'export const c = 3;\nexport const d = 4;\n',
        'user.ts': "import * as tool from './tool.ts';\nconst lazy = await import('./lazy.ts');\n",
        'lazy.ts': 'export const e = 5;\n',
      },
      [{ path: 'index.ts', reason: 'the public entry' }],
    );
    expect(found).toEqual([]);
  });

  it('lets an entry list only some names, and a folder stand for its files', () => {
    const found = deadIn(
      {
        'setup.ts': 'export default 1;\nexport const seed = 2;\n',
        'generated/api.ts': 'export interface Paths {}\n',
      },
      [
        { path: 'setup.ts', names: ['default'], reason: 'loaded by path' },
        { path: 'generated/', reason: 'generated' },
      ],
    );
    expect(found).toEqual(['setup.ts:2 seed']);
  });
});
