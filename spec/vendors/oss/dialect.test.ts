// The OSS dialect against its fixtures, the documented examples, the body the ali-oss SDK sends, and
// the translation laws: both round trips, refusals by name, and the vendor's own limits.

import { createRequire } from 'node:module';
import fc from 'fast-check';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
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
import { ossDialect } from './dialect.ts';

const fixtures = dialectFixtures('oss');

// ---------------------------------------------------------------------------------------------------
// XML trees, as fast-xml-parser reads them with every element an array: text, or children by name.

type XmlNode = string | Tree;
interface Tree {
  [name: string]: XmlNode[];
}

const treeParser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  parseTagValue: false,
  trimValues: false,
  isArray: () => true,
});
const treeBuilder = new XMLBuilder({ format: true, indentBy: '  ' });

/** The document as a tree, without the whitespace between elements. */
function readTree(xml: string): Tree {
  const strip = (node: unknown): XmlNode => {
    if (typeof node === 'string') return node;
    const tree: Tree = {};
    for (const [name, value] of Object.entries(node as Record<string, unknown>)) {
      if (name !== '#text') tree[name] = (value as unknown[]).map(strip);
    }
    return tree;
  };
  return strip(treeParser.parse(xml)) as Tree;
}

function writeTree(tree: Tree): string {
  // An XML reader turns a raw CR into LF; the reference keeps it.
  return (treeBuilder.build(tree) as string).replaceAll('\r', '&#13;');
}

/** Builds a tree node from fields, leaving out the absent ones and empty lists. */
function element(fields: Record<string, XmlNode | XmlNode[] | undefined>): Tree {
  const tree: Tree = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    tree[name] = Array.isArray(value) ? value : [value];
  }
  return tree;
}

function child(tree: Tree, name: string): Tree {
  const node = tree[name]?.[0];
  if (node === undefined) throw new Error(`no ${name}`);
  if (typeof node === 'string') {
    const empty: Tree = {};
    tree[name] = [empty];
    return empty;
  }
  return node;
}

function rulesOf(document: Tree): Tree[] {
  const routingRules = child(child(document, 'WebsiteConfiguration'), 'RoutingRules');
  routingRules.RoutingRule ??= [];
  return routingRules.RoutingRule as Tree[];
}

const text = (node: XmlNode[] | undefined): string | undefined => node?.[0] as string | undefined;

// ---------------------------------------------------------------------------------------------------
// Normal forms for comparing documents and configurations.

// Elements whose absence means this value [oss-put][oss-go2].
const NATIVE_DEFAULTS: Readonly<Record<string, string>> = {
  PassQueryString: 'false',
  MirrorPassQueryString: 'false',
  MirrorFollowRedirect: 'true',
  MirrorCheckMd5: 'false',
  MirrorProxyPass: 'false',
  MirrorAllowHeadObject: 'false',
  EnableReplacePrefix: 'false',
};

/**
 * A website document with the differences OSS does not see taken out, so two documents that configure
 * the same rules compare equal: rules in RuleNumber order (the order OSS tries them), alternates in
 * MirrorMultiAlternateNumber order numbered from 1 (the numbers only order them), elements at their
 * documented default dropped, MirrorPassQueryString in place of the PassQueryString it overrides on a
 * Mirror rule, an absent HttpRedirectCode of an External rule as 302 and a present 302 on a Mirror rule
 * (which ignores it) dropped, EnableReplacePrefix without ReplaceKeyPrefixWith as with an empty one (both
 * strip the prefix [oss-go2]), empty containers dropped.
 */
function canonicalWebsite(document: Tree): Tree {
  const copy = structuredClone(document);
  const rules = rulesOf(copy);
  rules.sort((a, b) => Number(text(a.RuleNumber)) - Number(text(b.RuleNumber)));
  for (const rule of rules) {
    const redirect = child(rule, 'Redirect');
    const mirror = text(redirect.RedirectType) === 'Mirror';
    if (mirror && redirect.PassQueryString) {
      redirect.MirrorPassQueryString ??= redirect.PassQueryString;
      delete redirect.PassQueryString;
    }
    for (const [name, value] of Object.entries(NATIVE_DEFAULTS)) {
      if (text(redirect[name]) === value) delete redirect[name];
    }
    if (mirror && text(redirect.HttpRedirectCode) === '302') delete redirect.HttpRedirectCode;
    if (!mirror) redirect.HttpRedirectCode ??= ['302'];
    if (redirect.EnableReplacePrefix) redirect.ReplaceKeyPrefixWith ??= [''];
    if (redirect.MirrorHeaders) {
      const headers = child(redirect, 'MirrorHeaders');
      if (text(headers.PassAll) === 'false') delete headers.PassAll;
      if (Object.keys(headers).length === 0) delete redirect.MirrorHeaders;
    }
    if (redirect.MirrorMultiAlternates) {
      const alternates = (child(redirect, 'MirrorMultiAlternates').MirrorMultiAlternate ?? []) as Tree[];
      alternates.sort(
        (a, b) => Number(text(a.MirrorMultiAlternateNumber)) - Number(text(b.MirrorMultiAlternateNumber)),
      );
      alternates.forEach((alternate, index) => {
        alternate.MirrorMultiAlternateNumber = [String(index + 1)];
      });
      if (alternates.length === 0) delete redirect.MirrorMultiAlternates;
      else redirect.MirrorMultiAlternates = [{ MirrorMultiAlternate: alternates }];
    }
  }
  return copy;
}

