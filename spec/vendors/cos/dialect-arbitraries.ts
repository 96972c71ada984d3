// Arbitrary COS and neutral documents: the generators of dialect.test.ts's laws.

import fc from 'fast-check';
import { headerRuleArbitrary } from '../../dialects/dialect-arbitraries.ts';
import type { MirrorRuleDocument } from '../../model.ts';
import type { Tree } from './dialect-trees.ts';

// ---- generators -----------------------------------------------------------------------------------------

const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const label = fc.stringMatching(/^[a-z0-9]{1,8}$/);
const hostName = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 3 }), optional(fc.integer({ min: 1, max: 65535 })))
  .map(([labels, port]) => `${labels.join('.')}${port === undefined ? '' : `:${port}`}`);
// Keys and pulled names: XML's special characters included, `$` left out so no `${key}` appears.
const keyText = fc.stringMatching(/^[A-Za-z0-9/._ &<>'"-]{1,12}$/);
const headerName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,11}$/);
const headerValue = fc.stringMatching(/^[!-~][ -~]{0,15}$/);
const statusCodes = fc
  .uniqueArray(fc.integer({ min: 400, max: 499 }), { maxLength: 5 })
  .map((codes) => codes.map(String));

const nativeRuleParts = fc.record({
  type: fc.constantFrom('Mirror', 'Proxy', 'Redirect'),
  prefix: optional(fc.oneof(keyText, fc.constant(''))),
  suffix: optional(keyText),
  parameter: fc.boolean(),
  protocol: optional(fc.constantFrom('HTTP', 'HTTPS', 'FOLLOW')),
  transparentFalse: fc.boolean(),
  followQueryString: optional(fc.boolean()),
  followRedirection: optional(fc.boolean()),
  redirectCode: optional(fc.constantFrom('301', '302', '307')),
  headers: optional(
    fc.record({
      followAll: optional(fc.boolean()),
      set: fc.array(fc.record({ Key: headerName, Value: headerValue }), { maxLength: 10 }),
      pass: fc.array(headerName, { maxLength: 10 }),
      remove: fc.array(headerName, { maxLength: 10 }),
      sdkSpelling: fc.boolean(),
    }),
  ),
  standbyCodes: optional(statusCodes),
  host: hostName,
  weight: optional(fc.integer({ min: 1, max: 100 })),
  standbyHosts: fc.array(hostName, { maxLength: 9 }),
  file: optional(
    fc.oneof(
      fc.record({ fixed: keyText }),
      fc.record({ prefix: optional(fc.oneof(keyText, fc.constant(''))), suffix: optional(keyText) }),
    ),
  ),
});

type NativeRuleParts = typeof nativeRuleParts extends fc.Arbitrary<infer T> ? T : never;

