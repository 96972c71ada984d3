import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dialectFixtures,
  expectAnswerToInvalid,
  itRefusesTheInvalidFixtures,
  notExpressible,
  originUrlOfKey,
  readBack,
  refusal,
} from '../../dialects/dialect-test-support.ts';
import type { MirrorConfigurationDocument, MirrorRuleDocument } from '../../model.ts';
import { validateAgainstSpec } from '../../validate-configuration.ts';
import { jdcloudDialect } from './dialect.ts';
import {
  canonicalTree,
  expressibleRule,
  keyText,
  nativeDocument,
  nativeRule,
  type Tree,
  withDefaults,
} from './dialect-arbitraries.ts';

const jdcloudGetAnswer = (body: string, requestId: string) =>
  jdcloudDialect.getAnswer?.(body, requestId) ?? body;

const fixtures = dialectFixtures('jdcloud');

// ---------------------------------------------------------------------------------------------------------

describe('JD Cloud back-to-source laws', () => {
  it('native to neutral to native keeps every supported field', () => {
    fc.assert(
      fc.property(nativeDocument, (document) => {
        const { first, rendered, second } = readBack(jdcloudDialect, JSON.stringify(document));
        expect(canonicalTree(JSON.parse(rendered))).toEqual(canonicalTree(document));
        // Ids are by position on both sides; parse reports only what the body says, so the defaults the
        // render wrote out are filled in on both sides.
        expect(second.configuration.rules.map((rule) => rule.id)).toEqual(
          first.configuration.rules.map((rule) => rule.id),
        );
        expect(second.configuration.rules.map(withDefaults)).toEqual(
          first.configuration.rules.map(withDefaults),
        );
      }),
    );
  });

  it('neutral to native to neutral keeps every rule the vendor can express', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(expressibleRule, { maxLength: 5, selector: (rule) => rule.id }),
        fc.array(keyText, { minLength: 1, maxLength: 4 }),
        (rules, keyTails) => {
          const configuration: MirrorConfigurationDocument = { rules };
          validateAgainstSpec(configuration);
          const back = jdcloudDialect.parse(jdcloudDialect.render(configuration)).configuration;
          validateAgainstSpec(back);
          expect(back.rules.map((rule) => rule.id)).toEqual(rules.map((_, index) => `rule-${index + 1}`));
          rules.forEach((rule, index) => {
            const returned = back.rules[index] as MirrorRuleDocument;
            const { origins: _o, keyRewrite: _k, ...kept } = withDefaults(rule);
            const { origins: _bo, keyRewrite: _bk, ...keptBack } = withDefaults(returned);
            expect(keptBack).toEqual(kept);
            // A path in the origin becomes part of the key rewrite, so origins and rewrites are compared by
            // what they do: the origin URL of every key the rule applies to.
            for (const tail of keyTails) {
              const key = (rule.condition?.keyPrefix ?? '') + tail;
              expect(originUrlOfKey(returned, key)).toBe(originUrlOfKey(rule, key));
            }
            if (
              new URL(rule.origins[0] ?? '').pathname === '/' &&
              !/\/\/[^/]*\//.test(rule.origins[0] ?? '')
            ) {
              expect({ origins: returned.origins, keyRewrite: returned.keyRewrite }).toEqual({
                origins: rule.origins,
                keyRewrite: rule.keyRewrite,
              });
            }
          });
        },
      ),
    );
  });

  it('every unsupported field is refused by name', () => {
    const known: Record<string, readonly string[]> = {
      // `result` is refused as a GET answer put back whole, with a message saying so.
      document: ['backSourceRules', 'regionId', 'bucketName', 'bucketBackSourceConfiguration', 'result'],
      rule: ['backSourceType', 'condition', 'address', 'allowQueryString', 'followRedirects', 'headerRule'],
      condition: ['httpErrorCodeReturnedEquals', 'keyPrefixEquals'],
      address: ['protocol', 'hostName', 'replaceKeyPrefixWith', 'replaceKeyWith', 'replaceKeySuffixWith'],
      headerRule: ['allowAllHeaders', 'allowHeaders', 'notAllowHeaders', 'setHeaders'],
    };
    const places = Object.keys(known);
    const insertion = fc.constantFrom(...places).chain((place) =>
      fc.tuple(
        fc.constant(place),
        fc.oneof(
          fc.stringMatching(/^[a-z][A-Za-z0-9]{0,11}$/).filter((name) => !known[place]?.includes(name)),
          place === 'address' ? fc.constant('replaceKeySuffixWith') : fc.constant('storageClass'),
        ),
        fc.jsonValue().filter((value) => value !== null),
      ),
    );
    fc.assert(
      fc.property(
        fc.array(nativeRule, { minLength: 1, maxLength: 5 }),
        fc.nat(4),
        insertion,
        (rules, which, [place, name, value]) => {
          const document: Tree = { backSourceRules: structuredClone(rules) };
          const rule = (document.backSourceRules as Tree[])[which % rules.length] as Tree;
          let target: Tree = document;
          if (place === 'rule') target = rule;
          if (place === 'address') target = rule.address as Tree;
          if (place === 'condition' || place === 'headerRule') {
            rule[place] ??= {};
            target = rule[place] as Tree;
          }
          target[name] = value;
          const error = refusal(jdcloudDialect, JSON.stringify(document));
          expect([error.status, error.code]).toEqual([501, 'UNIMPLEMENTED']);
          expect(error.message).toContain(name);
          expect(error.message).toContain('not modelled by this simulator');
        },
      ),
    );
  });

  it('every value outside the modelled ones is refused by the field name', () => {
    const outside = fc.oneof(
      fc
        .string({ minLength: 1, maxLength: 12 })
        .filter((type) => type !== 'mirror')
        .map(
          (type) =>
            ['backSourceType', (rule: Tree) => Object.assign(rule, { backSourceType: type })] as const,
        ),
      fc
        .integer({ min: 100, max: 599 })
        .filter((status) => status !== 404)
        .map(
          (status) =>
            [
              'httpErrorCodeReturnedEquals',
              (rule: Tree) => Object.assign(rule, { condition: { httpErrorCodeReturnedEquals: status } }),
            ] as const,
        ),
    );
    fc.assert(
      fc.property(nativeRule, outside, (rule, [field, change]) => {
        const error = refusal(
          jdcloudDialect,
          JSON.stringify({ backSourceRules: [change(structuredClone(rule) as Tree)] }),
        );
        expect([error.status, error.code]).toEqual([501, 'UNIMPLEMENTED']);
        expect(error.message).toContain(field);
      }),
    );
  });

  it('documents beyond JD Cloud limits get 400 INVALID_ARGUMENT', () => {
    const forbidden = fc.constantFrom(
      'Authorization',
      'authorization2',
      'Content-Length',
      'range',
      'DATE',
      'x-oss-meta-a',
    );
    const breakRule = fc.oneof(
      forbidden.map((name) => (rule: Tree) => {
        rule.headerRule = { allowHeaders: [name] };
      }),
      forbidden.map((name) => (rule: Tree) => {
        rule.headerRule = { notAllowHeaders: [name] };
      }),
      forbidden.map((name) => (rule: Tree) => {
        rule.headerRule = { setHeaders: { [name]: 'v' } };
      }),
      fc.constant((rule: Tree) => {
        delete rule.address;
      }),
      fc.constantFrom('ftp', 'HTTPX', '').map((scheme) => (rule: Tree) => {
        (rule.address as Tree).protocol = scheme;
      }),
      fc
        .constantFrom(
          'h.test/dir',
          'http://h.test',
          'h.test:0',
          'h.test:70000',
          'a.0',
          'user@h.test',
          'b.s3-internal.cn-east-2.jdcloud-oss.com',
        )
        .map((host) => (rule: Tree) => {
          (rule.address as Tree).hostName = host;
        }),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(nativeRule, { minLength: 6, maxLength: 8 }).map((rules) => ({ backSourceRules: rules })),
          fc
            .tuple(fc.array(nativeRule, { minLength: 1, maxLength: 5 }), fc.nat(4), breakRule)
            .map(([rules, which, change]) => {
              const copy = structuredClone(rules) as Tree[];
              change(copy[which % copy.length] as Tree);
              return { backSourceRules: copy };
            }),
        ),
        (document) => {
          const error = refusal(jdcloudDialect, JSON.stringify(document));
          expect([error.status, error.code]).toEqual([400, 'INVALID_ARGUMENT']);
        },
      ),
    );
  });
});

