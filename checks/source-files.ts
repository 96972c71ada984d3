// The project's own source files, read once with TypeScript's parser: what each imports (and which names)
// and what each exports. The import-boundary and dead-export checks both work on this one picture, so
// they cannot disagree about what a file imports. Files are given as a map path → text, so a test can
// hand the checks a planted tree without touching the disk.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, posix } from 'node:path';
import ts from 'typescript';

/** Paths relative to the project root, `/`-separated, mapped to their text. */
type SourceTree = ReadonlyMap<string, string>;

export type ImportTarget =
  /** A file of the project, resolved to its path. */
  | { readonly kind: 'file'; readonly path: string }
  /** A Node.js built-in, always written `node:<name>`. */
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'package'; readonly name: string }
  /** A relative path or `#` alias that names no file of the project. */
  | { readonly kind: 'missing'; readonly specifier: string };

export interface SourceImport {
  readonly from: string;
  readonly line: number;
  readonly specifier: string;
  readonly target: ImportTarget;
  /** The names taken; `*` when the whole module is (namespace, side effect, dynamic, `export *`). */
  readonly names: readonly string[] | '*';
  /** `export … from`: the names are exported again, so they count as used. */
  readonly reExport: boolean;
}

export interface SourceExport {
  readonly file: string;
  readonly name: string;
  readonly line: number;
}

export interface SourceFile {
  readonly path: string;
  readonly imports: readonly SourceImport[];
  /** What the file declares or re-exports by name (an `export *` is an import with names `*`). */
  readonly exports: readonly SourceExport[];
}

const sourceExtensions = ['.ts', '.mts', '.mjs', '.js'];
// Folders that hold no source of the project: dependencies, git, generated run output and the build.
const skippedFolders = new Set(['node_modules', 'reports', 'dist']);

/** Every source file under `root` (`.ts`, `.mts`, `.mjs`, `.js`), skipping dependencies and dot-folders. */
export function readSourceTree(root: string, extensions: readonly string[] = sourceExtensions): SourceTree {
  const files = new Map<string, string>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
      const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && !skippedFolders.has(entry.name)) walk(path);
      } else if (entry.isFile() && extensions.some((extension) => entry.name.endsWith(extension))) {
        files.set(path, readFileSync(join(root, path), 'utf8'));
      }
    }
  };
  walk('');
  return files;
}

/** The `imports` field of package.json (`#spec/*` → `./spec/*`), for resolving `#` aliases. */
export function readImportAliases(root: string): ReadonlyMap<string, string> {
  const packagePath = join(root, 'package.json');
  if (!existsSync(packagePath)) return new Map();
  const manifest: { imports?: Record<string, string> } = JSON.parse(readFileSync(packagePath, 'utf8'));
  return new Map(Object.entries(manifest.imports ?? {}));
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function resolveFile(tree: SourceTree, wanted: string): string | undefined {
  const candidates = [wanted, ...sourceExtensions.map((extension) => `${wanted}${extension}`)];
  if (wanted.endsWith('.js')) candidates.push(`${wanted.slice(0, -3)}.ts`);
  candidates.push(...sourceExtensions.map((extension) => `${wanted}/index${extension}`));
  return candidates.find((candidate) => tree.has(candidate));
}

function aliasTarget(specifier: string, aliases: ReadonlyMap<string, string>): string | undefined {
  for (const [pattern, target] of aliases) {
    if (pattern === specifier) return target;
    const star = pattern.indexOf('*');
    if (star >= 0 && specifier.startsWith(pattern.slice(0, star))) {
      return target.replace('*', specifier.slice(star));
    }
  }
  return undefined;
}

/** Where `specifier`, written in `from`, leads. */
function resolveImport(
  tree: SourceTree,
  from: string,
  specifier: string,
  aliases: ReadonlyMap<string, string> = new Map(),
): ImportTarget {
  let relative: string | undefined;
  if (specifier.startsWith('.')) relative = posix.join(posix.dirname(from), specifier);
  else if (specifier.startsWith('#')) {
    const target = aliasTarget(specifier, aliases);
    relative = target === undefined ? undefined : posix.normalize(target);
    if (relative === undefined) return { kind: 'missing', specifier };
  } else if (specifier.startsWith('node:') || isBuiltin(specifier)) {
    return { kind: 'builtin', name: specifier.startsWith('node:') ? specifier : `node:${specifier}` };
  } else {
    return { kind: 'package', name: packageName(specifier) };
  }
  const path = resolveFile(tree, relative);
  return path === undefined ? { kind: 'missing', specifier } : { kind: 'file', path };
}

function lineOf(source: ts.SourceFile, node: ts.Node): number {
  return source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
}

function hasExportModifier(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)
  );
}

