// Arbitrary OSS and neutral documents: the generators of dialect.test.ts's laws.

import fc from 'fast-check';
import { headerRuleArbitrary } from '../../dialects/dialect-arbitraries.ts';
import type { MirrorConfigurationDocument } from '../../model.ts';
import { element, type Tree } from './dialect-trees.ts';

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
export const websiteDocument = (minRules = 0) =>
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
      headers: headerRuleArbitrary(
        neutralHeaderName,
        fc.array(fc.record({ name: neutralHeaderName, value: headerValue }), { maxLength: 10 }),
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

export const neutralConfiguration: fc.Arbitrary<MirrorConfigurationDocument> = fc
  .array(neutralRuleBody, { maxLength: 6 })
  .chain((bodies) =>
    ruleIds(bodies.length).map((ids) => ({
      rules: bodies.map((body, index) => ({ id: ids[index] ?? `r${index}`, ...body })),
    })),
  );
