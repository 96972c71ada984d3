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
import type { MirrorConfigurationDocument, MirrorRuleDocument } from '../../model.ts';
import { validateAgainstSpec } from '../../validate-configuration.ts';
import { ks3Dialect } from './dialect.ts';
import { canonical, documentArb, expressibleArb, type Native } from './dialect-arbitraries.ts';
import { breakerArb, objectAtPath, placesIn } from './dialect-breakers.ts';

const fixtures = dialectFixtures('ks3');

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
