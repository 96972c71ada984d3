import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSourceTree } from './source-files.ts';
import { debtEntry, findSizeViolations, NOT_YET_SPLIT, type SizeRule, sizeRules } from './source-sizes.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The violations in a planted tree of `path → text`. */
function violationsIn(files: Record<string, string>, rules: readonly SizeRule[] = sizeRules): string[] {
  return findSizeViolations(new Map(Object.entries(files)), rules).map((violation) => violation.message);
}

/** A function declaration spanning `lines` lines. */
const functionOf = (name: string, lines: number) =>
  `function ${name}() {\n${'  call();\n'.repeat(lines - 2)}}\n`;
const linesOf = (count: number) => 'const a = 1;\n'.repeat(count);

describe('the tree keeps its files and functions short', () => {
  it('has no file and no function longer than its rule allows, but those not yet split', () => {
    const over = findSizeViolations(readSourceTree(root, ['.ts'])).map((violation) =>
      debtEntry(violation.message),
    );
    expect([...new Set(over)].sort()).toEqual([...NOT_YET_SPLIT].sort());
  });

  it('names a file and a function, or the file, in every entry not yet split', () => {
    expect(debtEntry('a/b.ts:12 main spans 90 lines (at most 80)')).toBe('a/b.ts: main');
    expect(debtEntry('a/b.ts:1 has 600 lines (at most 500)')).toBe('a/b.ts: the file');
  });

  it('gives every rule files to bind, limits and a reason', () => {
    for (const rule of sizeRules) {
      expect(rule.files.length).toBeGreaterThan(0);
      expect(rule.maxFileLines).toBeGreaterThan(0);
      expect(rule.maxFunctionLines).toBeGreaterThan(0);
      expect(rule.reason.length).toBeGreaterThan(20);
    }
  });
});

describe('a source file', () => {
  it('may have 500 lines and functions of 80, not one line more', () => {
    expect(violationsIn({ 'spec/a.ts': linesOf(500), 'spec/b.ts': functionOf('step', 80) })).toEqual([]);
    expect(violationsIn({ 'spec/a.ts': linesOf(501), 'spec/b.ts': functionOf('step', 81) })).toEqual([
      'spec/a.ts:1 has 501 lines (at most 500)',
      'spec/b.ts:1 step spans 81 lines (at most 80)',
    ]);
  });

  it('measures methods, arrow functions and function expressions by the name they are known by', () => {
    const body = '    call();\n'.repeat(80);
    const found = violationsIn({
      'tools/x.ts': [
        `class Job {\n  run() {\n${body}  }\n}`,
        `const relay = () => {\n${body}};`,
        `const handlers = { get: function () {\n${body}} };`,
      ].join('\n'),
    });
    expect(found).toEqual([
      'tools/x.ts:2 run spans 82 lines (at most 80)',
      'tools/x.ts:85 relay spans 82 lines (at most 80)',
      'tools/x.ts:167 get spans 82 lines (at most 80)',
    ]);
  });

  it('counts the example documents of a source file, and leaves spec/generated/ alone', () => {
    const document = `const xml = \`\n${'<a/>\n'.repeat(500)}\`;\n`;
    expect(violationsIn({ 'spec/a.ts': document, 'spec/generated/api.ts': linesOf(2000) })).toEqual([
      'spec/a.ts:1 has 502 lines (at most 500)',
    ]);
  });
});

describe('a test file', () => {
  it('may run long in describe and it callbacks, not in a helper', () => {
    const found = violationsIn({
      'spec/a.test.ts': [
        `describe('x', () => {\n  it.each([1])('y', () => {\n${'    call();\n'.repeat(90)}  });\n});`,
        functionOf('helper', 81),
      ].join('\n'),
    });
    expect(found).toEqual(['spec/a.test.ts:95 helper spans 81 lines (at most 80)']);
  });

  it('does not count the lines of its example documents, but counts its code', () => {
    const document = `const xml = \`\n${'<a/>\n'.repeat(600)}\`;\n`;
    expect(violationsIn({ 'spec/a.test.ts': document + linesOf(490) })).toEqual([]);
    expect(violationsIn({ 'spec/a.test.ts': document + linesOf(499) })).toEqual([
      'spec/a.test.ts:1 has 501 lines (at most 500)',
    ]);
  });
});
