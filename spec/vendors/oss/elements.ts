// The elements OSS documents and what the neutral model does not carry of them, the errors OSS answers,
// and the XML reader both the parse side and the dialect use.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DialectError, type NativeExtras } from '../../dialects/dialect.ts';
import { describeChar, nonXmlChar, XML_TREE_OPTIONS } from '../../dialects/xml-fields.ts';

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
// At most 20 RoutingRule per bucket (older pages said 5) [oss-put][oss-go2][oss-guide].
export const MAX_RULES = 20;
// IncludeHeader, Pass, Remove and Set each take at most 10 entries [oss-put][oss-go2].
export const MAX_LIST = 10;
// Header names and Set values: at most 1024 bytes [oss-put][oss-go2].
export const MAX_HEADER_BYTES = 1024;
// Pass, Remove and Set keys hold letters, digits and hyphens only [oss-put][oss-go2][oss-tf].
export const OSS_HEADER_NAME = /^[A-Za-z0-9-]+$/;
// HostName is a domain name, optionally with a port [oss-go2].
export const HOST_NAME = /^[A-Za-z0-9.-]+(?::[0-9]{1,5})?$/;
export const REDIRECT_CODES: readonly number[] = [301, 302, 307];
// A neutral id `rule-<n>` gives the RuleNumber back (see `ruleNumbers`).
export const RULE_ID = /^rule-([1-9][0-9]{0,15})$/;

// ---------------------------------------------------------------------------------------------------
// What the neutral model does not carry, by element, with the reason named in the refusal. Website
// fields [oss-put]; LuaConfig and the IncludeHeader matchers [oss-tf]; the Redirect extras and the
// alternate-origin routes [oss-php2][oss-tf]; RedirectType AliCDN [oss-put] and Internal (oss2 Python SDK,
// `REDIRECT_TYPE_INTERNAL`).

/**
 * The static-website settings that share the document with the rules [oss-put]. Kept and read back,
 * never acted on: the simulator serves no index or error pages. Accepting them lets an SDK whose website
 * call always writes an IndexDocument (ali-oss `putBucketWebsite`) configure rules.
 */
export const WEBSITE_SETTINGS: Readonly<Record<string, readonly string[]>> = {
  IndexDocument: ['Suffix', 'SupportSubDir', 'Type'],
  ErrorDocument: ['Key', 'HttpStatus'],
};

export function readWebsiteSettings(website: Element): Record<string, Record<string, string>> {
  const kept: Record<string, Record<string, string>> = {};
  for (const [name, fields] of Object.entries(WEBSITE_SETTINGS)) {
    const element = website.child(name);
    if (element === undefined) continue;
    element.allow(fields);
    const values: Record<string, string> = {};
    for (const field of fields) {
      const value = element.text(field);
      if (value !== undefined) values[field] = value;
    }
    kept[name] = values;
  }
  return kept;
}

