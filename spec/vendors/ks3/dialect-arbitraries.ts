// Arbitrary KS3 and neutral documents, and the canonical form two KS3 documents are compared in: the
// generators of dialect.test.ts's laws.
import fc from 'fast-check';
import { isJsonObject } from '../../dialects/json-fields.ts';
import type { HeaderPolicyDocument, MirrorRuleDocument } from '../../model.ts';

export type Native = Record<string, unknown>;

function withoutNulls(value: Native): Native {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== null));
}

/**
 * A KS3 document in the one form `render` writes, so a document and its rendering compare as trees. Both
 * sides go through it because KS3 says the same thing in several ways: the SDKs send null for unset
 * fields (Go without omitempty, Python always); `version` and `use_default_robots` default to V3 and false
 * and are always written; a missing `match_condition`, null or empty `http_codes` and an empty prefix list
 * all mean "404 on any key", and `render` always writes `http_codes: ["404"]`; an empty
 * `mirror_request_setting` and an acl-less `saving_setting` say nothing; `created_time` and
 * `last_modified_time` are output-only. Key order is not compared (`toEqual`): KS3 reads JSON objects.
 */
export function canonical(document: unknown): Native {
  const top = withoutNulls(document as Native);
  const result: Native = { version: 'V3', use_default_robots: top.use_default_robots ?? false };
  if (isJsonObject(top.async_mirror_rule)) result.async_mirror_rule = withoutNulls(top.async_mirror_rule);
  const sync = Array.isArray(top.sync_mirror_rules) ? top.sync_mirror_rules : [];
  if (sync.length > 0) result.sync_mirror_rules = sync.map((rule) => canonicalSyncRule(rule as Native));
  return result;
}

function canonicalSyncRule(value: Native): Native {
  const rule = withoutNulls(value);
  const condition = isJsonObject(rule.match_condition) ? withoutNulls(rule.match_condition) : {};
  const prefixes = Array.isArray(condition.key_prefixes) ? condition.key_prefixes : [];
  rule.match_condition =
    prefixes.length > 0 ? { http_codes: ['404'], key_prefixes: prefixes } : { http_codes: ['404'] };
  if (isJsonObject(rule.mirror_request_setting)) {
    const setting = withoutNulls(rule.mirror_request_setting);
    if (isJsonObject(setting.header_setting)) setting.header_setting = withoutNulls(setting.header_setting);
    if (Object.keys(setting).length === 0) delete rule.mirror_request_setting;
    else rule.mirror_request_setting = setting;
  }
  if (isJsonObject(rule.saving_setting)) {
    const saving = withoutNulls(rule.saving_setting);
    if (saving.acl === undefined) delete rule.saving_setting;
    else rule.saving_setting = saving;
  }
  return rule;
}

// --- Arbitrary KS3 documents: every supported field present, null or absent. -------------------------

function absentOr<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof(fc.constant(null), arbitrary);
}

const originArb = fc
  .tuple(
    fc.constantFrom('http', 'https', 'HTTPS'),
    fc.constantFrom('origin.example.com', 'o2.example.net', '198.51.100.7:8080', 'cdn.example.org:8443'),
    fc.constantFrom('', '/', '/base', '/dir1/dir2/', '/a%20b'),
  )
  .map(([scheme, host, path]) => `${scheme}://${host}${path}`);
const headerNameArb = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/);
const headerValueArb = fc.stringMatching(/^[ -~]{0,16}$/);
const prefixArb = fc.string({ unit: 'binary', maxLength: 12 });
const aclArb = fc.constantFrom('private' as const, 'public-read' as const);
const keysArb = fc.array(fc.record({ key: headerNameArb }), { maxLength: 3 });

const headerSettingArb = fc
  .record(
    {
      set_headers: absentOr(
        fc.array(fc.record({ key: headerNameArb, value: headerValueArb }), { maxLength: 3 }),
      ),
      remove_headers: absentOr(keysArb),
      pass_all: absentOr(fc.boolean()),
      pass_headers: absentOr(keysArb),
    },
    { requiredKeys: [] },
  )
  .map(({ pass_headers, ...setting }) =>
    // pass_all and pass_headers exclude each other [ks3-go-test]
    setting.pass_all === true
      ? setting
      : { ...setting, ...(pass_headers === undefined ? {} : { pass_headers }) },
  );

const syncRuleArb: fc.Arbitrary<Native> = fc.record(
  {
    match_condition: absentOr(
      fc.record(
        {
          http_codes: fc.constantFrom(null, [], ['404']),
          key_prefixes: fc.oneof(
            fc.constantFrom(null, [], ''),
            prefixArb.map((prefix) => [prefix]),
          ),
        },
        { requiredKeys: [] },
      ),
    ),
    mirror_url: originArb,
    mirror_request_setting: absentOr(
      fc.record(
        {
          pass_query_string: absentOr(fc.boolean()),
          follow3xx: absentOr(fc.boolean()),
          header_setting: absentOr(headerSettingArb),
        },
        { requiredKeys: [] },
      ),
    ),
    saving_setting: absentOr(fc.record({ acl: absentOr(aclArb) })),
    mirror_type: absentOr(fc.constantFrom('V6', 'V5')),
  },
  { requiredKeys: ['mirror_url'] },
);

