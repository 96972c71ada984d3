// The catalogue drives the suite: every behaviour id has a conformance test, and every conformance test
// names only ids from the catalogue.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { behaviourIds } from '../spec/catalogue.ts';

const root = new URL('.', import.meta.url).pathname;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function namedIds(): Map<string, string[]> {
  const named = new Map<string, string[]>();
  for (const file of testFiles(root)) {
    for (const match of readFileSync(file, 'utf8').matchAll(/\bbehaviour\(\s*'([^']+)'/g)) {
      const id = match[1] ?? '';
      named.set(id, [...(named.get(id) ?? []), file.slice(root.length)]);
    }
  }
  return named;
}

describe('catalogue coverage', () => {
  it('every behaviour in spec/behaviours.yaml has at least one conformance test', () => {
    const named = namedIds();
    expect([...behaviourIds()].filter((id) => !named.has(id))).toEqual([]);
  });

  it('every conformance test names a behaviour that is in the catalogue', () => {
    const known = behaviourIds();
    expect([...namedIds().keys()].filter((id) => !known.has(id))).toEqual([]);
  });
});
