import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { OPERATION_NAMES } from './operation.ts';

const spec = parse(readFileSync(new URL('../../spec/mirror.openapi.yaml', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { operationId?: string }>>;
};
const specOperations = Object.values(spec.paths)
  .flatMap((item) => Object.values(item))
  .map((operation) => operation.operationId)
  .filter((id): id is string => typeof id === 'string');

describe('the spec drives the simulator', () => {
  it('implements exactly the operations of spec/mirror.openapi.yaml', () => {
    // Vendors' own rule APIs are documented by the vendors (spec/dialects/), not by the spec.
    const neutral = OPERATION_NAMES.filter((name) => name !== 'NativeMirrorConfiguration');
    expect([...neutral].sort()).toEqual([...specOperations].sort());
  });
});
