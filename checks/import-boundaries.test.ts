import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type BoundaryRule, boundaryRules, findBoundaryViolations } from './import-boundaries.ts';
import { readImportAliases, readSourceFiles, readSourceTree } from './source-files.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The violations in a planted tree of `path → text`, as `path:line specifier` and the folder broken. */
function violationsIn(files: Record<string, string>, rules: readonly BoundaryRule[] = boundaryRules) {
  const tree = new Map(Object.entries(files));
  const aliases = new Map([['#spec/*', './spec/*']]);
  return findBoundaryViolations(readSourceFiles(tree, aliases), rules).map(
    (violation) => `${violation.from}:${violation.line} ${violation.specifier} [${violation.rule.folder}]`,
  );
}

// The files a planted import may lead to.
const simulatorFiles = {
  'simulator/index.ts': 'export const startSimulator = 1;\n',
  'simulator/msw-handlers.ts': 'export const handlers = 1;\n',
  'simulator/simulator.ts': 'export const createSimulator = 1;\n',
  'simulator/core/names.ts': 'export const bucketNameProblem = 1;\n',
  'simulator/operations/objects.ts': 'export const putObject = 1;\n',
  'simulator/mirror/relay.ts': 'export const relay = 1;\n',
  'simulator/storage/memory-store.ts': 'export const store = 1;\n',
  'simulator/protocol/parse-request.ts': 'export const parseRequest = 1;\n',
  'simulator/errors/s3-error.ts': 'export const S3Error = 1;\n',
  'bin/main.ts': 'export const main = 1;\n',
  'spec/model.ts': 'export type Rule = string;\n',
  'spec/vendors/oss/vendor.ts': 'export const oss = 1;\n',
  'tools/soak.ts': 'export const soak = 1;\n',
};

describe('the tree keeps its import boundaries', () => {
  it('has no import that breaks a boundary rule', () => {
    const files = readSourceFiles(readSourceTree(root), readImportAliases(root));
    expect(findBoundaryViolations(files).map((violation) => violation.message)).toEqual([]);
  });

  it('names a folder, a forbidden import and a reason in every rule', () => {
    for (const rule of boundaryRules) {
      expect(rule.folder, rule.folder).toMatch(/^[a-z0-9-]+(\/[a-z0-9-]+)*\/$/);
      expect(rule.mayNotImport.length, rule.folder).toBeGreaterThan(0);
      expect(rule.reason.length, rule.folder).toBeGreaterThan(20);
    }
  });
});

describe('conformance reaches the simulator only through its public entries', () => {
  it('reports an import of a simulator internal, with the line and the rule', () => {
    const found = violationsIn({
      ...simulatorFiles,
      'conformance/laws/hit.test.ts': [
        "import { startSimulator } from '../../simulator/index.ts';",
        "import { bucketNameProblem } from '../../simulator/core/names.ts';",
      ].join('\n'),
    });
    expect(found).toEqual(['conformance/laws/hit.test.ts:2 ../../simulator/core/names.ts [conformance/]']);
  });

  it('reports re-exports, type imports and dynamic imports of internals alike, and the command line', () => {
    const found = violationsIn({
      ...simulatorFiles,
      'conformance/support/a.ts': "export { createSimulator } from '../../simulator/simulator.ts';\n",
      'conformance/support/b.ts': "import type { relay } from '../../simulator/mirror/relay.ts';\n",
      'conformance/support/c.ts': "const store = await import('../../simulator/storage/memory-store.ts');\n",
      'conformance/support/d.ts': "import { main } from '../../bin/main.ts';\n",
    });
    expect(found).toEqual([
      'conformance/support/a.ts:1 ../../simulator/simulator.ts [conformance/]',
      'conformance/support/b.ts:1 ../../simulator/mirror/relay.ts [conformance/]',
      'conformance/support/c.ts:1 ../../simulator/storage/memory-store.ts [conformance/]',
      'conformance/support/d.ts:1 ../../bin/main.ts [conformance/]',
    ]);
  });

  it('allows both public entries', () => {
    const found = violationsIn({
      ...simulatorFiles,
      'conformance/x.ts': [
        "import { startSimulator } from '../simulator/index.ts';",
        "import { handlers } from '../simulator/msw-handlers.ts';",
      ].join('\n'),
    });
    expect(found).toEqual([]);
  });
});

