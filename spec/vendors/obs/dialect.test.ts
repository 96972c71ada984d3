import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { DialectError } from '../../dialects/dialect.ts';
import {
  dialectFixtures,
  expectAnswerToInvalid,
  itRefusesTheInvalidFixtures,
  withDefaults as neutralWithDefaults,
  notExpressible,
  readBack,
  refusal,
} from '../../dialects/dialect-test-support.ts';
import type { MirrorRuleDocument } from '../../model.ts';
import { validateAgainstSpec } from '../../validate-configuration.ts';
import { obsDialect } from './dialect.ts';

const fixtures = dialectFixtures('obs');

// The native document as a JSON tree; the tests build and mutate it freely.
type Tree = { [key: string]: unknown };
interface NativeRule {
  id: string;
  condition: Tree;
  redirect: Tree;
}
interface NativeDocument {
  rules: NativeRule[];
}

/**
 * The native tree up to what OBS leaves to defaults: render writes `passQueryString` (documented default
 * false [obs-zhishi]) and `mirrorFollowRedirect` (neutral default true) every time, writes the 404 as the
 * documented integer, and leaves out header fields and origin lists that hold nothing. Key order is free
 * in JSON; `toEqual` ignores it, and every array keeps its order.
 */
function canonicalNative(document: NativeDocument): NativeDocument {
  return {
    rules: document.rules.map(({ id, condition, redirect }) => {
      const canonical: Tree = { passQueryString: false, mirrorFollowRedirect: true, ...redirect };
      const source = redirect.publicSource as { sourceEndpoint: { master: string[]; slave?: string[] } };
      const { master, slave } = source.sourceEndpoint;
      canonical.publicSource = { sourceEndpoint: slave?.length ? { master, slave } : { master } };
      const header = { ...(redirect.mirrorHttpHeader as Tree | undefined) };
      if (header.passAll === false) delete header.passAll;
      for (const list of ['pass', 'remove', 'set'])
        if ((header[list] as unknown[] | undefined)?.length === 0) delete header[list];
      if (Object.keys(header).length > 0) canonical.mirrorHttpHeader = header;
      else delete canonical.mirrorHttpHeader;
      return { id, condition: { ...condition, httpErrorCodeReturnedEquals: 404 }, redirect: canonical };
    }),
  };
}

/** A rule with every spec default filled in; an empty suffix, which OBS does not write, matches every key. */
function withDefaults(rule: MirrorRuleDocument): MirrorRuleDocument {
  if (rule.condition?.keySuffix !== '') return neutralWithDefaults(rule);
  const { keySuffix: _empty, ...condition } = rule.condition;
  return neutralWithDefaults({ ...rule, condition });
}

// Arbitraries. Prefixes of different rules start with different letters followed by '/', so none starts
// with another; a lone rule may also have no prefix or the empty one.
const ruleIds = (count: number) =>
  fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9_-]{1,256}$/), { minLength: count, maxLength: count });
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 24 }),
  fc.constantFrom('${key}', 'prefix/${key}.jpg'),
);
const prefixes = (count: number): fc.Arbitrary<(string | undefined)[]> =>
  count === 1
    ? fc.option(text, { nil: undefined }).map((prefix) => [prefix])
    : fc
        .array(text, { minLength: count, maxLength: count })
        .map((tails) => tails.map((tail, index) => `${String.fromCharCode(97 + index)}/${tail}`));
const origin = fc.webUrl({ validSchemes: ['http', 'https'] });
const headerName = fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,24}$/);
const headerValue = fc.string({ maxLength: 40 }).filter((value) => !/[\r\n\0]/.test(value));
const retryConditions = fc
  .record({
    fourClass: fc.boolean(),
    fiveClass: fc.boolean(),
    exact: fc.uniqueArray(fc.integer({ min: 400, max: 599 }), { maxLength: 18 }),
  })
  .map(({ fourClass, fiveClass, exact }) => [
    ...(fourClass ? ['4XX'] : []),
    ...(fiveClass ? ['5XX'] : []),
    ...exact.filter((code) => !(fourClass && code < 500) && !(fiveClass && code >= 500)).map(String),
  ]);

const nativeRedirect: fc.Arbitrary<Tree> = fc
  .record(
    {
      agency: fc.string({ minLength: 1, maxLength: 32 }),
      master: fc.array(origin, { minLength: 1, maxLength: 5 }),
      slave: fc.array(origin, { minLength: 1, maxLength: 5 }),
      retryConditions,
      passQueryString: fc.boolean(),
      mirrorFollowRedirect: fc.boolean(),
      redirectWithoutReferer: fc.boolean(),
      mirrorHttpHeader: fc.record(
        {
          passAll: fc.boolean(),
          pass: fc.array(headerName, { maxLength: 10 }),
          remove: fc.array(headerName, { maxLength: 10 }),
          set: fc.array(fc.record({ key: headerName, value: headerValue }), { maxLength: 10 }),
        },
        { requiredKeys: [] },
      ),
      keyRewrite: fc.oneof(fc.record({ replaceKeyWith: text }), fc.record({ replaceKeyPrefixWith: text })),
      mirrorAllowHttpMethod: fc.constant(['HEAD']),
    },
    { requiredKeys: ['agency', 'master'] },
  )
  .map(({ master, slave, keyRewrite, ...rest }) => ({
    ...rest,
    publicSource: { sourceEndpoint: slave ? { master, slave } : { master } },
    ...keyRewrite,
  }));