const asyncRuleArb: fc.Arbitrary<Native> = fc.record(
  {
    mirror_urls: fc.array(originArb, { minLength: 1, maxLength: 10 }),
    saving_setting: aclArb.map((acl) => ({ acl })),
    mirror_type: absentOr(fc.constant('V4')),
  },
  { requiredKeys: ['mirror_urls', 'saving_setting'] },
);

/** A valid KS3 document whose rules fit the neutral limit of 20 (so at most 19 sync rules beside an async one). */
export const documentArb: fc.Arbitrary<Native> = fc
  .record({
    top: fc.record(
      {
        version: absentOr(fc.constant('V3')),
        use_default_robots: absentOr(fc.boolean()),
        created_time: fc.constant('2024-03-15T06:07:25.000Z'),
        last_modified_time: fc.constant('2024-03-16T09:12:54.000Z'),
      },
      { requiredKeys: [] },
    ),
    asyncRule: fc.option(asyncRuleArb, { nil: undefined }),
    noAsync: fc.constantFrom(undefined, null),
    sync: fc.array(syncRuleArb, { maxLength: 19 }),
    noSync: fc.constantFrom(undefined, null, []),
  })
  .filter(({ asyncRule, sync }) => asyncRule !== undefined || sync.length > 0)
  .map(({ top, asyncRule, noAsync, sync, noSync }) => {
    const document: Native = { ...top };
    const async = asyncRule ?? noAsync;
    if (async !== undefined) document.async_mirror_rule = async;
    const rules = sync.length > 0 ? sync : noSync;
    if (rules !== undefined) document.sync_mirror_rules = rules;
    return document;
  });

// --- Arbitrary neutral rules that KS3 can express. -----------------------------------------------------

const headerPolicyArb: fc.Arbitrary<HeaderPolicyDocument> = fc
  .record(
    {
      passAll: fc.boolean(),
      pass: fc.array(headerNameArb, { maxLength: 3 }),
      remove: fc.array(headerNameArb, { maxLength: 3 }),
      set: fc.array(fc.record({ name: headerNameArb, value: headerValueArb }), { maxLength: 3 }),
    },
    { requiredKeys: [] },
  )
  .filter((headers) => !(headers.passAll === true && (headers.pass ?? []).length > 0));

const mirrorRuleArb: fc.Arbitrary<MirrorRuleDocument> = fc.record(
  {
    id: fc.constant('x'),
    mode: fc.constant('mirror' as const),
    condition: fc.record({ keyPrefix: prefixArb }, { requiredKeys: [] }),
    origins: originArb.map((origin) => [origin]),
    passQueryString: fc.boolean(),
    followRedirects: fc.boolean(),
    headers: headerPolicyArb,
    writeBack: fc.constant(true),
    checkMd5: fc.constant(false),
    acl: aclArb,
    triggerOnHead: fc.constant(false),
    redirectStatus: fc.constant(302 as const),
  },
  { requiredKeys: ['id', 'origins'] },
);

const asyncNeutralRuleArb: fc.Arbitrary<MirrorRuleDocument> = fc.record(
  {
    id: fc.constant('x'),
    mode: fc.constant('redirect-async' as const),
    condition: fc.constant({}),
    origins: fc.array(originArb, { minLength: 1, maxLength: 10 }),
    passQueryString: fc.constant(false),
    followRedirects: fc.constant(true),
    headers: fc.constant({ passAll: false, pass: [], remove: [], set: [] }),
    writeBack: fc.constant(true),
    checkMd5: fc.constant(false),
    acl: aclArb,
    triggerOnHead: fc.constant(false),
    redirectStatus: fc.constant(302 as const),
  },
  { requiredKeys: ['id', 'mode', 'origins'] },
);

/** Neutral configurations with their rules named as `parse` names them: `sync-<n>`, then `async`. */
export const expressibleArb = fc
  .record({
    sync: fc.array(mirrorRuleArb, { maxLength: 19 }),
    asyncRule: fc.option(asyncNeutralRuleArb, { nil: undefined }),
    ids: fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/), { minLength: 20, maxLength: 20 }),
  })
  .filter(({ sync, asyncRule }) => sync.length > 0 || asyncRule !== undefined)
  .map(({ sync, asyncRule, ids }) => {
    const rules = asyncRule === undefined ? sync : [...sync, asyncRule];
    return {
      configuration: { rules: rules.map((rule, index) => ({ ...rule, id: ids[index] ?? 'x' })) },
      renamed: rules.map((rule, index) => ({
        ...rule,
        id: rule.mode === 'redirect-async' ? 'async' : `sync-${index + 1}`,
      })),
    };
  });
