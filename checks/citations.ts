// Citation keys: comments, messages, fixtures, YAML and docs cite their sources by a kebab-case key in
// square brackets, and spec/sources.yaml says what each key is (a vendor page or a seed document). A key
// the file does not hold sends a reader nowhere, and an entry nobody cites is a source the project no
// longer rests on. Where a citation carries its URL inline (a Markdown link right after the key, a URL
// after it on the line, a Markdown link definition), the URL must be the sources file's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { CST, Lexer, parse } from 'yaml';
import { readSourceTree } from './source-files.ts';

interface Source {
  readonly key: string;
  /** A vendor page, an SDK file, a standard. */
  readonly url?: string;
  /** Where the vendor publishes the page `url` names (a docs repository's file and its rendered page). */
  readonly published?: string;
  /** One of the seed documents the project was created from, `seeds/NNN_<hash>.txt`. */
  readonly seed?: string;
  readonly title: string;
}

interface Citation {
  readonly key: string;
  readonly file: string;
  readonly line: number;
  /** The URL written right after the key, if any. */
  readonly url?: string;
}

const sourcesPath = 'spec/sources.yaml';

const keyPattern = /^[a-z0-9]+(?:-[a-z0-9]+)+$/;
const seedPattern = /^seeds\/\d{3}_[0-9a-f]{16}\.txt$/;
const citationPattern =
  /\[([a-z0-9]+(?:-[a-z0-9]+)+)\](?:\((https?:\/\/[^)\s]+)\)|:? +(https?:\/\/[^\s)>'"`]+))?/g;
const knownFields = new Set(['url', 'published', 'seed', 'title']);

/** Text that looks like a key but is not one: character classes (`[a-z0-9]`), HTML attribute selectors. */
function isCitationKey(key: string): boolean {
  return !/^(?:[a-z0-9]-[a-z0-9])+$/.test(key) && !key.startsWith('data-');
}

function fail(key: string, problem: string): never {
  throw new Error(`${sourcesPath}: ${key}: ${problem}`);
}

/** The sources file's entries; a malformed entry is an error naming it. */
export function parseSources(text: string): Source[] {
  const document: unknown = parse(text);
  const entries =
    typeof document === 'object' && document !== null && 'sources' in document ? document.sources : undefined;
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
    throw new Error(`${sourcesPath}: needs a "sources" mapping of key → { url or seed, title }`);
  }
  return Object.entries(entries).map(([key, raw]: [string, unknown]) => {
    if (!keyPattern.test(key)) fail(key, 'a key is kebab-case with at least one hyphen, like "oss-put"');
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(key, 'is not a mapping');
    const fields: Record<string, unknown> = { ...raw };
    for (const field of Object.keys(fields)) {
      if (!knownFields.has(field)) fail(key, `unknown field "${field}"`);
    }
    const { url, published, seed, title } = fields;
    if (typeof title !== 'string' || title.trim() === '') fail(key, 'missing field "title"');
    if ((url === undefined) === (seed === undefined)) fail(key, 'give exactly one of "url" and "seed"');
    if (url !== undefined && (typeof url !== 'string' || !/^https?:\/\//.test(url) || !URL.canParse(url))) {
      fail(key, '"url" must be an http(s) URL');
    }
    if (
      published !== undefined &&
      (typeof published !== 'string' || url === undefined || !/^https?:\/\//.test(published))
    ) {
      fail(key, '"published" must be an http(s) URL, beside "url"');
    }
    if (seed !== undefined && (typeof seed !== 'string' || !seedPattern.test(seed))) {
      fail(key, '"seed" must name a seed file, like seeds/003_30f6b55cf6d9ff35.txt');
    }
    return {
      key,
      title,
      ...(typeof url === 'string' ? { url } : { seed: String(seed) }),
      ...(typeof published === 'string' ? { published } : {}),
    };
  });
}

export function loadSources(root: string): Source[] {
  return parseSources(readFileSync(join(root, sourcesPath), 'utf8'));
}

// Files that may cite: code, YAML, JSON and XML fixtures, docs. The lock file is npm's, and the sources
// file names keys without citing them.
const citingExtensions = ['.ts', '.mts', '.mjs', '.js', '.yaml', '.yml', '.json', '.xml', '.md'];
const notCiting = new Set(['package-lock.json', sourcesPath]);

/** The files under `root` that may cite, path → text. */
export function readCitingFiles(root: string): Map<string, string> {
  const files = new Map(readSourceTree(root, citingExtensions));
  for (const path of notCiting) files.delete(path);
  return files;
}

/** The parts of a TypeScript or JavaScript file that cite: comments and string literals, never code. */
function scriptProse(path: string, text: string): string {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  // Everything is blanked but comments and strings, keeping offsets (so lines) where they were.
  const kept = new Array<string>(text.length).fill(' ');
  const keep = (start: number, end: number) => {
    for (let index = start; index < end; index++) kept[index] = text[index] ?? ' ';
  };
  const visit = (node: ts.Node): void => {
    if (ts.isJSDoc(node)) return;
    const children = node.getChildren(source);
    if (children.length > 0) {
      for (const child of children) visit(child);
      return;
    }
    // A token: the trivia before it holds nothing but white space and comments.
    keep(node.pos, node.getStart(source));
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      keep(node.getStart(source), node.end);
    }
  };
  visit(source);
  return kept.join('');
}

/** A YAML file with its flow brackets blanked, so a flow sequence of kebab-case words cites nothing. */
function yamlProse(text: string): string {
  let prose = '';
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    // The lexer's own markers (document start, scalar start) are control characters not in the text.
    if (token.length === 1 && token.charCodeAt(0) < 0x20 && token !== '\n' && token !== '\t') continue;
    prose += type === 'flow-seq-start' || type === 'flow-seq-end' ? ' ' : token;
  }
  return prose;
}