const nativeDocument: fc.Arbitrary<NativeDocument> = fc
  .integer({ min: 1, max: 10 })
  .chain((count) =>
    fc.tuple(
      ruleIds(count),
      prefixes(count),
      fc.array(nativeRedirect, { minLength: count, maxLength: count }),
      fc.array(fc.constantFrom<unknown>(404, '404'), { minLength: count, maxLength: count }),
    ),
  )
  .map(([ids, keyPrefixes, redirects, codes]) => ({
    rules: ids.map((id, index) => {
      const prefix = keyPrefixes[index];
      return {
        id,
        condition: {
          httpErrorCodeReturnedEquals: codes[index],
          ...(prefix === undefined ? {} : { objectKeyPrefixEquals: prefix }),
        },
        redirect: redirects[index] as Tree,
      };
    }),
  }));

/** Neutral rules built only from what an OBS rule can say, with the extras OBS needs (an agency). */
const neutralCase = fc
  .integer({ min: 1, max: 10 })
  .chain((count) =>
    fc.tuple(
      ruleIds(count),
      prefixes(count),
      fc.array(
        fc.record(
          {
            origins: fc.array(origin, { minLength: 1, maxLength: 10 }),
            mode: fc.constant('mirror' as const),
            keyRewrite: fc.oneof(fc.record({ replacePrefixWith: text }), fc.record({ replaceKeyWith: text })),
            passQueryString: fc.boolean(),
            followRedirects: fc.boolean(),
            headers: fc.record(
              {
                passAll: fc.boolean(),
                pass: fc.array(headerName, { maxLength: 10 }),
                remove: fc.array(headerName, { maxLength: 10 }),
                set: fc.array(fc.record({ name: headerName, value: headerValue }), { maxLength: 10 }),
              },
              { requiredKeys: [] },
            ),
            writeBack: fc.constant(true),
            checkMd5: fc.constant(false),
            acl: fc.constant('private' as const),
            triggerOnHead: fc.boolean(),
            failoverOn: retryConditions,
            redirectStatus: fc.constant(302 as const),
            matchAll: fc.record(
              { keySuffix: fc.constant(''), headers: fc.constant<{ name: string; equals: string }[]>([]) },
              { requiredKeys: [] },
            ),
          },
          { requiredKeys: ['origins'] },
        ),
        { minLength: count, maxLength: count },
      ),
      fc.array(
        fc.record(
          {
            agency: fc.string({ minLength: 1, maxLength: 32 }),
            masters: fc.integer({ min: 1, max: 10 }),
            redirectWithoutReferer: fc.boolean(),
          },
          { requiredKeys: ['agency'] },
        ),
        { minLength: count, maxLength: count },
      ),
    ),
  )
  .map(([ids, keyPrefixes, bodies, kept]) => {
    const rules = ids.map((id, index): MirrorRuleDocument => {
      const { matchAll, ...body } = bodies[index] as (typeof bodies)[number];
      const prefix = keyPrefixes[index];
      const condition = { ...(prefix === undefined ? {} : { keyPrefix: prefix }), ...matchAll };
      return { id, ...body, ...(Object.keys(condition).length > 0 ? { condition } : {}) };
    });
    return {
      configuration: { rules },
      extras: { rules: Object.fromEntries(ids.map((id, index) => [id, kept[index]])) },
      // What parse reads back: the master count is always recorded, and never more than the origins.
      expectedExtras: {
        rules: Object.fromEntries(
          ids.map((id, index) => {
            const { masters = 1, ...rest } = kept[index] as (typeof kept)[number];
            return [id, { ...rest, masters: Math.min(masters, rules[index]?.origins.length ?? 0) }];
          }),
        ),
      },
    };
  });

/** Where an unknown field can go, and how to make room for it in a document that may not have the object. */
const places: Record<string, (document: NativeDocument, index: number) => Tree> = {
  document: (document) => document as unknown as Tree,
  rule: (document, index) => document.rules[index] as unknown as Tree,
  condition: (document, index) => (document.rules[index] as NativeRule).condition,
  redirect: (document, index) => (document.rules[index] as NativeRule).redirect,
  publicSource: (document, index) => (document.rules[index] as NativeRule).redirect.publicSource as Tree,
  sourceEndpoint: (document, index) =>
    ((document.rules[index] as NativeRule).redirect.publicSource as Tree).sourceEndpoint as Tree,
  mirrorHttpHeader: (document, index) => {
    const redirect = (document.rules[index] as NativeRule).redirect;
    redirect.mirrorHttpHeader ??= {};
    return redirect.mirrorHttpHeader as Tree;
  },
  'mirrorHttpHeader.set entry': (document, index) => {
    const header = places.mirrorHttpHeader?.(document, index) as Tree;
    header.set = [{ key: 'x-from', value: 'obs' }];
    return (header.set as Tree[])[0] as Tree;
  },
};
const knownFields = new Set([
  ...['rules', 'id', 'condition', 'redirect', 'httpErrorCodeReturnedEquals', 'objectKeyPrefixEquals'],
  ...['agency', 'publicSource', 'retryConditions', 'passQueryString', 'mirrorFollowRedirect'],
  ...['redirectWithoutReferer', 'mirrorHttpHeader', 'replaceKeyWith', 'replaceKeyPrefixWith'],
  ...[
    'mirrorAllowHttpMethod',
    'sourceEndpoint',
    'master',
    'slave',
    'passAll',
    'pass',
    'remove',
    'set',
    'key',
    'value',
  ],
]);