export function websiteSettingsOf(extras: NativeExtras | undefined): Record<string, Record<string, string>> {
  const kept: Record<string, Record<string, string>> = {};
  for (const [name, fields] of Object.entries(WEBSITE_SETTINGS)) {
    const values = extras?.[name];
    if (typeof values !== 'object' || values === null) continue;
    kept[name] = Object.fromEntries(
      fields.flatMap((field) => {
        const value = (values as Record<string, unknown>)[field];
        return typeof value === 'string' ? [[field, value]] : [];
      }),
    );
  }
  return kept;
}
export const RULE_ONLY: Readonly<Record<string, string>> = { LuaConfig: 'Lua scripts run by a rule' };
export const HEADER_MATCHERS: Readonly<Record<string, string>> = {
  StartsWith: 'header prefix matches (only Equals)',
  EndsWith: 'header suffix matches (only Equals)',
};
export const ALTERNATE_ROUTES: Readonly<Record<string, string>> = {
  MirrorMultiAlternateVpcId: 'VPC origins',
  MirrorMultiAlternateDstRegion: 'origins in other regions',
};
export const REDIRECT_EXTRAS: Readonly<Record<string, string>> = {
  MirrorURLProbe: 'probe-driven switching between MirrorURL and MirrorURLSlave',
  MirrorAuth: 'signed requests to a private origin',
  MirrorReturnHeaders: 'response header rules for mirrored answers',
  MirrorTaggings: 'tags written onto stored objects',
  MirrorSaveOssMeta: 'user metadata taken from the origin',
  MirrorUserLastModified: "the origin's Last-Modified on stored objects",
  TransparentMirrorResponseCodes: "relaying an origin's error status and body",
  MirrorAsyncStatus: 'asynchronous pulls triggered by a status',
  MirrorSNI: 'forwarding SNI to the origin',
  MirrorPassOriginalSlashes: 'forwarding the slashes of a key unchanged',
  MirrorUsingRole: 'RAM roles for origin access',
  MirrorRole: 'RAM roles for origin access',
  MirrorIsExpressTunnel: 'express-tunnel origins',
  MirrorDstRegion: 'express-tunnel origins',
  MirrorDstVpcId: 'VPC origins',
  MirrorDstSlaveVpcId: 'VPC origins',
  MirrorTunnelId: 'leased-line origins',
  MirrorAllowGetImageInfo: 'image processing on mirrored requests',
  MirrorAllowVideoSnapshot: 'video snapshots on mirrored requests',
};
// OSS reads these only for one RedirectType [oss-go2]; on the other they would be ignored there, and the
// neutral rule has no place to keep them.
export const MIRROR_ONLY = ['MirrorURL', 'MirrorURLSlave', 'MirrorMultiAlternates', 'MirrorPassQueryString'];
export const EXTERNAL_ONLY = ['Protocol', 'HostName'];
export const REDIRECT_COMMON = [
  'RedirectType',
  'PassQueryString',
  'MirrorFollowRedirect',
  'MirrorCheckMd5',
  'MirrorSwitchAllErrors',
  'MirrorProxyPass',
  'MirrorAllowHeadObject',
  'MirrorHeaders',
  'EnableReplacePrefix',
  'ReplaceKeyPrefixWith',
  'ReplaceKeyWith',
  'HttpRedirectCode',
];
export const REDIRECT_TYPES_NOT_MODELLED: Readonly<Record<string, string>> = {
  AliCDN: 'Alibaba Cloud CDN redirects',
  Internal: 'internal redirects to another object of the bucket',
};

export function refusedOnType(names: readonly string[], readBy: string): Record<string, string> {
  return Object.fromEntries(
    names.map((name) => [name, `${name} outside ${readBy} rules (OSS reads it only there)`]),
  );
}

// ---------------------------------------------------------------------------------------------------
// Errors, as OSS answers them.

export function malformed(detail: string): DialectError {
  return new DialectError(
    400,
    'MalformedXML',
    `The XML you provided was not well-formed or did not validate against the PutBucketWebsite schema: ${detail}`,
  );
}

export function invalidArgument(detail: string): DialectError {
  return new DialectError(400, 'InvalidArgument', detail);
}

export function notModelled(
  field: string,
  what: string,
  fix = 'remove it from the WebsiteConfiguration',
): DialectError {
  return new DialectError(501, 'NotImplemented', `${field}: the simulator does not model ${what}; ${fix}`);
}

// ---------------------------------------------------------------------------------------------------
// Reading the XML. Every element parses as an array (`isArray`), so a single RoutingRule, Pass or Set
// reads like several, and a repeated element that must be single is seen and refused.

const XML_ENTITIES: ReadonlyMap<string, string> = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
]);

/** The five XML entities and character references, as an XML reader decodes them; no DTD entities. */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);/g, (reference, name: string) => {
    const named = XML_ENTITIES.get(name);
    if (named !== undefined) return named;
    const codePoint = name.startsWith('#x') ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    if (!name.startsWith('#') || !(codePoint <= 0x10ffff))
      throw malformed(`${reference} is not a known entity`);
    return String.fromCodePoint(codePoint);
  });
}

const parser = new XMLParser({
  ...XML_TREE_OPTIONS,
  entityDecoder: {
    decode: decodeEntities,
    setExternalEntities: () => {},
    addInputEntities: () => {},
    reset: () => {},
    setXmlVersion: () => {},
  },
});

type XmlNode = string | { [name: string]: unknown };

/** The children of one element, by name, with the element's path for messages. */
export class Element {
  private constructor(
    readonly path: string,
    private readonly children: Map<string, XmlNode[]>,
  ) {}

