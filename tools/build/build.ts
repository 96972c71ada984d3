// `npm run build` (and `prepack`, so `npm pack` and `npm publish` build first): the package's JavaScript
// and declarations in dist/ (tsconfig.build.json), then the data files the modules read beside themselves
// at run time, at the same place relative to them as in the sources, and each vendor profile also as JSON. The spec document goes as the JSON
// the codegen keeps fresh, so the build fails when it is stale rather than ship a schema that is not the spec.
//
//   npx tsx tools/build/build.ts

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(root, 'dist');

/** What the compiled modules read at run time (spec/catalogue.ts, spec/profiles.ts, spec/validate-configuration.ts). */
function dataFiles(): string[] {
  const vendors = readdirSync(join(root, 'spec', 'vendors'), { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(join(root, 'spec', 'vendors', entry.name, 'profile.yaml')),
    )
    .map((entry) => `spec/vendors/${entry.name}/profile.yaml`);
  return [
    'spec/behaviours.yaml',
    'spec/neutral-profile.yaml',
    'spec/generated/mirror.openapi.json',
    ...vendors,
  ];
}

function run(command: string, args: string[]): void {
  const result = spawnSync(process.execPath, [command, ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`build: ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

const require = createRequire(import.meta.url);
const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
const tsx = join(dirname(require.resolve('tsx/package.json')), 'dist', 'cli.mjs');

run(tsx, ['spec/codegen/generate.ts', '--check']);
rmSync(dist, { recursive: true, force: true });
run(tsc, ['-p', 'tsconfig.build.json']);
const files = dataFiles();
for (const file of files) cpSync(join(root, file), join(dist, file));
// Each profile also as JSON, which spec/profiles.ts reads without loading the YAML parser at start.
for (const file of files.filter((name) => name.endsWith('profile.yaml'))) {
  const json = JSON.stringify(parse(readFileSync(join(root, file), 'utf8')));
  writeFileSync(join(dist, file.replace(/\.yaml$/, '.json')), `${json}\n`);
}
console.log(`build: dist/ written (${files.length} data files beside the JavaScript)`);
