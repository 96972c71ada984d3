// The parse side of the KS3 dialect: a native document to neutral rules, refusing by name what the model
// cannot carry. The header of dialect.ts gives the sources.
import { DialectError, type NativeDocument } from '../../dialects/dialect.ts';
import { fieldPath, fieldReaders, type JsonObject, presentField } from '../../dialects/json-fields.ts';
import type { HeaderPolicyDocument, MirrorRuleDocument } from '../../model.ts';

// The wire shape, field names and order after the Go SDK model [ks3-go-model].
interface Ks3SavingSetting {
  acl: ObjectAcl;
}
export interface Ks3HeaderSetting {
  set_headers?: { key: string; value: string }[];
  remove_headers?: { key: string }[];
  pass_all?: boolean;
  pass_headers?: { key: string }[];
}
export interface Ks3RequestSetting {
  pass_query_string?: boolean;
  follow3xx?: boolean;
  header_setting?: Ks3HeaderSetting;
}
export interface Ks3SyncRule {
  match_condition: { http_codes: ['404']; key_prefixes?: [string] };
  mirror_url: string;
  mirror_request_setting?: Ks3RequestSetting;
  saving_setting?: Ks3SavingSetting;
  mirror_type?: string;
}
export interface Ks3AsyncRule {
  mirror_urls: string[];
  saving_setting: Ks3SavingSetting;
  mirror_type?: string;
}

/** What `parse` keeps beside the rules and `render` writes back; `mirror_type` is keyed by neutral rule id. */
type Ks3Extras = {
  version: 'V3';
  use_default_robots: boolean;
  mirror_type?: Record<string, string>;
};

// Sources: field lists [ks3-go-model]; limits and the one-prefix, one-origin, 404-only rules [ks3-go-test]
// [ks3-sync]. `created_time` and `last_modified_time` are output-only: GET adds them, PUT accepts a GET body.
const TOP_FIELDS = [
  'version',
  'use_default_robots',
  'async_mirror_rule',
  'sync_mirror_rules',
  'created_time',
  'last_modified_time',
] as const;
const ASYNC_FIELDS = ['mirror_urls', 'saving_setting', 'mirror_type'] as const;
const SYNC_FIELDS = [
  'match_condition',
  'mirror_url',
  'mirror_request_setting',
  'saving_setting',
  'mirror_type',
] as const;
const MATCH_FIELDS = ['http_codes', 'key_prefixes'] as const;
const REQUEST_FIELDS = ['pass_query_string', 'follow3xx', 'header_setting'] as const;
const HEADER_FIELDS = ['set_headers', 'remove_headers', 'pass_all', 'pass_headers'] as const;
const SAVING_FIELDS = ['acl'] as const;

export const MAX_SYNC_RULES = 20;
export const MAX_ASYNC_URLS = 10;
const MAX_ORIGIN_HOST = 256;
const MAX_ORIGIN_PATH = 1024;
export const ASYNC_ID = 'async';

// KS3 accepts only these two canned ACLs on objects; `public-read-write` is a bucket ACL there
// (https://docs.ksyun.com/documents/42968), and the console offers private or public (default private).
export const OBJECT_ACLS = ['private', 'public-read'] as const;
export type ObjectAcl = (typeof OBJECT_ACLS)[number];

// KS3 documents that `use_default_robots: true` writes a robots.txt into the bucket [ks3-go-test]
// [ks3-async-en] but not what it says; this body, which keeps every crawler out, is our choice.
const DEFAULT_ROBOTS = { key: 'robots.txt', contentType: 'text/plain', body: 'User-agent: *\nDisallow: /\n' };

// KS3 refuses its own service domains as origins, bucket-style and path-style alike [ks3-sync]. Its
// endpoints are `ks3-<region>.ksyuncs.com` (older `ks3-<region>.ksyun.com`, `kss.ksyun.com`).
const KS3_SERVICE_HOST = /(^|\.)(ks3-[a-z0-9-]+|kss)\.ksyun(cs)?\.com$/i;

// No KS3 page names a code for a malformed or invalid mirror body; S3's `InvalidArgument` is our choice.
export function invalid(message: string): DialectError {
  return new DialectError(400, 'InvalidArgument', message);
}

function notImplemented(paths: string[]): DialectError {
  const names = paths.map((path) => `'${path}'`).join(', ');
  const them = paths.length === 1 ? 'it' : 'them';
  return new DialectError(
    501,
    'NotImplemented',
    `the simulator does not model ${names} in a KS3 mirror configuration; remove ${them}`,
  );
}

const { object: jsonObject, string: stringAt, boolean: booleanAt, list: listAt } = fieldReaders(invalid);

/** The object at `path`, after refusing by name every field the KS3 model does not have. */
function objectAt(value: unknown, path: string, known: readonly string[]): JsonObject {
  const fields = jsonObject(value, path);
  const unknownFields = Object.keys(fields).filter((name) => !known.includes(name));
  if (unknownFields.length > 0) throw notImplemented(unknownFields.map((name) => fieldPath(path, name)));
  return fields;
}

