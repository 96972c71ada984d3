// The parse side of the OBS dialect: a native document to neutral rules, refusing by name what the model
// cannot carry. The header of dialect.ts gives the sources.
import { DialectError, type NativeDocument, type NativeExtras } from '../../dialects/dialect.ts';
import { isJsonObject, type JsonObject } from '../../dialects/json-fields.ts';
import type { HeaderPolicyDocument, MirrorRuleDocument } from '../../model.ts';
import { ruleCall } from '../vendor.ts';
import { obs } from './vendor.ts';

/** 1 to 10 rules a bucket [obs-api][obs-api-zh]. */
export const MAX_RULES = 10;
/** `objectKeyPrefixEquals` holds 0 to 1023 characters [obs-zhishi][obs-api]. */
export const MAX_PREFIX_LENGTH = 1023;
/** At most 20 `retryConditions` [obs-zhishi]. */
const MAX_RETRY_CONDITIONS = 20;
/** Rule ids [obs-api]; the neutral spec uses the same alphabet and length. */
const RULE_ID = /^[A-Za-z0-9_-]{1,256}$/;
/** A status class or an exact status from 400 to 599 [obs-zhishi]. */
const RETRY_CONDITION = /^(4XX|5XX|4[0-9][0-9]|5[0-9][0-9])$/;

/** The fields this translator reads, per object of the document; any other field is refused by name. */
const FIELDS = {
  root: ['rules'],
  rule: ['id', 'condition', 'redirect'],
  condition: ['httpErrorCodeReturnedEquals', 'objectKeyPrefixEquals'],
  redirect: [
    'agency',
    'publicSource',
    'retryConditions',
    'passQueryString',
    'mirrorFollowRedirect',
    'redirectWithoutReferer',
    'mirrorHttpHeader',
    'replaceKeyWith',
    'replaceKeyPrefixWith',
    'mirrorAllowHttpMethod',
  ],
  publicSource: ['sourceEndpoint'],
  sourceEndpoint: ['master', 'slave'],
  mirrorHttpHeader: ['passAll', 'pass', 'remove', 'set'],
  headerSet: ['key', 'value'],
} as const;

/** Why the documented OBS fields the neutral model has no place for are refused [obs-api-zh][obs-get]. */
const UNMODELLED: Readonly<Record<string, string>> = {
  vpcEndpointURN: 'origins reached through a VPC endpoint (vpcEndpointURN)',
  privateSource: 'private-bucket origins (privateSource)',
};

/** What a rule keeps beside the neutral rule, under its id in `extras.rules`. */
export interface RuleExtras {
  /** How many of the rule's origins are `master`; the rest are `slave`. */
  masters?: number;
  /** The IAM agency OBS acts as to look up and write objects [obs-zhishi]; the simulator checks no IAM. */
  agency?: string;
  /**
   * Drop `Referer` on redirects [obs-get]. Kept and read back; the simulator sends an origin `Referer`
   * only when the header policy passes it, with or without this flag.
   */
  redirectWithoutReferer?: boolean;
}

export interface ObsRule {
  id: string;
  condition: { httpErrorCodeReturnedEquals: 404; objectKeyPrefixEquals?: string };
  redirect: {
    agency?: string;
    publicSource: { sourceEndpoint: { master: string[]; slave?: string[] } };
    retryConditions?: string[];
    passQueryString: boolean;
    mirrorFollowRedirect: boolean;
    redirectWithoutReferer?: boolean;
    mirrorHttpHeader?: {
      passAll?: true;
      pass?: string[];
      remove?: string[];
      set?: { key: string; value: string }[];
    };
    replaceKeyWith?: string;
    replaceKeyPrefixWith?: string;
    mirrorAllowHttpMethod?: ['HEAD'];
  };
}

/** A value as it appeared in the document, short enough for a message. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function characters(text: string): number {
  return [...text].length;
}

export function invalidArgument(message: string): DialectError {
  return new DialectError(400, 'InvalidArgument', message);
}

// 501 `NotImplemented`, the code every dialect gives for a vendor field the simulator does not model, so a
// client can tell this refusal from the vendor's own; OBS's error table calls its 501 `ServiceNotImplemented`
// (https://support.huaweicloud.com/intl/en-us/sdk-go-devg-obs/obs_23_1601.html).
function notImplemented(path: string, what: string): DialectError {
  return new DialectError(
    501,
    'NotImplemented',
    `${path} is not implemented: the simulator does not model ${what}; remove it to configure this bucket`,
  );
}

/** Refuses, by name, every field of `object` that is not in `known`. */
function refuseUnknown(object: JsonObject, known: readonly string[], path: string): void {
  for (const key of Object.keys(object)) {
    if (known.includes(key)) continue;
    const name = path === '' ? key : `${path}.${key}`;
    throw notImplemented(name, UNMODELLED[key] ?? `the field '${key}'`);
  }
}

