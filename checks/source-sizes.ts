// How long a file and a function may be, as data. A file over a few hundred lines holds more than one
// meaning and a function over a screen holds more than one step (the style guide's "thousand-line provider
// files" not to copy); the limits make that visible the day it happens instead of at the next review.
// Files are read with TypeScript's parser, so a function is what the compiler calls one, not a guess by
// indentation.
import ts from 'typescript';

export interface SizeRule {
  /** Which files the rule binds: every `.ts` file whose path ends with one of these and is not excluded. */
  readonly files: readonly string[];
  /** Path prefixes or suffixes taken back out of `files`. */
  readonly except: readonly string[];
  /**
   * The most lines a file may have. With `countLiterals: false`, lines that lie wholly inside a string
   * or template literal (example documents written inline) do not count.
   */
  readonly maxFileLines: number;
  readonly countLiterals: boolean;
  /** The most lines a function may span, from its first line to its last. */
  readonly maxFunctionLines: number;
  /** Callees whose function arguments are exempt from `maxFunctionLines`: `describe`, `it`, … */
  readonly exemptCallbacksOf: readonly string[];
  readonly reason: string;
}

// The test runner's structure: a describe or it callback is a list of cases read top to bottom, and
// splitting it only moves its cases away from their titles.
// `behaviour` is the suite's `it` that names a catalogue id (conformance/support/behaviour.ts).
const testStructure = [
  'describe',
  'it',
  'test',
  'bench',
  'behaviour',
  'beforeAll',
  'beforeEach',
  'afterAll',
  'afterEach',
];

export const sizeRules: readonly SizeRule[] = [
  {
    files: ['.ts'],
    except: ['.test.ts', 'spec/generated/'],
    maxFileLines: 500,
    countLiterals: true,
    maxFunctionLines: 80,
    exemptCallbacksOf: [],
    reason:
      'a source file holds one meaning and a function one step; spec/generated/ is written by the code ' +
      'generator from the OpenAPI document, and its size is the document’s',
  },
  {
    files: ['.test.ts'],
    except: [],
    maxFileLines: 500,
    countLiterals: false,
    maxFunctionLines: 80,
    exemptCallbacksOf: testStructure,
    reason:
      'a test file is cases and example documents: the documents (lines inside string and template ' +
      'literals) do not count towards its size, its own code does; describe and it callbacks are lists of ' +
      'cases and may run long, but a helper function is code like any other and is held to 80 lines',
  },
];

interface SizeViolation {
  readonly rule: SizeRule;
  readonly file: string;
  readonly line: number;
  /** The function's name, or `(file)` for the file's own size. */
  readonly name: string;
  readonly lines: number;
  /** `spec/x.ts:12 parseRule spans 93 lines (at most 80)` */
  readonly message: string;
}

function ruleFor(path: string, rules: readonly SizeRule[]): SizeRule | undefined {
  const binds = (pattern: string) => path.startsWith(pattern) || path.endsWith(pattern);
  return rules.find((rule) => rule.files.some(binds) && !rule.except.some(binds));
}

/** Which lines lie wholly inside a string or template literal: the first and last lines hold code too. */
function literalLines(source: ts.SourceFile): Set<number> {
  const lines = new Set<number>();
  const visit = (node: ts.Node): void => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateExpression(node)
    ) {
      const first = lineOf(source, node.getStart(source));
      const last = lineOf(source, node.getEnd());
      for (let line = first + 1; line < last; line += 1) lines.add(line);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return lines;
}

function lineOf(source: ts.SourceFile, position: number): number {
  return source.getLineAndCharacterOfPosition(position).line + 1;
}

/** The name a function is known by: its own, or the binding, property or call it is written in. */
function functionName(node: ts.FunctionLikeDeclaration): string {
  if (node.name !== undefined && !ts.isComputedPropertyName(node.name)) return node.name.getText();
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (
    (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) &&
    !ts.isComputedPropertyName(parent.name)
  )
    return parent.name.getText();
  if (ts.isCallExpression(parent)) return `${calleeRoot(parent.expression) ?? 'a call'} callback`;
  return '(anonymous)';
}

/** The identifier a callee starts from: `it` for `it`, `it.each(cases)`, `describe.skip`. */
function calleeRoot(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression) || ts.isCallExpression(expression))
    return calleeRoot(expression.expression);
  return undefined;
}

function isExemptCallback(node: ts.Node, rule: SizeRule): boolean {
  const parent = node.parent;
  if (!ts.isCallExpression(parent) || !parent.arguments.some((argument) => argument === node)) return false;
  const root = calleeRoot(parent.expression);
  return root !== undefined && rule.exemptCallbacksOf.includes(root);
}

function isFunction(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

function violation(rule: SizeRule, file: string, line: number, name: string, lines: number, limit: number) {
  const what = name === '(file)' ? `has ${lines} lines` : `${name} spans ${lines} lines`;
  return { rule, file, line, name, lines, message: `${file}:${line} ${what} (at most ${limit})` };
}

/** One file's sizes held to the rule that binds it. */
function fileViolations(path: string, text: string, rule: SizeRule): SizeViolation[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found: SizeViolation[] = [];
  const totalLines = lineOf(source, source.getEnd()) - (text.endsWith('\n') ? 1 : 0);
  const counted = rule.countLiterals ? totalLines : totalLines - literalLines(source).size;
  if (counted > rule.maxFileLines) found.push(violation(rule, path, 1, '(file)', counted, rule.maxFileLines));
  const visit = (node: ts.Node): void => {
    if (isFunction(node) && node.body !== undefined && !isExemptCallback(node, rule)) {
      const first = lineOf(source, node.getStart(source));
      const lines = lineOf(source, node.getEnd()) - first + 1;
      if (lines > rule.maxFunctionLines)
        found.push(violation(rule, path, first, functionName(node), lines, rule.maxFunctionLines));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every file and function of the tree that is longer than the rule binding it allows. */
export function findSizeViolations(
  tree: ReadonlyMap<string, string>,
  rules: readonly SizeRule[] = sizeRules,
): SizeViolation[] {
  return [...tree.keys()].sort().flatMap((path) => {
    const rule = ruleFor(path, rules);
    return rule === undefined ? [] : fileViolations(path, tree.get(path) ?? '', rule);
  });
}

/**
 * What is still over its limit, by the message the check gives: functions and files not yet split when
 * the limits were set. The tree test holds the tree to exactly this list, so nothing new is added and an
 * entry that is fixed must be removed. Shrink it; never add to it.
 */
export const NOT_YET_SPLIT: readonly string[] = ['simulator/simulator.ts: createSimulator'];

/** A violation's message as a NOT_YET_SPLIT entry: its file and function (or `the file`), no line numbers. */
export function debtEntry(message: string): string {
  const match = /^([^:]+):\d+ (?:(.+?) spans \d+ lines|has \d+ lines)/.exec(message);
  if (match === null) return message;
  return `${match[1]}: ${match[2] ?? 'the file'}`;
}
