// Writes spec/generated/mirror-api.ts (the types) and spec/generated/mirror.openapi.json (the document as
// JSON, which the simulator's schema check reads at start: JSON.parse takes a millisecond where the YAML
// parser took a noticeable part of `serve`'s start-up) from spec/mirror.openapi.yaml. The output is
// committed, so that readers and the type checker see the types without a build step; `--check` (and a
// test) fail when a committed file no longer matches the spec.
//
//   npx tsx spec/codegen/generate.ts          regenerate the file
//   npx tsx spec/codegen/generate.ts --check  exit 1 if the file is stale
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { parse } from 'yaml';

export const specUrl = new URL('../mirror.openapi.yaml', import.meta.url);
export const generatedUrl = new URL('../generated/mirror-api.ts', import.meta.url);
export const generatedJsonUrl = new URL('../generated/mirror.openapi.json', import.meta.url);

const banner = '// Generated from spec/mirror.openapi.yaml by spec/codegen/generate.ts. Do not edit.\n';

/** Returns the text spec/generated/mirror-api.ts should have; pure apart from reading the spec. */
export async function generateMirrorApiTypes(): Promise<string> {
  const ast = await openapiTS(specUrl, {
    // A property with a default is optional on the wire (absent means the default), and code builds
    // configurations without spelling defaults out, so the types must keep such properties optional.
    defaultNonNullable: false,
    silent: true,
  });
  // The TypeScript printer follows the platform's newline; pin LF so the file is the same everywhere.
  const body = astToString(ast).replace(/\r\n/g, '\n');
  return `${banner}\n${body.endsWith('\n') ? body : `${body}\n`}`;
}

/** Returns the text spec/generated/mirror.openapi.json should have: the spec document, as JSON. */
export async function generateMirrorApiJson(): Promise<string> {
  return `${JSON.stringify(parse(await readFile(specUrl, 'utf8')))}\n`;
}

async function readCommitted(url: URL): Promise<string | undefined> {
  try {
    return await readFile(url, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

const OUTPUTS = [
  { name: 'spec/generated/mirror-api.ts', url: generatedUrl, generate: generateMirrorApiTypes },
  { name: 'spec/generated/mirror.openapi.json', url: generatedJsonUrl, generate: generateMirrorApiJson },
];

async function main(args: readonly string[]): Promise<number> {
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    console.error(`Unknown argument ${unknown.join(' ')}. Usage: tsx spec/codegen/generate.ts [--check]`);
    return 2;
  }
  let status = 0;
  for (const output of OUTPUTS) {
    const fresh = await output.generate();
    const committed = await readCommitted(output.url);
    if (args.includes('--check')) {
      if (committed === fresh) continue;
      console.error(
        committed === undefined
          ? `${output.name} is missing. Run \`npm run generate\` and commit the result.`
          : `${output.name} is stale: it does not match spec/mirror.openapi.yaml. ` +
              'Run `npm run generate` and commit the result.',
      );
      status = 1;
      continue;
    }
    if (committed !== fresh) await writeFile(output.url, fresh);
    console.log(`${output.name} ${committed === fresh ? 'is up to date' : 'written'}.`);
  }
  return status;
}

// Run only as a script, so tests can import generateMirrorApiTypes without side effects.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
