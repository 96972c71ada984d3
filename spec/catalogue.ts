// The behaviour catalogue: spec/behaviours.yaml, every behaviour the suite checks as one sentence
// with the evidence it rests on. Loading validates the shape, so a bad entry fails at the first test
// run with the entry named, instead of surfacing as a missing report line later.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

type BehaviourLevel = 'must' | 'should';
/** `documented`: a vendor documents it. `proposed`: no vendor does; it is the default we chose. */
type BehaviourBasis = 'documented' | 'proposed';

export interface Behaviour {
  /** Dotted kebab-case, area first: `origin.failure-424`. */
  readonly id: string;
  /** One testable sentence. */
  readonly statement: string;
  readonly level: BehaviourLevel;
  /** Seed files (`seeds/NNN_hash.txt`) and vendor page URLs. */
  readonly sources: readonly string[];
  readonly basis: BehaviourBasis;
  /** Numbers of the testable statements in the research notes, section (c). */
  readonly vendorStatements: readonly number[];
  /** Which part is proposed, or where the behaviour departs from a vendor. */
  readonly note?: string;
}

const catalogueUrl = new URL('./behaviours.yaml', import.meta.url);

const levels: readonly BehaviourLevel[] = ['must', 'should'];
const bases: readonly BehaviourBasis[] = ['documented', 'proposed'];
const knownFields = new Set(['id', 'statement', 'level', 'sources', 'basis', 'vendorStatements', 'note']);
const idPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)+$/;
const seedPattern = /^seeds\/\d{3}_[0-9a-f]{16}\.txt$/;
// The research notes number their testable statements 1 to 110.
const lastVendorStatement = 110;

export class CatalogueError extends Error {
  override name = 'CatalogueError';
}

function isLevel(value: string): value is BehaviourLevel {
  return (levels as readonly string[]).includes(value);
}

function isBasis(value: string): value is BehaviourBasis {
  return (bases as readonly string[]).includes(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSource(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (seedPattern.test(value)) return true;
  return URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
}

// A function declaration (not an arrow) so that the compiler narrows types after each check.
function fail(where: string, problem: string): never {
  throw new CatalogueError(`spec/behaviours.yaml: ${where}: ${problem}`);
}

function parseEntry(raw: unknown, index: number): Behaviour {
  const where =
    isRecord(raw) && typeof raw.id === 'string' ? `behaviour ${raw.id}` : `behaviour #${index + 1}`;
  if (!isRecord(raw)) fail(where, 'is not a mapping');
  for (const field of Object.keys(raw)) {
    if (!knownFields.has(field)) fail(where, `unknown field "${field}"`);
  }
  const { id, statement, level, sources, basis, vendorStatements, note } = raw;
  if (typeof id !== 'string') fail(where, 'missing field "id"');
  if (!idPattern.test(id)) fail(where, 'id must be dotted kebab-case like "origin.failure-424"');
  if (typeof statement !== 'string' || statement.trim() === '') fail(where, 'missing field "statement"');
  if (typeof level !== 'string') fail(where, 'missing field "level"');
  if (!isLevel(level)) fail(where, `unknown level "${level}" (use ${levels.join(' or ')})`);
  if (typeof basis !== 'string') fail(where, 'missing field "basis"');
  if (!isBasis(basis)) fail(where, `unknown basis "${basis}" (use ${bases.join(' or ')})`);
  if (!Array.isArray(sources)) fail(where, 'missing field "sources"');
  if (sources.length === 0) fail(where, 'sources is empty; cite a seed file or a vendor page');
  const checkedSources = sources.map((source: unknown) => {
    if (!isSource(source)) {
      fail(where, `source ${JSON.stringify(source)} is neither seeds/NNN_hash.txt nor a URL`);
    }
    return source;
  });
  if (new Set(checkedSources).size !== checkedSources.length) fail(where, 'sources lists a source twice');
  if (!Array.isArray(vendorStatements)) fail(where, 'missing field "vendorStatements" (may be [])');
  const numbers = vendorStatements.map((number: unknown) => {
    const known = typeof number === 'number' && Number.isInteger(number) && number >= 1;
    if (!known || number > lastVendorStatement) {
      fail(
        where,
        `vendorStatements has ${JSON.stringify(number)}, not a number from 1 to ${lastVendorStatement}`,
      );
    }
    return number;
  });
  if (note !== undefined && (typeof note !== 'string' || note.trim() === '')) {
    fail(where, 'note must be a non-empty string');
  }
  return {
    id,
    statement: statement.trim(),
    level,
    sources: checkedSources,
    basis,
    vendorStatements: numbers,
    ...(note === undefined ? {} : { note: note.trim() }),
  };
}

/** Parses and validates catalogue text; throws CatalogueError naming the first bad entry. */
export function parseCatalogue(text: string): Behaviour[] {
  const document: unknown = parse(text);
  if (!isRecord(document) || !Array.isArray(document.behaviours)) {
    throw new CatalogueError('spec/behaviours.yaml: expected a top-level "behaviours:" list');
  }
  const seen = new Set<string>();
  return document.behaviours.map((raw, index) => {
    const behaviour = parseEntry(raw, index);
    if (seen.has(behaviour.id)) {
      throw new CatalogueError(`spec/behaviours.yaml: behaviour ${behaviour.id}: duplicate id`);
    }
    seen.add(behaviour.id);
    return behaviour;
  });
}

let cached: readonly Behaviour[] | undefined;

/** The catalogue, read once per process. */
export function loadCatalogue(): Behaviour[] {
  cached ??= Object.freeze(parseCatalogue(readFileSync(catalogueUrl, 'utf8')));
  return [...cached];
}

export function behaviourIds(): Set<string> {
  return new Set(loadCatalogue().map((behaviour) => behaviour.id));
}