/** One OriginRule in the documented element order, every supported element present or absent. */
function nativeRule(parts: NativeRuleParts, priority: number): Tree {
  const condition: Tree = { HTTPStatusCode: '404' };
  if (parts.prefix !== undefined) condition.Prefix = parts.prefix;
  if (parts.suffix !== undefined) condition.Suffix = parts.suffix;
  const rule: Tree = { RulePriority: String(priority), OriginType: parts.type, OriginCondition: condition };
  if (parts.parameter) {
    const parameter: Tree = {};
    if (parts.protocol !== undefined) parameter.Protocol = parts.protocol;
    if (parts.transparentFalse) parameter.TransparentErrorCode = 'false';
    if (parts.followQueryString !== undefined) parameter.FollowQueryString = String(parts.followQueryString);
    if (parts.headers !== undefined) {
      const { followAll, set, pass, remove, sdkSpelling } = parts.headers;
      const header: Tree = {};
      if (followAll !== undefined) header.FollowAllHeaders = String(followAll);
      if (set.length > 0) header.NewHttpHeaders = { Header: set };
      if (pass.length > 0) header.FollowHttpHeaders = { Header: pass.map((Key) => ({ Key })) };
      if (remove.length > 0) {
        header[sdkSpelling ? 'ForbidFollowHttpHeaders' : 'ForbidFollowHeaders'] = {
          Header: remove.map((Key) => ({ Key })),
        };
      }
      parameter.HttpHeader = header;
    }
    if (parts.followRedirection !== undefined) parameter.FollowRedirection = String(parts.followRedirection);
    if (parts.redirectCode !== undefined && parts.type !== 'Mirror')
      parameter.HttpRedirectCode = parts.redirectCode;
    rule.OriginParameter = parameter;
  }
  if (parts.standbyCodes !== undefined) rule.HTTPStandbyCode = { StatusCode: parts.standbyCodes };
  const host: Tree = { HostName: parts.host };
  if (parts.weight !== undefined) host.Weight = String(parts.weight);
  parts.standbyHosts.forEach((name, index) => {
    host[`StandbyHostName_${index + 1}`] = name;
  });
  const info: Tree = { HostInfo: host };
  if (parts.file !== undefined) {
    const file: Tree = {};
    if ('fixed' in parts.file) file.FixedFileConfiguration = { FixedFilePath: parts.file.fixed };
    else {
      if (parts.file.prefix !== undefined) file.PrefixConfiguration = { Prefix: parts.file.prefix };
      if (parts.file.suffix !== undefined) file.SuffixConfiguration = { Suffix: parts.file.suffix };
    }
    info.FileInfo = file;
  }
  rule.OriginInfo = info;
  return rule;
}

/** Rules with distinct priorities, written in no particular order. */
export const nativeRules = fc.array(nativeRuleParts, { minLength: 1, maxLength: 4 }).chain((parts) =>
  fc
    .uniqueArray(fc.integer({ min: 0, max: 1_000_000 }), {
      minLength: parts.length,
      maxLength: parts.length,
    })
    .map((priorities) => parts.map((rule, index) => nativeRule(rule, priorities[index] ?? index))),
);

const neutralRule: fc.Arbitrary<MirrorRuleDocument> = fc
  .record({
    id: fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/),
    mode: optional(
      fc.constantFrom('mirror', 'redirect-async', 'redirect') as fc.Arbitrary<
        NonNullable<MirrorRuleDocument['mode']>
      >,
    ),
    scheme: fc.constantFrom('http', 'https', 'HTTP', 'Https'),
    hosts: fc.array(hostName, { minLength: 1, maxLength: 10 }),
    slash: fc.boolean(),
    keyPrefix: optional(keyText),
    keySuffix: optional(keyText),
    rewrite: optional(
      fc.oneof(
        fc.record({ added: keyText }),
        fc.record({ before: fc.oneof(keyText, fc.constant('')), after: keyText }),
        fc.record({ fixed: keyText }),
      ),
    ),
    passQueryString: optional(fc.boolean()),
    followRedirects: optional(fc.boolean()),
    headers: optional(
      headerRuleArbitrary(
        headerName,
        fc.array(fc.record({ name: headerName, value: headerValue }), { maxLength: 10 }),
      ),
    ),
    writeBack: optional(fc.constant(true)),
    checkMd5: optional(fc.constant(false)),
    acl: optional(fc.constant('private' as const)),
    triggerOnHead: optional(fc.constant(false)),
    failoverOn: optional(statusCodes.map((codes) => ['5XX', ...codes])),
    redirectStatus: optional(fc.constantFrom(301, 302, 307) as fc.Arbitrary<301 | 302 | 307>),
  })
  .map(({ scheme, hosts, slash, keyPrefix, keySuffix, rewrite, ...rest }) => {
    const rule: MirrorRuleDocument = {
      ...rest,
      origins: hosts.map((host) => `${scheme}://${host}${slash ? '/' : ''}`),
    };
    if (keyPrefix !== undefined || keySuffix !== undefined) rule.condition = { keyPrefix, keySuffix };
    if (rewrite !== undefined) {
      if ('added' in rewrite) rule.keyRewrite = { replacePrefixWith: rewrite.added + (keyPrefix ?? '') };
      else if ('after' in rewrite)
        rule.keyRewrite = { replaceKeyWith: `${rewrite.before}\${key}${rewrite.after}` };
      else rule.keyRewrite = { replaceKeyWith: rewrite.fixed };
    }
    return rule;
  });