function readObject(value: unknown, path: string, shape: string): JsonObject {
  if (!isJsonObject(value)) throw invalidArgument(`${path} must be an object (${shape}), got ${show(value)}`);
  return value;
}

function optionalBoolean(object: JsonObject, key: string, path: string): boolean | undefined {
  const value = object[key];
  if (value === undefined || typeof value === 'boolean') return value;
  throw invalidArgument(`${path}.${key} must be true or false, got ${show(value)}`);
}

function optionalString(object: JsonObject, key: string, path: string): string | undefined {
  const value = object[key];
  if (value === undefined || typeof value === 'string') return value;
  throw invalidArgument(`${path}.${key} must be a string, got ${show(value)}`);
}

function stringList(value: unknown, path: string): string[] {
  if (!Array.isArray(value)) throw invalidArgument(`${path} must be an array of strings, got ${show(value)}`);
  return value.map((item, index) => {
    if (typeof item === 'string') return item;
    throw invalidArgument(`${path}[${index}] must be a string, got ${show(item)}`);
  });
}

function readJson(body: string): JsonObject {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch (error) {
    // OBS documents no code for a body of this API it cannot read; MalformedXML is the code its error
    // table gives for a configuration body in the wrong format
    // (https://support.huaweicloud.com/intl/en-us/sdk-go-devg-obs/obs_23_1601.html).
    throw new DialectError(
      400,
      'MalformedXML',
      `the body is not valid JSON (${(error as Error).message}); send {"rules": [...]} as in the OBS API reference`,
    );
  }
  if (isJsonObject(document)) return document;
  throw new DialectError(
    400,
    'MalformedXML',
    `the body must be a JSON object {"rules": [...]}, got ${show(document)}`,
  );
}

/** The first two rules whose prefixes are equal or one starts with the other; no prefix is the empty one. */
export function prefixConflict(prefixes: readonly (string | undefined)[]): [number, number] | undefined {
  for (let later = 1; later < prefixes.length; later += 1) {
    const b = prefixes[later] ?? '';
    for (let earlier = 0; earlier < later; earlier += 1) {
      const a = prefixes[earlier] ?? '';
      if (a.startsWith(b) || b.startsWith(a)) return [earlier, later];
    }
  }
  return undefined;
}

export function parseDocument(body: string): NativeDocument {
  const root = readJson(body);
  refuseUnknown(root, FIELDS.root, '');
  const rules = root.rules;
  if (!Array.isArray(rules)) {
    throw invalidArgument(`'rules' is required: an array of 1 to ${MAX_RULES} rules, got ${show(rules)}`);
  }
  if (rules.length === 0 || rules.length > MAX_RULES) {
    throw invalidArgument(
      `'rules' holds ${rules.length} rules; OBS takes 1 to ${MAX_RULES} (to remove every rule, ${ruleCall('DELETE', obs.ruleApi.address)})`,
    );
  }
  const parsed = rules.map((rule, index) => parseRule(rule, `rules[${index}]`));
  const seen = new Map<string, number>();
  parsed.forEach(({ rule }, index) => {
    const first = seen.get(rule.id);
    if (first !== undefined) {
      throw invalidArgument(
        `rules[${first}] and rules[${index}] are both named '${rule.id}'; rule ids must be unique`,
      );
    }
    seen.set(rule.id, index);
  });
  const conflict = prefixConflict(parsed.map(({ rule }) => rule.condition?.keyPrefix));
  if (conflict) {
    const named = (index: number) => {
      const rule = parsed[index]?.rule;
      return `rules[${index}] ('${rule?.id}', prefix ${show(rule?.condition?.keyPrefix ?? '')})`;
    };
    throw invalidArgument(
      `${named(conflict[0])} and ${named(conflict[1])}: OBS refuses prefixes that are equal or start with one ` +
        'another, and no prefix is the empty one, which starts every key; give each rule a prefix of its own',
    );
  }
  return {
    configuration: { rules: parsed.map(({ rule }) => rule) },
    // fromEntries makes own properties, so even a rule named `__proto__` keeps its extras.
    extras: { rules: Object.fromEntries(parsed.map(({ rule, extras }) => [rule.id, extras])) },
  };
}