/** The ids `render` then `parse` give: kept when all are `rule-<n>` and increasing, else by position. */
function renamedIds(ids: readonly string[]): string[] {
  const numbers = ids.map((id) => /^rule-([1-9][0-9]{0,15})$/.exec(id)?.[1]).map(Number);
  const kept = numbers.every((n, i) => Number.isSafeInteger(n) && (i === 0 || n > (numbers[i - 1] ?? 0)));
  return kept ? [...ids] : ids.map((_, index) => `rule-${index + 1}`);
}

/** An origin as its MirrorURL: the scheme in lower case and a final `/`; the same origin URLs [oss-put]. */
function asBase(origin: string): string {
  const base = origin.replace(/^[a-z]+/i, (scheme) => scheme.toLowerCase());
  return base.endsWith('/') ? base : `${base}/`;
}

// ---------------------------------------------------------------------------------------------------
// Arbitraries.

const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const bool = fc.constantFrom('true', 'false');
// Characters XML carries, the ones it must escape, whitespace and a few beyond ASCII.
const textUnit = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...'abcxyzABC019-_./*?$'.split('')) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('&', '<', '>', '"', "'", ' ', '\t', '\n', '\r', 'é', '中', '😀', '&amp;'),
  },
);
const anyText = fc.string({ unit: textUnit, maxLength: 12 });
const nonEmptyText = fc.string({ unit: textUnit, minLength: 1, maxLength: 12 });
const headerValue = anyText.map((value) => value.replace(/[\r\n]/g, ' '));
const ossHeaderName = fc.stringMatching(/^[A-Za-z0-9-]{1,12}$/);
const host = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9]{1,8}$/),
    fc.constantFrom('example.com', 'test', 'origin.example.net'),
    optional(fc.integer({ min: 1, max: 65535 })),
  )
  .map(([label, domain, port]) => `${label}.${domain}${port === undefined ? '' : `:${port}`}`);
const scheme = fc.constantFrom('http', 'https');
const mirrorUrl = fc
  .tuple(scheme, host, fc.array(fc.stringMatching(/^[a-z0-9]{1,6}$/), { maxLength: 2 }))
  .map(([s, h, segments]) => `${s}://${h}/${segments.map((segment) => `${segment}/`).join('')}`);

const mirrorHeadersTree = fc
  .record({
    PassAll: optional(bool),
    Pass: fc.array(ossHeaderName, { maxLength: 10 }),
    Remove: fc.array(ossHeaderName, { maxLength: 10 }),
    Set: fc.array(fc.record({ Key: ossHeaderName, Value: headerValue }).map(element), { maxLength: 10 }),
  })
  .map(element);

const keyRewriteFields = fc.oneof(
  fc.constant({}),
  fc.constant({ EnableReplacePrefix: 'false' }),
  optional(anyText).map((prefix) => ({ EnableReplacePrefix: 'true', ReplaceKeyPrefixWith: prefix })),
  nonEmptyText.map((key) => ({ ReplaceKeyWith: key })),
);

// Redirect elements both RedirectTypes carry.
const sharedRedirectFields = fc.record({
  MirrorFollowRedirect: optional(bool),
  MirrorCheckMd5: optional(bool),
  MirrorSwitchAllErrors: optional(bool),
  MirrorProxyPass: optional(bool),
  MirrorAllowHeadObject: optional(bool),
  MirrorHeaders: optional(mirrorHeadersTree),
  HttpRedirectCode: optional(fc.constantFrom('301', '302', '307')),
});

const mirrorAlternates = fc
  .uniqueArray(fc.record({ number: fc.integer({ min: 1, max: 50 }), url: mirrorUrl }), {
    selector: ({ number }) => number,
    maxLength: 3,
  })
  .map((alternates) =>
    alternates.length === 0
      ? undefined
      : element({
          MirrorMultiAlternate: alternates.map(({ number, url }) =>
            element({ MirrorMultiAlternateNumber: String(number), MirrorMultiAlternateURL: url }),
          ),
        }),
  );

const mirrorRedirect = fc
  .record({
    shared: sharedRedirectFields,
    rewrite: keyRewriteFields,
    MirrorURL: mirrorUrl,
    // Alternates only beside a slave: a list of origins is written MirrorURL, MirrorURLSlave, alternates.
    backups: optional(fc.record({ MirrorURLSlave: mirrorUrl, MirrorMultiAlternates: mirrorAlternates })),
    MirrorPassQueryString: optional(bool),
    PassQueryString: optional(bool),
  })
  .map(({ shared, rewrite, backups, ...own }) =>
    element({ RedirectType: 'Mirror', ...own, ...backups, ...shared, ...rewrite }),
  );

const externalRedirect = fc
  .record({
    shared: sharedRedirectFields,
    rewrite: keyRewriteFields,
    Protocol: scheme,
    HostName: host,
    PassQueryString: optional(bool),
  })
  .map(({ shared, rewrite, ...own }) => element({ RedirectType: 'External', ...own, ...shared, ...rewrite }));

const conditionTree = fc
  .record({
    KeyPrefixEquals: optional(anyText),
    KeySuffixEquals: optional(anyText),
    IncludeHeader: fc.array(fc.record({ Key: ossHeaderName, Equals: anyText }).map(element), {
      maxLength: 10,
    }),
  })
  .map((fields) => element({ ...fields, HttpErrorCodeReturnedEquals: '404' }));

