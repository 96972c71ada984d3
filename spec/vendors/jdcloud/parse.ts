// The parse side of the JD Cloud dialect: a native document to neutral rules, refusing by name what the model
// cannot carry. The header of dialect.ts gives the sources.
import { DialectError } from '../../dialects/dialect.ts';
import {
  fieldPath,
  fieldReaders,
  isJsonObject,
  type JsonObject,
  presentField,
} from '../../dialects/json-fields.ts';
import type { HeaderPolicyDocument, KeyRewrite, MirrorRuleDocument } from '../../model.ts';

/** One rule as JD Cloud's OpenAPI spells it [jd-api]. */
export interface BackSourceRule {
  backSourceType: string;
  condition: { httpErrorCodeReturnedEquals: number; keyPrefixEquals?: string };
  address: { protocol: string; hostName: string; replaceKeyPrefixWith?: string; replaceKeyWith?: string };
  allowQueryString: boolean;
  followRedirects: boolean;
  headerRule: {
    allowAllHeaders: boolean;
    allowHeaders?: string[];
    notAllowHeaders?: string[];
    setHeaders?: Record<string, string>;
  };
}

/** "At most 5 rules can be configured" [jd-guide]. */
const MAX_RULES = 5;

/**
 * The one `backSourceType` the simulator models. The API reference names the field "back-to-origin type"
 * without listing its values [jd-api]; the guide describes a single kind of rule, mirroring ("image
 * back-to-origin": fetch, answer and write back) [jd-guide]. `mirror` is our spelling of it: no JD page
 * shows the value, so a real endpoint may want another word. An absent type is read as this one.
 */
export const MIRROR_TYPE = 'mirror';

/** The guide mirrors only when GetObject would answer 404 [jd-guide]; the condition says so explicitly. */
export const TRIGGER_STATUS = 404;

// JD Cloud's OpenAPI errors are `{ requestId, error: { code, status, message } }`: `code` the HTTP status,
// `status` a canonical name such as INVALID_ARGUMENT or NOT_FOUND (the Error model of JD's generated SDKs,
// https://github.com/jdcloud-api/jdcloud-sdk-python/blob/HEAD/jdcloud_sdk/services/ossopenapi/models/Error.py,
// and the return-code tables of JD's API reference). DialectError.code carries the `status` name.
const INVALID_ARGUMENT = 'INVALID_ARGUMENT';
export const NOT_FOUND = 'NOT_FOUND';
// JD's status names are the canonical error codes of Google's API design guide (INVALID_ARGUMENT,
// FAILED_PRECONDITION, OUT_OF_RANGE, NOT_FOUND, INTERNAL appear in JD's reference), whose answer for "not
// implemented" is UNIMPLEMENTED with HTTP 501. No JD page shows it: we use it for fields JD accepts but this
// simulator does not model, so they stay apart from documents JD itself refuses (400 INVALID_ARGUMENT).
const UNIMPLEMENTED = 'UNIMPLEMENTED';

export function invalidArgument(message: string): DialectError {
  return new DialectError(400, INVALID_ARGUMENT, message);
}

function notModelled(field: string, why: string, fix = 'remove it'): DialectError {
  return new DialectError(501, UNIMPLEMENTED, `${field} is not modelled by this simulator (${why}); ${fix}`);
}

// ---------------------------------------------------------------------------------------------------------
// Reading: JSON body to neutral rules.

const {
  object: jsonObject,
  string: optionalString,
  boolean: optionalBoolean,
} = fieldReaders(invalidArgument);

/**
 * The object at `at`, refusing by name every field that is not in `known`. A field holding `null` counts as
 * absent: JD's Go SDK sends every unset optional field as `null` (its models have no `omitempty`,
 * https://github.com/jdcloud-api/jdcloud-sdk-go/blob/HEAD/services/ossopenapi/models/BackSourceRule.go).
 */
function objectAt(value: unknown, at: string, known: readonly string[]): JsonObject {
  const record = jsonObject(value, at);
  for (const [name, field] of Object.entries(record)) {
    if (field !== null && !known.includes(name)) {
      throw notModelled(
        fieldPath(at, name),
        'JD Cloud documents no such field for back-to-source rules [jd-api]',
      );
    }
  }
  return record;
}

