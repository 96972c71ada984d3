// Volcengine TOS's mirror-back rule API, PUT, GET and DELETE on the subresource the record (vendor.ts) names, with a JSON body both ways [tos-put],
// as a translator to and from the neutral configuration. The body is `{"Rules": [Rule...]}`, at most 20
// rules [tos-put]; each rule has an `ID`, a `Condition` (`HttpCode`, `KeyPrefix`, `KeySuffix`) and a
// `Redirect`: `RedirectType` Mirror or Async, `FetchSourceOnRedirect`, `PublicSource.SourceEndpoint`
// (`Primary`, `Follower`), `PassQuery`, `FollowRedirect`, `MirrorHeader` (`PassAll`, `Pass`, `Remove`)
// and `Transform` (`WithKeyPrefix`, `WithKeySuffix`, `ReplaceKeyPrefix`).
//
// [tos-put] https://www.volcengine.com/docs/6349/196036 (PutBucketMirrorBack)
// [tos-java] https://volcengine.com/docs/6349/173443 (the Java SDK's putBucketMirrorBack, its notes)
// [tos-guide] https://docs.byteplus.com/en/docs/tos/docs-setting-back-to-origin-rules
// [tos-redirect] https://docs.byteplus.com/en/docs/tos/Create-a-redirection-back-to-origin-rule
//
// Choices where TOS documents nothing (proposed, marked where they are made): the answers' codes, one
// Primary origin per rule, Follower origins as the failover list.

import type { Dialect, NativeDocument } from '../../dialects/dialect.ts';
import { DialectError, NotExpressible } from '../../dialects/dialect.ts';
import { fieldPath, fieldReaders, type JsonObject, presentField } from '../../dialects/json-fields.ts';
import type {
  HeaderPolicyDocument,
  KeyRewrite,
  MirrorConfigurationDocument,
  MirrorRuleDocument,
} from '../../model.ts';
import { ruleCall } from '../vendor.ts';
import { tos } from './vendor.ts';

/** "最多支持设置 20 条规则" (at most 20 rules) [tos-put]. */
const MAX_RULES = 20;
/** The one trigger TOS offers: "Currently only HTTP Status Code 404" [tos-guide]. */
const TRIGGER = 404;

/** The fields this model reads, by object; any other is refused by name. */
const FIELDS = {
  root: ['Rules'],
  rule: ['ID', 'Condition', 'Redirect'],
  condition: ['HttpCode', 'KeyPrefix', 'KeySuffix'],
  redirect: [
    'RedirectType',
    'FetchSourceOnRedirect',
    'PublicSource',
    'PassQuery',
    'FollowRedirect',
    'MirrorHeader',
    'Transform',
  ],
  publicSource: ['SourceEndpoint'],
  sourceEndpoint: ['Primary', 'Follower'],
  mirrorHeader: ['PassAll', 'Pass', 'Remove'],
  transform: ['WithKeyPrefix', 'WithKeySuffix', 'ReplaceKeyPrefix'],
  replaceKeyPrefix: ['KeyPrefix', 'ReplaceWith'],
} as const;

interface TosRule {
  ID: string;
  Condition: { HttpCode: number; KeyPrefix?: string; KeySuffix?: string };
  Redirect: {
    RedirectType: 'Mirror' | 'Async';
    FetchSourceOnRedirect?: boolean;
    PublicSource: { SourceEndpoint: { Primary: string[]; Follower?: string[] } };
    PassQuery: boolean;
    FollowRedirect: boolean;
    MirrorHeader?: { PassAll?: boolean; Pass?: string[]; Remove?: string[] };
    Transform?: {
      WithKeyPrefix?: string;
      WithKeySuffix?: string;
      ReplaceKeyPrefix?: { KeyPrefix: string; ReplaceWith: string };
    };
  };
}

// TOS's error table is not part of [tos-put]; InvalidArgument is the S3 code for a bad request field,
// which TOS's common errors share (proposed).
function invalidArgument(message: string): DialectError {
  return new DialectError(400, 'InvalidArgument', message);
}

// 501 `NotImplemented`, the code every dialect gives for a vendor field the simulator does not model.
function notImplemented(path: string): DialectError {
  return new DialectError(
    501,
    'NotImplemented',
    `${path} is not implemented: the simulator does not model it; remove it to configure this bucket`,
  );
}

const read = fieldReaders(invalidArgument);

function refuseUnknown(object: JsonObject, known: readonly string[], path: string): void {
  for (const key of Object.keys(object)) if (!known.includes(key)) throw notImplemented(fieldPath(path, key));
}