const routingRule = (number: number) =>
  fc
    .record({
      Condition: conditionTree,
      Redirect: fc.oneof(
        { weight: 3, arbitrary: mirrorRedirect },
        { weight: 1, arbitrary: externalRedirect },
      ),
    })
    .map(({ Condition, Redirect }) => element({ RuleNumber: String(number), Condition, Redirect }));

/** A website document OSS accepts and the neutral model carries, its rules in any RuleNumber order. */
const websiteDocument = (minRules = 0) =>
  fc
    .uniqueArray(fc.integer({ min: 1, max: 999 }), { minLength: minRules, maxLength: 5 })
    .chain((numbers) => fc.tuple(...numbers.map(routingRule)))
    .map(
      (rules) => ({ WebsiteConfiguration: [{ RoutingRules: [element({ RoutingRule: rules })] }] }) as Tree,
    );

// Neutral rules built only from what OSS can say.
const neutralHeaderName = ossHeaderName;
const neutralRuleBody = fc
  .record(
    {
      condition: fc.record(
        {
          keyPrefix: anyText,
          keySuffix: anyText,
          headers: fc.array(fc.record({ name: neutralHeaderName, equals: anyText }), { maxLength: 10 }),
        },
        { requiredKeys: [] },
      ),
      keyRewrite: fc.oneof(
        anyText.map((replacePrefixWith) => ({ replacePrefixWith })),
        nonEmptyText.map((replaceKeyWith) => ({ replaceKeyWith })),
      ),
      passQueryString: fc.boolean(),
      followRedirects: fc.boolean(),
      headers: fc.record(
        {
          passAll: fc.boolean(),
          pass: fc.array(neutralHeaderName, { maxLength: 10 }),
          remove: fc.array(neutralHeaderName, { maxLength: 10 }),
          set: fc.array(fc.record({ name: neutralHeaderName, value: headerValue }), { maxLength: 10 }),
        },
        { requiredKeys: [] },
      ),
      writeBack: fc.boolean(),
      checkMd5: fc.boolean(),
      acl: fc.constant('private' as const),
      triggerOnHead: fc.boolean(),
      failoverOn: fc.constantFrom<string[]>(['4XX', '5XX'], ['5XX']),
      redirectStatus: fc.constantFrom(301 as const, 302 as const, 307 as const),
    },
    { requiredKeys: [] },
  )
  .chain((body) =>
    fc.oneof(
      fc
        .record({
          mode: optional(fc.constant('mirror' as const)),
          origins: fc.array(
            fc.tuple(mirrorUrl, fc.boolean(), fc.boolean()).map(([url, upper, trimmed]) => {
              const cased = upper ? url.replace(/^[a-z]+/, (s) => s.toUpperCase()) : url;
              return trimmed ? cased.replace(/\/$/, '') : cased;
            }),
            { minLength: 1, maxLength: 10 },
          ),
        })
        .map((target) => ({ ...body, ...target })),
      fc
        .record({
          mode: fc.constant('redirect' as const),
          origins: fc
            .tuple(scheme, host, fc.boolean())
            .map(([s, h, slash]) => [`${s}://${h}${slash ? '/' : ''}`]),
        })
        .map((target) => ({ ...body, ...target })),
    ),
  );

const ruleIds = (count: number) =>
  fc.oneof(
    fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/), { minLength: count, maxLength: count }),
    fc
      .uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: count, maxLength: count })
      .map((numbers) => numbers.sort((a, b) => a - b).map((n) => `rule-${n}`)),
  );

const neutralConfiguration: fc.Arbitrary<MirrorConfigurationDocument> = fc
  .array(neutralRuleBody, { maxLength: 6 })
  .chain((bodies) =>
    ruleIds(bodies.length).map((ids) => ({
      rules: bodies.map((body, index) => ({ id: ids[index] ?? `r${index}`, ...body })),
    })),
  );

// ---------------------------------------------------------------------------------------------------

describe('OSS fixtures', () => {
  for (const name of fixtures.valid) {
    it(`${name} parses into a spec-valid configuration and reads back the same after render`, () => {
      const body = fixtures.read(name);
      const { first, rendered, second } = readBack(ossDialect, body);
      expect(first.configuration.rules.length).toBeGreaterThan(0);
      expect(second.configuration).toEqual(first.configuration);
      expect(canonicalWebsite(readTree(rendered))).toEqual(canonicalWebsite(readTree(body)));
    });
  }

  itRefusesTheInvalidFixtures(ossDialect, fixtures);
});

