// `npm run docs:s3`: rewrites the operations table of docs/s3-compatibility.md from the code (the
// figures section is the s3-tests benchmark's, `npm run bench:s3-tests`).

import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { OPERATIONS_SECTION, operationsSection } from './render-s3-operations.ts';
import { replaceSection } from './sections.ts';

const doc = fileURLToPath(new URL('../../docs/s3-compatibility.md', import.meta.url));

const text = await readFile(doc, 'utf8');
await writeFile(doc, replaceSection(text, OPERATIONS_SECTION, await operationsSection()));
process.stdout.write(`operations table written to ${doc}\n`);
