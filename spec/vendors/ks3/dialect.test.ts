import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { DialectError } from '../../dialects/dialect.ts';
import {
  dialectFixtures,
  expectAnswerToInvalid,
  itRefusesTheInvalidFixtures,
  notExpressible,
  readBack,
  refusal,
  withDefaults,
} from '../../dialects/dialect-test-support.ts';
import { isJsonObject } from '../../dialects/json-fields.ts';
import type { HeaderPolicyDocument, MirrorConfigurationDocument, MirrorRuleDocument } from '../../model.ts';
import { validateAgainstSpec } from '../../validate-configuration.ts';
import { ks3Dialect } from './dialect.ts';

type Native = Record<string, unknown>;

const fixtures = dialectFixtures('ks3');

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
function canonical(document: unknown): Native {
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
const documentArb: fc.Arbitrary<Native> = fc
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
const expressibleArb = fc
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

// --- Where fields can be inserted, and what KS3 knows there [ks3-go-model]. ---------------------------

type Place = { path: (string | number)[]; known: readonly string[] };

function placesIn(document: Native): Place[] {
  const places: Place[] = [
    {
      path: [],
      known: [
        'version',
        'use_default_robots',
        'async_mirror_rule',
        'sync_mirror_rules',
        'created_time',
        'last_modified_time',
      ],
    },
  ];
  const asyncRule = document.async_mirror_rule;
  if (isJsonObject(asyncRule)) {
    places.push({ path: ['async_mirror_rule'], known: ['mirror_urls', 'saving_setting', 'mirror_type'] });
    places.push({ path: ['async_mirror_rule', 'saving_setting'], known: ['acl'] });
  }
  const sync = Array.isArray(document.sync_mirror_rules) ? document.sync_mirror_rules : [];
  sync.forEach((value, index) => {
    const rule = value as Native;
    const at = ['sync_mirror_rules', index];
    places.push({
      path: at,
      known: ['match_condition', 'mirror_url', 'mirror_request_setting', 'saving_setting', 'mirror_type'],
    });
    if (isJsonObject(rule.match_condition)) {
      places.push({ path: [...at, 'match_condition'], known: ['http_codes', 'key_prefixes'] });
    }
    if (isJsonObject(rule.saving_setting)) places.push({ path: [...at, 'saving_setting'], known: ['acl'] });
    const setting = rule.mirror_request_setting;
    if (!isJsonObject(setting)) return;
    const settingAt = [...at, 'mirror_request_setting'];
    places.push({ path: settingAt, known: ['pass_query_string', 'follow3xx', 'header_setting'] });
    const headers = setting.header_setting;
    if (!isJsonObject(headers)) return;
    const headersAt = [...settingAt, 'header_setting'];
    places.push({ path: headersAt, known: ['set_headers', 'remove_headers', 'pass_all', 'pass_headers'] });
    for (const list of ['set_headers', 'remove_headers', 'pass_headers']) {
      const items = headers[list];
      if (!Array.isArray(items)) continue;
      items.forEach((_, item) => {
        places.push({
          path: [...headersAt, list, item],
          known: list === 'set_headers' ? ['key', 'value'] : ['key'],
        });
      });
    }
  });
  return places;
}

function objectAtPath(document: Native, path: (string | number)[]): Native {
  let value: unknown = document;
  for (const step of path) value = (value as Record<string | number, unknown>)[step];
  return value as Native;
}

/** The first sync rule of the document, adding a valid one when it has none. */
function someSyncRule(document: Native): Native {
  if (!Array.isArray(document.sync_mirror_rules) || document.sync_mirror_rules.length === 0) {
    document.sync_mirror_rules = [{ mirror_url: 'https://origin.example.com/' }];
  }
  return (document.sync_mirror_rules as Native[])[0] as Native;
}

function someAsyncRule(document: Native): Native {
  if (!isJsonObject(document.async_mirror_rule)) {
    document.async_mirror_rule = {
      mirror_urls: ['https://o1.example.com'],
      saving_setting: { acl: 'private' },
    };
  }
  return document.async_mirror_rule as Native;
}

function requestSetting(rule: Native): Native {
  if (!isJsonObject(rule.mirror_request_setting)) rule.mirror_request_setting = {};
  return rule.mirror_request_setting as Native;
}

/** One way to break a KS3 limit or rule, each answered 400 InvalidArgument. */
type Breaker = { why: string; apply: (document: Native) => void };

const breakerArb: fc.Arbitrary<Breaker> = fc.oneof(
  fc.constantFrom('V2', 'V4', 'v3', '').map((version) => ({
    why: `version '${version}'`,
    apply: (document: Native) => {
      document.version = version;
    },
  })),
  fc.constantFrom(undefined, null, []).map((none) => ({
    why: 'no rule at all',
    apply: (document: Native) => {
      delete document.async_mirror_rule;
      if (none === undefined) delete document.sync_mirror_rules;
      else document.sync_mirror_rules = none;
    },
  })),
  fc.integer({ min: 21, max: 25 }).map((count) => ({
    why: `${count} sync rules`,
    apply: (document: Native) => {
      document.sync_mirror_rules = Array.from({ length: count }, (_, index) => ({
        mirror_url: `https://o${index}.example.com/`,
      }));
    },
  })),
  fc.integer({ min: 11, max: 15 }).map((count) => ({
    why: `${count} async URLs`,
    apply: (document: Native) => {
      someAsyncRule(document).mirror_urls = Array.from(
        { length: count },
        (_, i) => `https://o${i}.example.com`,
      );
    },
  })),
  fc.constantFrom([], 'https://o1.example.com').map((urls) => ({
    why: `async mirror_urls ${JSON.stringify(urls)}`,
    apply: (document: Native) => {
      someAsyncRule(document).mirror_urls = urls;
    },
  })),
  fc.constantFrom(['img/', 'video/'], ['a', 'b', 'c']).map((prefixes) => ({
    why: `${prefixes.length} prefixes in one rule`,
    apply: (document: Native) => {
      someSyncRule(document).match_condition = { http_codes: ['404'], key_prefixes: prefixes };
    },
  })),
  fc.constantFrom(['403'], ['500'], ['404', '404'], [404]).map((codes) => ({
    why: `http_codes ${JSON.stringify(codes)}`,
    apply: (document: Native) => {
      someSyncRule(document).match_condition = { http_codes: codes };
    },
  })),
  fc.constant({
    why: 'pass_all with pass_headers',
    apply: (document: Native) => {
      requestSetting(someSyncRule(document)).header_setting = {
        pass_all: true,
        pass_headers: [{ key: 'x-trace' }],
      };
    },
  }),
  fc
    .tuple(
      fc.constantFrom(
        'ftp://origin.example.com/',
        'origin.example.com/base',
        '//origin.example.com/',
        `https://${'h'.repeat(257)}/`,
        `https://origin.example.com/${'p'.repeat(1024)}`,
        'https://bucket.ks3-cn-beijing.ksyuncs.com/img',
        'http://ks3-cn-shanghai.ksyuncs.com/bucket/',
      ),
      fc.boolean(),
    )
    .map(([url, inAsync]) => ({
      why: `origin ${url.slice(0, 60)}`,
      apply: (document: Native) => {
        if (inAsync) someAsyncRule(document).mirror_urls = [url];
        else someSyncRule(document).mirror_url = url;
      },
    })),
  fc.constant({
    why: 'a sync rule without mirror_url',
    apply: (document: Native) => {
      delete someSyncRule(document).mirror_url;
    },
  }),
  fc.constantFrom(undefined, {}, { acl: null }).map((saving) => ({
    why: `async saving_setting ${JSON.stringify(saving)}`,
    apply: (document: Native) => {
      const rule = someAsyncRule(document);
      if (saving === undefined) delete rule.saving_setting;
      else rule.saving_setting = saving;
    },
  })),
  fc
    .tuple(fc.constantFrom('public-read-write', 'authenticated-read', 'PRIVATE', ''), fc.boolean())
    .map(([acl, inAsync]) => ({
      why: `acl '${acl}'`,
      apply: (document: Native) => {
        (inAsync ? someAsyncRule(document) : someSyncRule(document)).saving_setting = { acl };
      },
    })),
  fc
    .constantFrom<[string, unknown]>(['follow3xx', 'yes'], ['pass_query_string', 1], ['header_setting', []])
    .map(([name, value]) => ({
      why: `${name} ${JSON.stringify(value)}`,
      apply: (document: Native) => {
        requestSetting(someSyncRule(document))[name] = value;
      },
    })),
);

describe('KS3 mirror dialect', () => {
  describe('documented examples', () => {
    it('reads the example document into a mirror rule and a trailing redirect-async rule', () => {
      const parsed = ks3Dialect.parse(fixtures.read('valid-vendors-example.json'));
      expect(parsed.configuration).toEqual({
        rules: [
          {
            id: 'sync-1',
            mode: 'mirror',
            origins: ['https://origin.example.com/base'],
            condition: { keyPrefix: 'img/' },
            passQueryString: false,
            followRedirects: false,
            headers: {
              set: [{ name: 'x-from', value: 'ks3' }],
              remove: ['cookie'],
              passAll: false,
              pass: ['x-trace'],
            },
            acl: 'private',
          },
          {
            id: 'async',
            mode: 'redirect-async',
            origins: ['https://o1.example.com', 'https://o2.example.com'],
            acl: 'private',
          },
        ],
      });
      expect(parsed.extras).toEqual({ version: 'V3', use_default_robots: false });
      expect(parsed.objects).toBeUndefined();
    });

    it('keeps the SDK sample mirror_type values per rule and writes them back', () => {
      const parsed = ks3Dialect.parse(fixtures.read('valid-go-sdk-sample.json'));
      expect(parsed.extras).toEqual({
        version: 'V3',
        use_default_robots: false,
        mirror_type: { 'sync-1': 'V6', async: 'V4' },
      });
      const rendered = JSON.parse(ks3Dialect.render(parsed.configuration, parsed.extras)) as Native;
      expect(rendered).toEqual(JSON.parse(fixtures.read('valid-go-sdk-sample.json')));
    });

    it('writes robots.txt into the bucket when use_default_robots is true', () => {
      const parsed = ks3Dialect.parse(fixtures.read('valid-async-with-robots.json'));
      expect(parsed.objects).toEqual([
        { key: 'robots.txt', contentType: 'text/plain', body: 'User-agent: *\nDisallow: /\n' },
      ]);
      const rendered = JSON.parse(ks3Dialect.render(parsed.configuration, parsed.extras)) as Native;
      expect(rendered.use_default_robots).toBe(true);
    });

    it('accepts a GET body with its output-only times and renders without them', () => {
      const parsed = ks3Dialect.parse(fixtures.read('valid-get-response.json'));
      expect(parsed.configuration.rules.map((rule) => rule.id)).toEqual(['sync-1', 'sync-2']);
      expect(parsed.configuration.rules[1]).toEqual({
        id: 'sync-2',
        mode: 'mirror',
        origins: ['https://static.example.org/'],
      });
      const rendered = ks3Dialect.render(parsed.configuration, parsed.extras);
      expect(rendered).not.toContain('created_time');
      expect(rendered).not.toContain('last_modified_time');
    });

    it('accepts the nulls and the empty key_prefixes string the Python SDK sends', () => {
      const parsed = ks3Dialect.parse(fixtures.read('valid-python-sdk.json'));
      const [sync] = parsed.configuration.rules;
      expect(sync?.condition).toBeUndefined();
      expect(sync?.acl).toBeUndefined();
      expect(parsed.extras).toEqual({ version: 'V3', use_default_robots: false });
    });
  });

  describe('fixtures', () => {
    it.each(
      fixtures.valid,
    )('%s parses to a valid neutral configuration and renders back to the same tree', (name) => {
      const body = fixtures.read(name);
      const { first, rendered, second } = readBack(ks3Dialect, body);
      expect(canonical(JSON.parse(rendered))).toEqual(canonical(JSON.parse(body)));
      expect(second.configuration).toEqual(first.configuration);
      expect(second.extras).toEqual(first.extras);
    });

    itRefusesTheInvalidFixtures(ks3Dialect, fixtures);
  });

  describe('laws', () => {
    it('native to neutral to native keeps every supported field', () => {
      fc.assert(
        fc.property(documentArb, (document) => {
          const { first, rendered, second } = readBack(ks3Dialect, JSON.stringify(document));
          expect(second.configuration).toEqual(first.configuration);
          expect(second.extras).toEqual(first.extras);
          expect(canonical(JSON.parse(rendered))).toEqual(canonical(document));
        }),
      );
    });

    it('neutral to native to neutral keeps every rule the vendor can express', () => {
      fc.assert(
        fc.property(expressibleArb, ({ configuration, renamed }) => {
          const rendered = ks3Dialect.render(configuration);
          expect(ks3Dialect.render(configuration)).toBe(rendered);
          const parsed = ks3Dialect.parse(rendered);
          expect(parsed.configuration.rules.map(withDefaults)).toEqual(renamed.map(withDefaults));
        }),
      );
    });

    it('every unsupported field is refused by name', () => {
      const notable = [
        'mirror_check_md5',
        'key_suffixes',
        'mirror_urls',
        'mirror_url',
        'mirror_type',
        'replace_key_prefix',
        'redirect_code',
        'storage_class',
        'agency',
        'id',
      ];
      const caseArb = documentArb.chain((document) =>
        fc.record({
          document: fc.constant(document),
          place: fc.constantFrom(...placesIn(document)),
          name: fc.oneof(fc.constantFrom(...notable), fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/)),
          value: fc.jsonValue({ maxDepth: 2 }),
        }),
      );
      fc.assert(
        fc.property(
          caseArb.filter(({ place, name }) => !place.known.includes(name)),
          ({ document, place, name, value }) => {
            const changed = structuredClone(document);
            objectAtPath(changed, place.path)[name] = value;
            const error = refusal(ks3Dialect, JSON.stringify(changed));
            expect(error.status).toBe(501);
            expect(error.code).toBe('NotImplemented');
            expect(error.message).toContain(name);
            expect(error.message).toContain('does not model');
          },
        ),
      );
    });

    it('a document over a KS3 limit or against a KS3 rule is refused with 400 InvalidArgument', () => {
      fc.assert(
        fc.property(documentArb, breakerArb, (document, breaker) => {
          const changed = structuredClone(document);
          breaker.apply(changed);
          const error = refusal(ks3Dialect, JSON.stringify(changed));
          expect({ status: error.status, code: error.code, why: breaker.why }).toEqual({
            status: 400,
            code: 'InvalidArgument',
            why: breaker.why,
          });
        }),
      );
    });
  });

  describe('parse', () => {
    it.each([
      ['{"version": "V3",', 'not valid JSON'],
      ['', 'not valid JSON'],
      ['[]', 'must be a JSON object'],
      ['"V3"', 'must be a JSON object'],
    ])('refuses the body %j with 400 InvalidArgument', (body, message) => {
      const error = refusal(ks3Dialect, body);
      expect([error.status, error.code]).toEqual([400, 'InvalidArgument']);
      expect(error.message).toContain(message);
    });

    it('names every unknown field of one object in the refusal', () => {
      const body = JSON.stringify({
        sync_mirror_rules: [{ mirror_url: 'https://o.example.com', a: 1, b: 2 }],
      });
      expect(refusal(ks3Dialect, body).message).toContain(
        "'sync_mirror_rules[0].a', 'sync_mirror_rules[0].b'",
      );
    });

    it('reads a document of 20 sync rules and an async rule as 21 rules, one more than the neutral schema allows', () => {
      const body = JSON.stringify({
        async_mirror_rule: { mirror_urls: ['https://o.example.com'], saving_setting: { acl: 'private' } },
        sync_mirror_rules: Array.from({ length: 20 }, (_, index) => ({
          mirror_url: `https://s${index}.example.com`,
        })),
      });
      const { configuration } = ks3Dialect.parse(body);
      expect(configuration.rules).toHaveLength(21);
      expect(() => validateAgainstSpec(configuration)).toThrow(/rules/);
    });
  });

  describe('render', () => {
    const mirror: MirrorRuleDocument = { id: 'images', origins: ['https://origin.example.com/static/'] };
    const async: MirrorRuleDocument = {
      id: 'rest',
      mode: 'redirect-async',
      origins: ['https://o1.example.com'],
    };

    function refusedField(rules: MirrorRuleDocument[]): string {
      const error = notExpressible(ks3Dialect, { rules });
      expect(error.dialect).toBe('ks3');
      return error.field;
    }

    it.each<[string, MirrorRuleDocument[], string]>([
      ['a key suffix', [{ ...mirror, condition: { keySuffix: '.png' } }], 'rules/0/condition/keySuffix'],
      [
        'a header condition',
        [{ ...mirror, condition: { headers: [{ name: 'Host', equals: 'a.example' }] } }],
        'rules/0/condition/headers',
      ],
      [
        'two origins in a mirror rule',
        [{ ...mirror, origins: ['https://a.test', 'https://b.test'] }],
        'rules/0/origins',
      ],
      ['a key rewrite', [{ ...mirror, keyRewrite: { replacePrefixWith: 'def/' } }], 'rules/0/keyRewrite'],
      ['writeBack off', [{ ...mirror, writeBack: false }], 'rules/0/writeBack'],
      ['checkMd5 on', [{ ...mirror, checkMd5: true }], 'rules/0/checkMd5'],
      ['triggerOnHead on', [{ ...mirror, triggerOnHead: true }], 'rules/0/triggerOnHead'],
      ['failoverOn', [{ ...mirror, failoverOn: ['5XX'] }], 'rules/0/failoverOn'],
      ['a 301 redirect', [{ ...async, redirectStatus: 301 }], 'rules/0/redirectStatus'],
      ['a redirect rule', [{ ...mirror, mode: 'redirect' }], 'rules/0/mode'],
      ['two redirect-async rules', [mirror, async, { ...async, id: 'more' }], 'rules/2/mode'],
      ['a redirect-async rule before a mirror rule', [async, mirror], 'rules/0/mode'],
      [
        'a redirect-async rule with a prefix',
        [{ ...async, condition: { keyPrefix: 'img/' } }],
        'rules/0/condition/keyPrefix',
      ],
      [
        'a redirect-async rule with headers',
        [{ ...async, headers: { pass: ['x-trace'] } }],
        'rules/0/headers',
      ],
      [
        'a redirect-async rule passing the query',
        [{ ...async, passQueryString: true }],
        'rules/0/passQueryString',
      ],
      [
        'a redirect-async rule not following',
        [{ ...async, followRedirects: false }],
        'rules/0/followRedirects',
      ],
      [
        'passAll with a pass list',
        [{ ...mirror, headers: { passAll: true, pass: ['Cookie'] } }],
        'rules/0/headers/pass',
      ],
      ['the public-read-write ACL', [{ ...mirror, acl: 'public-read-write' }], 'rules/0/acl'],
      ['no rule at all', [], 'rules'],
    ])('refuses %s as NotExpressible', (_, rules, field) => {
      expect(refusedField(rules)).toBe(field);
    });

    it('renders rules with every default filled in', () => {
      const rules = [mirror, async].map(withDefaults);
      const parsed = ks3Dialect.parse(ks3Dialect.render({ rules }));
      expect(parsed.configuration.rules.map(withDefaults)).toEqual([
        { ...withDefaults(mirror), id: 'sync-1' },
        { ...withDefaults(async), id: 'async' },
      ]);
    });

    it('writes http_codes ["404"] on every sync rule and version V3 on every document', () => {
      const rendered = JSON.parse(ks3Dialect.render({ rules: [mirror] })) as Native;
      expect(rendered).toEqual({
        version: 'V3',
        use_default_robots: false,
        sync_mirror_rules: [{ match_condition: { http_codes: ['404'] }, mirror_url: mirror.origins[0] }],
      });
    });

    it('gives the async rule the private ACL when the neutral rule leaves it unset', () => {
      const rendered = JSON.parse(ks3Dialect.render({ rules: [async] })) as Native;
      expect(rendered.async_mirror_rule).toEqual({
        mirror_urls: async.origins,
        saving_setting: { acl: 'private' },
      });
    });

    it('ignores extras of the wrong shape', () => {
      const configuration: MirrorConfigurationDocument = { rules: [mirror] };
      const plain = ks3Dialect.render(configuration);
      expect(
        ks3Dialect.render(configuration, { use_default_robots: 'yes', mirror_type: 'V6', version: 'V9' }),
      ).toBe(plain);
    });
  });

  describe('answers', () => {
    it('answers a missing configuration with 404 NoSuchBucketMirror', () => {
      const error = ks3Dialect.errors.noConfiguration('photos');
      expect([error.status, error.code, error.message]).toEqual([
        404,
        'NoSuchBucketMirror',
        'The bucket mirror does not exist.',
      ]);
    });

    it('answers a configuration the neutral checks refuse with 400 InvalidArgument', () => {
      expectAnswerToInvalid(ks3Dialect, 400, 'InvalidArgument');
    });

    it('writes errors as S3-style XML with Code, Message, Resource and RequestId', () => {
      const error = new DialectError(400, 'InvalidArgument', 'a < b & "c"');
      const { contentType, body } = ks3Dialect.errorBody(error, {
        requestId: 'req-1',
        resource: '/photos/?mirror',
      });
      expect(contentType).toBe('application/xml');
      expect(body.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>')).toBe(true);
      expect(new XMLParser({ htmlEntities: true }).parse(body).Error).toEqual({
        Code: 'InvalidArgument',
        Message: 'a < b & "c"',
        Resource: '/photos/?mirror',
        RequestId: 'req-1',
      });
    });

    it('answers PUT with 200 and DELETE with 204', () => {
      expect(ks3Dialect.putAnswer(false, 'r').status).toBe(200);
      expect(ks3Dialect.putAnswer(true, 'r').status).toBe(200);
      expect(ks3Dialect.deleteAnswer('r').status).toBe(204);
    });

    it('speaks JSON bodies', () => {
      expect(ks3Dialect.contentType).toBe('application/json');
    });
  });
});