function proseOf(path: string, text: string): string {
  if (/\.(?:ts|mts|mjs|js)$/.test(path)) return scriptProse(path, text);
  if (/\.ya?ml$/.test(path)) return yamlProse(text);
  return text;
}

/** Every citation in the given files (path → text). */
export function findCitations(files: ReadonlyMap<string, string>): Citation[] {
  const citations: Citation[] = [];
  for (const [file, text] of files) {
    const prose = proseOf(file, text);
    const lineStarts = [0];
    for (let index = 0; index < prose.length; index++) if (prose[index] === '\n') lineStarts.push(index + 1);
    for (const match of prose.matchAll(citationPattern)) {
      const key = match[1] ?? '';
      if (!isCitationKey(key)) continue;
      const line = lineStarts.findLastIndex((start) => start <= match.index) + 1;
      const url = (match[2] ?? match[3])?.replace(/[.,;:]+$/, '');
      citations.push({ key, file, line, ...(url === undefined ? {} : { url }) });
    }
  }
  return citations;
}

interface CitationProblems {
  /** `file:line [key]` for keys the sources file does not hold. */
  readonly unknown: string[];
  /** Keys of the sources file nothing cites. */
  readonly unused: string[];
  /** `file:line [key] url`, where the inline URL is not the sources file's. */
  readonly wrongUrl: string[];
}

export function checkCitations(citations: readonly Citation[], sources: readonly Source[]): CitationProblems {
  const byKey = new Map(sources.map((source) => [source.key, source]));
  const cited = new Set(citations.map((citation) => citation.key));
  const at = (citation: Citation) => `${citation.file}:${citation.line} [${citation.key}]`;
  return {
    unknown: citations.filter((citation) => !byKey.has(citation.key)).map(at),
    unused: sources.filter((source) => !cited.has(source.key)).map((source) => source.key),
    wrongUrl: citations
      .filter((citation) => {
        const source = byKey.get(citation.key);
        return (
          citation.url !== undefined &&
          source !== undefined &&
          source.url !== citation.url &&
          source.published !== citation.url
        );
      })
      .map((citation) => `${at(citation)} ${citation.url} (${sourcesPath}: ${byKey.get(citation.key)?.url})`),
  };
}
