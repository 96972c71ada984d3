import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  generatedJsonUrl,
  generatedUrl,
  generateMirrorApiJson,
  generateMirrorApiTypes,
  specUrl,
} from './codegen/generate.ts';
import { errorCodes, errorStatus } from './model.ts';

interface ErrorCodeSchema {
  enum: string[];
  description: string;
}

async function errorCodeSchema(): Promise<ErrorCodeSchema> {
  const spec = parse(await readFile(specUrl, 'utf8')) as {
    components: { schemas: { ErrorCode: ErrorCodeSchema } };
  };
  return spec.components.schemas.ErrorCode;
}

// Rows of the `| Code | Status |` table in the ErrorCode description.
function statusTable(description: string): Record<string, number> {
  const rows = [...description.matchAll(/^\| ([A-Za-z0-9]+) \| (\d{3}) \|$/gm)];
  return Object.fromEntries(rows.map(([, code, status]) => [code, Number(status)]));
}

describe('generated types', () => {
  it('spec/generated/mirror-api.ts matches a fresh generation from the spec (run `npm run generate`)', async () => {
    const committed = await readFile(generatedUrl, 'utf8');
    expect(committed).toBe(await generateMirrorApiTypes());
  });

  it('spec/generated/mirror.openapi.json is the spec document as JSON (run `npm run generate`)', async () => {
    const committed = await readFile(generatedJsonUrl, 'utf8');
    expect(committed).toBe(await generateMirrorApiJson());
  });
});

describe('error codes', () => {
  it('errorStatus and errorCodes cover exactly the ErrorCode enum of the spec', async () => {
    const { enum: specCodes } = await errorCodeSchema();
    expect(Object.keys(errorStatus).sort()).toEqual([...specCodes].sort());
    expect([...errorCodes].sort()).toEqual([...specCodes].sort());
  });

  it('errorStatus gives each code the status the spec table gives it', async () => {
    const { enum: specCodes, description } = await errorCodeSchema();
    const table = statusTable(description);
    expect(Object.keys(table).sort()).toEqual([...specCodes].sort());
    expect({ ...errorStatus }).toEqual(table);
  });
});