function child(
  object: JsonObject,
  name: string,
  path: string,
  known: readonly string[],
): JsonObject | undefined {
  const value = presentField(object, name);
  if (value === undefined) return undefined;
  const at = fieldPath(path, name);
  const found = read.object(value, at);
  refuseUnknown(found, known, at);
  return found;
}

function strings(object: JsonObject, name: string, path: string): string[] | undefined {
  const list = read.list(object, name, path);
  return list?.map((item, index) => {
    if (typeof item === 'string') return item;
    throw invalidArgument(`${fieldPath(path, name)}[${index}] must be a string`);
  });
}

function parseDocument(body: string): NativeDocument {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch (error) {
    throw invalidArgument(`the body is not valid JSON (${(error as Error).message}); send {"Rules": [...]}`);
  }
  const root = read.object(document, '');
  refuseUnknown(root, FIELDS.root, '');
  const rules = read.list(root, 'Rules', '');
  if (rules === undefined || rules.length === 0) {
    // A PUT replaces every rule; no rules is a DELETE (proposed: TOS says nothing of an empty list).
    throw invalidArgument(
      `Rules must hold 1 to ${MAX_RULES} rules; to remove every rule, ${ruleCall('DELETE', tos.ruleApi.address)}`,
    );
  }
  if (rules.length > MAX_RULES) {
    throw invalidArgument(`Rules holds ${rules.length} rules; TOS allows at most ${MAX_RULES} [tos-put]`);
  }
  const parsed = rules.map((rule, index) => parseRule(rule, `Rules[${index}]`));
  const seen = new Set<string>();
  for (const [index, rule] of parsed.entries()) {
    // "规则 ID。当前桶上配置的镜像回源规则 ID 不能重复" (rule ids are unique in the bucket) [tos-put].
    if (seen.has(rule.id))
      throw invalidArgument(`Rules[${index}].ID '${rule.id}' is already used by another rule`);
    seen.add(rule.id);
  }
  return { configuration: { rules: parsed }, extras: {} };
}

function parseRule(value: unknown, path: string): MirrorRuleDocument {
  const rule = read.object(value, path);
  refuseUnknown(rule, FIELDS.rule, path);
  const id = read.string(rule, 'ID', path);
  if (id === undefined || id === '') throw invalidArgument(`${fieldPath(path, 'ID')} is required`);
  const conditionAt = fieldPath(path, 'Condition');
  const condition = child(rule, 'Condition', path, FIELDS.condition);
  if (condition === undefined) throw invalidArgument(`${conditionAt} is required`);
  const httpCode = presentField(condition, 'HttpCode');
  if (httpCode !== TRIGGER) {
    throw invalidArgument(
      `${fieldPath(conditionAt, 'HttpCode')} must be 404, the one trigger TOS offers [tos-guide]`,
    );
  }
  const keyPrefix = read.string(condition, 'KeyPrefix', conditionAt);
  const keySuffix = read.string(condition, 'KeySuffix', conditionAt);

  const redirectAt = fieldPath(path, 'Redirect');
  const redirect = child(rule, 'Redirect', path, FIELDS.redirect);
  if (redirect === undefined) throw invalidArgument(`${redirectAt} is required`);
  const type = read.string(redirect, 'RedirectType', redirectAt);
  if (type !== 'Mirror' && type !== 'Async') {
    throw invalidArgument(`${fieldPath(redirectAt, 'RedirectType')} must be Mirror or Async`);
  }
  const fetchOnRedirect = read.boolean(redirect, 'FetchSourceOnRedirect', redirectAt);
  if (type === 'Mirror' && fetchOnRedirect === true) {
    // A mirror rule always fetches; the flag belongs to redirect rules [tos-redirect].
    throw invalidArgument(`${fieldPath(redirectAt, 'FetchSourceOnRedirect')} applies to Async rules only`);
  }
  const origins = parseOrigins(redirect, redirectAt);
  const out: MirrorRuleDocument = {
    id,
    // Async answers a redirect, and with FetchSourceOnRedirect also stores the object [tos-redirect].
    mode: type === 'Mirror' ? 'mirror' : fetchOnRedirect === true ? 'redirect-async' : 'redirect',
    origins,
  };
  if (keyPrefix !== undefined || keySuffix !== undefined) {
    out.condition = {
      ...(keyPrefix !== undefined ? { keyPrefix } : {}),
      ...(keySuffix !== undefined ? { keySuffix } : {}),
    };
  }
  const passQuery = read.boolean(redirect, 'PassQuery', redirectAt);
  if (passQuery !== undefined) out.passQueryString = passQuery;
  const follow = read.boolean(redirect, 'FollowRedirect', redirectAt);
  if (follow !== undefined) out.followRedirects = follow;
  const headers = parseMirrorHeader(redirect, redirectAt);
  if (headers !== undefined) out.headers = headers;
  const rewrite = parseTransform(redirect, redirectAt, keyPrefix);
  if (rewrite !== undefined) out.keyRewrite = rewrite;
  return out;
}

