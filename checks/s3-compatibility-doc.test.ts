// docs/s3-compatibility.md's operations table is generated from the code (tools/docs/s3-operations.ts):
// an operation added, refused or given a new header without `npm run docs:s3` leaves it stale.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPERATIONS_SECTION, operationsSection } from '../tools/docs/render-s3-operations.ts';
import { readSection } from '../tools/docs/sections.ts';

const doc = new URL('../docs/s3-compatibility.md', import.meta.url);

describe('docs/s3-compatibility.md', () => {
  it('holds the operations table the code makes today (run `npm run docs:s3` when it does not)', async () => {
    const committed = readSection(readFileSync(doc, 'utf8'), OPERATIONS_SECTION);
    expect(committed, 'the generated:s3-operations section markers').toBeDefined();
    expect(committed).toBe(await operationsSection());
  }, 120_000);
});