/**
 * The rules of a PUT body `{ backSourceRules }` [jd-api], of the GET answer's `result`, which JD's SDKs read
 * as the same `{ backSourceRules }`
 * (https://github.com/jdcloud-api/jdcloud-sdk-go/blob/HEAD/services/ossopenapi/apis/GetBackSourceConfiguration.go),
 * or of the `{ bucketBackSourceConfiguration: { backSourceRules } }` the API reference's GET page shows
 * (https://docs.jdcloud.com/cn/object-storage-service/api/getbacksourceconfiguration): so a GET can be PUT
 * back. `regionId` and `bucketName` are accepted and ignored: JD's Go SDK puts its path parameters in the
 * body too (core/ParameterBuilder.go removes only its own request fields), and the path already says them.
 */
export function rulesOf(document: unknown): { rule: unknown; at: string }[] {
  if (isJsonObject(document) && document.result != null) {
    throw invalidArgument('this is a getBackSourceConfiguration answer; PUT the object in its result field');
  }
  const top = objectAt(document, '', [
    'backSourceRules',
    'regionId',
    'bucketName',
    'bucketBackSourceConfiguration',
  ]);
  const wrapped = presentField(top, 'bucketBackSourceConfiguration');
  let holder = top;
  let at = '';
  if (wrapped !== undefined) {
    if (presentField(top, 'backSourceRules') !== undefined) {
      throw invalidArgument(
        'give backSourceRules or bucketBackSourceConfiguration.backSourceRules, not both',
      );
    }
    holder = objectAt(wrapped, 'bucketBackSourceConfiguration', ['backSourceRules']);
    at = 'bucketBackSourceConfiguration';
  }
  for (const name of ['regionId', 'bucketName']) optionalString(top, name, '');
  const rules = presentField(holder, 'backSourceRules');
  if (rules === undefined) return [];
  if (!Array.isArray(rules))
    throw invalidArgument(`${fieldPath(at, 'backSourceRules')} must be a JSON array`);
  if (rules.length > MAX_RULES) {
    throw invalidArgument(
      `${fieldPath(at, 'backSourceRules')} holds ${rules.length} rules; JD Cloud allows at most ${MAX_RULES} per bucket [jd-guide]`,
    );
  }
  return rules.map((rule, index) => ({ rule, at: `${fieldPath(at, 'backSourceRules')}[${index}]` }));
}

export function readRule({ rule, at }: { rule: unknown; at: string }, index: number): MirrorRuleDocument {
  const record = objectAt(rule, at, [
    'backSourceType',
    'condition',
    'address',
    'allowQueryString',
    'followRedirects',
    'headerRule',
  ]);
  const type = optionalString(record, 'backSourceType', at);
  if (type !== undefined && type !== MIRROR_TYPE) {
    throw notModelled(
      `${at}.backSourceType '${type}'`,
      `the one type modelled is '${MIRROR_TYPE}', the mirroring the JD guide describes [jd-guide]`,
      `write '${MIRROR_TYPE}' or leave backSourceType out`,
    );
  }
  const keyPrefix = readCondition(presentField(record, 'condition'), `${at}.condition`);
  const { origin, keyRewrite } = readAddress(presentField(record, 'address'), `${at}.address`);
  const passQueryString = optionalBoolean(record, 'allowQueryString', at);
  const followRedirects = optionalBoolean(record, 'followRedirects', at);
  const headers = readHeaderRule(presentField(record, 'headerRule'), `${at}.headerRule`);
  return {
    id: `rule-${index + 1}`,
    ...(keyPrefix === undefined ? {} : { condition: { keyPrefix } }),
    origins: [origin],
    ...(keyRewrite === undefined ? {} : { keyRewrite }),
    ...(passQueryString === undefined ? {} : { passQueryString }),
    ...(followRedirects === undefined ? {} : { followRedirects }),
    ...(headers === undefined ? {} : { headers }),
  };
}

