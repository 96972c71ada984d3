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
} from '../../dialects/dialect-test-support.ts';
import type { MirrorRuleDocument } from '../../model.ts';
import { validateAgainstSpec } from '../../validate-configuration.ts';
import { obsDialect } from './dialect.ts';
import {
  canonicalNative,
  type NativeDocument,
  type NativeRule,
  nativeDocument,
  neutralCase,
  withDefaults,
} from './dialect-arbitraries.ts';
import { breakers, insert, knownFields, places } from './dialect-breakers.ts';

const fixtures = dialectFixtures('obs');

describe('OBS PutBucketMirrorBackToSource dialect', () => {
  it('reads the documented example into one neutral rule, masters first, with the agency in the extras', () => {
    const { configuration, extras } = obsDialect.parse(fixtures.read('valid-vendors-example.json'));
    expect(configuration).toEqual({
      rules: [
        {
          id: 'img-rule',
          condition: { keyPrefix: 'img/' },
          origins: ['https://o1.example.com', 'https://o2.example.com'],
          failoverOn: ['5XX'],
          headers: { pass: ['x-trace'], remove: ['cookie'], set: [{ name: 'x-from', value: 'obs' }] },
          keyRewrite: { replacePrefixWith: 'assets/' },
          triggerOnHead: true,
        },
      ],
    });
    expect(extras).toEqual({
      rules: { 'img-rule': { masters: 1, agency: 'obs-mirror-agency', redirectWithoutReferer: false } },
    });
  });

  it('writes the documented example back with every field it had, defaults written out', () => {
    const { configuration, extras } = obsDialect.parse(fixtures.read('valid-vendors-example.json'));
    expect(JSON.parse(obsDialect.render(configuration, extras))).toEqual({
      rules: [
        {
          id: 'img-rule',
          condition: { httpErrorCodeReturnedEquals: 404, objectKeyPrefixEquals: 'img/' },
          redirect: {
            agency: 'obs-mirror-agency',
            publicSource: {
              sourceEndpoint: { master: ['https://o1.example.com'], slave: ['https://o2.example.com'] },
            },
            retryConditions: ['5XX'],
            passQueryString: false,
            mirrorFollowRedirect: true,
            redirectWithoutReferer: false,
            mirrorHttpHeader: {
              pass: ['x-trace'],
              remove: ['cookie'],
              set: [{ key: 'x-from', value: 'obs' }],
            },
            replaceKeyPrefixWith: 'assets/',
            mirrorAllowHttpMethod: ['HEAD'],
          },
        },
      ],
    });
  });

  it('refuses the documented GET sample by naming vpcEndpointURN, which it does not model', () => {
    const error = refusal(obsDialect, fixtures.read('invalid-get-sample-vpc-endpoint.json'));
    expect([error.status, error.code]).toEqual([501, 'NotImplemented']);
    expect(error.message).toContain('rules[0].redirect.vpcEndpointURN');
    expect(error.message).toContain('does not model');
  });

  it('refuses replaceKeyWith beside replaceKeyPrefixWith by name, since a neutral rule rewrites one way', () => {
    const error = refusal(obsDialect, fixtures.read('invalid-two-key-rewrites.json'));
    expect([error.status, error.code]).toEqual([501, 'NotImplemented']);
    expect(error.message).toMatch(/replaceKeyWith together with replaceKeyPrefixWith/);
  });

  it('accepts the trigger status as the string "404", as OBS SDKs send it, and writes the integer', () => {
    const body = JSON.parse(fixtures.read('valid-minimal.json')) as NativeDocument;
    (body.rules[0] as NativeRule).condition.httpErrorCodeReturnedEquals = '404';
    const { configuration, extras } = obsDialect.parse(JSON.stringify(body));
    const rendered = JSON.parse(obsDialect.render(configuration, extras)) as NativeDocument;
    expect((rendered.rules[0] as NativeRule).condition).toEqual({ httpErrorCodeReturnedEquals: 404 });
  });

  it('accepts the limits themselves: a 256-character id, a 1023-character prefix, 20 retry conditions, 10 rules', () => {
    const body = JSON.parse(fixtures.read('valid-minimal.json')) as NativeDocument;
    const rule = body.rules[0] as NativeRule;
    rule.id = 'i'.repeat(256);
    rule.condition.objectKeyPrefixEquals = 'é'.repeat(1023);
    rule.redirect.retryConditions = Array.from({ length: 20 }, (_, index) => `${500 + index}`);
    expect(obsDialect.parse(JSON.stringify(body)).configuration.rules[0]?.failoverOn).toHaveLength(20);
    body.rules = Array.from({ length: 10 }, (_, index) => ({
      ...structuredClone(rule),
      id: `r${index}`,
      condition: { httpErrorCodeReturnedEquals: 404, objectKeyPrefixEquals: `${index}/` },
    }));
    expect(obsDialect.parse(JSON.stringify(body)).configuration.rules).toHaveLength(10);
  });

  it('answers a body that is not JSON with 400 MalformedXML that says to send JSON', () => {
    const error = refusal(obsDialect, '{"rules": [');
    expect([error.status, error.code]).toEqual([400, 'MalformedXML']);
    expect(error.message).toMatch(/not valid JSON/);
    expect(refusal(obsDialect, '"rules"').code).toBe('MalformedXML');
  });

  it('keeps the extras of a rule named __proto__', () => {
    const body = JSON.parse(fixtures.read('valid-minimal.json')) as NativeDocument;
    (body.rules[0] as NativeRule).id = '__proto__';
    const { configuration, extras } = obsDialect.parse(JSON.stringify(body));
    const rendered = JSON.parse(obsDialect.render(configuration, extras)) as NativeDocument;
    expect((rendered.rules[0] as NativeRule).redirect.agency).toBe('mirror-agency');
  });

  it('without extras renders the first origin as master, the rest as slaves, and no agency, which OBS then refuses', () => {
    const configuration = {
      rules: [{ id: 'r', origins: ['https://a.test', 'https://b.test', 'https://c.test'] }],
    };
    const rendered = obsDialect.render(configuration);
    expect(JSON.parse(rendered)).toEqual({
      rules: [
        {
          id: 'r',
          condition: { httpErrorCodeReturnedEquals: 404 },
          redirect: {
            publicSource: {
              sourceEndpoint: { master: ['https://a.test'], slave: ['https://b.test', 'https://c.test'] },
            },
            passQueryString: false,
            mirrorFollowRedirect: true,
          },
        },
      ],
    });
    expect(refusal(obsDialect, rendered).message).toMatch(/agency is required/);
  });

  it('never renders more masters than origins, whatever the extras say', () => {
    const configuration = { rules: [{ id: 'r', origins: ['https://a.test'] }] };
    const rendered = obsDialect.render(configuration, { rules: { r: { masters: 4, agency: 'ag' } } });
    expect(JSON.parse(rendered).rules[0].redirect.publicSource).toEqual({
      sourceEndpoint: { master: ['https://a.test'] },
    });
  });

  it.each<[string, Partial<MirrorRuleDocument>, string]>([
    ['a suffix condition', { condition: { keySuffix: '.jpg' } }, 'rules/0/condition/keySuffix'],
    [
      'a header condition',
      { condition: { headers: [{ name: 'x-a', equals: '1' }] } },
      'rules/0/condition/headers',
    ],
    [
      'a prefix of 1024 characters',
      { condition: { keyPrefix: 'p'.repeat(1024) } },
      'rules/0/condition/keyPrefix',
    ],
    ['mode redirect', { mode: 'redirect' }, 'rules/0/mode'],
    ['mode redirect-async', { mode: 'redirect-async' }, 'rules/0/mode'],
    ['no write-back', { writeBack: false }, 'rules/0/writeBack'],
    ['an MD5 check', { checkMd5: true }, 'rules/0/checkMd5'],
    ['a public-read ACL', { acl: 'public-read' }, 'rules/0/acl'],
    ['a 301 redirect status', { redirectStatus: 301 }, 'rules/0/redirectStatus'],
  ])('cannot express %s', (_, rule, field) => {
    const error = notExpressible(obsDialect, { rules: [{ id: 'r', origins: ['https://o.test'], ...rule }] });
    expect([error.dialect, error.field]).toEqual(['obs', field]);
  });

  it('cannot express no rules, more than 10, or prefixes that start with one another', () => {
    expect(notExpressible(obsDialect, { rules: [] }).field).toBe('rules');
    const rules = Array.from({ length: 11 }, (_, index) => ({
      id: `r${index}`,
      origins: ['https://o.test'],
      condition: { keyPrefix: `${index}-` },
    }));
    expect(notExpressible(obsDialect, { rules }).field).toBe('rules');
    const nested = [
      { id: 'a', origins: ['https://o.test'], condition: { keyPrefix: 'img/' } },
      { id: 'b', origins: ['https://o.test'], condition: { keyPrefix: 'img/thumbs/' } },
    ];
    expect(notExpressible(obsDialect, { rules: nested }).field).toBe('rules/1/condition/keyPrefix');
    expect(
      notExpressible(obsDialect, { rules: [{ id: 'all', origins: ['https://o.test'] }, ...nested.slice(1)] })
        .field,
    ).toBe('rules/1/condition/keyPrefix');
  });

  it('renders an empty suffix and an empty header condition, which match every key', () => {
    const rule = {
      id: 'r',
      origins: ['https://o.test'],
      condition: { keyPrefix: 'a/', keySuffix: '', headers: [] },
    };
    const rendered = JSON.parse(obsDialect.render({ rules: [rule] }));
    expect(rendered.rules[0].condition).toEqual({
      httpErrorCodeReturnedEquals: 404,
      objectKeyPrefixEquals: 'a/',
    });
  });

  it('answers errors as OBS does: XML with Code, Message, Resource, RequestId and HostId', () => {
    const error = new DialectError(400, 'InvalidArgument', 'rules[0].id <"bad"> & \u0000 more');
    const { contentType, body } = obsDialect.errorBody(error, {
      requestId: 'REQ1',
      resource: '/bucket?mirrorBackToSource',
    });
    expect(contentType).toBe('application/xml');
    expect(body.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const parsed = new XMLParser({ parseTagValue: false }).parse(body) as { Error: Record<string, string> };
    expect(parsed.Error).toMatchObject({
      Code: 'InvalidArgument',
      Message: 'rules[0].id &#60;&#34;bad&#34;&#62; &#38; \uFFFD more',
      Resource: '/bucket?mirrorBackToSource',
      RequestId: 'REQ1',
    });
    expect(parsed.Error.HostId).toMatch(/^[A-Za-z0-9+/=]+$/);
    const decoded = new XMLParser({ parseTagValue: false, processEntities: true, htmlEntities: true }).parse(
      body,
    );
    expect(decoded.Error.Message).toBe('rules[0].id <"bad"> & \uFFFD more');
  });

  it('answers PUT with 201, or 200 when the same policy is already in force, and DELETE with 204', () => {
    expect(obsDialect.putAnswer(false, 'r').status).toBe(201);
    expect(obsDialect.putAnswer(true, 'r').status).toBe(200);
    expect(obsDialect.deleteAnswer('r').status).toBe(204);
  });

  it('answers a bucket without rules with 404 and a refused neutral check with 400 InvalidArgument', () => {
    const missing = obsDialect.errors.noConfiguration('photos');
    expect([missing.status, missing.code]).toEqual([404, 'NoSuchMirrorBackToSourcePolicy']);
    expect(missing.message).toContain("'photos'");
    expectAnswerToInvalid(obsDialect, 400, 'InvalidArgument');
  });

  describe('fixtures', () => {
    it.each(fixtures.valid)('%s parses to a valid neutral document and round-trips', (name) => {
      const original = JSON.parse(fixtures.read(name)) as NativeDocument;
      const { first, rendered, second } = readBack(obsDialect, fixtures.read(name));
      expect(second).toEqual(first);
      expect(canonicalNative(JSON.parse(rendered))).toEqual(canonicalNative(original));
    });

    itRefusesTheInvalidFixtures(obsDialect, fixtures);
  });

  describe('laws', () => {
    it('native to neutral to native keeps every supported field', () => {
      fc.assert(
        fc.property(nativeDocument, (document) => {
          const { first, rendered, second } = readBack(obsDialect, JSON.stringify(document));
          expect(second.configuration).toEqual(first.configuration);
          expect(second.extras).toEqual(first.extras);
          expect(canonicalNative(JSON.parse(rendered))).toEqual(canonicalNative(document));
        }),
      );
    });

    it('neutral to native to neutral keeps every rule the vendor can express', () => {
      fc.assert(
        fc.property(neutralCase, ({ configuration, extras, expectedExtras }) => {
          validateAgainstSpec(configuration);
          const back = obsDialect.parse(obsDialect.render(configuration, extras));
          expect(back.configuration.rules.map(withDefaults)).toEqual(configuration.rules.map(withDefaults));
          expect(back.extras).toEqual(expectedExtras);
        }),
      );
    });

    it('rendering gives the same document whether defaults are filled in or not', () => {
      fc.assert(
        fc.property(neutralCase, ({ configuration, extras }) => {
          const filled = { rules: configuration.rules.map(withDefaults) };
          expect(obsDialect.render(filled, extras)).toBe(obsDialect.render(configuration, extras));
        }),
      );
    });

    it('every unsupported field is refused by name', () => {
      const unsupported = fc.oneof(
        fc.record({
          place: fc.constant('redirect'),
          key: fc.constantFrom('vpcEndpointURN', 'privateSource'),
          value: fc.constantFrom<unknown>('001', { sourceEndpoint: { master: ['https://p.test'] } }),
        }),
        fc.record({
          place: fc.constantFrom(...Object.keys(places)),
          key: fc.string({ minLength: 1, maxLength: 20 }).filter((key) => !knownFields.has(key)),
          value: fc.jsonValue(),
        }),
      );
      fc.assert(
        fc.property(nativeDocument, unsupported, fc.nat(), (document, { place, key, value }, index) => {
          const error = refusal(obsDialect, insert(document, place, index, key, value));
          expect([error.status, error.code]).toEqual([501, 'NotImplemented']);
          expect(error.message).toContain(key);
          expect(error.message).toContain('does not model');
        }),
      );
    });

    it('a document over an OBS limit gives 400 InvalidArgument naming the limit', () => {
      fc.assert(
        fc.property(nativeDocument, fc.constantFrom(...Object.keys(breakers)), (document, name) => {
          const breaker = breakers[name] as (typeof breakers)[string];
          const broken = structuredClone(document);
          breaker.apply(broken);
          const error = refusal(obsDialect, JSON.stringify(broken));
          expect([error.status, error.code]).toEqual([400, 'InvalidArgument']);
          expect(error.message).toMatch(breaker.message);
        }),
      );
    });
  });
});
