// Arbitrary JD Cloud and neutral documents, and the normal forms two documents are compared in: the
// generators of dialect.test.ts's laws.

import fc from 'fast-check';
import { headerRuleArbitrary } from '../../dialects/dialect-arbitraries.ts';
import { withDefaults as neutralWithDefaults } from '../../dialects/dialect-test-support.ts';
import type { MirrorRuleDocument } from '../../model.ts';

// ---------------------------------------------------------------------------------------------------------
// Normal forms, so that documents which say the same thing compare equal.

export type Tree = Record<string, unknown>;

/** JSON without nulls: JD's Go SDK sends unset fields as null, which says nothing. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, field]) => field !== null)
      .map(([name, field]) => [name, withoutNulls(field)]),
  );
}

/**
 * A native document with the defaults the dialect writes out filled in (backSourceType mirror, trigger 404,
 * query string off, redirects followed, no header passed), empty lists dropped (they say nothing), the
 * `bucketBackSourceConfiguration` wrapper of the GET page unwrapped and the Go SDK's `regionId` and
 * `bucketName` dropped (the path says them). Key order in objects is not compared: JSON objects have none.
 */
export function canonicalTree(document: unknown): Tree {
  const top = withoutNulls(document) as Tree;
  const holder = (top.bucketBackSourceConfiguration ?? top) as { backSourceRules?: Tree[] };
  return {
    backSourceRules: (holder.backSourceRules ?? []).map((rule) => {
      const condition = (rule.condition ?? {}) as Tree;
      const headerRule = (rule.headerRule ?? {}) as Tree;
      const nonEmpty = (name: string) => {
        const value = headerRule[name];
        const empty = Array.isArray(value)
          ? value.length === 0
          : Object.keys((value ?? {}) as Tree).length === 0;
        return value === undefined || empty ? {} : { [name]: value };
      };
      return {
        backSourceType: rule.backSourceType ?? 'mirror',
        condition: {
          httpErrorCodeReturnedEquals: 404,
          ...(condition.keyPrefixEquals === undefined ? {} : { keyPrefixEquals: condition.keyPrefixEquals }),
        },
        address: rule.address,
        allowQueryString: rule.allowQueryString ?? false,
        followRedirects: rule.followRedirects ?? true,
        headerRule: {
          allowAllHeaders: headerRule.allowAllHeaders ?? false,
          ...nonEmpty('allowHeaders'),
          ...nonEmpty('notAllowHeaders'),
          ...nonEmpty('setHeaders'),
        },
      };
    }),
  };
}

/** A neutral rule with every spec default filled in and no id: JD Cloud rules have none. */
export function withDefaults(rule: MirrorRuleDocument): Omit<MirrorRuleDocument, 'id'> {
  const { id: _id, ...rest } = neutralWithDefaults(rule);
  return rest;
}

// ---------------------------------------------------------------------------------------------------------
// Arbitraries.

const UNCONFIGURABLE = /^(authorization2?|content-length|range|date|x-oss-.*)$/i;

const headerName = fc
  .stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,11}$/)
  .filter((name) => !UNCONFIGURABLE.test(name));
const headerValue = fc.string({ maxLength: 16 }).filter((value) => !/[\r\n\0]/.test(value));
export const keyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.stringMatching(/^[a-z0-9/._-]{0,12}$/),
);
const rewriteText = fc.oneof(
  keyText,
  keyText.map((text) => `${text}\${key}`),
);

const label = fc.stringMatching(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,6}[A-Za-z0-9])?$/);
const hostName = fc
  .tuple(
    fc.oneof(
      fc.array(label, { minLength: 1, maxLength: 3 }).map((labels) => labels.join('.')),
      fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join('.')),
      fc.constant('[::1]'),
    ),
    fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  )
  .map(([host, port]) => (port === undefined ? host : `${host}:${port}`))
  .filter((host) => URL.canParse(`http://${host}`));
const protocol = fc.constantFrom('http', 'https', 'HTTP');

export const nativeRule = fc.record(
  {
    backSourceType: fc.constant('mirror'),
    condition: fc.record(
      { httpErrorCodeReturnedEquals: fc.constant(404), keyPrefixEquals: keyText },
      { requiredKeys: [] },
    ),
    address: fc
      .tuple(
        protocol,
        hostName,
        fc.oneof(
          fc.constant({}),
          rewriteText.map((value) => ({ replaceKeyPrefixWith: value })),
          rewriteText.map((value) => ({ replaceKeyWith: value })),
        ),
      )
      .map(([scheme, host, rewrite]) => ({ protocol: scheme, hostName: host, ...rewrite })),
    allowQueryString: fc.boolean(),
    followRedirects: fc.boolean(),
    headerRule: fc.record(
      {
        allowAllHeaders: fc.boolean(),
        allowHeaders: fc.array(headerName, { maxLength: 10 }),
        notAllowHeaders: fc.array(headerName, { maxLength: 10 }),
        setHeaders: fc.dictionary(headerName, headerValue, { maxKeys: 10, noNullPrototype: true }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['address'] },
);

export const nativeDocument = fc.record(
  { backSourceRules: fc.array(nativeRule, { maxLength: 5 }) },
  { requiredKeys: [] },
);

/** A base path whose segments a key can spell: unreserved characters and upper-case escapes. */
const originPath = fc.oneof(
  fc.constant(''),
  fc.constant('/'),
  fc
    .tuple(
      fc.array(
        fc.oneof(
          fc.stringMatching(/^[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,7}$/),
          fc.constantFrom('a%20b', '%C3%A9t%C3%A9', 'x.y'),
        ),
        { minLength: 1, maxLength: 3 },
      ),
      fc.boolean(),
    )
    .map(([segments, slash]) => `/${segments.join('/')}${slash ? '/' : ''}`),
);

export const expressibleRule = fc.record(
  {
    id: fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/),
    condition: fc.record({ keyPrefix: keyText }, { requiredKeys: [] }),
    mode: fc.constant('mirror' as const),
    origins: fc
      .tuple(protocol, hostName, originPath)
      .map(([scheme, host, path]) => [`${scheme}://${host}${path}`]),
    keyRewrite: fc.oneof(
      rewriteText.map((value) => ({ replacePrefixWith: value })),
      rewriteText.map((value) => ({ replaceKeyWith: value })),
    ),
    passQueryString: fc.boolean(),
    followRedirects: fc.boolean(),
    headers: headerRuleArbitrary(
      headerName,
      fc.uniqueArray(fc.record({ name: headerName, value: headerValue }), {
        maxLength: 10,
        selector: (header) => header.name,
      }),
    ),
    writeBack: fc.constant(true),
    checkMd5: fc.constant(false),
    acl: fc.constant('private' as const),
    triggerOnHead: fc.constant(false),
    redirectStatus: fc.constant(302 as const),
  },
  { requiredKeys: ['id', 'origins'] },
);
