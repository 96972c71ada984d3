// Arbitrary OBS and neutral documents, and the canonical form two OBS documents are compared in: the
// generators of dialect.test.ts's laws.
import fc from 'fast-check';
import { headerRuleArbitrary } from '../../dialects/dialect-arbitraries.ts';
import { withDefaults as neutralWithDefaults } from '../../dialects/dialect-test-support.ts';
import type { MirrorRuleDocument } from '../../model.ts';

// The native document as a JSON tree; the tests build and mutate it freely.
export type Tree = { [key: string]: unknown };
export interface NativeRule {
  id: string;
  condition: Tree;
  redirect: Tree;
}
export interface NativeDocument {
  rules: NativeRule[];
}

/**
 * The native tree up to what OBS leaves to defaults: render writes `passQueryString` (documented default
 * false [obs-zhishi]) and `mirrorFollowRedirect` (neutral default true) every time, writes the 404 as the
 * documented integer, and leaves out header fields and origin lists that hold nothing. Key order is free
 * in JSON; `toEqual` ignores it, and every array keeps its order.
 */
export function canonicalNative(document: NativeDocument): NativeDocument {
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
export function withDefaults(rule: MirrorRuleDocument): MirrorRuleDocument {
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
      mirrorHttpHeader: headerRuleArbitrary(
        headerName,
        fc.array(fc.record({ key: headerName, value: headerValue }), { maxLength: 10 }),
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

export const nativeDocument: fc.Arbitrary<NativeDocument> = fc
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
export const neutralCase = fc
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
            headers: headerRuleArbitrary(
              headerName,
              fc.array(fc.record({ name: headerName, value: headerValue }), { maxLength: 10 }),
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
