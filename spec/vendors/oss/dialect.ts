// Alibaba Cloud OSS: mirror rules are the RoutingRules of a bucket's static-website configuration, written
// with PutBucketWebsite (on the subresource the record names), read with GetBucketWebsite and removed with DeleteBucketWebsite
// [oss-put][oss-go2]. Element names and limits follow the API reference and the SDK models [oss-go2]
// [oss-php2][oss-tf]; what the neutral model cannot carry is refused by name, never dropped.

import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { type Dialect, DialectError, type NativeExtras, NotExpressible } from '../../dialects/dialect.ts';
import { describeChar, nonXmlChar, XML_TREE_OPTIONS } from '../../dialects/xml-fields.ts';
import type { HeaderPolicyDocument, KeyRewrite, MirrorCondition, MirrorRuleDocument } from '../../model.ts';
import { ruleCall } from '../vendor.ts';
import { oss } from './vendor.ts';

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
// At most 20 RoutingRule per bucket (older pages said 5) [oss-put][oss-go2][oss-guide].
const MAX_RULES = 20;
// IncludeHeader, Pass, Remove and Set each take at most 10 entries [oss-put][oss-go2].
const MAX_LIST = 10;
// Header names and Set values: at most 1024 bytes [oss-put][oss-go2].
const MAX_HEADER_BYTES = 1024;
// Pass, Remove and Set keys hold letters, digits and hyphens only [oss-put][oss-go2][oss-tf].
const OSS_HEADER_NAME = /^[A-Za-z0-9-]+$/;
// HostName is a domain name, optionally with a port [oss-go2].
const HOST_NAME = /^[A-Za-z0-9.-]+(?::[0-9]{1,5})?$/;
const REDIRECT_CODES: readonly number[] = [301, 302, 307];
// A neutral id `rule-<n>` gives the RuleNumber back (see `ruleNumbers`).
const RULE_ID = /^rule-([1-9][0-9]{0,15})$/;

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
const WEBSITE_SETTINGS: Readonly<Record<string, readonly string[]>> = {
  IndexDocument: ['Suffix', 'SupportSubDir', 'Type'],
  ErrorDocument: ['Key', 'HttpStatus'],
};