/** Rules with distinct ids; half the time named `priority-<N>` with N rising, as `parse` names them. */
export const neutralRules = fc
  .tuple(
    fc.uniqueArray(neutralRule, { minLength: 1, maxLength: 5, selector: (rule) => rule.id }),
    fc.boolean(),
    fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 5, maxLength: 5 }),
  )
  .map(([rules, priorityIds, gaps]) => {
    if (!priorityIds) return rules;
    let priority = 0;
    return rules.map((rule, index) => {
      priority += gaps[index] ?? 1;
      return { ...rule, id: `priority-${priority}` };
    });
  });

/** A segment of an origin path that a key can spell: as written in the URL, and as the key spells it. */
const pathSegment: fc.Arbitrary<readonly [string, string]> = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,7}$/).map((segment) => [segment, segment] as const),
  fc.constantFrom(
    ['a%20b', 'a b'] as const,
    ['%C3%A9t%C3%A9', 'été'] as const,
    ['%26%3C%3E', '&<>'] as const,
    ['%F0%9F%98%80', '😀'] as const,
    ['%24%7Bkey%7D', '${key}'] as const,
  ),
);
// Host names a URL parser takes too (no all-digit last label), so the origin URL can be computed.
const urlHostName = fc
  .tuple(
    fc.array(fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/), { minLength: 1, maxLength: 3 }),
    optional(fc.integer({ min: 1, max: 65535 })),
  )
  .map(([labels, port]) => `${labels.join('.')}${port === undefined ? '' : `:${port}`}`);

/**
 * A neutral rule whose origins share one path, written with or without a trailing '/' origin by origin.
 * Sometimes its keyPrefix overlaps the end of the path and replacePrefixWith drops it, which COS can say
 * only because the path supplies what is dropped.
 */
export const pathedRule: fc.Arbitrary<MirrorRuleDocument> = fc
  .record({
    rule: neutralRule,
    hosts: fc.array(urlHostName, { minLength: 10, maxLength: 10 }),
    segments: fc.array(pathSegment, { minLength: 1, maxLength: 3 }),
    slashes: fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
    overlap: optional(fc.record({ cut: fc.nat(), kept: fc.oneof(keyText, fc.constant('')) })),
  })
  .map(({ rule, hosts, segments, slashes, overlap }) => {
    const scheme = /^[^:]*/.exec(rule.origins[0] ?? '')?.[0] ?? 'http';
    const path = `/${segments.map(([written]) => written).join('/')}`;
    const spelled = [...`${segments.map(([, key]) => key).join('/')}/`];
    const pathed: MirrorRuleDocument = {
      ...rule,
      origins: rule.origins.map(
        (_, index) => `${scheme}://${hosts[index]}${path}${slashes[index] ? '/' : ''}`,
      ),
    };
    if (overlap !== undefined) {
      const keyPrefix = spelled.slice(overlap.cut % (spelled.length + 1)).join('') + overlap.kept;
      pathed.condition = { ...rule.condition, keyPrefix };
      pathed.keyRewrite = { replacePrefixWith: overlap.kept };
    }
    // A literal ${key} in the path is said by a Prefix alone only: see the unit tests for the others.
    if (path.includes('%24%7Bkey%7D') && pathed.keyRewrite && 'replaceKeyWith' in pathed.keyRewrite)
      delete pathed.keyRewrite;
    return pathed;
  });

/** Keys below a rule's keyPrefix: any text, dot segments and empty segments included. */
export const keyTail = fc.oneof(
  keyText,
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('', '.', '..', 'a/./b', '../x', 'a//b/'),
);