function hasDefaultModifier(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.DefaultKeyword)
  );
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) =>
    ts.isOmittedExpression(element) ? [] : bindingNames(element.name),
  );
}

function declaredNames(statement: ts.Statement): string[] {
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.flatMap((declaration) => bindingNames(declaration.name));
  }
  if (
    (ts.isFunctionDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isEnumDeclaration(statement) ||
      ts.isModuleDeclaration(statement)) &&
    statement.name !== undefined &&
    ts.isIdentifier(statement.name)
  ) {
    return [statement.name.text];
  }
  return [];
}

function importedNames(clause: ts.ImportClause | undefined): readonly string[] | '*' {
  if (clause === undefined) return '*';
  const names: string[] = [];
  if (clause.name !== undefined) names.push('default');
  const bindings = clause.namedBindings;
  if (bindings !== undefined) {
    if (ts.isNamespaceImport(bindings)) return '*';
    for (const element of bindings.elements) names.push((element.propertyName ?? element.name).text);
  }
  return names;
}

function moduleName(node: ts.Expression | undefined): string | undefined {
  return node !== undefined && ts.isStringLiteralLike(node) ? node.text : undefined;
}

/** One file's imports and exports. */
function readSourceFile(
  tree: SourceTree,
  path: string,
  aliases: ReadonlyMap<string, string> = new Map(),
): SourceFile {
  const text = tree.get(path) ?? '';
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const imports: SourceImport[] = [];
  const exports: SourceExport[] = [];
  const addImport = (node: ts.Node, specifier: string, names: readonly string[] | '*', reExport: boolean) => {
    const target = resolveImport(tree, path, specifier, aliases);
    imports.push({ from: path, line: lineOf(source, node), specifier, target, names, reExport });
  };

  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const specifier = moduleName(statement.moduleSpecifier);
      if (specifier !== undefined)
        addImport(statement, specifier, importedNames(statement.importClause), false);
    } else if (ts.isExportDeclaration(statement)) {
      const specifier = moduleName(statement.moduleSpecifier);
      const clause = statement.exportClause;
      if (clause === undefined) {
        if (specifier !== undefined) addImport(statement, specifier, '*', true);
      } else if (ts.isNamespaceExport(clause)) {
        if (specifier !== undefined) addImport(statement, specifier, '*', true);
        exports.push({ file: path, name: clause.name.text, line: lineOf(source, statement) });
      } else {
        if (specifier !== undefined) {
          const names = clause.elements.map((element) => (element.propertyName ?? element.name).text);
          addImport(statement, specifier, names, true);
        }
        for (const element of clause.elements) {
          exports.push({ file: path, name: element.name.text, line: lineOf(source, element) });
        }
      }
    } else if (ts.isExportAssignment(statement)) {
      exports.push({ file: path, name: 'default', line: lineOf(source, statement) });
    } else if (hasExportModifier(statement)) {
      const names = hasDefaultModifier(statement) ? ['default'] : declaredNames(statement);
      for (const name of names) exports.push({ file: path, name, line: lineOf(source, statement) });
    }
  }

  // Dynamic `import('…')` and type-position `import('…').T` anywhere in the file take the whole module.
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const specifier = moduleName(node.arguments[0]);
      if (specifier !== undefined) addImport(node, specifier, '*', false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const specifier = moduleName(node.argument.literal as ts.Expression);
      if (specifier !== undefined) addImport(node, specifier, '*', false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { path, imports, exports };
}

/** Every file of the tree read; `.ts`-family files only (YAML and the rest carry no imports). */
export function readSourceFiles(
  tree: SourceTree,
  aliases: ReadonlyMap<string, string> = new Map(),
): SourceFile[] {
  return [...tree.keys()]
    .filter((path) => sourceExtensions.some((extension) => path.endsWith(extension)))
    .sort()
    .map((path) => readSourceFile(tree, path, aliases));
}
