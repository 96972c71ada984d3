// KS3 documents the dialect must refuse, each made from a valid one by one edit in a place KS3's model
// knows [ks3-go-model]: test data for dialect.test.ts.
import fc from 'fast-check';
import { isJsonObject } from '../../dialects/json-fields.ts';
import type { Native } from './dialect-arbitraries.ts';

// --- Where fields can be inserted, and what KS3 knows there [ks3-go-model]. ---------------------------

type Place = { path: (string | number)[]; known: readonly string[] };

export function placesIn(document: Native): Place[] {
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

export function objectAtPath(document: Native, path: (string | number)[]): Native {
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

export const breakerArb: fc.Arbitrary<Breaker> = fc.oneof(
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