function readCondition(value: unknown, at: string): string | undefined {
  if (value === undefined) return undefined;
  const record = objectAt(value, at, ['httpErrorCodeReturnedEquals', 'keyPrefixEquals']);
  const status = presentField(record, 'httpErrorCodeReturnedEquals');
  if (status !== undefined && status !== TRIGGER_STATUS) {
    if (typeof status !== 'number' || !Number.isInteger(status)) {
      throw invalidArgument(`${at}.httpErrorCodeReturnedEquals must be an integer HTTP status`);
    }
    throw notModelled(
      `${at}.httpErrorCodeReturnedEquals ${status}`,
      `JD Cloud mirrors only misses GetObject answers with ${TRIGGER_STATUS} [jd-guide]`,
      `write ${TRIGGER_STATUS} or leave it out`,
    );
  }
  return optionalString(record, 'keyPrefixEquals', at);
}

function readAddress(value: unknown, at: string): { origin: string; keyRewrite?: KeyRewrite } {
  // "The back-to-origin address is the required item" [jd-guide].
  if (value === undefined) throw invalidArgument(`${at} is required: give its protocol and hostName`);
  const record = objectAt(value, at, [
    'protocol',
    'hostName',
    'replaceKeyPrefixWith',
    'replaceKeyWith',
    'replaceKeySuffixWith',
  ]);
  const protocol = optionalString(record, 'protocol', at);
  if (protocol === undefined || !/^https?$/i.test(protocol)) {
    throw invalidArgument(`${at}.protocol must be http or https, got ${JSON.stringify(protocol ?? null)}`);
  }
  const hostName = optionalString(record, 'hostName', at);
  if (hostName === undefined) throw invalidArgument(`${at}.hostName is required`);
  const problem = hostNameProblem(hostName);
  if (problem) throw invalidArgument(`${at}.hostName: ${problem}`);
  if (presentField(record, 'replaceKeySuffixWith') !== undefined) {
    // A suffix rewrite needs to know which suffix, and a JD rule has no suffix condition: its effect is not
    // documented well enough to model, and the neutral KeyRewrite has no suffix form.
    throw notModelled(`${at}.replaceKeySuffixWith`, 'the neutral model has no suffix rewrite');
  }
  const replacePrefixWith = optionalString(record, 'replaceKeyPrefixWith', at);
  const replaceKeyWith = optionalString(record, 'replaceKeyWith', at);
  if (replacePrefixWith !== undefined && replaceKeyWith !== undefined) {
    throw notModelled(
      `${at}.replaceKeyPrefixWith together with ${at}.replaceKeyWith`,
      'JD Cloud does not say how the two combine',
      'keep one of them',
    );
  }
  const origin = `${protocol}://${hostName}`;
  if (replacePrefixWith !== undefined) return { origin, keyRewrite: { replacePrefixWith } };
  // JD does not say whether `${key}` expands in replaceKeyWith; it is read with the neutral meaning.
  if (replaceKeyWith !== undefined) return { origin, keyRewrite: { replaceKeyWith } };
  return { origin };
}

const HOST_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
const HOST_NAME = new RegExp(`^(\\[[0-9A-Fa-f:.]+\\]|${HOST_LABEL}(?:\\.${HOST_LABEL})*)(?::([0-9]{1,5}))?$`);
/** The origin host's length limit of the neutral model (KS3's), so a host read here stays valid there. */
const MAX_HOST = 256;
/**
 * JD Cloud's intranet endpoints, `s3-internal.<region>.jdcloud-oss.com` and its buckets' virtual hosts
 * (JD's endpoint table, documentation/Storage-and-CDN/Object-Storage-Service/API-Reference-S3-Compatible/
 * Regions-And-Endpoints.md in JD's docs repository): "the back-to-origin address does not support the OSS
 * intranet domain" [jd-guide].
 */
const INTRANET_ENDPOINT = /(^|\.)s3-internal\.[a-z0-9-]+\.jdcloud-oss\.com$/i;

