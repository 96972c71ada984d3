// The layout's promises as data: which folder may not import what, and why. The rules name folders, not
// files, so a file added to a folder is bound the day it is written, and a new folder is one more entry.
import type { ImportTarget, SourceFile, SourceImport } from './source-files.ts';

/**
 * What an import may lead to, written as a pattern:
 * - `simulator/` a folder of the project (ends with `/`), `/` the whole project;
 * - `simulator/index.ts` one file;
 * - `node:*` every Node.js built-in, `node:net` one, `node:net#isIP` one name taken from it;
 * - `npm:*` every npm package, `undici` one.
 */
type ImportPattern = string;

export interface BoundaryRule {
  /** The folder whose files the rule binds, ending with `/`. */
  readonly folder: string;
  readonly mayNotImport: readonly ImportPattern[];
  /** Narrower patterns taken back out of `mayNotImport`. */
  readonly except?: readonly ImportPattern[];
  readonly reason: string;
}

interface BoundaryViolation {
  readonly rule: BoundaryRule;
  readonly from: string;
  readonly line: number;
  readonly specifier: string;
  /** `conformance/x.ts:3 imports ../simulator/core/names.ts: <reason>` */
  readonly message: string;
}

// Pure modules the core may use: hashing, and address parsing without sockets. `node:net` offers both
// parsing and sockets, so only its parsing names are allowed.
const pureNodeNames: readonly ImportPattern[] = [
  'node:crypto#createHash',
  'node:crypto#createHmac',
  'node:net#BlockList',
  'node:net#isIP',
  'node:net#isIPv4',
  'node:net#isIPv6',
];

export const boundaryRules: readonly BoundaryRule[] = [
  {
    folder: 'conformance/',
    // bin/ is the command line, which serves the simulator in-process from its internals.
    mayNotImport: ['simulator/', 'bin/'],
    except: ['simulator/index.ts', 'simulator/msw-handlers.ts'],
    reason:
      'the suite is a black-box tester: it reaches the simulator through its public entries only, as an ' +
      'application would, or it tests the code against itself',
  },
  {
    folder: 'spec/',
    mayNotImport: ['/'],
    except: ['spec/'],
    reason: 'the contract stands alone: the simulator and the suite depend on spec/, never the other way',
  },
  {
    folder: 'simulator/core/',
    // Written as what the core may see, so a layer added to the simulator later is outside it at once.
    mayNotImport: ['/', 'node:*', 'npm:*'],
    // The core's own tests run under the test tools; neither opens a socket or a file for the code tested.
    except: ['simulator/core/', 'spec/', ...pureNodeNames, 'vitest', 'fast-check'],
    reason:
      'the mirror decision is pure code with no I/O: storage, origin client, clock and sockets are injected ' +
      'from outside, and the core sees only itself and the contract, never the layers that use it',
  },
];

function targetName(target: ImportTarget): string {
  switch (target.kind) {
    case 'file':
      return target.path;
    case 'builtin':
      return target.name;
    case 'package':
      return target.name;
    case 'missing':
      return target.specifier;
  }
}

/** Whether `pattern` covers `target`, for the imported `name` (undefined: the whole module). */
function covers(pattern: ImportPattern, target: ImportTarget, name: string | undefined): boolean {
  const [modulePattern = pattern, namePattern] = pattern.split('#');
  if (namePattern !== undefined && namePattern !== name) return false;
  switch (target.kind) {
    case 'file':
      if (modulePattern === '/') return true;
      return modulePattern.endsWith('/')
        ? target.path.startsWith(modulePattern)
        : target.path === modulePattern;
    case 'builtin':
      return modulePattern === 'node:*' || modulePattern === target.name;
    case 'package':
      return modulePattern === 'npm:*' || modulePattern === target.name;
    case 'missing':
      return false;
  }
}

function breaks(rule: BoundaryRule, entry: SourceImport): boolean {
  if (!entry.from.startsWith(rule.folder)) return false;
  if (!rule.mayNotImport.some((pattern) => covers(pattern, entry.target, undefined))) return false;
  const except = rule.except ?? [];
  // A module taken whole is excepted only by a whole-module pattern; named imports name by name.
  if (entry.names === '*' || entry.names.length === 0) {
    return !except.some((pattern) => !pattern.includes('#') && covers(pattern, entry.target, undefined));
  }
  return entry.names.some((name) => !except.some((pattern) => covers(pattern, entry.target, name)));
}

/** Every import of `files` that breaks one of `rules`, in file order. */
export function findBoundaryViolations(
  files: readonly SourceFile[],
  rules: readonly BoundaryRule[] = boundaryRules,
): BoundaryViolation[] {
  const violations: BoundaryViolation[] = [];
  for (const file of files) {
    for (const entry of file.imports) {
      for (const rule of rules) {
        if (!breaks(rule, entry)) continue;
        const names = entry.names === '*' ? '' : ` { ${entry.names.join(', ')} }`;
        const message =
          `${entry.from}:${entry.line} imports ${entry.specifier}${names} (${targetName(entry.target)}), ` +
          `which ${rule.folder} may not: ${rule.reason}`;
        violations.push({ rule, from: entry.from, line: entry.line, specifier: entry.specifier, message });
      }
    }
  }
  return violations;
}