describe('JD Cloud back-to-source documents', () => {
  it('reads the guide example as one prefix rule with its header rules', () => {
    const body = fixtures.read('valid-guide-example.json');
    expect(jdcloudDialect.parse(body)).toEqual({
      configuration: {
        rules: [
          {
            id: 'rule-1',
            condition: { keyPrefix: 'image/' },
            origins: ['http://www.example-domain.com'],
            passQueryString: false,
            followRedirects: true,
            headers: {
              passAll: false,
              pass: ['a-header'],
              remove: ['b-header'],
              set: [{ name: 'c-header', value: '000' }],
            },
          },
        ],
      },
      extras: {},
    });
  });

  it('reads the body of JD Cloud Go SDK, with nulls and path parameters, like a plain one', () => {
    const goSdk = fixtures.read('valid-go-sdk-body.json');
    expect(jdcloudDialect.parse(goSdk).configuration).toEqual({
      rules: [
        {
          id: 'rule-1',
          condition: { keyPrefix: 'image/' },
          origins: ['http://www.example-domain.com'],
          followRedirects: true,
          headers: { passAll: false, remove: ['b-header'] },
        },
      ],
    });
  });

  it('reads a GET result, in the SDK shape or the reference page shape, as the PUT body it came from', () => {
    const put = fixtures.read('valid-guide-example.json');
    const configuration = jdcloudDialect.parse(put).configuration;
    const answer = JSON.parse(jdcloudGetAnswer(jdcloudDialect.render(configuration), 'req-1'));
    expect(answer.requestId).toBe('req-1');
    expect(jdcloudDialect.parse(JSON.stringify(answer.result)).configuration).toEqual(configuration);
    const pageShape = { bucketBackSourceConfiguration: answer.result };
    expect(jdcloudDialect.parse(JSON.stringify(pageShape)).configuration).toEqual(configuration);
  });

  it('tells a client that puts back a whole GET answer to put its result', () => {
    const answer = jdcloudGetAnswer(fixtures.read('valid-guide-example.json'), 'req-5');
    const error = refusal(jdcloudDialect, answer);
    expect([error.status, error.code]).toEqual([400, 'INVALID_ARGUMENT']);
    expect(error.message).toContain('result');
  });

  it('answers a GET of an empty body with an empty rule list', () => {
    expect(JSON.parse(jdcloudGetAnswer('{}', 'req-2'))).toEqual({
      requestId: 'req-2',
      result: { backSourceRules: [] },
    });
  });

  it('writes every value out, defaults included, and the trigger status 404', () => {
    const rendered = JSON.parse(
      jdcloudDialect.render({ rules: [{ id: 'only', origins: ['https://origin.test:8443'] }] }),
    );
    expect(rendered).toEqual({
      backSourceRules: [
        {
          backSourceType: 'mirror',
          condition: { httpErrorCodeReturnedEquals: 404 },
          address: { protocol: 'https', hostName: 'origin.test:8443' },
          allowQueryString: false,
          followRedirects: true,
          headerRule: { allowAllHeaders: false },
        },
      ],
    });
  });

  it('writes an origin path as a key prefix rewrite, since a JD address has no path', () => {
    const render = (rule: Partial<MirrorRuleDocument>) =>
      JSON.parse(
        jdcloudDialect.render({ rules: [{ id: 'r', origins: ['http://127.0.0.1:9000/base/dir'], ...rule }] }),
      ).backSourceRules[0].address;
    expect(render({})).toEqual({
      protocol: 'http',
      hostName: '127.0.0.1:9000',
      replaceKeyPrefixWith: 'base/dir/',
    });
    expect(render({ condition: { keyPrefix: 'img/' } })).toEqual({
      protocol: 'http',
      hostName: '127.0.0.1:9000',
      replaceKeyPrefixWith: 'base/dir/img/',
    });
    expect(
      render({ condition: { keyPrefix: 'img/' }, keyRewrite: { replacePrefixWith: 'pics/' } }),
    ).toMatchObject({
      replaceKeyPrefixWith: 'base/dir/pics/',
    });
    expect(render({ keyRewrite: { replaceKeyWith: 'logo-${key}.png' } })).toMatchObject({
      replaceKeyWith: 'base/dir/logo-${key}.png',
    });
  });

  it('says which neutral field JD Cloud cannot express', () => {
    const origin = 'http://origin.test';
    const cases: [Partial<MirrorRuleDocument>, string][] = [
      [{ mode: 'redirect' }, 'rules/0/mode'],
      [{ origins: [origin, 'http://backup.test'] }, 'rules/0/origins'],
      [{ condition: { keySuffix: '.jpg' } }, 'rules/0/condition/keySuffix'],
      [{ condition: { headers: [{ name: 'x-from', equals: 'cdn' }] } }, 'rules/0/condition/headers'],
      [{ writeBack: false }, 'rules/0/writeBack'],
      [{ checkMd5: true }, 'rules/0/checkMd5'],
      [{ acl: 'public-read' }, 'rules/0/acl'],
      [{ triggerOnHead: true }, 'rules/0/triggerOnHead'],
      [{ failoverOn: ['5XX'] }, 'rules/0/failoverOn'],
      [{ redirectStatus: 307 }, 'rules/0/redirectStatus'],
      [{ headers: { pass: ['Range'] } }, 'rules/0/headers/pass/0'],
      [{ headers: { remove: ['x-oss-meta-a'] } }, 'rules/0/headers/remove/0'],
      [
        {
          headers: {
            set: [
              { name: 'a', value: '1' },
              { name: 'a', value: '2' },
            ],
          },
        },
        'rules/0/headers/set/1',
      ],
      [{ origins: ['http://origin.test/a!b'] }, 'rules/0/origins/0'],
      [
        { origins: ['http://origin.test/%24%7Bkey%7D'], keyRewrite: { replaceKeyWith: 'x' } },
        'rules/0/origins/0',
      ],
      [{ origins: ['http://src.s3-internal.cn-north-1.jdcloud-oss.com'] }, 'rules/0/origins/0'],
    ];
    for (const [rule, field] of cases) {
      const error = notExpressible(jdcloudDialect, { rules: [{ id: 'r', origins: [origin], ...rule }] });
      expect([error.dialect, error.field]).toEqual(['jdcloud', field]);
    }
  });

  it('refuses a body that is not JSON, or not the documented shape, with 400 INVALID_ARGUMENT', () => {
    for (const body of [
      '{ "backSourceRules": [',
      '[]',
      '"rules"',
      '{"backSourceRules": {}}',
      '{"backSourceRules": [1]}',
    ]) {
      const error = refusal(jdcloudDialect, body);
      expect([error.status, error.code]).toEqual([400, 'INVALID_ARGUMENT']);
    }
  });

  it('answers in the JD Cloud OpenAPI shapes', () => {
    const missing = jdcloudDialect.errors.noConfiguration('photos');
    expect([missing.status, missing.code]).toEqual([404, 'NOT_FOUND']);
    expect(missing.message).toContain('photos');
    expectAnswerToInvalid(jdcloudDialect, 400, 'INVALID_ARGUMENT');
    const body = jdcloudDialect.errorBody(missing, {
      requestId: 'req-3',
      resource: '/v1/regions/cn-north-1/buckets/photos/backSource',
    });
    expect(body.contentType).toBe('application/json');
    expect(JSON.parse(body.body)).toEqual({
      requestId: 'req-3',
      error: { code: 404, status: 'NOT_FOUND', message: missing.message },
    });
    for (const answer of [
      jdcloudDialect.putAnswer(false, 'req-4'),
      jdcloudDialect.putAnswer(true, 'req-4'),
      jdcloudDialect.deleteAnswer('req-4'),
    ]) {
      expect(answer.status).toBe(200);
      expect(answer.contentType).toBe('application/json');
      expect(JSON.parse(answer.body ?? '')).toEqual({ requestId: 'req-4' });
    }
    expect(jdcloudDialect.contentType).toBe('application/json');
  });
});

describe('JD Cloud back-to-source fixtures', () => {
  it.each(fixtures.valid)('%s parses to a valid configuration and round-trips', (file) => {
    const body = fixtures.read(file);
    const { first, rendered, second } = readBack(jdcloudDialect, body);
    expect(canonicalTree(JSON.parse(rendered))).toEqual(canonicalTree(JSON.parse(body)));
    expect(second.configuration.rules.map(withDefaults)).toEqual(first.configuration.rules.map(withDefaults));
  });

  itRefusesTheInvalidFixtures(jdcloudDialect, fixtures);
});