function parseOrigins(redirect: JsonObject, path: string): string[] {
  const sourceAt = fieldPath(path, 'PublicSource');
  const source = child(redirect, 'PublicSource', path, FIELDS.publicSource);
  const endpointAt = fieldPath(sourceAt, 'SourceEndpoint');
  const endpoint = source && child(source, 'SourceEndpoint', sourceAt, FIELDS.sourceEndpoint);
  if (endpoint === undefined) throw invalidArgument(`${endpointAt} is required: the origin to fetch from`);
  const primary = strings(endpoint, 'Primary', endpointAt) ?? [];
  const follower = strings(endpoint, 'Follower', endpointAt) ?? [];
  // One primary origin: several primaries would share the load in an order TOS does not document, which
  // the neutral origins (tried in order) cannot say (proposed).
  if (primary.length !== 1) {
    throw invalidArgument(`${fieldPath(endpointAt, 'Primary')} must hold one origin, got ${primary.length}`);
  }
  return [...primary, ...follower];
}

function parseMirrorHeader(redirect: JsonObject, path: string): HeaderPolicyDocument | undefined {
  const at = fieldPath(path, 'MirrorHeader');
  const header = child(redirect, 'MirrorHeader', path, FIELDS.mirrorHeader);
  if (header === undefined) return undefined;
  const policy: HeaderPolicyDocument = {};
  const passAll = read.boolean(header, 'PassAll', at);
  if (passAll !== undefined) policy.passAll = passAll;
  const pass = strings(header, 'Pass', at);
  if (pass !== undefined) policy.pass = pass;
  const remove = strings(header, 'Remove', at);
  if (remove !== undefined) policy.remove = remove;
  return policy;
}

/**
 * `WithKeyPrefix` and `WithKeySuffix` put text around the key: the neutral `replaceKeyWith` with `${key}`
 * between them. `ReplaceKeyPrefix` swaps a prefix of the key: the neutral `replacePrefixWith` when that
 * prefix is the rule's own `KeyPrefix`. Both at once the neutral model cannot say.
 */
function parseTransform(
  redirect: JsonObject,
  path: string,
  keyPrefix: string | undefined,
): KeyRewrite | undefined {
  const at = fieldPath(path, 'Transform');
  const transform = child(redirect, 'Transform', path, FIELDS.transform);
  if (transform === undefined) return undefined;
  const before = read.string(transform, 'WithKeyPrefix', at);
  const after = read.string(transform, 'WithKeySuffix', at);
  const replaceAt = fieldPath(at, 'ReplaceKeyPrefix');
  const replace = child(transform, 'ReplaceKeyPrefix', at, FIELDS.replaceKeyPrefix);
  if (replace !== undefined) {
    if (before !== undefined || after !== undefined)
      throw notImplemented(`${at} with both ReplaceKeyPrefix and WithKey*`);
    const from = read.string(replace, 'KeyPrefix', replaceAt) ?? '';
    const to = read.string(replace, 'ReplaceWith', replaceAt) ?? '';
    if (from !== (keyPrefix ?? ''))
      throw notImplemented(`${replaceAt}.KeyPrefix other than the rule's Condition.KeyPrefix`);
    return { replacePrefixWith: to };
  }
  if (before === undefined && after === undefined) return undefined;
  return { replaceKeyWith: `${before ?? ''}\${key}${after ?? ''}` };
}

function renderDocument(configuration: MirrorConfigurationDocument): string {
  return JSON.stringify({ Rules: configuration.rules.map((rule, index) => renderRule(rule, index)) });
}

function refuse(index: number, field: string, message: string): NotExpressible {
  return new NotExpressible('tos', `rules/${index}/${field}`, message);
}

function checkExpressible(rule: MirrorRuleDocument, index: number): void {
  if (rule.condition?.headers !== undefined && rule.condition.headers.length > 0) {
    throw refuse(index, 'condition/headers', 'a TOS condition has no header match');
  }
  if (rule.writeBack === false)
    throw refuse(index, 'writeBack', 'a TOS mirror rule always stores the object');
  if (rule.acl !== undefined && rule.acl !== 'private') {
    throw refuse(index, 'acl', 'a TOS rule sets no ACL on what it stores');
  }
  if (rule.checkMd5 === true)
    throw refuse(index, 'checkMd5', 'a TOS rule has no MD5 check of what it fetches');
  if (rule.triggerOnHead === true)
    throw refuse(index, 'triggerOnHead', 'the TOS rule API has no HEAD switch');
  if (rule.failoverOn !== undefined) throw refuse(index, 'failoverOn', 'TOS documents no failover codes');
  if (rule.redirectStatus !== undefined && rule.redirectStatus !== 302) {
    throw refuse(index, 'redirectStatus', 'TOS names no redirect status');
  }
  if (rule.headers?.set !== undefined && rule.headers.set.length > 0) {
    throw refuse(index, 'headers/set', 'TOS MirrorHeader has Pass and Remove, no Set');
  }
}

