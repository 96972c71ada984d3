// Reading the element tree of a COS document: the readers both the rule parser and the dialect use.
import { XMLParser } from 'fast-xml-parser';
import { DialectError } from '../../dialects/dialect.ts';
import { XML_TREE_OPTIONS } from '../../dialects/xml-fields.ts';

export const malformed = (message: string) => new DialectError(400, 'MalformedXML', message);
export const invalidArgument = (message: string) => new DialectError(400, 'InvalidArgument', message);
export const notModelled = (path: string, why: string) =>
  new DialectError(
    501,
    'NotImplemented',
    `${path}: ${why}; the simulator does not model this, so leave it out`,
  );

// The shared tree settings; numeric character references decoded, as XML requires.
export const xmlParser = new XMLParser({ ...XML_TREE_OPTIONS, htmlEntities: true });

export type Kids = Record<string, unknown[]>;

// ---- reading the tree -----------------------------------------------------------------------------------

/** The child elements of a container; text beside them makes the document malformed. */
export function childrenOf(value: unknown, at: string): Kids {
  if (typeof value === 'string') {
    if (value.trim() !== '')
      throw malformed(`${at} holds text '${value.trim()}' where elements are expected`);
    return {};
  }
  const kids: Kids = {};
  for (const [name, child] of Object.entries(value as Record<string, unknown>)) {
    if (name === '#text') {
      if (String(child).trim() !== '')
        throw malformed(`${at} holds text '${String(child).trim()}' beside its elements`);
      continue;
    }
    kids[name] = child as unknown[];
  }
  return kids;
}

/** Refuses, by name, every child not in `allowed`: the ones COS documents with why, the rest as unknown. */
export function refuseOthers(
  kids: Kids,
  at: string,
  allowed: readonly string[],
  known: Readonly<Record<string, string>> = {},
): void {
  for (const name of Object.keys(kids)) {
    if (allowed.includes(name)) continue;
    throw notModelled(`${at}/${name}`, known[name] ?? 'COS documents no such element here');
  }
}

export function one(kids: Kids, name: string, at: string): unknown {
  const values = kids[name];
  if (values === undefined) return undefined;
  if (values.length > 1) throw malformed(`${at}/${name} appears ${values.length} times; give it once`);
  return values[0];
}

export function asText(value: unknown, at: string): string {
  if (typeof value !== 'string') throw malformed(`${at} should hold text, not elements`);
  return value;
}

export function optionalText(kids: Kids, name: string, at: string): string | undefined {
  const value = one(kids, name, at);
  return value === undefined ? undefined : asText(value, `${at}/${name}`);
}

export function requiredText(kids: Kids, name: string, at: string): string {
  const value = optionalText(kids, name, at);
  if (value === undefined) throw malformed(`${at} needs a ${name} [cos-put]`);
  return value;
}

export function optionalBoolean(kids: Kids, name: string, at: string): boolean | undefined {
  const value = optionalText(kids, name, at)?.trim();
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false')
    throw invalidArgument(`${at}/${name} is '${value}'; write true or false`);
  return value === 'true';
}