function parseRule(value: unknown, path: string): { rule: MirrorRuleDocument; extras: RuleExtras } {
  const object = readObject(value, path, 'id, condition, redirect');
  refuseUnknown(object, FIELDS.rule, path);
  const { id } = object;
  if (typeof id !== 'string' || !RULE_ID.test(id)) {
    throw invalidArgument(`${path}.id must be 1 to 256 letters, digits, '_' or '-', got ${show(id)}`);
  }
  const keyPrefix = parseCondition(object.condition, `${path}.condition`);
  const redirectPath = `${path}.redirect`;
  const redirect = readObject(object.redirect, redirectPath, 'agency, publicSource, ...');
  refuseUnknown(redirect, FIELDS.redirect, redirectPath);

  const agency = optionalString(redirect, 'agency', redirectPath);
  if (agency === undefined || agency === '') {
    throw invalidArgument(
      `${redirectPath}.agency is required: name the IAM agency that lets OBS read and write the bucket`,
    );
  }
  const { master, slave } = parseSourceEndpoint(redirect.publicSource, `${redirectPath}.publicSource`);
  const rule: MirrorRuleDocument = { id, origins: [...master, ...slave] };
  const extras: RuleExtras = { masters: master.length, agency };
  const redirectWithoutReferer = optionalBoolean(redirect, 'redirectWithoutReferer', redirectPath);
  if (redirectWithoutReferer !== undefined) extras.redirectWithoutReferer = redirectWithoutReferer;

  if (keyPrefix !== undefined) rule.condition = { keyPrefix };
  const replaceKeyWith = optionalString(redirect, 'replaceKeyWith', redirectPath);
  const replaceKeyPrefixWith = optionalString(redirect, 'replaceKeyPrefixWith', redirectPath);
  if (replaceKeyWith !== undefined && replaceKeyPrefixWith !== undefined) {
    // OBS's own sample shows both [obs-get] without saying which wins; the neutral rule rewrites one way.
    throw notImplemented(
      `${redirectPath}.replaceKeyWith together with replaceKeyPrefixWith`,
      'two key rewrites in one rule (keep one of them)',
    );
  }
  if (replaceKeyWith !== undefined) rule.keyRewrite = { replaceKeyWith };
  if (replaceKeyPrefixWith !== undefined) rule.keyRewrite = { replacePrefixWith: replaceKeyPrefixWith };
  if (optionalBoolean(redirect, 'passQueryString', redirectPath) === true) rule.passQueryString = true;
  if (optionalBoolean(redirect, 'mirrorFollowRedirect', redirectPath) === false) rule.followRedirects = false;
  if (redirect.mirrorHttpHeader !== undefined) {
    const headers = parseHeaderPolicy(redirect.mirrorHttpHeader, `${redirectPath}.mirrorHttpHeader`);
    if (headers !== undefined) rule.headers = headers;
  }
  if (redirect.mirrorAllowHttpMethod !== undefined) {
    parseAllowedMethods(redirect.mirrorAllowHttpMethod, `${redirectPath}.mirrorAllowHttpMethod`);
    rule.triggerOnHead = true;
  }
  if (redirect.retryConditions !== undefined) {
    rule.failoverOn = parseRetryConditions(redirect.retryConditions, `${redirectPath}.retryConditions`);
  }
  return { rule, extras };
}

/** The key prefix; the trigger is always 404 [obs-api-zh], which the neutral rule says by being a rule. */
function parseCondition(value: unknown, path: string): string | undefined {
  const condition = readObject(value, path, 'httpErrorCodeReturnedEquals: 404, objectKeyPrefixEquals');
  refuseUnknown(condition, FIELDS.condition, path);
  const code = condition.httpErrorCodeReturnedEquals;
  // The documented type is an integer [obs-api-zh]; OBS's Java SDK sends it as the string "404"
  // (https://github.com/xhyan926/huaweicloud-sdk-go-obs/blob/HEAD/src/main/java/com/obs/services/model/mirrorback/MirrorBackCondition.java).
  if (code !== 404 && code !== '404') {
    throw invalidArgument(
      `${path}.httpErrorCodeReturnedEquals must be 404, the only trigger OBS has, got ${show(code)}`,
    );
  }
  const prefix = optionalString(condition, 'objectKeyPrefixEquals', path);
  if (prefix !== undefined && characters(prefix) > MAX_PREFIX_LENGTH) {
    throw invalidArgument(
      `${path}.objectKeyPrefixEquals has ${characters(prefix)} characters; OBS allows at most ${MAX_PREFIX_LENGTH}`,
    );
  }
  return prefix;
}