describe('OSS PutBucketWebsite to neutral rules', () => {
  it('reads the documented example rule as one mirror rule with its condition, origins and headers', () => {
    const { configuration, extras } = ossDialect.parse(fixtures.read('valid-mirror-example.xml'));
    expect(extras).toEqual({});
    expect(configuration).toEqual({
      rules: [
        {
          id: 'rule-1',
          origins: ['https://origin.example.com/base/', 'https://backup.example.com/base/'],
          condition: {
            keyPrefix: 'img/',
            keySuffix: '.jpg',
            headers: [{ name: 'host', equals: 'cdn.example.com' }],
          },
          passQueryString: true,
          headers: { pass: ['x-trace'], remove: ['cookie'], set: [{ name: 'x-from', value: 'oss' }] },
          failoverOn: ['5XX'],
        },
      ],
    });
  });

  it('orders rules by RuleNumber and names each rule-<RuleNumber>', () => {
    const { configuration } = ossDialect.parse(fixtures.read('valid-multi-origin.xml'));
    expect(configuration.rules.map(({ id }) => id)).toEqual(['rule-2', 'rule-5']);
  });

  it('lists MirrorURL, then MirrorURLSlave, then the alternates by number as the origins', () => {
    const { configuration } = ossDialect.parse(fixtures.read('valid-multi-origin.xml'));
    expect(configuration.rules[0]).toEqual({
      id: 'rule-2',
      condition: { keyPrefix: 'examplefolder/' },
      origins: [
        'https://example.com/',
        'https://standby.example.com/',
        'https://second.example.com/mirror/',
        'https://third.example.com/',
      ],
      keyRewrite: { replacePrefixWith: 'origin-folder/' },
      writeBack: false,
      triggerOnHead: true,
      failoverOn: ['4XX', '5XX'],
    });
    expect(configuration.rules[1]).toMatchObject({
      passQueryString: true,
      followRedirects: false,
      checkMd5: true,
      headers: { passAll: true, remove: ['myheader-key3', 'myheader-key4'] },
    });
  });

  it('reads an External rule as a redirect to Protocol://HostName/ with its HttpRedirectCode', () => {
    const { configuration } = ossDialect.parse(fixtures.read('valid-redirect-external.xml'));
    expect(configuration.rules).toEqual([
      {
        id: 'rule-1',
        mode: 'redirect',
        origins: ['https://www.example.com/'],
        condition: { keyPrefix: 'docs/' },
        keyRewrite: { replaceKeyWith: 'prefix/${key}.suffix' },
        passQueryString: true,
        redirectStatus: 301,
      },
      {
        id: 'rule-2',
        mode: 'redirect',
        origins: ['http://example.com/'],
        condition: { keyPrefix: 'abc/' },
        keyRewrite: { replacePrefixWith: 'def/' },
      },
    ]);
  });

  it('lets MirrorPassQueryString win over PassQueryString on a Mirror rule', () => {
    const rule = (fields: string) =>
      ossDialect.parse(
        `<WebsiteConfiguration><RoutingRules><RoutingRule><RuleNumber>1</RuleNumber><Condition><HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals></Condition><Redirect><RedirectType>Mirror</RedirectType><MirrorURL>http://o.test/</MirrorURL>${fields}</Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>`,
      ).configuration.rules[0];
    expect(
      rule('<PassQueryString>true</PassQueryString><MirrorPassQueryString>false</MirrorPassQueryString>'),
    ).not.toHaveProperty('passQueryString');
    expect(rule('<PassQueryString>true</PassQueryString>')?.passQueryString).toBe(true);
    expect(rule('<MirrorPassQueryString>true</MirrorPassQueryString>')?.passQueryString).toBe(true);
  });

  it('strips the prefix when EnableReplacePrefix is true without a ReplaceKeyPrefixWith', () => {
    const { configuration } = ossDialect.parse(
      '<WebsiteConfiguration><RoutingRules><RoutingRule><RuleNumber>1</RuleNumber><Condition><KeyPrefixEquals>a/</KeyPrefixEquals><HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals></Condition><Redirect><RedirectType>Mirror</RedirectType><MirrorURL>http://o.test/</MirrorURL><EnableReplacePrefix>true</EnableReplacePrefix></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>',
    );
    expect(configuration.rules[0]?.keyRewrite).toEqual({ replacePrefixWith: '' });
  });

  it('reads an empty RoutingRules as no rules', () => {
    expect(
      ossDialect.parse('<WebsiteConfiguration><RoutingRules/></WebsiteConfiguration>').configuration,
    ).toEqual({
      rules: [],
    });
  });

  it.each([
    [
      'External without Protocol',
      '<RedirectType>External</RedirectType><HostName>h.test</HostName>',
      'Protocol',
    ],
    [
      'External without HostName',
      '<RedirectType>External</RedirectType><Protocol>https</Protocol>',
      'HostName',
    ],
    [
      'a prefix replacement without EnableReplacePrefix',
      '<RedirectType>Mirror</RedirectType><MirrorURL>http://o.test/</MirrorURL><ReplaceKeyPrefixWith>b/</ReplaceKeyPrefixWith>',
      'ReplaceKeyPrefixWith',
    ],
    [
      'Protocol on a Mirror rule',
      '<RedirectType>Mirror</RedirectType><MirrorURL>http://o.test/</MirrorURL><Protocol>https</Protocol>',
      'Protocol',
    ],
    [
      'MirrorURL on an External rule',
      '<RedirectType>External</RedirectType><Protocol>https</Protocol><HostName>h.test</HostName><MirrorURL>http://o.test/</MirrorURL>',
      'MirrorURL',
    ],
  ])('refuses %s by name as not implemented', (_, redirect, field) => {
    const error = refusal(
      ossDialect,
      `<WebsiteConfiguration><RoutingRules><RoutingRule><RuleNumber>1</RuleNumber><Condition><HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals></Condition><Redirect>${redirect}</Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>`,
    );
    expect({ status: error.status, code: error.code }).toEqual({ status: 501, code: 'NotImplemented' });
    expect(error.message).toContain(field);
    expect(error.message).toContain('does not model');
  });

  it('refuses an External rule for answers other than a missing key by name', () => {
    const error = refusal(
      ossDialect,
      '<WebsiteConfiguration><RoutingRules><RoutingRule><RuleNumber>1</RuleNumber><Condition><KeyPrefixEquals>a/</KeyPrefixEquals></Condition><Redirect><RedirectType>External</RedirectType><Protocol>https</Protocol><HostName>h.test</HostName></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>',
    );
    expect([error.status, error.code]).toEqual([501, 'NotImplemented']);
    expect(error.message).toContain('HttpErrorCodeReturnedEquals');
  });

  it('refuses a character reference XML cannot carry as malformed', () => {
    const error = refusal(
      ossDialect,
      '<WebsiteConfiguration><RoutingRules><RoutingRule><RuleNumber>1</RuleNumber><Condition><KeyPrefixEquals>a&#1;</KeyPrefixEquals><HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals></Condition><Redirect><RedirectType>Mirror</RedirectType><MirrorURL>http://o.test/</MirrorURL></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>',
    );
    expect([error.status, error.code]).toEqual([400, 'MalformedXML']);
  });
});