/** Why `hostName` is not "a domain, an IP or a port" [jd-guide], or undefined. */
export function hostNameProblem(hostName: string): string | undefined {
  const match = HOST_NAME.exec(hostName);
  if (!match) {
    return `${JSON.stringify(hostName)} is not a domain or IP with an optional :port (no scheme, no path: JD Cloud's address has no path)`;
  }
  // What a URL cannot hold (a last label that is a number but no IPv4 address, as a.0) is no origin either.
  if (!URL.canParse(`http://${hostName}`)) return `${JSON.stringify(hostName)} is not a host a URL can name`;
  const host = match[1] ?? '';
  if (host.length > MAX_HOST)
    return `the host has ${host.length} characters; at most ${MAX_HOST} are allowed`;
  const port = match[2];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    return `port ${port} is outside 1 to 65535`;
  }
  if (INTRANET_ENDPOINT.test(host)) {
    return `${host} is a JD Cloud OSS intranet endpoint, which cannot be an origin [jd-guide]`;
  }
  return undefined;
}

/**
 * JD Cloud's own rule, not a copy of OSS's record: its guide says "The setting of HTTP header transmission
 * rule is not supported by the following HTTP header types: header with the following prefixes: x-oss-"
 * and lists these standard headers [jd-guide]. JD's object API is S3-compatible, so the prefix is the
 * guide's wording, kept as documented.
 */
export const UNCONFIGURABLE_PREFIX = 'x-oss-';
const UNCONFIGURABLE_HEADERS = new Set([
  'authorization',
  'authorization2',
  'content-length',
  'range',
  'date',
]);

export function unconfigurableHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return UNCONFIGURABLE_HEADERS.has(lower) || lower.startsWith(UNCONFIGURABLE_PREFIX);
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function checkHeaderName(name: string, at: string): void {
  if (!HEADER_NAME.test(name))
    throw invalidArgument(`${at}: ${JSON.stringify(name)} is not an HTTP header name`);
  if (unconfigurableHeader(name)) {
    throw invalidArgument(
      `${at}: '${name}' cannot be configured (${UNCONFIGURABLE_PREFIX} headers and authorization, authorization2, content-length, range, date never are) [jd-guide]`,
    );
  }
}

function readHeaderNames(record: JsonObject, name: string, at: string): string[] | undefined {
  const value = presentField(record, name);
  if (value === undefined) return undefined;
  if (!Array.isArray(value))
    throw invalidArgument(`${fieldPath(at, name)} must be a JSON array of header names`);
  return value.map((item, index) => {
    const itemAt = `${fieldPath(at, name)}[${index}]`;
    if (typeof item !== 'string') throw invalidArgument(`${itemAt} must be a string`);
    checkHeaderName(item, itemAt);
    return item;
  });
}

function readHeaderRule(value: unknown, at: string): HeaderPolicyDocument | undefined {
  if (value === undefined) return undefined;
  const record = objectAt(value, at, ['allowAllHeaders', 'allowHeaders', 'notAllowHeaders', 'setHeaders']);
  const passAll = optionalBoolean(record, 'allowAllHeaders', at);
  const pass = readHeaderNames(record, 'allowHeaders', at);
  const remove = readHeaderNames(record, 'notAllowHeaders', at);
  const setValue = presentField(record, 'setHeaders');
  let set: { name: string; value: string }[] | undefined;
  if (setValue !== undefined) {
    if (!isJsonObject(setValue)) {
      throw invalidArgument(`${at}.setHeaders must be a JSON object of header names to values`);
    }
    set = Object.entries(setValue).map(([name, headerValue]) => {
      const itemAt = `${at}.setHeaders.${name}`;
      checkHeaderName(name, itemAt);
      if (typeof headerValue !== 'string') throw invalidArgument(`${itemAt} must be a string`);
      if (/[\r\n\0]/.test(headerValue)) throw invalidArgument(`${itemAt} may not hold CR, LF or NUL`);
      return { name, value: headerValue };
    });
  }
  // Empty lists say nothing: they are left out, as an absent headerRule is.
  const policy: HeaderPolicyDocument = {
    ...(passAll === undefined ? {} : { passAll }),
    ...(pass === undefined || pass.length === 0 ? {} : { pass }),
    ...(remove === undefined || remove.length === 0 ? {} : { remove }),
    ...(set === undefined || set.length === 0 ? {} : { set }),
  };
  return Object.keys(policy).length === 0 ? undefined : policy;
}

export function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw invalidArgument(`the body is not valid JSON (${why}); send { "backSourceRules": [...] }`);
  }
}
