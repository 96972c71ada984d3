// Exports no other file imports. An export is a promise that someone outside the file needs the name;
// one nobody takes is either dead code or a name that should be private, and both hide what a file is for.
// Entries the outside world imports (the package's public modules, the command line, files that tools
// load by path, generated code) are listed with their reason; everything else must be imported somewhere.
import type { SourceExport, SourceFile } from './source-files.ts';

export interface ExportEntry {
  /** A file (`simulator/index.ts`) or a folder ending with `/` (`spec/generated/`). */
  readonly path: string;
  /** Only these names; all of the file's exports when absent. */
  readonly names?: readonly string[];
  readonly reason: string;
}

export const exportEntries: readonly ExportEntry[] = [
  { path: 'simulator/index.ts', reason: "the package's main entry (package.json exports '.')" },
  { path: 'simulator/msw-handlers.ts', reason: "the package's msw entry (package.json exports './msw')" },
  {
    path: 'simulator/vitest-global-setup.ts',
    reason: "the package's vitest global set-up (package.json exports './vitest')",
  },
  { path: 'bin/', reason: 'the command line (package.json bin)' },
  {
    path: 'spec/generated/',
    reason: 'generated from spec/mirror.openapi.yaml; the generator decides its exports',
  },
  { path: 'vitest.config.ts', names: ['default'], reason: 'vitest reads its configuration from it' },
  {
    path: 'container/vitest.config.ts',
    names: ['default'],
    reason: "vitest reads the container tests' configuration from it (.ci/containers.sh)",
  },
  {
    path: 'conformance/support/print-seed.ts',
    names: ['default'],
    reason: 'vitest loads it by path as a global setup (vitest.config.ts)',
  },
  {
    path: 'conformance/check/law-run-config.ts',
    names: ['default'],
    reason: "vitest loads it by path as the configuration of check's runs (conformance/check/law-run.ts)",
  },
  {
    path: 'conformance/check/progress-reporter.ts',
    names: ['default'],
    reason: 'vitest loads it by path as a reporter (conformance/check/law-run.ts)',
  },
];

function isEntry(entry: SourceExport, entries: readonly ExportEntry[]): boolean {
  return entries.some(
    (listed) =>
      (listed.path.endsWith('/') ? entry.file.startsWith(listed.path) : entry.file === listed.path) &&
      (listed.names === undefined || listed.names.includes(entry.name)),
  );
}

/** Every export of `files` that no other file imports and no entry lists, in file order. */
export function findDeadExports(
  files: readonly SourceFile[],
  entries: readonly ExportEntry[] = exportEntries,
): SourceExport[] {
  const used = new Map<string, Set<string> | '*'>();
  for (const file of files) {
    for (const entry of file.imports) {
      if (entry.reExport || entry.target.kind !== 'file' || entry.target.path === file.path) continue;
      const path = entry.target.path;
      const known = used.get(path);
      if (known === '*') continue;
      if (entry.names === '*') used.set(path, '*');
      else used.set(path, new Set([...(known ?? []), ...entry.names]));
    }
  }
  // `export { a } from './x'` and `export * from './x'` make x's names the re-exporting file's own; a name
  // re-exported by a file whose export is used (or is an entry) is used in turn.
  const reExports = files.flatMap((file) =>
    file.imports.filter((entry) => entry.reExport && entry.target.kind === 'file'),
  );
  const isUsed = (file: string, name: string, seen: Set<string>): boolean => {
    const key = `${file}#${name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    const taken = used.get(file);
    if (taken === '*' || taken?.has(name)) return true;
    return reExports.some(
      (entry) =>
        entry.target.kind === 'file' &&
        entry.target.path === file &&
        (entry.names === '*' || entry.names.includes(name)) &&
        (isEntry({ file: entry.from, name, line: 0 }, entries) || isUsed(entry.from, name, seen)),
    );
  };
  return files.flatMap((file) =>
    file.exports.filter((entry) => !isEntry(entry, entries) && !isUsed(entry.file, entry.name, new Set())),
  );
}