function readWebsiteSettings(website: Element): Record<string, Record<string, string>> {
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

function websiteSettingsOf(extras: NativeExtras | undefined): Record<string, Record<string, string>> {
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
const RULE_ONLY: Readonly<Record<string, string>> = { LuaConfig: 'Lua scripts run by a rule' };
const HEADER_MATCHERS: Readonly<Record<string, string>> = {
  StartsWith: 'header prefix matches (only Equals)',
  EndsWith: 'header suffix matches (only Equals)',
};
const ALTERNATE_ROUTES: Readonly<Record<string, string>> = {
  MirrorMultiAlternateVpcId: 'VPC origins',
  MirrorMultiAlternateDstRegion: 'origins in other regions',
};
const REDIRECT_EXTRAS: Readonly<Record<string, string>> = {
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
const MIRROR_ONLY = ['MirrorURL', 'MirrorURLSlave', 'MirrorMultiAlternates', 'MirrorPassQueryString'];
const EXTERNAL_ONLY = ['Protocol', 'HostName'];
const REDIRECT_COMMON = [
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
const REDIRECT_TYPES_NOT_MODELLED: Readonly<Record<string, string>> = {
  AliCDN: 'Alibaba Cloud CDN redirects',
  Internal: 'internal redirects to another object of the bucket',
};

function refusedOnType(names: readonly string[], readBy: string): Record<string, string> {
  return Object.fromEntries(
    names.map((name) => [name, `${name} outside ${readBy} rules (OSS reads it only there)`]),
  );
}

// ---------------------------------------------------------------------------------------------------
// Errors, as OSS answers them.

function malformed(detail: string): DialectError {
  return new DialectError(
    400,
    'MalformedXML',
    `The XML you provided was not well-formed or did not validate against the PutBucketWebsite schema: ${detail}`,
  );
}

function invalidArgument(detail: string): DialectError {
  return new DialectError(400, 'InvalidArgument', detail);
}

function notModelled(
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
class Element {
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

function textOf(node: XmlNode, path: string): string {
  if (typeof node !== 'string') throw malformed(`${path} must hold text, not elements`);
  const bad = nonXmlChar(node);
  if (bad !== undefined)
    throw malformed(`${path} holds the character ${describeChar(bad)}, which XML cannot carry`);
  return node;
}

function integerOf(value: string, path: string): number {
  const digits = value.trim();
  const number = Number(digits);
  if (!/^[0-9]+$/.test(digits) || !Number.isSafeInteger(number)) {
    throw invalidArgument(`${path} must be a whole number, got '${value}'`);
  }
  return number;
}

function readWebsiteConfiguration(body: string): Element {
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

// ---------------------------------------------------------------------------------------------------
// Native to neutral.

function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

function headerName(value: string, path: string): string {
  if (!OSS_HEADER_NAME.test(value) || value.length > MAX_HEADER_BYTES) {
    throw invalidArgument(
      `${path} '${value}' must be 1 to ${MAX_HEADER_BYTES} letters, digits or hyphens (-)`,
    );
  }
  return value;
}

function limited<T>(items: T[], path: string): T[] {
  if (items.length > MAX_LIST) {
    throw invalidArgument(`${path}: at most ${MAX_LIST} are allowed, got ${items.length}`);
  }
  return items;
}

/** A MirrorURL-like origin base: `http://` or `https://`, ending in `/` [oss-put][oss-go2]. */
function mirrorUrl(value: string, path: string): string {
  if (!/^https?:\/\//.test(value) || !value.endsWith('/')) {
    throw invalidArgument(
      `${path} '${value}' must start with http:// or https:// and end with a forward slash (/)`,
    );
  }
  return value;
}

function parseCondition(condition: Element, redirectType: string): MirrorCondition {
  condition.allow(['KeyPrefixEquals', 'KeySuffixEquals', 'HttpErrorCodeReturnedEquals', 'IncludeHeader']);
  const errorCode = condition.integer('HttpErrorCodeReturnedEquals');
  const errorCodePath = `${condition.path}/HttpErrorCodeReturnedEquals`;
  if (redirectType === 'Mirror' && errorCode !== 404) {
    // A mirror rule fetches on a miss only, and OSS insists on saying so [oss-put][oss-tf].
    throw invalidArgument(`${errorCodePath} must be 404 for a Mirror rule, got ${errorCode ?? 'none'}`);
  }
  if (errorCode !== 404) {
    throw notModelled(
      errorCodePath,
      `redirect rules for answers other than a missing key (404), got ${errorCode ?? 'none'}`,
    );
  }
  const result: MirrorCondition = {};
  const keyPrefix = condition.text('KeyPrefixEquals');
  const keySuffix = condition.text('KeySuffixEquals');
  if (keyPrefix !== undefined) result.keyPrefix = keyPrefix;
  if (keySuffix !== undefined) result.keySuffix = keySuffix;
  const includes = limited(condition.all('IncludeHeader'), `${condition.path}/IncludeHeader`);
  const headers = includes.map((node, index) => {
    const include = Element.of(node, `${condition.path}/IncludeHeader[${index + 1}]`);
    include.allow(['Key', 'Equals'], HEADER_MATCHERS);
    return { name: include.requiredText('Key'), equals: include.requiredText('Equals') };
  });
  if (headers.length > 0) result.headers = headers;
  return result;
}

function parseHeaders(mirrorHeaders: Element): HeaderPolicyDocument | undefined {
  mirrorHeaders.allow(['PassAll', 'Pass', 'Remove', 'Set']);
  const at = mirrorHeaders.path;
  const names = (name: string) =>
    limited(mirrorHeaders.all(name), `${at}/${name}`).map((node, index) =>
      headerName(textOf(node, `${at}/${name}[${index + 1}]`), `${at}/${name}[${index + 1}]`),
    );
  const pass = names('Pass');
  const remove = names('Remove');
  const set = limited(mirrorHeaders.all('Set'), `${at}/Set`).map((node, index) => {
    const entry = Element.of(node, `${at}/Set[${index + 1}]`);
    entry.allow(['Key', 'Value']);
    const value = entry.requiredText('Value');
    if (/[\r\n]/.test(value) || utf8Bytes(value) > MAX_HEADER_BYTES) {
      throw invalidArgument(`${entry.path}/Value must be at most ${MAX_HEADER_BYTES} bytes without CR or LF`);
    }
    return { name: headerName(entry.requiredText('Key'), `${entry.path}/Key`), value };
  });
  const policy: HeaderPolicyDocument = {};
  if (mirrorHeaders.bool('PassAll') === true) policy.passAll = true;
  if (pass.length > 0) policy.pass = pass;
  if (remove.length > 0) policy.remove = remove;
  if (set.length > 0) policy.set = set;
  return Object.keys(policy).length > 0 ? policy : undefined;
}

/** MirrorURL, then MirrorURLSlave, then MirrorMultiAlternates by MirrorMultiAlternateNumber. */
function mirrorOrigins(redirect: Element): string[] {
  const main = redirect.text('MirrorURL');
  if (main === undefined) throw invalidArgument(`${redirect.path} needs a MirrorURL for a Mirror rule`);
  const origins = [mirrorUrl(main, `${redirect.path}/MirrorURL`)];
  const slave = redirect.text('MirrorURLSlave');
  // OSS documents the form of MirrorURL only; its backups are held to the same form (our inference).
  if (slave !== undefined) origins.push(mirrorUrl(slave, `${redirect.path}/MirrorURLSlave`));
  const alternates = redirect.child('MirrorMultiAlternates');
  if (alternates === undefined) return origins;
  alternates.allow(['MirrorMultiAlternate']);
  const numbered = alternates.all('MirrorMultiAlternate').map((node, index) => {
    const alternate = Element.of(node, `${alternates.path}/MirrorMultiAlternate[${index + 1}]`);
    alternate.allow(['MirrorMultiAlternateNumber', 'MirrorMultiAlternateURL'], ALTERNATE_ROUTES);
    const number = integerOf(
      alternate.requiredText('MirrorMultiAlternateNumber'),
      `${alternate.path}/MirrorMultiAlternateNumber`,
    );
    const url = mirrorUrl(
      alternate.requiredText('MirrorMultiAlternateURL'),
      `${alternate.path}/MirrorMultiAlternateURL`,
    );
    return { number, url };
  });
  const numbers = numbered.map(({ number }) => number);
  if (new Set(numbers).size !== numbers.length) {
    throw invalidArgument(`${alternates.path}: each MirrorMultiAlternateNumber may be used once`);
  }
  return [...origins, ...numbered.sort((a, b) => a.number - b.number).map(({ url }) => url)];
}

function externalOrigin(redirect: Element): string {
  const protocol = redirect.text('Protocol');
  const hostName = redirect.text('HostName');
  if (protocol === undefined) {
    throw notModelled(
      `${redirect.path}/Protocol`,
      'External redirects that keep the protocol of the request',
    );
  }
  if (hostName === undefined) {
    throw notModelled(`${redirect.path}/HostName`, 'External redirects to the host of the request');
  }
  if (protocol !== 'http' && protocol !== 'https') {
    throw invalidArgument(`${redirect.path}/Protocol must be http or https, got '${protocol}'`);
  }
  if (!HOST_NAME.test(hostName)) {
    throw invalidArgument(
      `${redirect.path}/HostName '${hostName}' must be a domain name, optionally with a port`,
    );
  }
  return `${protocol}://${hostName}/`;
}

function parseKeyRewrite(redirect: Element): KeyRewrite | undefined {
  // An empty ReplaceKeyWith is no replacement: OSS refuses only a non-empty one beside
  // EnableReplacePrefix [oss-go2][oss-php2]. An empty or absent ReplaceKeyPrefixWith strips the prefix.
  const replaceKeyWith = redirect.text('ReplaceKeyWith') || undefined;
  const replacePrefixWith = redirect.text('ReplaceKeyPrefixWith');
  const enablePrefix = redirect.bool('EnableReplacePrefix') === true;
  if (replaceKeyWith !== undefined && (enablePrefix || replacePrefixWith)) {
    throw invalidArgument(
      `${redirect.path}: ReplaceKeyWith and a prefix replacement (ReplaceKeyPrefixWith, EnableReplacePrefix) are exclusive; keep one`,
    );
  }
  if (enablePrefix) return { replacePrefixWith: replacePrefixWith ?? '' };
  if (replacePrefixWith) {
    // Without EnableReplacePrefix OSS's pages disagree on what the prefix does for a rule [oss-put][oss-go2].
    throw notModelled(
      `${redirect.path}/ReplaceKeyPrefixWith`,
      'a prefix replacement without EnableReplacePrefix',
      'set EnableReplacePrefix to true to replace the prefix, or remove ReplaceKeyPrefixWith',
    );
  }
  return replaceKeyWith === undefined ? undefined : { replaceKeyWith };
}

function parseRule(rule: Element): { number: number; rule: MirrorRuleDocument } {
  rule.allow(['RuleNumber', 'Condition', 'Redirect'], RULE_ONLY);
  const number = integerOf(rule.requiredText('RuleNumber'), `${rule.path}/RuleNumber`);
  if (number < 1) throw invalidArgument(`${rule.path}/RuleNumber must be a positive integer, got ${number}`);
  const conditionElement = Element.of(rule.required('Condition'), `${rule.path}/Condition`);
  const redirect = Element.of(rule.required('Redirect'), `${rule.path}/Redirect`);
  const redirectType = redirect.requiredText('RedirectType').trim();
  if (Object.hasOwn(REDIRECT_TYPES_NOT_MODELLED, redirectType)) {
    throw notModelled(
      `${redirect.path}/RedirectType ${redirectType}`,
      REDIRECT_TYPES_NOT_MODELLED[redirectType] ?? redirectType,
    );
  }
  if (redirectType !== 'Mirror' && redirectType !== 'External') {
    throw invalidArgument(
      `${redirect.path}/RedirectType must be Mirror, External or AliCDN, got '${redirectType}'`,
    );
  }
  const mirror = redirectType === 'Mirror';
  redirect.allow([...REDIRECT_COMMON, ...(mirror ? MIRROR_ONLY : EXTERNAL_ONLY)], {
    ...REDIRECT_EXTRAS,
    ...(mirror ? refusedOnType(EXTERNAL_ONLY, 'External') : refusedOnType(MIRROR_ONLY, 'Mirror')),
  });
  const condition = parseCondition(conditionElement, redirectType);
  const origins = mirror ? mirrorOrigins(redirect) : [externalOrigin(redirect)];
  const redirectCode = redirect.integer('HttpRedirectCode');
  if (redirectCode !== undefined && !REDIRECT_CODES.includes(redirectCode)) {
    throw invalidArgument(`${redirect.path}/HttpRedirectCode must be 301, 302 or 307, got ${redirectCode}`);
  }
  const keyRewrite = parseKeyRewrite(redirect);
  const mirrorHeaders = redirect.child('MirrorHeaders');
  const headers = mirrorHeaders && parseHeaders(mirrorHeaders);
  // MirrorPassQueryString wins over PassQueryString on Mirror rules [oss-put].
  const passQueryString =
    (mirror ? redirect.bool('MirrorPassQueryString') : undefined) ?? redirect.bool('PassQueryString');
  const switchAllErrors = redirect.bool('MirrorSwitchAllErrors');

  // Only what differs from the neutral defaults, so a document reads back the same however it was written.
  const neutral: MirrorRuleDocument = { id: `rule-${number}`, origins };
  if (Object.keys(condition).length > 0) neutral.condition = condition;
  if (!mirror) neutral.mode = 'redirect';
  if (keyRewrite !== undefined) neutral.keyRewrite = keyRewrite;
  if (passQueryString === true) neutral.passQueryString = true;
  if (redirect.bool('MirrorFollowRedirect') === false) neutral.followRedirects = false;
  if (headers !== undefined) neutral.headers = headers;
  // MirrorProxyPass: proxy only, store nothing [oss-php2][oss-tf].
  if (redirect.bool('MirrorProxyPass') === true) neutral.writeBack = false;
  if (redirect.bool('MirrorCheckMd5') === true) neutral.checkMd5 = true;
  if (redirect.bool('MirrorAllowHeadObject') === true) neutral.triggerOnHead = true;
  // true: any status but 200, 206, 3xx and 404 switches origin; false: only 5xx or a timeout [oss-php2].
  if (switchAllErrors !== undefined) neutral.failoverOn = switchAllErrors ? ['4XX', '5XX'] : ['5XX'];
  if (redirectCode !== undefined && redirectCode !== 302) neutral.redirectStatus = redirectCode as 301 | 307;
  return { number, rule: neutral };
}

// ---------------------------------------------------------------------------------------------------
// Neutral to native.

function cannotExpress(field: string, why: string): NotExpressible {
  return new NotExpressible('oss', field, why);
}

const builder = new XMLBuilder({ format: true, indentBy: '  ' });

type NativeValue = string | NativeTree | NativeTree[] | string[];
interface NativeTree {
  [name: string]: NativeValue;
}

/**
 * RuleNumber for each rule: the numbers in the ids when every id is `rule-<n>` and they increase (so what
 * `parse` wrote reads back unchanged), else the position from 1. Either way the numbers keep the order.
 */
function ruleNumbers(ids: readonly string[]): number[] {
  const fromIds = ids.map((id) => {
    const match = RULE_ID.exec(id);
    return match ? Number(match[1]) : Number.NaN;
  });
  const usable = fromIds.every(
    (number, index) => Number.isSafeInteger(number) && (index === 0 || number > (fromIds[index - 1] ?? 0)),
  );
  return usable ? fromIds : ids.map((_, index) => index + 1);
}

function xmlText(value: string, field: string): string {
  const bad = nonXmlChar(value);
  if (bad !== undefined) {
    throw cannotExpress(field, `the character ${describeChar(bad)} cannot be carried in an XML body`);
  }
  return value;
}

function ossHeaderName(name: string, field: string): string {
  if (!OSS_HEADER_NAME.test(name)) {
    throw cannotExpress(field, `OSS takes header names of letters, digits and hyphens only, got '${name}'`);
  }
  return name;
}

/** An origin as a MirrorURL: the scheme in lower case and a final `/`, which changes no origin URL. */
function mirrorBase(origin: string, field: string): string {
  if (!/^https?:\/\//i.test(origin) || /[?#]/.test(origin)) {
    throw cannotExpress(field, 'a MirrorURL is an http:// or https:// base without query or fragment');
  }
  const base = origin.replace(/^[a-z]+/i, (scheme) => scheme.toLowerCase());
  return xmlText(base.endsWith('/') ? base : `${base}/`, field);
}

function renderCondition(condition: MirrorCondition | undefined, at: string): NativeTree {
  const tree: NativeTree = {};
  if (condition?.keyPrefix !== undefined)
    tree.KeyPrefixEquals = xmlText(condition.keyPrefix, `${at}/condition/keyPrefix`);
  if (condition?.keySuffix !== undefined)
    tree.KeySuffixEquals = xmlText(condition.keySuffix, `${at}/condition/keySuffix`);
  // Every neutral rule applies to a missing key; OSS wants it said, and requires it of Mirror rules.
  tree.HttpErrorCodeReturnedEquals = '404';
  const headers = condition?.headers ?? [];
  if (headers.length > MAX_LIST) {
    throw cannotExpress(`${at}/condition/headers`, `OSS takes at most ${MAX_LIST} IncludeHeader`);
  }
  if (headers.length > 0) {
    tree.IncludeHeader = headers.map((header, index) => ({
      Key: xmlText(header.name, `${at}/condition/headers/${index}/name`),
      Equals: xmlText(header.equals, `${at}/condition/headers/${index}/equals`),
    }));
  }
  return tree;
}

function renderHeaders(headers: HeaderPolicyDocument | undefined, at: string): NativeTree | undefined {
  const tree: NativeTree = {};
  if (headers?.passAll === true) tree.PassAll = 'true';
  const pass = headers?.pass ?? [];
  const remove = headers?.remove ?? [];
  const set = headers?.set ?? [];
  if (pass.length > 0)
    tree.Pass = pass.map((name, index) => ossHeaderName(name, `${at}/headers/pass/${index}`));
  if (remove.length > 0) {
    tree.Remove = remove.map((name, index) => ossHeaderName(name, `${at}/headers/remove/${index}`));
  }
  if (set.length > 0) {
    tree.Set = set.map(({ name, value }, index) => {
      const field = `${at}/headers/set/${index}`;
      if (/[\r\n]/.test(value) || utf8Bytes(value) > MAX_HEADER_BYTES) {
        throw cannotExpress(
          `${field}/value`,
          `OSS takes values of at most ${MAX_HEADER_BYTES} bytes without CR or LF`,
        );
      }
      return { Key: ossHeaderName(name, `${field}/name`), Value: xmlText(value, `${field}/value`) };
    });
  }
  return Object.keys(tree).length > 0 ? tree : undefined;
}

function renderFailover(failoverOn: readonly string[] | undefined, at: string): string | undefined {
  if (failoverOn === undefined) return undefined;
  const classes = [...new Set(failoverOn)].sort().join(',');
  if (classes === '4XX,5XX') return 'true';
  if (classes === '5XX') return 'false';
  throw cannotExpress(
    `${at}/failoverOn`,
    'MirrorSwitchAllErrors says only [4XX, 5XX] (true) or [5XX] (false)',
  );
}

function renderExternalTarget(rule: MirrorRuleDocument, at: string): NativeTree {
  if (rule.origins.length !== 1) {
    throw cannotExpress(`${at}/origins`, 'an External rule redirects to exactly one host');
  }
  const origin = rule.origins[0] ?? '';
  const match = /^(https?):\/\/([^/?#@]+)\/?$/i.exec(origin);
  if (!match || !HOST_NAME.test(match[2] ?? '')) {
    throw cannotExpress(
      `${at}/origins/0`,
      `an External rule keeps only Protocol and HostName, so the origin must be scheme://host/, got '${origin}'`,
    );
  }
  return {
    Protocol: (match[1] ?? '').toLowerCase(),
    HostName: match[2] ?? '',
    // Written even when it is the neutral default, since OSS documents none.
    HttpRedirectCode: String(rule.redirectStatus ?? 302),
  };
}

function renderMirrorTarget(rule: MirrorRuleDocument, at: string): NativeTree {
  const [main, slave, ...alternates] = rule.origins.map((origin, index) =>
    mirrorBase(origin, `${at}/origins/${index}`),
  );
  if (main === undefined) throw cannotExpress(`${at}/origins`, 'a Mirror rule needs a MirrorURL');
  const tree: NativeTree = { MirrorURL: main };
  if (slave !== undefined) tree.MirrorURLSlave = slave;
  if (alternates.length > 0) {
    tree.MirrorMultiAlternates = {
      MirrorMultiAlternate: alternates.map((url, index) => ({
        MirrorMultiAlternateNumber: String(index + 1),
        MirrorMultiAlternateURL: url,
      })),
    };
  }
  if (rule.passQueryString === true) tree.MirrorPassQueryString = 'true';
  // Ignored by Mirror rules at OSS as in the neutral model, but kept so the rule reads back the same.
  if (rule.redirectStatus !== undefined && rule.redirectStatus !== 302)
    tree.HttpRedirectCode = String(rule.redirectStatus);
  return tree;
}

function renderRule(rule: MirrorRuleDocument, index: number, number: number): NativeTree {
  const at = `rules/${index}`;
  const mode = rule.mode ?? 'mirror';
  if (mode === 'redirect-async') {
    throw cannotExpress(`${at}/mode`, 'OSS has no redirect that also copies the object');
  }
  if ((rule.acl ?? 'private') !== 'private') {
    throw cannotExpress(`${at}/acl`, 'OSS stores mirrored objects with the default ACL only');
  }
  const redirect: NativeTree = { RedirectType: mode === 'mirror' ? 'Mirror' : 'External' };
  Object.assign(redirect, mode === 'mirror' ? renderMirrorTarget(rule, at) : renderExternalTarget(rule, at));
  if (mode === 'redirect' && rule.passQueryString === true) redirect.PassQueryString = 'true';
  if (rule.followRedirects === false) redirect.MirrorFollowRedirect = 'false';
  if (rule.checkMd5 === true) redirect.MirrorCheckMd5 = 'true';
  const switchAllErrors = renderFailover(rule.failoverOn, at);
  if (switchAllErrors !== undefined) redirect.MirrorSwitchAllErrors = switchAllErrors;
  if (rule.writeBack === false) redirect.MirrorProxyPass = 'true';
  if (rule.triggerOnHead === true) redirect.MirrorAllowHeadObject = 'true';
  const headers = renderHeaders(rule.headers, at);
  if (headers !== undefined) redirect.MirrorHeaders = headers;
  const rewrite = rule.keyRewrite;
  if (rewrite !== undefined && 'replacePrefixWith' in rewrite) {
    redirect.EnableReplacePrefix = 'true';
    redirect.ReplaceKeyPrefixWith = xmlText(rewrite.replacePrefixWith, `${at}/keyRewrite/replacePrefixWith`);
  } else if (rewrite !== undefined) {
    if (rewrite.replaceKeyWith === '') {
      throw cannotExpress(
        `${at}/keyRewrite/replaceKeyWith`,
        'OSS reads an empty ReplaceKeyWith as no replacement',
      );
    }
    redirect.ReplaceKeyWith = xmlText(rewrite.replaceKeyWith, `${at}/keyRewrite/replaceKeyWith`);
  }
  return { RuleNumber: String(number), Condition: renderCondition(rule.condition, at), Redirect: redirect };
}

// ---------------------------------------------------------------------------------------------------

export const ossDialect: Dialect = {
  id: 'oss',
  title: 'Alibaba Cloud OSS PutBucketWebsite',
  contentType: 'application/xml',

  parse(body) {
    const website = readWebsiteConfiguration(body);
    website.allow(['RoutingRules', ...Object.keys(WEBSITE_SETTINGS)]);
    const extras = readWebsiteSettings(website);
    // OSS wants at least one of IndexDocument, ErrorDocument and RoutingRules [oss-put][oss-go2].
    const routingRules = website.child('RoutingRules');
    if (routingRules === undefined) {
      if (Object.keys(extras).length === 0) {
        throw malformed('WebsiteConfiguration needs a RoutingRules, IndexDocument or ErrorDocument element');
      }
      return { configuration: { rules: [] }, extras };
    }
    routingRules.allow(['RoutingRule']);
    const nodes = routingRules.all('RoutingRule');
    if (nodes.length > MAX_RULES) {
      throw invalidArgument(
        `RoutingRules: at most ${MAX_RULES} RoutingRule are allowed, got ${nodes.length}`,
      );
    }
    const rules = nodes.map((node, index) =>
      parseRule(Element.of(node, `RoutingRules/RoutingRule[${index + 1}]`)),
    );
    const numbers = rules.map(({ number }) => number);
    const repeated = numbers.find((number, index) => numbers.indexOf(number) !== index);
    if (repeated !== undefined) {
      throw invalidArgument(`RoutingRules: RuleNumber ${repeated} is used by more than one RoutingRule`);
    }
    // Rules are tried in RuleNumber order, first match only [oss-put][oss-guide].
    rules.sort((a, b) => a.number - b.number);
    return { configuration: { rules: rules.map(({ rule }) => rule) }, extras };
  },

  // The extras are the static-website settings, written back as they came.
  render(configuration, extras) {
    const { rules } = configuration;
    if (rules.length > MAX_RULES) {
      throw cannotExpress('rules', `OSS takes at most ${MAX_RULES} RoutingRule`);
    }
    const numbers = ruleNumbers(rules.map(({ id }) => id));
    const routingRule = rules.map((rule, index) => renderRule(rule, index, numbers[index] ?? index + 1));
    const xml = builder.build({
      WebsiteConfiguration: { ...websiteSettingsOf(extras), RoutingRules: { RoutingRule: routingRule } },
    }) as string;
    // The builder leaves CR as is, which an XML reader turns into LF; the reference keeps it.
    return XML_DECLARATION + xml.replaceAll('\r', '&#13;');
  },

  errors: {
    // GetBucketWebsite on a bucket without a website configuration [oss-get-zh-old].
    noConfiguration: (bucket) =>
      new DialectError(
        404,
        'NoSuchWebsiteConfiguration',
        `The bucket '${bucket}' has no website configuration; ${ruleCall('PUT', oss.ruleApi.address)} with RoutingRules to add mirror rules.`,
      ),
    // OSS answers a bad value in a PutBucketWebsite body with InvalidArgument
    // (https://help.aliyun.com/en/oss/user-guide/0019-00000002).
    invalid: (message) => invalidArgument(message),
  },

  // The OSS error body: Code, Message, RequestId, HostId
  // (https://www.alibabacloud.com/help/en/object-storage-service/latest/oss-error-response). The context
  // names the resource, not the Host the request was sent to, so HostId carries the resource.
  errorBody(error, { requestId, resource }) {
    const body = builder.build({
      Error: { Code: error.code, Message: error.message, RequestId: requestId, HostId: resource },
    }) as string;
    return { contentType: 'application/xml', body: XML_DECLARATION + body };
  },

  // PutBucketWebsite answers 200 [oss-put]; DeleteBucketWebsite 204
  // (https://www.alibabacloud.com/help/en/oss/developer-reference/deletebucketwebsite).
  putAnswer: () => ({ status: 200 }),
  deleteAnswer: () => ({ status: 204 }),
};