function checkOrigin(url: string, path: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(`${path} '${url}' is not an absolute URL; write it as http(s)://host[:port][/path]`);
  }
  if (!/^https?:\/\//i.test(url) || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw invalid(`${path} '${url}' must start with http:// or https://`);
  }
  if (parsed.hostname.length > MAX_ORIGIN_HOST) {
    throw invalid(
      `the host of ${path} has ${parsed.hostname.length} characters; KS3 allows at most ${MAX_ORIGIN_HOST}`,
    );
  }
  if (parsed.pathname.length > MAX_ORIGIN_PATH) {
    throw invalid(
      `the path of ${path} has ${parsed.pathname.length} characters; KS3 allows at most ${MAX_ORIGIN_PATH}`,
    );
  }
  if (KS3_SERVICE_HOST.test(parsed.hostname)) {
    throw invalid(`${path} '${url}' is a KS3 service domain, which KS3 does not accept as an origin`);
  }
}

function parseSavingSetting(value: unknown, path: string, required: boolean): ObjectAcl | undefined {
  if (value === undefined) {
    if (required) throw invalid(`${path} is required: give it an acl (${OBJECT_ACLS.join(' or ')})`);
    return undefined;
  }
  const acl = stringAt(objectAt(value, path, SAVING_FIELDS), 'acl', path);
  if (acl === undefined) {
    if (required) throw invalid(`${path}.acl is required (${OBJECT_ACLS.join(' or ')})`);
    return undefined;
  }
  if (!(OBJECT_ACLS as readonly string[]).includes(acl)) {
    throw invalid(`${path}.acl '${acl}' is not an object ACL KS3 accepts; use ${OBJECT_ACLS.join(' or ')}`);
  }
  return acl as ObjectAcl;
}

/** The rule's key prefix, if any. Omitting `match_condition` means every missing key [ks3-go-test]. */
function parseMatchCondition(value: unknown, path: string): string | undefined {
  if (value === undefined) return undefined;
  const fields = objectAt(value, path, MATCH_FIELDS);
  const codes = listAt(fields, 'http_codes', path) ?? [];
  if (codes.length > 1 || codes.some((code) => code !== '404')) {
    throw invalid(`${path}.http_codes must be ["404"]: KS3 mirrors only on 404`);
  }
  // The KS3 Python SDK's MatchCondition sends `key_prefixes: ""` when it is given no prefix.
  const raw = presentField(fields, 'key_prefixes');
  if (raw === '') return undefined;
  const prefixes = listAt(fields, 'key_prefixes', path) ?? [];
  if (prefixes.length > 1) {
    throw invalid(
      `${path}.key_prefixes has ${prefixes.length} prefixes; KS3 takes one per rule, so split the rule`,
    );
  }
  const [prefix] = prefixes;
  if (prefix !== undefined && typeof prefix !== 'string') {
    throw invalid(`${path}.key_prefixes[0] must be a string`);
  }
  return prefix;
}

function headerKeys(list: unknown[] | undefined, path: string): string[] | undefined {
  return list?.map((item, index) => {
    const itemPath = `${path}[${index}]`;
    const key = stringAt(objectAt(item, itemPath, ['key']), 'key', itemPath);
    if (key === undefined) throw invalid(`${itemPath}.key is required`);
    return key;
  });
}

function parseHeaderSetting(value: unknown, path: string): HeaderPolicyDocument {
  const fields = objectAt(value, path, HEADER_FIELDS);
  const policy: HeaderPolicyDocument = {};
  const setPath = fieldPath(path, 'set_headers');
  const set = listAt(fields, 'set_headers', path)?.map((item, index) => {
    const itemPath = `${setPath}[${index}]`;
    const header = objectAt(item, itemPath, ['key', 'value']);
    const name = stringAt(header, 'key', itemPath);
    const headerValue = stringAt(header, 'value', itemPath);
    if (name === undefined || headerValue === undefined) {
      throw invalid(`${itemPath} needs both key and value`);
    }
    return { name, value: headerValue };
  });
  if (set !== undefined) policy.set = set;
  const remove = headerKeys(listAt(fields, 'remove_headers', path), fieldPath(path, 'remove_headers'));
  if (remove !== undefined) policy.remove = remove;
  const passAll = booleanAt(fields, 'pass_all', path);
  if (passAll !== undefined) policy.passAll = passAll;
  const pass = headerKeys(listAt(fields, 'pass_headers', path), fieldPath(path, 'pass_headers'));
  if (pass !== undefined) policy.pass = pass;
  if (passAll === true && pass !== undefined && pass.length > 0) {
    throw invalid(`${path}: pass_all and pass_headers exclude each other; keep one of them`);
  }
  return policy;
}