describe('neutral rules to OSS PutBucketWebsite', () => {
  const mirrorRule = (fields: Partial<MirrorRuleDocument> = {}): MirrorRuleDocument => ({
    id: 'r',
    origins: ['https://o.test/base'],
    ...fields,
  });

  it('writes HttpErrorCodeReturnedEquals 404 on every rule and a MirrorURL ending in /', () => {
    const tree = readTree(ossDialect.render({ rules: [mirrorRule({ origins: ['HTTPS://o.test/base'] })] }));
    const [rule] = rulesOf(tree);
    expect(text(child(rule as Tree, 'Condition').HttpErrorCodeReturnedEquals)).toBe('404');
    expect(text(child(rule as Tree, 'Redirect').MirrorURL)).toBe('https://o.test/base/');
  });

  it('numbers rules from their rule-<n> ids when they increase, else by position', () => {
    const numbersOf = (ids: string[]) =>
      rulesOf(readTree(ossDialect.render({ rules: ids.map((id) => mirrorRule({ id })) }))).map((rule) =>
        text(rule.RuleNumber),
      );
    expect(numbersOf(['rule-3', 'rule-7'])).toEqual(['3', '7']);
    expect(numbersOf(['rule-7', 'rule-3'])).toEqual(['1', '2']);
    expect(numbersOf(['images', 'rule-9'])).toEqual(['1', '2']);
  });

  it('keeps a carriage return in a value as a character reference', () => {
    const configuration = { rules: [mirrorRule({ id: 'rule-1', condition: { keyPrefix: 'a\r\nb' } })] };
    const rendered = ossDialect.render(configuration);
    expect(rendered).toContain('a&#13;\nb');
    expect(ossDialect.parse(rendered).configuration.rules[0]?.condition?.keyPrefix).toBe('a\r\nb');
  });

  it.each<[string, Partial<MirrorRuleDocument>, string]>([
    ['a redirect-async rule', { mode: 'redirect-async' }, 'rules/0/mode'],
    ['an ACL other than private', { acl: 'public-read' }, 'rules/0/acl'],
    ['a failover list other than [4XX, 5XX] or [5XX]', { failoverOn: ['4XX'] }, 'rules/0/failoverOn'],
    ['a failover on an exact status', { failoverOn: ['5XX', '404'] }, 'rules/0/failoverOn'],
    [
      'a redirect to two origins',
      { mode: 'redirect', origins: ['https://a.test/', 'https://b.test/'] },
      'rules/0/origins',
    ],
    [
      'a redirect to an origin with a path',
      { mode: 'redirect', origins: ['https://a.test/dir/'] },
      'rules/0/origins/0',
    ],
    ['a header name OSS does not allow', { headers: { pass: ['x_trace'] } }, 'rules/0/headers/pass/0'],
    ['an empty replaceKeyWith', { keyRewrite: { replaceKeyWith: '' } }, 'rules/0/keyRewrite/replaceKeyWith'],
    ['a character XML cannot carry', { condition: { keyPrefix: 'a\u0001' } }, 'rules/0/condition/keyPrefix'],
    ['an origin with a query', { origins: ['https://a.test/?x=1'] }, 'rules/0/origins/0'],
  ])('cannot express %s', (_, fields, field) => {
    const error = notExpressible(ossDialect, { rules: [mirrorRule(fields)] });
    expect(error.dialect).toBe('oss');
    expect(error.field).toBe(field);
  });
});