function parseSourceEndpoint(value: unknown, path: string): { master: string[]; slave: string[] } {
  // `publicSource` is optional at OBS only beside `privateSource` [obs-api-zh], which is refused above.
  const publicSource = readObject(value, path, 'sourceEndpoint: {master, slave}');
  refuseUnknown(publicSource, FIELDS.publicSource, path);
  const endpointPath = `${path}.sourceEndpoint`;
  const endpoint = readObject(publicSource.sourceEndpoint, endpointPath, 'master, slave');
  refuseUnknown(endpoint, FIELDS.sourceEndpoint, endpointPath);
  const master = stringList(endpoint.master, `${endpointPath}.master`);
  if (master.length === 0) throw invalidArgument(`${endpointPath}.master must name at least one origin`);
  const slave = endpoint.slave === undefined ? [] : stringList(endpoint.slave, `${endpointPath}.slave`);
  return { master, slave };
}

function parseHeaderPolicy(value: unknown, path: string): HeaderPolicyDocument | undefined {
  const header = readObject(value, path, 'passAll, pass, remove, set');
  refuseUnknown(header, FIELDS.mirrorHttpHeader, path);
  const policy: HeaderPolicyDocument = {};
  if (optionalBoolean(header, 'passAll', path) === true) policy.passAll = true;
  const pass = header.pass === undefined ? [] : stringList(header.pass, `${path}.pass`);
  if (pass.length > 0) policy.pass = pass;
  const remove = header.remove === undefined ? [] : stringList(header.remove, `${path}.remove`);
  if (remove.length > 0) policy.remove = remove;
  const set = header.set === undefined ? [] : parseHeaderSet(header.set, `${path}.set`);
  if (set.length > 0) policy.set = set;
  return Object.keys(policy).length > 0 ? policy : undefined;
}

function parseHeaderSet(value: unknown, path: string): { name: string; value: string }[] {
  if (!Array.isArray(value))
    throw invalidArgument(`${path} must be an array of {key, value}, got ${show(value)}`);
  return value.map((item, index) => {
    const entryPath = `${path}[${index}]`;
    const entry = readObject(item, entryPath, 'key, value');
    refuseUnknown(entry, FIELDS.headerSet, entryPath);
    const name = optionalString(entry, 'key', entryPath);
    const headerValue = optionalString(entry, 'value', entryPath);
    if (name === undefined || headerValue === undefined) {
      throw invalidArgument(`${entryPath} needs both 'key' (the header name) and 'value'`);
    }
    return { name, value: headerValue };
  });
}

/** HEAD is the one method OBS documents adding to GET, the default trigger [obs-api-zh][obs-guide]. */
function parseAllowedMethods(value: unknown, path: string): void {
  if (Array.isArray(value) && value.length === 1 && value[0] === 'HEAD') return;
  throw invalidArgument(`${path} must be ["HEAD"] (GET always triggers), got ${show(value)}`);
}

function parseRetryConditions(value: unknown, path: string): string[] {
  const conditions = stringList(value, path);
  if (conditions.length > MAX_RETRY_CONDITIONS) {
    throw invalidArgument(
      `${path} holds ${conditions.length} entries; OBS allows at most ${MAX_RETRY_CONDITIONS}`,
    );
  }
  conditions.forEach((condition, index) => {
    if (!RETRY_CONDITION.test(condition)) {
      throw invalidArgument(
        `${path}[${index}] must be '4XX', '5XX' or a status from 400 to 599, got ${show(condition)}`,
      );
    }
    if (conditions.indexOf(condition) !== index) throw invalidArgument(`${path} lists '${condition}' twice`);
  });
  for (const statusClass of ['4XX', '5XX']) {
    const exact = conditions.find(
      (condition) => condition !== statusClass && condition[0] === statusClass[0],
    );
    if (conditions.includes(statusClass) && exact !== undefined) {
      throw invalidArgument(
        `${path} lists '${statusClass}' and '${exact}': OBS does not mix a class with an exact code of that class`,
      );
    }
  }
  return conditions;
}

/** The extras a `parse` returned, read defensively: they are opaque data kept beside the configuration. */
export function readExtras(extras: NativeExtras | undefined): (id: string) => RuleExtras {
  const rules = extras?.rules;
  // A document-wide `agency` is the one every rule without its own uses: how the suite names the agency
  // of a real bucket once, for whatever rules a law writes.
  const shared = typeof extras?.agency === 'string' ? { agency: extras.agency } : {};
  return (id) => {
    const kept = isJsonObject(rules) && Object.hasOwn(rules, id) ? rules[id] : undefined;
    if (!isJsonObject(kept)) return { ...shared };
    const read: RuleExtras = { ...shared };
    if (Number.isInteger(kept.masters)) read.masters = kept.masters as number;
    if (typeof kept.agency === 'string') read.agency = kept.agency;
    if (typeof kept.redirectWithoutReferer === 'boolean')
      read.redirectWithoutReferer = kept.redirectWithoutReferer;
    return read;
  };
}