function parseSyncRule(
  value: unknown,
  index: number,
  mirrorTypes: Record<string, string>,
): MirrorRuleDocument {
  const path = `sync_mirror_rules[${index}]`;
  const fields = objectAt(value, path, SYNC_FIELDS);
  const id = `sync-${index + 1}`;
  const url = stringAt(fields, 'mirror_url', path);
  if (url === undefined) throw invalid(`${path}.mirror_url is required: the rule's one origin`);
  checkOrigin(url, fieldPath(path, 'mirror_url'));
  const rule: MirrorRuleDocument = { id, mode: 'mirror', origins: [url] };
  const prefix = parseMatchCondition(
    presentField(fields, 'match_condition'),
    fieldPath(path, 'match_condition'),
  );
  if (prefix !== undefined) rule.condition = { keyPrefix: prefix };
  const settingValue = presentField(fields, 'mirror_request_setting');
  if (settingValue !== undefined) {
    const settingPath = fieldPath(path, 'mirror_request_setting');
    const setting = objectAt(settingValue, settingPath, REQUEST_FIELDS);
    const passQueryString = booleanAt(setting, 'pass_query_string', settingPath);
    if (passQueryString !== undefined) rule.passQueryString = passQueryString;
    // KS3 does not say what an absent follow3xx means; absent stays absent (the neutral default).
    const follow = booleanAt(setting, 'follow3xx', settingPath);
    if (follow !== undefined) rule.followRedirects = follow;
    const headers = presentField(setting, 'header_setting');
    if (headers !== undefined)
      rule.headers = parseHeaderSetting(headers, fieldPath(settingPath, 'header_setting'));
  }
  const acl = parseSavingSetting(
    presentField(fields, 'saving_setting'),
    fieldPath(path, 'saving_setting'),
    false,
  );
  if (acl !== undefined) rule.acl = acl;
  const mirrorType = stringAt(fields, 'mirror_type', path);
  if (mirrorType !== undefined) mirrorTypes[id] = mirrorType;
  return rule;
}

function parseAsyncRule(value: unknown, mirrorTypes: Record<string, string>): MirrorRuleDocument {
  const path = 'async_mirror_rule';
  const fields = objectAt(value, path, ASYNC_FIELDS);
  const urls = listAt(fields, 'mirror_urls', path) ?? [];
  if (urls.length === 0 || urls.length > MAX_ASYNC_URLS) {
    throw invalid(`${path}.mirror_urls has ${urls.length} URLs; give from 1 to ${MAX_ASYNC_URLS}`);
  }
  const origins = urls.map((url, index) => {
    const urlPath = `${path}.mirror_urls[${index}]`;
    if (typeof url !== 'string') throw invalid(`${urlPath} must be a string`);
    checkOrigin(url, urlPath);
    return url;
  });
  const acl = parseSavingSetting(
    presentField(fields, 'saving_setting'),
    fieldPath(path, 'saving_setting'),
    true,
  );
  const mirrorType = stringAt(fields, 'mirror_type', path);
  if (mirrorType !== undefined) mirrorTypes[ASYNC_ID] = mirrorType;
  return { id: ASYNC_ID, mode: 'redirect-async', origins, ...(acl === undefined ? {} : { acl }) };
}

export function parse(body: string): NativeDocument {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch (error) {
    throw invalid(
      `the body is not valid JSON (${(error as Error).message}); send the mirror configuration as JSON`,
    );
  }
  const top = objectAt(document, '', TOP_FIELDS);
  const version = stringAt(top, 'version', '') ?? 'V3';
  if (version !== 'V3') {
    throw invalid(`version '${version}' is not supported; KS3 mirror configurations are 'V3'`);
  }
  const useDefaultRobots = booleanAt(top, 'use_default_robots', '') ?? false;
  stringAt(top, 'created_time', '');
  stringAt(top, 'last_modified_time', '');
  const sync = listAt(top, 'sync_mirror_rules', '') ?? [];
  if (sync.length > MAX_SYNC_RULES) {
    throw invalid(`sync_mirror_rules has ${sync.length} rules; KS3 allows at most ${MAX_SYNC_RULES}`);
  }
  const asyncRule = presentField(top, 'async_mirror_rule');
  if (sync.length === 0 && asyncRule === undefined) {
    throw invalid('the configuration has no rule: give async_mirror_rule, sync_mirror_rules or both');
  }
  const mirrorTypes: Record<string, string> = {};
  const rules = sync.map((rule, index) => parseSyncRule(rule, index, mirrorTypes));
  // Sync rules are tried in order (https://docs.ksyun.com/documents/42458); KS3 does not say how they rank
  // against the async rule. The async rule has no condition, so placing it first would make every sync
  // rule unreachable, while the SDK lets both coexist [ks3-go-test]: it goes last, as the fallback for
  // keys no sync rule takes.
  if (asyncRule !== undefined) rules.push(parseAsyncRule(asyncRule, mirrorTypes));
  const extras: Ks3Extras = { version: 'V3', use_default_robots: useDefaultRobots };
  if (Object.keys(mirrorTypes).length > 0) extras.mirror_type = mirrorTypes;
  const parsed: NativeDocument = { configuration: { rules }, extras };
  if (useDefaultRobots) parsed.objects = [{ ...DEFAULT_ROBOTS }];
  return parsed;
}