describe('OSS answers', () => {
  it('answers a bucket without configuration with 404 NoSuchWebsiteConfiguration', () => {
    const error = ossDialect.errors.noConfiguration('photos');
    expect([error.status, error.code]).toEqual([404, 'NoSuchWebsiteConfiguration']);
    expect(error.message).toContain('photos');
  });

  it('answers a configuration the neutral checks refuse with 400 InvalidArgument', () => {
    expectAnswerToInvalid(ossDialect, 400, 'InvalidArgument');
  });

  it('writes errors as the OSS Error body with Code, Message, RequestId and HostId', () => {
    const error = new DialectError(400, 'InvalidArgument', 'MirrorURL <must> end with /');
    const { contentType, body } = ossDialect.errorBody(error, {
      requestId: '5B5AE19C',
      resource: '/photos/?website',
    });
    expect(contentType).toBe('application/xml');
    expect(body.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(readTree(body)).toEqual({
      Error: [
        {
          Code: ['InvalidArgument'],
          Message: ['MirrorURL <must> end with /'],
          RequestId: ['5B5AE19C'],
          HostId: ['/photos/?website'],
        },
      ],
    });
  });

  it('answers PUT with 200 and DELETE with 204', () => {
    expect(ossDialect.putAnswer(false, 'r1')).toEqual({ status: 200 });
    expect(ossDialect.putAnswer(true, 'r1')).toEqual({ status: 200 });
    expect(ossDialect.deleteAnswer('r1')).toEqual({ status: 204 });
  });
});

// ---------------------------------------------------------------------------------------------------

describe('the ali-oss SDK body', () => {
  // The body exactly as ali-oss 6.x builds it: its own putBucketWebsite, with the request captured.
  const require = createRequire(import.meta.url);
  const { putBucketWebsite } = require('ali-oss/lib/common/bucket/putBucketWebsite.js') as {
    putBucketWebsite: (this: unknown, bucket: string, config: object) => Promise<unknown>;
  };
  async function aliOssBody(config: object): Promise<string> {
    let body = '';
    const client = {
      _bucketRequestParams: () => ({}),
      request: async (params: { content: string }) => {
        body = params.content;
        return { res: {} };
      },
    };
    await putBucketWebsite.call(client, 'examplebucket', config);
    return body;
  }
  // After the routing rules of ali-oss's own test (test/node/bucket.test.js), with the fields this model
  // carries, and an External rule.
  const routingRules = [
    {
      RuleNumber: '1',
      Condition: { KeyPrefixEquals: 'abc/', HttpErrorCodeReturnedEquals: '404' },
      Redirect: {
        RedirectType: 'Mirror',
        PassQueryString: 'true',
        MirrorURL: 'http://www.test.com/',
        MirrorPassQueryString: 'true',
        MirrorFollowRedirect: 'true',
        MirrorCheckMd5: 'true',
        MirrorHeaders: {
          PassAll: 'true',
          Pass: ['myheader-key1', 'myheader-key2'],
          Remove: ['remove1', 'remove2'],
          Set: { Key: 'myheader-key5', Value: 'myheader-value5' },
        },
      },
    },
    {
      RuleNumber: '2',
      Condition: { KeyPrefixEquals: 'a1bc/', HttpErrorCodeReturnedEquals: '404' },
      Redirect: {
        RedirectType: 'External',
        Protocol: 'https',
        HostName: 'www.example.com',
        HttpRedirectCode: '302',
      },
    },
  ];

  it('is taken whole: the IndexDocument ali-oss always writes is kept and read back, the rules are read', async () => {
    const body = await aliOssBody({ routingRules });
    expect(body).toContain('<IndexDocument><Suffix>index.html</Suffix></IndexDocument>');
    const { configuration, extras } = ossDialect.parse(body);
    expect(extras).toEqual({ IndexDocument: { Suffix: 'index.html' } });
    expect(ossDialect.render(configuration, extras).replace(/\s+</g, '<')).toContain(
      '<IndexDocument><Suffix>index.html</Suffix></IndexDocument>',
    );
    expect(() => validateAgainstSpec(configuration)).not.toThrow();
    expect(configuration.rules).toEqual([
      {
        id: 'rule-1',
        origins: ['http://www.test.com/'],
        condition: { keyPrefix: 'abc/' },
        passQueryString: true,
        checkMd5: true,
        headers: {
          passAll: true,
          pass: ['myheader-key1', 'myheader-key2'],
          remove: ['remove1', 'remove2'],
          set: [{ name: 'myheader-key5', value: 'myheader-value5' }],
        },
      },
      {
        id: 'rule-2',
        mode: 'redirect',
        origins: ['https://www.example.com/'],
        condition: { keyPrefix: 'a1bc/' },
      },
    ]);
  });

  it("refuses the unmodelled switches of ali-oss's own test rule by name", async () => {
    const rule = routingRules[0] as { Redirect: object };
    const body = await aliOssBody({
      routingRules: [{ ...rule, Redirect: { ...rule.Redirect, MirrorUsingRole: 'false' } }],
    });
    const error = refusal(ossDialect, body);
    expect([error.status, error.code]).toEqual([501, 'NotImplemented']);
    expect(error.message).toContain('MirrorUsingRole');
  });
});

// ---------------------------------------------------------------------------------------------------

describe('OSS translation laws', () => {
  it('native to neutral to native keeps every supported field', () => {
    fc.assert(
      fc.property(websiteDocument(), (document) => {
        const body = writeTree(document);
        const { first, rendered, second } = readBack(ossDialect, body);
        expect(second.configuration).toEqual(first.configuration);
        expect(canonicalWebsite(readTree(rendered))).toEqual(canonicalWebsite(readTree(body)));
      }),
    );
  });

  it('neutral to native to neutral keeps every rule the vendor can express', () => {
    fc.assert(
      fc.property(neutralConfiguration, (configuration) => {
        validateAgainstSpec(configuration);
        const parsed = ossDialect.parse(ossDialect.render(configuration)).configuration;
        validateAgainstSpec(parsed);
        const ids = renamedIds(configuration.rules.map(({ id }) => id));
        const expected = configuration.rules.map((rule, index) =>
          withDefaults({ ...rule, id: ids[index] ?? '', origins: rule.origins.map(asBase) }),
        );
        expect(parsed.rules.map(withDefaults)).toEqual(expected);
      }),
    );
  });

  // Each unmodelled element, where OSS puts it, and the rules it may appear in.
  type Place = 'website' | 'rule' | 'condition' | 'include-header' | 'redirect' | 'alternate';
  const unsupported: { name: string; place: Place; on?: 'Mirror' | 'External'; value: XmlNode }[] = [
    { name: 'LuaConfig', place: 'rule', value: element({ Script: 'example.lua' }) },
    { name: 'StartsWith', place: 'include-header', value: 'abc' },
    { name: 'EndsWith', place: 'include-header', value: 'xyz' },
    ...[
      'MirrorURLProbe',
      'MirrorSaveOssMeta',
      'MirrorUserLastModified',
      'TransparentMirrorResponseCodes',
      'MirrorAsyncStatus',
      'MirrorSNI',
      'MirrorPassOriginalSlashes',
      'MirrorUsingRole',
      'MirrorRole',
      'MirrorIsExpressTunnel',
      'MirrorDstRegion',
      'MirrorDstVpcId',
      'MirrorDstSlaveVpcId',
      'MirrorTunnelId',
      'MirrorAllowGetImageInfo',
      'MirrorAllowVideoSnapshot',
    ].map((name) => ({ name, place: 'redirect' as const, value: 'true' })),
    {
      name: 'MirrorAuth',
      place: 'redirect',
      value: element({ AuthType: 'S3V4', Region: 'us-east-1', AccessKeyId: 'AKID' }),
    },
    {
      name: 'MirrorReturnHeaders',
      place: 'redirect',
      value: element({ ReturnHeader: element({ Key: 'a', Value: 'b' }) }),
    },
    {
      name: 'MirrorTaggings',
      place: 'redirect',
      value: element({ Taggings: element({ Key: 'a', Value: 'b' }) }),
    },
    { name: 'Protocol', place: 'redirect', on: 'Mirror', value: 'https' },
    { name: 'HostName', place: 'redirect', on: 'Mirror', value: 'h.test' },
    { name: 'MirrorURL', place: 'redirect', on: 'External', value: 'http://o.test/' },
    { name: 'MirrorURLSlave', place: 'redirect', on: 'External', value: 'http://o.test/' },
    { name: 'MirrorPassQueryString', place: 'redirect', on: 'External', value: 'true' },
    { name: 'MirrorMultiAlternateVpcId', place: 'alternate', value: 'vpc-1' },
    { name: 'MirrorMultiAlternateDstRegion', place: 'alternate', value: 'cn-hangzhou' },
  ];

  function insert(document: Tree, ruleIndex: number, field: (typeof unsupported)[number]): boolean {
    if (field.place === 'website') {
      child(document, 'WebsiteConfiguration')[field.name] = [field.value];
      return true;
    }
    const rules = rulesOf(document);
    const rule = rules[ruleIndex % rules.length] as Tree;
    const redirect = child(rule, 'Redirect');
    const type = text(redirect.RedirectType);
    if (field.on !== undefined && field.on !== type) return false;
    if (field.place === 'rule') rule[field.name] = [field.value];
    if (field.place === 'redirect') redirect[field.name] = [field.value];
    if (field.place === 'include-header') {
      child(rule, 'Condition').IncludeHeader = [
        element({ Key: 'host', Equals: 'a.test', [field.name]: field.value }),
      ];
    }
    if (field.place === 'alternate') {
      if (type !== 'Mirror') return false;
      redirect.MirrorMultiAlternates = [
        element({
          MirrorMultiAlternate: element({
            MirrorMultiAlternateNumber: '1',
            MirrorMultiAlternateURL: 'http://alt.test/',
            [field.name]: field.value,
          }),
        }),
      ];
    }
    return true;
  }

  it('every unsupported field is refused by name', () => {
    fc.assert(
      fc.property(
        websiteDocument(1),
        fc.nat(),
        fc.constantFrom(...unsupported),
        (document, ruleIndex, field) => {
          fc.pre(insert(document, ruleIndex, field));
          const error = refusal(ossDialect, writeTree(document));
          expect({ status: error.status, code: error.code }).toEqual({ status: 501, code: 'NotImplemented' });
          expect(error.message).toContain(field.name);
          expect(error.message).toContain('does not model');
        },
      ),
    );
  });

  it('every RedirectType the model lacks and every unknown element is refused by name', () => {
    const known = new Set(['Mirror', 'External']);
    fc.assert(
      fc.property(
        websiteDocument(1),
        fc.nat(),
        fc.oneof(
          fc.constantFrom('AliCDN', 'Internal').map((value) => ({ kind: 'type' as const, value })),
          fc
            .stringMatching(/^[A-Z][A-Za-z]{2,10}$/)
            .filter((name) => !known.has(name))
            .map((value) => ({ kind: 'element' as const, value: `Unknown${value}` })),
        ),
        fc.constantFrom<Place>('website', 'rule', 'condition', 'redirect'),
        (document, ruleIndex, refused, place) => {
          const rule = rulesOf(document)[ruleIndex % rulesOf(document).length] as Tree;
          if (refused.kind === 'type') child(rule, 'Redirect').RedirectType = [refused.value];
          else if (place === 'website') child(document, 'WebsiteConfiguration')[refused.value] = ['x'];
          else if (place === 'rule') rule[refused.value] = ['x'];
          else child(rule, place === 'condition' ? 'Condition' : 'Redirect')[refused.value] = ['x'];
          const error = refusal(ossDialect, writeTree(document));
          expect([error.status, error.code]).toEqual([501, 'NotImplemented']);
          expect(error.message).toContain(refused.value);
        },
      ),
    );
  });

  const mirrorWith = (
    redirect: Record<string, XmlNode | XmlNode[]>,
    condition: Record<string, XmlNode | XmlNode[]> = {},
  ) =>
    element({
      RuleNumber: '1000',
      Condition: element({ HttpErrorCodeReturnedEquals: '404', ...condition }),
      Redirect: element({ RedirectType: 'Mirror', MirrorURL: 'http://o.test/', ...redirect }),
    });
  const eleven = <T>(make: (n: number) => T) => Array.from({ length: 11 }, (_, n) => make(n));

  // Documents that break a documented OSS rule, with the answer OSS gives.
  const violations: {
    why: string;
    code: 'InvalidArgument' | 'MalformedXML';
    apply: (rules: Tree[]) => void;
  }[] = [
    {
      why: 'more than 20 RoutingRule [oss-put]',
      code: 'InvalidArgument',
      apply: (rules) => {
        for (let n = rules.length; n <= 20; n++)
          rules.push({ ...mirrorWith({}), RuleNumber: [String(2000 + n)] });
      },
    },
    {
      why: 'a MirrorURL without a final /',
      code: 'InvalidArgument',
      apply: (r) => r.push(mirrorWith({ MirrorURL: 'http://o.test/a' })),
    },
    {
      why: 'a MirrorURL not http(s)',
      code: 'InvalidArgument',
      apply: (r) => r.push(mirrorWith({ MirrorURL: 'ftp://o.test/' })),
    },
    {
      why: 'a Mirror rule for another status than 404',
      code: 'InvalidArgument',
      apply: (r) => r.push(mirrorWith({}, { HttpErrorCodeReturnedEquals: '403' })),
    },
    {
      why: 'ReplaceKeyWith beside EnableReplacePrefix',
      code: 'InvalidArgument',
      apply: (r) => r.push(mirrorWith({ ReplaceKeyWith: 'k', EnableReplacePrefix: 'true' })),
    },
    {
      why: 'eleven Pass headers',
      code: 'InvalidArgument',
      apply: (r) => r.push(mirrorWith({ MirrorHeaders: element({ Pass: eleven((n) => `h${n}`) }) })),
    },
    {
      why: 'eleven Set headers',
      code: 'InvalidArgument',
      apply: (r) =>
        r.push(
          mirrorWith({
            MirrorHeaders: element({ Set: eleven((n) => element({ Key: `h${n}`, Value: 'v' })) }),
          }),
        ),
    },
    {
      why: 'eleven IncludeHeader',
      code: 'InvalidArgument',
      apply: (r) =>
        r.push(mirrorWith({}, { IncludeHeader: eleven((n) => element({ Key: `h${n}`, Equals: 'v' })) })),
    },
    {
      why: 'a Remove header with an underscore',
      code: 'InvalidArgument',
      apply: (r) => r.push(mirrorWith({ MirrorHeaders: element({ Remove: 'x_trace' }) })),
    },
    {
      why: 'a Set value with a line feed',
      code: 'InvalidArgument',
      apply: (r) =>
        r.push(mirrorWith({ MirrorHeaders: element({ Set: element({ Key: 'a', Value: 'x\ny' }) }) })),
    },
    {
      why: 'an HttpRedirectCode of 303',
      code: 'InvalidArgument',
      apply: (r) => r.push(mirrorWith({ HttpRedirectCode: '303' })),
    },
    {
      why: 'a boolean spelt yes',
      code: 'InvalidArgument',
      apply: (r) => r.push(mirrorWith({ MirrorCheckMd5: 'yes' })),
    },
    {
      why: 'an unknown RedirectType',
      code: 'InvalidArgument',
      apply: (r) => r.push(mirrorWith({ RedirectType: 'Proxy' })),
    },
    {
      why: 'a RuleNumber used twice',
      code: 'InvalidArgument',
      apply: (r) => r.push({ ...mirrorWith({}), RuleNumber: (r[0] as Tree).RuleNumber as XmlNode[] }),
    },
    {
      why: 'a RuleNumber of 0',
      code: 'InvalidArgument',
      apply: (r) => r.push({ ...mirrorWith({}), RuleNumber: ['0'] }),
    },
    {
      why: 'a RoutingRule without Redirect',
      code: 'MalformedXML',
      apply: (r) => {
        delete (r[0] as Tree).Redirect;
      },
    },
    {
      why: 'a RoutingRule without RuleNumber',
      code: 'MalformedXML',
      apply: (r) => {
        delete (r[0] as Tree).RuleNumber;
      },
    },
    {
      why: 'a RoutingRule with two Condition',
      code: 'MalformedXML',
      apply: (r) => {
        const rule = r[0] as Tree;
        rule.Condition = [...(rule.Condition ?? []), ...(rule.Condition ?? [])];
      },
    },
  ];

  it('invalid documents give the OSS code and status', () => {
    fc.assert(
      fc.property(websiteDocument(1), fc.constantFrom(...violations), (document, violation) => {
        violation.apply(rulesOf(document));
        const error = refusal(ossDialect, writeTree(document));
        expect({ status: error.status, code: error.code }).toEqual({ status: 400, code: violation.code });
      }),
    );
  });

  it('a body cut short is malformed XML', () => {
    fc.assert(
      fc.property(websiteDocument(1), fc.double({ min: 0.05, max: 0.95, noNaN: true }), (document, cut) => {
        const body = writeTree(document);
        const error = refusal(ossDialect, body.slice(0, Math.floor(body.length * cut)));
        expect({ status: error.status, code: error.code }).toEqual({ status: 400, code: 'MalformedXML' });
      }),
    );
  });
});