describe('spec/ imports nothing of the project outside spec/', () => {
  it('reports an import of the simulator, of a folder added later, and of an alias leading out', () => {
    const found = violationsIn({
      ...simulatorFiles,
      'spec/vendors/oss/oss.test.ts': [
        "import { bucketNameProblem } from '../../../simulator/core/names.ts';",
        "import { soak } from '../../../tools/soak.ts';",
        "import { oss } from './vendor.ts';",
        "import type { Rule } from '#spec/model.ts';",
        "import { readFileSync } from 'node:fs';",
        "import { parse } from 'yaml';",
      ].join('\n'),
      'spec/rules.ts': "import { startSimulator } from '#spec/../simulator/index.ts';\n",
    });
    expect(found).toEqual([
      'spec/rules.ts:1 #spec/../simulator/index.ts [spec/]',
      'spec/vendors/oss/oss.test.ts:1 ../../../simulator/core/names.ts [spec/]',
      'spec/vendors/oss/oss.test.ts:2 ../../../tools/soak.ts [spec/]',
    ]);
  });
});

describe('simulator/core does no I/O and cannot see the layers that use it', () => {
  it('reports node: I/O modules, npm packages and every simulator folder outside the core', () => {
    const found = violationsIn({
      ...simulatorFiles,
      'simulator/core/policy.ts': [
        "import { readFileSync } from 'node:fs';",
        "import { request } from 'undici';",
        "import { putObject } from '../operations/objects.ts';",
        "import { relay } from '../mirror/relay.ts';",
        "import { store } from '../storage/memory-store.ts';",
        "import http from 'http';",
        "import { connect, isIP } from 'node:net';",
        "import { parseRequest } from '../protocol/parse-request.ts';",
        "import { startSimulator } from '../index.ts';",
      ].join('\n'),
    });
    expect(found).toEqual([
      'simulator/core/policy.ts:1 node:fs [simulator/core/]',
      'simulator/core/policy.ts:2 undici [simulator/core/]',
      'simulator/core/policy.ts:3 ../operations/objects.ts [simulator/core/]',
      'simulator/core/policy.ts:4 ../mirror/relay.ts [simulator/core/]',
      'simulator/core/policy.ts:5 ../storage/memory-store.ts [simulator/core/]',
      'simulator/core/policy.ts:6 http [simulator/core/]',
      'simulator/core/policy.ts:7 node:net [simulator/core/]',
      'simulator/core/policy.ts:8 ../protocol/parse-request.ts [simulator/core/]',
      'simulator/core/policy.ts:9 ../index.ts [simulator/core/]',
    ]);
  });

  it('allows hashing, address parsing, its own folder and the contract', () => {
    const found = violationsIn({
      ...simulatorFiles,
      'simulator/core/policy.ts': [
        "import { createHash } from 'node:crypto';",
        "import { BlockList, isIP } from 'node:net';",
        "import { bucketNameProblem } from './names.ts';",
        "import type { Rule } from '../../spec/model.ts';",
      ].join('\n'),
    });
    expect(found).toEqual([]);
  });

  it('reports a whole-module import of a module it may take names from', () => {
    const found = violationsIn({ 'simulator/core/policy.ts': "import * as net from 'node:net';\n" });
    expect(found).toEqual(['simulator/core/policy.ts:1 node:net [simulator/core/]']);
  });
});

describe('a new rule is one entry of data', () => {
  it('binds every file under its folder, however deep', () => {
    const rule: BoundaryRule = {
      folder: 'tools/',
      mayNotImport: ['conformance/laws/'],
      reason: 'a test reason',
    };
    const found = violationsIn(
      {
        'conformance/laws/hit.test.ts': 'export const hit = 1;\n',
        'tools/bench/deep/bench.ts': "import { hit } from '../../../conformance/laws/hit.test.ts';\n",
      },
      [rule],
    );
    expect(found).toEqual(['tools/bench/deep/bench.ts:1 ../../../conformance/laws/hit.test.ts [tools/]']);
  });
});