function renderRule(rule: MirrorRuleDocument, index: number): TosRule {
  checkExpressible(rule, index);
  const [primary, ...follower] = rule.origins;
  const mode = rule.mode ?? 'mirror';
  const condition: TosRule['Condition'] = { HttpCode: TRIGGER };
  if (rule.condition?.keyPrefix !== undefined) condition.KeyPrefix = rule.condition.keyPrefix;
  if (rule.condition?.keySuffix !== undefined) condition.KeySuffix = rule.condition.keySuffix;
  const redirect: TosRule['Redirect'] = {
    RedirectType: mode === 'mirror' ? 'Mirror' : 'Async',
    ...(mode === 'mirror' ? {} : { FetchSourceOnRedirect: mode === 'redirect-async' }),
    PublicSource: {
      SourceEndpoint: { Primary: [primary ?? ''], ...(follower.length > 0 ? { Follower: follower } : {}) },
    },
    PassQuery: rule.passQueryString ?? false,
    FollowRedirect: rule.followRedirects ?? true,
  };
  const headers = rule.headers;
  if (headers !== undefined) {
    const header: NonNullable<TosRule['Redirect']['MirrorHeader']> = {};
    if (headers.passAll === true) header.PassAll = true;
    if (headers.pass !== undefined && headers.pass.length > 0) header.Pass = [...headers.pass];
    if (headers.remove !== undefined && headers.remove.length > 0) header.Remove = [...headers.remove];
    if (Object.keys(header).length > 0) redirect.MirrorHeader = header;
  }
  const transform = renderTransform(rule, index);
  if (transform !== undefined) redirect.Transform = transform;
  return { ID: rule.id, Condition: condition, Redirect: redirect };
}

function renderTransform(rule: MirrorRuleDocument, index: number): TosRule['Redirect']['Transform'] {
  const rewrite = rule.keyRewrite;
  if (rewrite === undefined) return undefined;
  if ('replacePrefixWith' in rewrite) {
    return {
      ReplaceKeyPrefix: {
        KeyPrefix: rule.condition?.keyPrefix ?? '',
        ReplaceWith: rewrite.replacePrefixWith,
      },
    };
  }
  const parts = rewrite.replaceKeyWith.split('${key}');
  if (parts.length !== 2) {
    throw refuse(
      index,
      'keyRewrite/replaceKeyWith',
      'TOS puts text before and after the key, once; it has no fixed key',
    );
  }
  const [before = '', after = ''] = parts;
  // `${key}` alone is the key itself: no Transform at all.
  if (before === '' && after === '') return undefined;
  return {
    ...(before !== '' ? { WithKeyPrefix: before } : {}),
    ...(after !== '' ? { WithKeySuffix: after } : {}),
  };
}

/** TOS answers errors as JSON: Code, Message, RequestId, HostId [tos-put]'s common error format (proposed). */
function errorBody(error: DialectError, context: { requestId: string; resource: string }) {
  return {
    contentType: 'application/json',
    body: JSON.stringify({
      Code: error.code,
      Message: error.message,
      RequestId: context.requestId,
      HostId: 'mirrorspec',
      Resource: context.resource,
    }),
  };
}

export const tosDialect: Dialect = {
  id: 'tos',
  title: 'Volcengine TOS PutBucketMirrorBack',
  contentType: 'application/json',
  parse: parseDocument,
  render: renderDocument,
  errors: {
    // TOS documents no code for a bucket without rules; this follows its NoSuch* family (proposed).
    noConfiguration: (bucket) =>
      new DialectError(
        404,
        'NoSuchMirrorConfiguration',
        `the bucket '${bucket}' has no mirror-back rules; ${ruleCall('PUT', tos.ruleApi.address)} to add them`,
      ),
    invalid: (message) => invalidArgument(message),
  },
  errorBody,
  // 200 with no body, as the S3-style APIs TOS follows (proposed: [tos-put] shows no answer body).
  putAnswer: () => ({ status: 200 }),
  deleteAnswer: () => ({ status: 204 }),
};