  static of(node: XmlNode, path: string): Element {
    if (typeof node === 'string') {
      if (node.trim() !== '') throw malformed(`${path} holds text where elements are expected`);
      return new Element(path, new Map());
    }
    const children = new Map<string, XmlNode[]>();
    for (const [name, value] of Object.entries(node)) {
      if (name === '#text') {
        if (typeof value !== 'string' || value.trim() !== '') {
          throw malformed(`${path} holds text beside its elements`);
        }
        continue;
      }
      children.set(name, value as XmlNode[]);
    }
    return new Element(path, children);
  }

  /**
   * Refuses every child that is neither read here nor listed as not modelled (with its reason): the
   * neutral model would lose it.
   */
  allow(read: readonly string[], notModelledHere: Readonly<Record<string, string>> = {}): void {
    for (const name of this.children.keys()) {
      if (read.includes(name)) continue;
      const reason = Object.hasOwn(notModelledHere, name) ? notModelledHere[name] : undefined;
      const what = reason ?? `the element ${name}, which OSS does not document here`;
      throw notModelled(`${this.path}/${name}`, what);
    }
  }

  all(name: string): XmlNode[] {
    return this.children.get(name) ?? [];
  }

  one(name: string): XmlNode | undefined {
    const nodes = this.all(name);
    if (nodes.length > 1)
      throw malformed(`${this.path} holds ${nodes.length} ${name} elements; at most one is allowed`);
    return nodes[0];
  }

  required(name: string): XmlNode {
    const node = this.one(name);
    if (node === undefined) throw malformed(`${this.path} needs a ${name} element`);
    return node;
  }

  child(name: string): Element | undefined {
    const node = this.one(name);
    return node === undefined ? undefined : Element.of(node, `${this.path}/${name}`);
  }

  text(name: string): string | undefined {
    const node = this.one(name);
    return node === undefined ? undefined : textOf(node, `${this.path}/${name}`);
  }

  requiredText(name: string): string {
    return textOf(this.required(name), `${this.path}/${name}`);
  }

  bool(name: string): boolean | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    const word = value.trim().toLowerCase();
    if (word === 'true' || word === 'false') return word === 'true';
    throw invalidArgument(`${this.path}/${name} must be true or false, got '${value}'`);
  }

  integer(name: string): number | undefined {
    const value = this.text(name);
    return value === undefined ? undefined : integerOf(value, `${this.path}/${name}`);
  }
}

export function textOf(node: XmlNode, path: string): string {
  if (typeof node !== 'string') throw malformed(`${path} must hold text, not elements`);
  const bad = nonXmlChar(node);
  if (bad !== undefined)
    throw malformed(`${path} holds the character ${describeChar(bad)}, which XML cannot carry`);
  return node;
}

export function integerOf(value: string, path: string): number {
  const digits = value.trim();
  const number = Number(digits);
  if (!/^[0-9]+$/.test(digits) || !Number.isSafeInteger(number)) {
    throw invalidArgument(`${path} must be a whole number, got '${value}'`);
  }
  return number;
}

export function readWebsiteConfiguration(body: string): Element {
  const bad = nonXmlChar(body);
  if (bad !== undefined)
    throw malformed(`the body holds the character ${describeChar(bad)}, which XML cannot carry`);
  const verdict = XMLValidator.validate(body);
  if (verdict !== true) throw malformed(`${verdict.err.msg} (line ${verdict.err.line})`);
  let document: Record<string, unknown>;
  try {
    document = parser.parse(body) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof DialectError) throw error;
    // The parser refuses element names such as __proto__ or constructor, which OSS never uses, and
    // documents nested too deep.
    const reserved = /Invalid name: "([^"]+)"/.exec(String(error))?.[1];
    if (reserved !== undefined)
      throw notModelled(reserved, `the element ${reserved}, which OSS does not document`);
    throw malformed(error instanceof Error ? error.message : String(error));
  }
  const roots = Object.keys(document).filter((name) => name !== '#text');
  const [root] = roots;
  if (roots.length !== 1 || root !== 'WebsiteConfiguration') {
    throw malformed(`the root element must be WebsiteConfiguration, got ${roots.join(', ') || 'none'}`);
  }
  const nodes = document[root] as XmlNode[];
  if (nodes.length !== 1) throw malformed('the body must hold one WebsiteConfiguration');
  return Element.of(nodes[0] as XmlNode, root);
}