function insert(document: NativeDocument, place: string, index: number, key: string, value: unknown): string {
  const copy = structuredClone(document);
  const target = places[place]?.(copy, index % copy.rules.length) as Tree;
  // defineProperty, so that even `__proto__` becomes a field of the document.
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
  return JSON.stringify(copy);
}

/** One vendor limit broken at a time; each gives 400 InvalidArgument with a message that says what. */
const breakers: Record<string, { message: RegExp; apply: (document: NativeDocument) => void }> = {
  'no rules': { message: /1 to 10/, apply: (document) => document.rules.splice(0) },
  'eleven rules': {
    message: /1 to 10/,
    apply: (document) => {
      const first = document.rules[0] as NativeRule;
      document.rules = Array.from({ length: 11 }, (_, index) => ({
        ...structuredClone(first),
        id: `rule-${index}`,
        condition: { httpErrorCodeReturnedEquals: 404, objectKeyPrefixEquals: `${index}-` },
      }));
    },
  },
  'a rule id outside the alphabet': {
    message: /id must be 1 to 256/,
    apply: (document) => Object.assign(document.rules[0] as NativeRule, { id: 'img rule!' }),
  },
  'a rule id of 257 characters': {
    message: /id must be 1 to 256/,
    apply: (document) => Object.assign(document.rules[0] as NativeRule, { id: 'a'.repeat(257) }),
  },
  'two rules with one id': {
    message: /unique/,
    apply: (document) => {
      const first = document.rules[0] as NativeRule;
      document.rules = [
        first,
        { ...structuredClone(first), condition: { httpErrorCodeReturnedEquals: 404 } },
      ];
      first.condition = { httpErrorCodeReturnedEquals: 404, objectKeyPrefixEquals: 'a/' };
      (document.rules[1] as NativeRule).condition.objectKeyPrefixEquals = 'b/';
    },
  },
  'a prefix extending another rule prefix': {
    message: /prefixes/,
    apply: (document) => {
      const first = document.rules[0] as NativeRule;
      const prefix = `${(first.condition.objectKeyPrefixEquals as string | undefined) ?? ''}x`;
      const extending = { ...structuredClone(first), id: `${first.id.slice(0, 250)}-other` };
      extending.condition = { ...first.condition, objectKeyPrefixEquals: prefix };
      // In place of the second rule, if any, so the document stays within 10 rules.
      document.rules.splice(1, 1, extending);
    },
  },
  'a prefix of 1024 characters': {
    message: /at most 1023/,
    apply: (document) => {
      (document.rules[0] as NativeRule).condition.objectKeyPrefixEquals = 'p'.repeat(1024);
    },
  },
  'a trigger other than 404': {
    message: /must be 404/,
    apply: (document) => {
      (document.rules[0] as NativeRule).condition.httpErrorCodeReturnedEquals = 403;
    },
  },
  'a class beside an exact code of the class': {
    message: /does not mix/,
    apply: (document) => {
      (document.rules[0] as NativeRule).redirect.retryConditions = ['5XX', '503'];
    },
  },
  '21 retry conditions': {
    message: /at most 20/,
    apply: (document) => {
      (document.rules[0] as NativeRule).redirect.retryConditions = Array.from(
        { length: 21 },
        (_, index) => `${400 + index}`,
      );
    },
  },
  'a retry condition outside 4xx and 5xx': {
    message: /'4XX', '5XX' or a status/,
    apply: (document) => {
      (document.rules[0] as NativeRule).redirect.retryConditions = ['3XX'];
    },
  },
  'a method other than HEAD': {
    message: /must be \["HEAD"\]/,
    apply: (document) => {
      (document.rules[0] as NativeRule).redirect.mirrorAllowHttpMethod = ['PUT'];
    },
  },
  'no agency': {
    message: /agency is required/,
    apply: (document) => {
      delete (document.rules[0] as NativeRule).redirect.agency;
    },
  },
  'no master origin': {
    message: /master must name at least one origin/,
    apply: (document) => {
      const source = (document.rules[0] as NativeRule).redirect.publicSource as { sourceEndpoint: Tree };
      source.sourceEndpoint.master = [];
    },
  },
  'a flag that is not a boolean': {
    message: /passQueryString must be true or false/,
    apply: (document) => {
      (document.rules[0] as NativeRule).redirect.passQueryString = 'yes';
    },
  },
};

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
