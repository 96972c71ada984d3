import fc from 'fast-check';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { DialectError } from '../../dialects/dialect.ts';
import {
  dialectFixtures,
  expectAnswerToInvalid,
  itRefusesTheInvalidFixtures,
  withDefaults as neutralWithDefaults,
  notExpressible,
  originUrlOfKey,
  readBack,
  refusal,
} from '../../dialects/dialect-test-support.ts';
import type { MirrorConfigurationDocument, MirrorRuleDocument } from '../../model.ts';
import { validateAgainstSpec } from '../../validate-configuration.ts';
import { cosDialect } from './dialect.ts';

const fixtures = dialectFixtures('cos');

// A native document as a tree of elements; the tests build and mutate it freely.
type Tree = { [name: string]: unknown };

const builder = new XMLBuilder({ format: true, ignoreAttributes: true });
const treeParser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  htmlEntities: true,
  isArray: (name) => ['OriginRule', 'HostInfo', 'Header', 'StatusCode'].includes(name),
});

function xml(rules: Tree[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ OriginConfiguration: { OriginRule: rules } })}`;
}

function roundTrip(configuration: MirrorConfigurationDocument, extras = {}) {
  return cosDialect.parse(cosDialect.render(configuration, extras));
}

const container = (value: unknown): Tree =>
  typeof value === 'object' && value !== null ? { ...(value as Tree) } : {};

/**
 * The native rules up to what COS fills in and what means nothing: absent Protocol is FOLLOW,
 * FollowQueryString and FollowRedirection default to true, HttpRedirectCode to 302 on Redirect and Proxy
 * rules, FollowAllHeaders to false [cos-get]; an empty Prefix matches every key as an absent one does, and
 * an empty prefix, suffix or header list adds nothing. Rules are in RulePriority order, which is what COS
 * goes by; the order of other elements is free (`toEqual` ignores key order), and lists keep theirs.
 */
function canonicalNative(body: string): Tree[] {
  const tree = treeParser.parse(body) as { OriginConfiguration: { OriginRule: Tree[] } };
  return tree.OriginConfiguration.OriginRule.map(canonicalRule).sort(
    (a, b) => (a.RulePriority as number) - (b.RulePriority as number),
  );
}

function canonicalRule(rule: Tree): Tree {
  const type = rule.OriginType as string;
  const condition: Tree = { Prefix: '', ...container(rule.OriginCondition) };
  if (condition.Suffix === '') delete condition.Suffix;
  const parameter: Tree = {
    Protocol: 'FOLLOW',
    FollowQueryString: 'true',
    FollowRedirection: 'true',
    ...(type === 'Mirror' ? {} : { HttpRedirectCode: '302' }),
    ...container(rule.OriginParameter),
  };
  const header: Tree = { FollowAllHeaders: 'false', ...container(parameter.HttpHeader) };
  for (const list of [
    'NewHttpHeaders',
    'FollowHttpHeaders',
    'ForbidFollowHeaders',
    'ForbidFollowHttpHeaders',
  ]) {
    if (list in header && container(header[list]).Header === undefined) delete header[list];
  }
  if (header.FollowAllHeaders === 'false' && Object.keys(header).length === 1) delete parameter.HttpHeader;
  else parameter.HttpHeader = header;
  const info = container(rule.OriginInfo);
  const file = container(info.FileInfo);
  for (const [part, text] of [
    ['PrefixConfiguration', 'Prefix'],
    ['SuffixConfiguration', 'Suffix'],
  ] as const) {
    if (part in file && !container(file[part])[text]) delete file[part];
  }
  if (Object.keys(file).length > 0) info.FileInfo = file;
  else delete info.FileInfo;
  const canonical: Tree = {
    RulePriority: Number(rule.RulePriority),
    OriginType: type,
    OriginCondition: condition,
    OriginParameter: parameter,
    OriginInfo: info,
  };
  if ('HTTPStandbyCode' in rule) canonical.HTTPStandbyCode = container(rule.HTTPStandbyCode);
  return canonical;
}

/**
 * A rule with every spec default filled in, origins as COS keeps them, and what COS does not say dropped:
 * an empty Prefix or Suffix, which matches every key, and the redirectStatus of a Mirror rule.
 */
function withDefaults(rule: MirrorRuleDocument): MirrorRuleDocument {
  const { keyPrefix, keySuffix } = rule.condition ?? {};
  return neutralWithDefaults({
    ...rule,
    // COS keeps a host, so `HTTP://h/` and `http://h` are one origin.
    origins: rule.origins.map((origin) =>
      origin.replace(/^https?:/i, (scheme) => scheme.toLowerCase()).replace(/\/$/, ''),
    ),
    condition: { ...(keyPrefix ? { keyPrefix } : {}), ...(keySuffix ? { keySuffix } : {}) },
    // The model ignores redirectStatus on mirror rules, and a COS Mirror rule has no place for it [cos-put].
    redirectStatus: (rule.mode ?? 'mirror') === 'mirror' ? 302 : rule.redirectStatus,
  });
}

/** The ids render keeps: `priority-<N>` rising, else the rules are numbered by position. */
function expectedIds(rules: MirrorRuleDocument[]): string[] {
  const numbers = rules.map(({ id }) => /^priority-([1-9]\d*|0)$/.exec(id)?.[1]).map(Number);
  const rising = numbers.every(
    (value, index) => !Number.isNaN(value) && (index === 0 || value > (numbers[index - 1] ?? 0)),
  );
  return rising ? rules.map(({ id }) => id) : rules.map((_, index) => `priority-${index + 1}`);
}

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
const nativeRules = fc.array(nativeRuleParts, { minLength: 1, maxLength: 4 }).chain((parts) =>
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
      fc.record(
        {
          passAll: fc.boolean(),
          pass: fc.array(headerName, { maxLength: 10 }),
          remove: fc.array(headerName, { maxLength: 10 }),
          set: fc.array(fc.record({ name: headerName, value: headerValue }), { maxLength: 10 }),
        },
        { requiredKeys: [] },
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
const neutralRules = fc
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
const pathedRule: fc.Arbitrary<MirrorRuleDocument> = fc
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
const keyTail = fc.oneof(
  keyText,
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('', '.', '..', 'a/./b', '../x', 'a//b/'),
);

// ---- editing native trees -------------------------------------------------------------------------------

const parameterOf = (rule: Tree): Tree => {
  rule.OriginParameter = container(rule.OriginParameter);
  return rule.OriginParameter as Tree;
};
const hostOf = (rule: Tree): Tree => (rule.OriginInfo as Tree).HostInfo as Tree;
const credentials = {
  Host: 'private.example.com',
  CredentialProvider: { Role: 'qcs::cam::uin/1:roleName/origin' },
};

/** Fields COS documents (or its Go SDK sends) that the model cannot carry, each inserted into a rule. */
const UNSUPPORTED: { field: string; insert: (rule: Tree) => void }[] = [
  {
    field: 'TransparentErrorCode',
    insert: (rule) => Object.assign(parameterOf(rule), { TransparentErrorCode: 'true' }),
  },
  {
    field: 'FollowRedirectionConfiguration',
    insert: (rule) =>
      Object.assign(parameterOf(rule), { FollowRedirectionConfiguration: { FollowOriginHeaders: 'true' } }),
  },
  { field: 'CopyOriginData', insert: (rule) => Object.assign(parameterOf(rule), { CopyOriginData: 'true' }) },
  { field: 'PrivateHost', insert: (rule) => Object.assign(hostOf(rule), { PrivateHost: credentials }) },
  {
    field: 'CredentialProvider',
    insert: (rule) => Object.assign(hostOf(rule), { PrivateHost: credentials }),
  },
  {
    field: 'PrivateStandbyHost_1',
    insert: (rule) => Object.assign(hostOf(rule), { PrivateStandbyHost_1: credentials }),
  },
  {
    field: 'FilterHost',
    insert: (rule) =>
      Object.assign(rule.OriginCondition as Tree, {
        FilterHost: { ForbidHost: { DomainList: { Domain: 'a.example' } } },
      }),
  },
  {
    field: 'HostInfo',
    insert: (rule) => {
      const info = rule.OriginInfo as Tree;
      info.HostInfo = [info.HostInfo, { HostName: 'second.example', Weight: '2' }];
    },
  },
  {
    field: 'Weight',
    insert: (rule) => {
      const info = rule.OriginInfo as Tree;
      info.HostInfo = [info.HostInfo, { HostName: 'second.example', Weight: '2' }];
    },
  },
  {
    field: 'StandbyHostName_10',
    insert: (rule) => {
      for (let number = 1; number <= 10; number++)
        hostOf(rule)[`StandbyHostName_${number}`] = `s${number}.example`;
    },
  },
  {
    field: 'ReplacedWithPrefix',
    insert: (rule) => {
      (rule.OriginInfo as Tree).FileInfo = {
        PrefixConfiguration: { Prefix: 'a/', ReplacedWithPrefix: 'b/' },
      };
    },
  },
  {
    field: 'ReplacedWithSuffix',
    insert: (rule) => {
      (rule.OriginInfo as Tree).FileInfo = {
        SuffixConfiguration: { Suffix: '.a', ReplacedWithSuffix: '.b' },
      };
    },
  },
  {
    field: 'PrefixDirective',
    insert: (rule) => {
      (rule.OriginInfo as Tree).FileInfo = { PrefixDirective: 'true', Prefix: 'a/' };
    },
  },
  { field: 'MirrorTimeout', insert: (rule) => Object.assign(rule, { MirrorTimeout: '10' }) },
];

/** Documents COS refuses, each made from a valid one, with COS's answer [cos-put][cos-get][cos-errors]. */
const BREAKERS: { what: string; status: number; code: string; apply: (rule: Tree, rules: Tree[]) => void }[] =
  [
    {
      what: 'a Mirror rule with an HttpRedirectCode',
      status: 400,
      code: 'InvalidArgument',
      apply: (rule) => {
        Object.assign(rule, { OriginType: 'Mirror' });
        Object.assign(parameterOf(rule), { HttpRedirectCode: '302' });
      },
    },
    {
      what: 'a Proxy rule firing on 403',
      status: 400,
      code: 'InvalidArgument',
      apply: (rule) => {
        Object.assign(rule, { OriginType: 'Proxy' });
        Object.assign(rule.OriginCondition as Tree, { HTTPStatusCode: '403' });
      },
    },
    {
      what: 'a Redirect rule firing on 302',
      status: 400,
      code: 'InvalidArgument',
      apply: (rule) => {
        Object.assign(rule, { OriginType: 'Redirect' });
        Object.assign(rule.OriginCondition as Tree, { HTTPStatusCode: '302' });
      },
    },
    {
      what: 'eleven NewHttpHeaders',
      status: 400,
      code: 'InvalidArgument',
      apply: (rule) => {
        const header = Array.from({ length: 11 }, (_, index) => ({ Key: `x-h${index}`, Value: 'v' }));
        parameterOf(rule).HttpHeader = { NewHttpHeaders: { Header: header } };
      },
    },
    {
      what: 'two rules with one RulePriority',
      status: 400,
      code: 'InvalidArgument',
      apply: (rule, rules) => {
        rules.push(structuredClone(rule));
      },
    },
    {
      what: 'a HostName with a scheme',
      status: 400,
      code: 'InvalidArgument',
      apply: (rule) => Object.assign(hostOf(rule), { HostName: `http://${hostOf(rule).HostName}` }),
    },
    {
      what: 'a HostName with a path',
      status: 400,
      code: 'InvalidArgument',
      apply: (rule) => Object.assign(hostOf(rule), { HostName: `${hostOf(rule).HostName}/dir` }),
    },
    {
      what: 'a Weight of 0',
      status: 400,
      code: 'InvalidArgument',
      apply: (rule) => Object.assign(hostOf(rule), { Weight: '0' }),
    },
    {
      what: 'StandbyHostName_11',
      status: 400,
      code: 'InvalidArgument',
      apply: (rule) => Object.assign(hostOf(rule), { StandbyHostName_11: 'late.example' }),
    },
    {
      what: 'standby origins numbered with a gap',
      status: 400,
      code: 'InvalidArgument',
      apply: (rule) => {
        const info = rule.OriginInfo as Tree;
        info.HostInfo = { HostName: hostOf(rule).HostName, StandbyHostName_2: 'b.example' };
      },
    },
    {
      what: 'a fixed file with an added prefix',
      status: 400,
      code: 'InvalidArgument',
      apply: (rule) => {
        (rule.OriginInfo as Tree).FileInfo = {
          FixedFileConfiguration: { FixedFilePath: 'index.html' },
          PrefixConfiguration: { Prefix: 'p/' },
        };
      },
    },
    {
      what: 'an unknown Protocol',
      status: 400,
      code: 'InvalidArgument',
      apply: (rule) => Object.assign(parameterOf(rule), { Protocol: 'FTP' }),
    },
    {
      what: 'a FollowQueryString that is not a boolean',
      status: 400,
      code: 'InvalidArgument',
      apply: (rule) => Object.assign(parameterOf(rule), { FollowQueryString: 'yes' }),
    },
    {
      what: 'an HttpRedirectCode of 303',
      status: 400,
      code: 'InvalidArgument',
      apply: (rule) => {
        Object.assign(rule, { OriginType: 'Proxy' });
        Object.assign(parameterOf(rule), { HttpRedirectCode: '303' });
      },
    },
    {
      what: 'a 5xx standby code',
      status: 400,
      code: 'InvalidArgument',
      apply: (rule) => Object.assign(rule, { HTTPStandbyCode: { StatusCode: ['502'] } }),
    },
    {
      what: 'a standby code listed twice',
      status: 400,
      code: 'InvalidArgument',
      apply: (rule) => Object.assign(rule, { HTTPStandbyCode: { StatusCode: ['403', '403'] } }),
    },
    {
      what: 'an unknown OriginType',
      status: 400,
      code: 'InvalidArgument',
      apply: (rule) => Object.assign(rule, { OriginType: 'Copy' }),
    },
    {
      what: 'a RulePriority that is not a number',
      status: 400,
      code: 'InvalidArgument',
      apply: (rule) => Object.assign(rule, { RulePriority: 'first' }),
    },
    {
      what: 'a rule without OriginInfo',
      status: 400,
      code: 'MalformedXML',
      apply: (rule) => {
        delete rule.OriginInfo;
      },
    },
    {
      what: 'a rule without OriginCondition',
      status: 400,
      code: 'MalformedXML',
      apply: (rule) => {
        delete rule.OriginCondition;
      },
    },
    {
      what: 'OriginType given twice',
      status: 400,
      code: 'MalformedXML',
      apply: (rule) => Object.assign(rule, { OriginType: ['Mirror', 'Proxy'] }),
    },
  ];

// ---- laws -----------------------------------------------------------------------------------------------

describe('laws of the COS origin-pull dialect', () => {
  it('native to neutral to native keeps every supported field', () => {
    fc.assert(
      fc.property(nativeRules, (rules) => {
        const body = xml(rules);
        const { first, rendered, second } = readBack(cosDialect, body);
        expect(second).toEqual(first);
        expect(canonicalNative(rendered)).toEqual(canonicalNative(body));
      }),
    );
  });

  it('neutral to native to neutral keeps every rule the vendor can express', () => {
    fc.assert(
      fc.property(neutralRules, (rules) => {
        const parsed = roundTrip({ rules });
        validateAgainstSpec(parsed.configuration);
        const ids = expectedIds(rules);
        const expected = rules.map((rule, index) => withDefaults({ ...rule, id: ids[index] ?? rule.id }));
        expect(parsed.configuration.rules.map(withDefaults)).toEqual(expected);
      }),
    );
  });

  it('neutral rules whose origins carry a common path keep the origin URL of every key', () => {
    fc.assert(
      fc.property(pathedRule, fc.array(keyTail, { minLength: 1, maxLength: 4 }), (rule, tails) => {
        validateAgainstSpec({ rules: [rule] });
        const parsed = roundTrip({ rules: [rule] });
        validateAgainstSpec(parsed.configuration);
        const returned = parsed.configuration.rules[0] as MirrorRuleDocument;
        // COS keeps hosts only: the path is in the key rewrite now.
        expect(returned.origins).toEqual(
          rule.origins.map((origin) =>
            /^[^:]*:\/\/[^/]*/.exec(origin)?.[0].replace(/^\w+/, (s) => s.toLowerCase()),
          ),
        );
        const { origins: _o, keyRewrite: _k, ...kept } = withDefaults({ ...rule, id: returned.id });
        const { origins: _bo, keyRewrite: _bk, ...keptBack } = withDefaults(returned);
        expect(keptBack).toEqual(kept);
        for (const tail of tails) {
          const key = (rule.condition?.keyPrefix ?? '') + tail;
          rule.origins.forEach((_, index) => {
            expect(originUrlOfKey(returned, key, index)).toBe(originUrlOfKey(rule, key, index));
          });
        }
      }),
    );
  });

  it('every unsupported field is refused by name', () => {
    fc.assert(
      fc.property(
        nativeRules,
        fc.constantFrom(...UNSUPPORTED),
        fc.nat(),
        (rules, { field, insert }, pick) => {
          const broken = structuredClone(rules);
          insert(broken[pick % broken.length] as Tree);
          const error = refusal(cosDialect, xml(broken));
          expect({ status: error.status, code: error.code }).toEqual({ status: 501, code: 'NotImplemented' });
          expect(error.message).toContain(field);
          expect(error.message).toContain('does not model');
        },
      ),
    );
  });

  it("invalid documents get COS's code and status", () => {
    fc.assert(
      fc.property(nativeRules, fc.constantFrom(...BREAKERS), (rules, { what, status, code, apply }) => {
        const broken = structuredClone(rules);
        apply(broken[0] as Tree, broken);
        const error = refusal(cosDialect, xml(broken));
        expect({ status: error.status, code: error.code }, what).toEqual({ status, code });
      }),
    );
  });

  it('a document cut short inside its closing tag is malformed XML', () => {
    fc.assert(
      fc.property(nativeRules, fc.integer({ min: 2, max: 40 }), (rules, cut) => {
        const body = xml(rules);
        expect(refusal(cosDialect, body.slice(0, body.length - cut)).code).toBe('MalformedXML');
      }),
    );
  });
});

// ---- fixtures -------------------------------------------------------------------------------------------

describe('fixtures', () => {
  it.each(fixtures.valid)('%s reads, passes the spec and reads back', (name) => {
    const body = fixtures.read(name);
    const { first, rendered, second } = readBack(cosDialect, body);
    expect(second).toEqual(first);
    expect(canonicalNative(rendered)).toEqual(canonicalNative(body));
  });

  itRefusesTheInvalidFixtures(cosDialect, fixtures);
});

// ---- documented examples --------------------------------------------------------------------------------

describe('the documented examples of PUT Bucket origin', () => {
  it('the common Mirror example reads as a mirror rule passing the query string and one header', () => {
    expect(cosDialect.parse(fixtures.read('valid-mirror.xml'))).toEqual({
      configuration: {
        rules: [
          {
            id: 'priority-1',
            mode: 'mirror',
            origins: ['http://examplebucket-1250000000.cos.ap-shanghai.myqcloud.com'],
            passQueryString: true,
            followRedirects: true,
            headers: {
              passAll: false,
              set: [{ name: 'x-cos', value: 'exampleHeader' }],
              pass: ['exampleHeaderKey'],
            },
          },
        ],
      },
      extras: {},
    });
  });

  it('the common Mirror example as published, with HttpRedirectCode 302, is a parameter error', () => {
    const error = refusal(cosDialect, fixtures.read('invalid-mirror-redirect-code.xml'));
    expect([error.status, error.code]).toEqual([400, 'InvalidArgument']);
    expect(error.message).toContain('HttpRedirectCode');
  });

  it('the weighted Mirror example as published is refused by name: load sharing by Weight is not modelled', () => {
    const error = refusal(cosDialect, fixtures.read('invalid-weighted-origins.xml'));
    expect([error.status, error.code]).toEqual([501, 'NotImplemented']);
    expect(error.message).toMatch(/HostInfo.*Weight/);
  });

  it('one weighted HostInfo reads as its HostName then its standby origins in order, with 4xx failover', () => {
    const { configuration, extras } = cosDialect.parse(fixtures.read('valid-mirror-standby.xml'));
    expect(configuration.rules[0]).toMatchObject({
      origins: [
        'https://bucketname1-appid.cos.region.myqcloud.com',
        'https://bucketname2-appid.cos.region.myqcloud.com',
        'https://bucketname3-appid.cos.region.myqcloud.com',
      ],
      condition: { keyPrefix: 'images/' },
      headers: { passAll: true, remove: ['x-cos-example-header'] },
      failoverOn: ['5XX', '404', '403'],
    });
    expect(extras).toEqual({ rules: { 'priority-1': { weight: 8 } } });
  });

  it('the Proxy example, its closing tag corrected, reads as a redirect-async rule over http', () => {
    expect(refusal(cosDialect, fixtures.read('invalid-proxy-closing-tag.xml')).code).toBe('MalformedXML');
    const { configuration, extras } = cosDialect.parse(fixtures.read('valid-proxy.xml'));
    expect(configuration.rules[0]).toMatchObject({
      mode: 'redirect-async',
      origins: ['http://examplebucket-1250000000.cos.ap-shanghai.myqcloud.com'],
      redirectStatus: 302,
      headers: { passAll: true, set: [{ name: 'x-cos-ContentType', value: 'csv' }], pass: ['Content-Type'] },
    });
    expect(extras).toEqual({ rules: { 'priority-1': { protocol: 'FOLLOW' } } });
  });

  it('the Redirect example reads as a redirect rule answering 301 when it fires on a miss', () => {
    expect(cosDialect.parse(fixtures.read('valid-redirect.xml')).configuration.rules[0]).toMatchObject({
      mode: 'redirect',
      redirectStatus: 301,
      passQueryString: true,
    });
    const error = refusal(cosDialect, fixtures.read('invalid-redirect-on-403.xml'));
    expect([error.status, error.code]).toEqual([501, 'NotImplemented']);
    expect(error.message).toContain('HTTPStatusCode');
  });
});

// ---- mapping --------------------------------------------------------------------------------------------

const rule = (overrides: Partial<MirrorRuleDocument> = {}): MirrorRuleDocument => ({
  id: 'r',
  origins: ['http://origin.example'],
  ...overrides,
});

describe('mapping between COS and the neutral model', () => {
  it("writes FollowQueryString out, since COS's default (true) is not the model's (false)", () => {
    const body = cosDialect.render({ rules: [rule()] }, {});
    expect(body).toContain('<FollowQueryString>false</FollowQueryString>');
    expect(roundTrip({ rules: [rule()] }).configuration.rules[0]?.passQueryString).toBe(false);
  });

  it('reaches FOLLOW origins over http and writes FOLLOW back; a neutral http origin is written as HTTP', () => {
    const native = cosDialect.parse(fixtures.read('valid-proxy.xml'));
    expect(cosDialect.render(native.configuration, native.extras)).toContain('<Protocol>FOLLOW</Protocol>');
    expect(cosDialect.render(native.configuration, {})).toContain('<Protocol>HTTP</Protocol>');
    expect(cosDialect.render({ rules: [rule({ origins: ['https://o.example/'] })] })).toContain(
      '<Protocol>HTTPS</Protocol>',
    );
  });

  it('applies rules by rising RulePriority and names them priority-<N>', () => {
    const { configuration } = cosDialect.parse(fixtures.read('valid-file-info.xml'));
    expect(configuration.rules.map(({ id }) => id)).toEqual(['priority-10', 'priority-20']);
  });

  it('numbers rules from priority-<N> ids when they rise, else by position', () => {
    const priorities = (rules: MirrorRuleDocument[]) =>
      [...cosDialect.render({ rules }).matchAll(/<RulePriority>(\d+)</g)].map((match) => match[1]);
    expect(priorities([rule({ id: 'priority-5' }), rule({ id: 'priority-9' })])).toEqual(['5', '9']);
    expect(priorities([rule({ id: 'priority-9' }), rule({ id: 'priority-5' })])).toEqual(['1', '2']);
    expect(priorities([rule({ id: 'images' }), rule({ id: 'priority-7' })])).toEqual(['1', '2']);
  });

  it("reads an added prefix as replacing the rule's keyPrefix, and an added suffix as a replaceKeyWith", () => {
    const [photos, fallback] = cosDialect.parse(fixtures.read('valid-file-info.xml')).configuration.rules;
    expect(photos?.keyRewrite).toEqual({ replaceKeyWith: 'archive/${key}.orig' });
    expect(fallback?.keyRewrite).toEqual({ replaceKeyWith: 'fallback/index.html' });
    const prefixed = rule({
      condition: { keyPrefix: 'abc/' },
      keyRewrite: { replacePrefixWith: 'old/abc/' },
    });
    expect(cosDialect.render({ rules: [prefixed] })).toContain('<Prefix>old/</Prefix>');
    expect(roundTrip({ rules: [prefixed] }).configuration.rules[0]?.keyRewrite).toEqual({
      replacePrefixWith: 'old/abc/',
    });
  });

  it('writes a replaceKeyWith ending in ${key} as an added prefix, which reads back as replacePrefixWith', () => {
    const keyed = rule({ condition: { keyPrefix: 'a/' }, keyRewrite: { replaceKeyWith: 'mirror/${key}' } });
    expect(roundTrip({ rules: [keyed] }).configuration.rules[0]?.keyRewrite).toEqual({
      replacePrefixWith: 'mirror/a/',
    });
  });

  it("keeps the Go SDK's ForbidFollowHttpHeaders spelling, and refuses both spellings at once", () => {
    const native = cosDialect.parse(fixtures.read('valid-file-info.xml'));
    const body = cosDialect.render(native.configuration, native.extras);
    expect(body).toContain('<ForbidFollowHttpHeaders>');
    expect(body).not.toContain('<ForbidFollowHeaders>');
    const both = fixtures
      .read('valid-file-info.xml')
      .replace(
        '<ForbidFollowHttpHeaders>',
        '<ForbidFollowHeaders><Header><Key>a</Key></Header></ForbidFollowHeaders><ForbidFollowHttpHeaders>',
      );
    expect(refusal(cosDialect, both).code).toBe('InvalidArgument');
  });

  it('keeps TransparentErrorCode false, which is what the model does, and writes it back', () => {
    const native = cosDialect.parse(fixtures.read('valid-file-info.xml'));
    expect(native.extras).toMatchObject({ rules: { 'priority-10': { transparentErrorCode: false } } });
    expect(cosDialect.render(native.configuration, native.extras)).toContain(
      '<TransparentErrorCode>false</TransparentErrorCode>',
    );
  });

  it('escapes XML text so that &, < and > survive a round trip', () => {
    const tricky = rule({ condition: { keyPrefix: 'a&b<c>/', keySuffix: ' "x" ' } });
    expect(roundTrip({ rules: [tricky] }).configuration.rules[0]?.condition).toEqual(tricky.condition);
  });

  it("does not write a mirror rule's redirectStatus, which the model ignores and COS refuses", () => {
    const body = cosDialect.render({ rules: [rule({ redirectStatus: 301 })] });
    expect(body).not.toContain('HttpRedirectCode');
  });

  it('refuses by name a NewHttpHeaders entry without a Value, which adds nothing at COS', () => {
    const body = fixtures.read('valid-mirror.xml').replace('<Value>exampleHeader</Value>', '<Value></Value>');
    const error = refusal(cosDialect, body);
    expect([error.status, error.code]).toEqual([501, 'NotImplemented']);
    expect(error.message).toContain('NewHttpHeaders/Header[1]/Value');
  });

  it('refuses by name a literal ${key} in a fixed file path', () => {
    const body = fixtures.read('valid-file-info.xml').replace('fallback/index.html', 'fallback/${key}');
    expect(refusal(cosDialect, body).message).toContain('FixedFilePath');
  });

  it('refuses text beside elements and a second root as malformed XML', () => {
    expect(
      refusal(cosDialect, fixtures.read('valid-mirror.xml').replace('<OriginRule>', '<OriginRule>stray'))
        .code,
    ).toBe('MalformedXML');
    expect(refusal(cosDialect, `${fixtures.read('valid-redirect.xml')}<OriginConfiguration/>`).code).toBe(
      'MalformedXML',
    );
  });
});

describe('origins with a path, which COS says with FileInfo', () => {
  /** The OriginInfo render writes for one rule, and the rule it reads back as. */
  const written = (overrides: Partial<MirrorRuleDocument>) => {
    const neutral = rule(overrides);
    const body = cosDialect.render({ rules: [neutral] });
    const tree = treeParser.parse(body) as { OriginConfiguration: { OriginRule: Tree[] } };
    const info = tree.OriginConfiguration.OriginRule[0]?.OriginInfo as Tree;
    const back = cosDialect.parse(body).configuration.rules[0] as MirrorRuleDocument;
    return { neutral, info, back };
  };
  /** The origin URL of each key is the same under the neutral rule and the one read back, for every origin. */
  const sameUrls = (
    { neutral, back }: { neutral: MirrorRuleDocument; back: MirrorRuleDocument },
    keys: string[],
  ) => {
    for (const key of keys) {
      neutral.origins.forEach((_, index) => {
        expect(originUrlOfKey(back, key, index)).toBe(originUrlOfKey(neutral, key, index));
      });
    }
  };

  it('writes the host as HostName and the path, with its slash, as the Prefix of every key', () => {
    const result = written({ origins: ['http://127.0.0.1:42331/cos'] });
    expect(result.info).toEqual({
      HostInfo: [{ HostName: '127.0.0.1:42331' }],
      FileInfo: { PrefixConfiguration: { Prefix: 'cos/' } },
    });
    expect(result.back).toMatchObject({
      origins: ['http://127.0.0.1:42331'],
      keyRewrite: { replacePrefixWith: 'cos/' },
    });
    sameUrls(result, ['a.png', 'img/a b.png', '../x', '']);
    expect(originUrlOfKey(result.back, 'img/a b.png', 0)).toBe('http://127.0.0.1:42331/cos/img/a%20b.png');
  });

  it("keeps the rule's keyPrefix behind the path, and takes a trailing '/' or none alike", () => {
    const result = written({ origins: ['http://o.example/base/dir/'], condition: { keyPrefix: 'img/' } });
    expect(result.info.FileInfo).toEqual({ PrefixConfiguration: { Prefix: 'base/dir/' } });
    expect(result.back.keyRewrite).toEqual({ replacePrefixWith: 'base/dir/img/' });
    sameUrls(result, ['img/a.png', 'img/', 'img/./x']);
  });

  it('writes one Prefix for a HostName and standby origins that share the path', () => {
    const result = written({
      origins: ['https://a.example/static', 'https://b.example:8443/static/', 'https://c.example/static'],
      failoverOn: ['5XX'],
    });
    expect(result.info).toEqual({
      HostInfo: [
        { HostName: 'a.example', StandbyHostName_1: 'b.example:8443', StandbyHostName_2: 'c.example' },
      ],
      FileInfo: { PrefixConfiguration: { Prefix: 'static/' } },
    });
    sameUrls(result, ['a.css', 'js/app.js']);
  });

  it('puts the path in front of what replacePrefixWith adds before the keyPrefix', () => {
    const result = written({
      origins: ['http://o.example/cos'],
      condition: { keyPrefix: 'img/' },
      keyRewrite: { replacePrefixWith: 'pics/img/' },
    });
    expect(result.info.FileInfo).toEqual({ PrefixConfiguration: { Prefix: 'cos/pics/' } });
    expect(result.back.keyRewrite).toEqual({ replacePrefixWith: 'cos/pics/img/' });
    sameUrls(result, ['img/a.png', 'img/']);
    const same = written({
      origins: ['http://o.example/cos'],
      condition: { keyPrefix: 'img/' },
      keyRewrite: { replacePrefixWith: 'img/' },
    });
    expect(same.info.FileInfo).toEqual({ PrefixConfiguration: { Prefix: 'cos/' } });
    sameUrls(same, ['img/a.png']);
  });

  it('drops a keyPrefix that the end of the path spells again, since COS only adds in front', () => {
    // http://o.example/static/img + (img/a.png without img/) is http://o.example/ + static/ + img/a.png.
    const result = written({
      origins: ['http://o.example/static/img'],
      condition: { keyPrefix: 'img/' },
      keyRewrite: { replacePrefixWith: '' },
    });
    expect(result.info.FileInfo).toEqual({ PrefixConfiguration: { Prefix: 'static/' } });
    sameUrls(result, ['img/a.png', 'img/x/y']);
    const whole = written({
      origins: ['http://o.example/img'],
      condition: { keyPrefix: 'img/' },
      keyRewrite: { replacePrefixWith: '' },
    });
    expect(whole.info.FileInfo).toBeUndefined();
    expect(whole.back.keyRewrite).toBeUndefined();
    sameUrls(whole, ['img/a.png']);
  });

  it('puts the path in front of a FixedFilePath, which may then be the path itself', () => {
    const fixed = written({
      origins: ['http://o.example/cos'],
      keyRewrite: { replaceKeyWith: 'index.html' },
    });
    expect(fixed.info.FileInfo).toEqual({ FixedFileConfiguration: { FixedFilePath: 'cos/index.html' } });
    expect(fixed.back.keyRewrite).toEqual({ replaceKeyWith: 'cos/index.html' });
    sameUrls(fixed, ['a.png']);
    const bare = written({ origins: ['http://o.example/cos'], keyRewrite: { replaceKeyWith: '' } });
    expect(bare.info.FileInfo).toEqual({ FixedFileConfiguration: { FixedFilePath: 'cos/' } });
    sameUrls(bare, ['a.png']);
  });

  it('puts the path in front of the Prefix of a replaceKeyWith around ${key}', () => {
    const around = written({
      origins: ['http://o.example/cos'],
      keyRewrite: { replaceKeyWith: 'archive/${key}.orig' },
    });
    expect(around.info.FileInfo).toEqual({
      PrefixConfiguration: { Prefix: 'cos/archive/' },
      SuffixConfiguration: { Suffix: '.orig' },
    });
    expect(around.back.keyRewrite).toEqual({ replaceKeyWith: 'cos/archive/${key}.orig' });
    sameUrls(around, ['a.png', 'x/y']);
    const after = written({
      origins: ['http://o.example/cos'],
      keyRewrite: { replaceKeyWith: '${key}.jpg' },
    });
    expect(after.info.FileInfo).toEqual({
      PrefixConfiguration: { Prefix: 'cos/' },
      SuffixConfiguration: { Suffix: '.jpg' },
    });
    sameUrls(after, ['a']);
    const before = written({
      origins: ['http://o.example/cos'],
      condition: { keyPrefix: 'a/' },
      keyRewrite: { replaceKeyWith: 'm/${key}' },
    });
    expect(before.info.FileInfo).toEqual({ PrefixConfiguration: { Prefix: 'cos/m/' } });
    expect(before.back.keyRewrite).toEqual({ replacePrefixWith: 'cos/m/a/' });
    sameUrls(before, ['a/b']);
  });

  it('decodes escapes in the path, since COS encodes the whole pulled name as a key', () => {
    const result = written({ origins: ['http://o.example/a%20b/%C3%A9t%C3%A9/x.y'] });
    expect(result.info.FileInfo).toEqual({ PrefixConfiguration: { Prefix: 'a b/été/x.y/' } });
    sameUrls(result, ['k', 'c d/é']);
    const literal = written({ origins: ['http://o.example/%24%7Bkey%7D'] });
    expect(literal.back.keyRewrite).toEqual({ replacePrefixWith: '${key}/' });
    sameUrls(literal, ['k']);
  });

  it('reads the path as a URL parser does: dot segments resolved, empty segments kept', () => {
    const dots = written({ origins: ['http://o.example/a/../b/./c'] });
    expect(dots.info.FileInfo).toEqual({ PrefixConfiguration: { Prefix: 'b/c/' } });
    sameUrls(dots, ['k']);
    const empty = written({ origins: ['http://o.example/a//b//'] });
    expect(empty.info.FileInfo).toEqual({ PrefixConfiguration: { Prefix: 'a//b//' } });
    sameUrls(empty, ['k', '/k']);
    const root = written({ origins: ['http://o.example//'] });
    expect(root.info.FileInfo).toEqual({ PrefixConfiguration: { Prefix: '/' } });
    sameUrls(root, ['k']);
  });

  it('says why an origin path cannot be folded in', () => {
    expect(
      notExpressible(cosDialect, { rules: [rule({ origins: ['http://a.example/x', 'http://b.example/y'] })] })
        .message,
    ).toContain('same path');
    expect(
      notExpressible(cosDialect, { rules: [rule({ origins: ['http://a.example/a%2Fb'] })] }).message,
    ).toContain('%2F');
    expect(
      notExpressible(cosDialect, { rules: [rule({ origins: ['http://a.example/%FF'] })] }).message,
    ).toContain('UTF-8');
    expect(
      notExpressible(cosDialect, { rules: [rule({ origins: ['http://a.example/%00'] })] }).message,
    ).toContain('XML');
  });
});

describe('neutral rules COS cannot express', () => {
  it.each([
    ['condition/headers', rule({ condition: { headers: [{ name: 'host', equals: 'a.example' }] } })],
    ['writeBack', rule({ writeBack: false })],
    ['checkMd5', rule({ checkMd5: true })],
    ['acl', rule({ acl: 'public-read' })],
    ['triggerOnHead', rule({ triggerOnHead: true })],
    ['failoverOn', rule({ failoverOn: ['4XX', '5XX'] })],
    ['failoverOn', rule({ failoverOn: ['404'] })],
    ['origins', rule({ origins: ['http://a.example', 'https://b.example'] })],
    ['origins/1', rule({ origins: ['http://a.example/static/', 'http://b.example/assets'] })],
    ['origins/1', rule({ origins: ['http://a.example/static', 'http://b.example'] })],
    ['origins/0', rule({ origins: ['http://a.example/a%2Fb'] })],
    ['origins/0', rule({ origins: ['http://a.example/%c3%a9t%c3%a9'] })],
    ['origins/0', rule({ origins: ['http://a.example/a!b'] })],
    ['origins/0', rule({ origins: ['http://a.example/%41'] })],
    ['origins/0', rule({ origins: ['http://a.example/%FF'] })],
    ['origins/0', rule({ origins: ['http://a.example/bell%07'] })],
    ['origins/0', rule({ origins: ['http://a.example:99999/static'] })],
    [
      'origins/0',
      rule({ origins: ['http://a.example/%24%7Bkey%7D'], keyRewrite: { replaceKeyWith: 'index.html' } }),
    ],
    [
      'origins/0',
      rule({ origins: ['http://a.example/%24%7Bkey%7D'], keyRewrite: { replaceKeyWith: '${key}.jpg' } }),
    ],
    [
      'origins/0',
      rule({
        origins: [`http://a.example/${'p'.repeat(1000)}`],
        keyRewrite: { replaceKeyWith: 'x'.repeat(30) },
      }),
    ],
    [
      'keyRewrite/replacePrefixWith',
      rule({
        origins: ['http://a.example/static'],
        condition: { keyPrefix: 'img/' },
        keyRewrite: { replacePrefixWith: 'pics/' },
      }),
    ],
    [
      'keyRewrite/replacePrefixWith',
      rule({ condition: { keyPrefix: 'abc/' }, keyRewrite: { replacePrefixWith: 'def/' } }),
    ],
    ['keyRewrite/replaceKeyWith', rule({ keyRewrite: { replaceKeyWith: '${key}/${key}' } })],
    ['headers/set/0/value', rule({ headers: { set: [{ name: 'X-Empty', value: '' }] } })],
    ['condition/keyPrefix', rule({ condition: { keyPrefix: 'bell\u0007' } })],
  ])('rules/0/%s', (field, inexpressible) => {
    const error = notExpressible(cosDialect, { rules: [inexpressible] });
    expect([error.dialect, error.field]).toEqual(['cos', `rules/0/${field}`]);
  });
});

describe("COS's answers", () => {
  it('answers GET or DELETE without rules with 404 OriginConfigurationNotFoundError', () => {
    const error = cosDialect.errors.noConfiguration('examplebucket-1250000000');
    expect([error.status, error.code]).toEqual([404, 'OriginConfigurationNotFoundError']);
    expect(error.message).toContain('examplebucket-1250000000');
  });

  it('answers rules the neutral checks refuse with 400 InvalidArgument', () => {
    expectAnswerToInvalid(cosDialect, 400, 'InvalidArgument');
  });

  it('writes errors as COS does: Code, Message, Resource, RequestId and TraceId', () => {
    const { contentType, body } = cosDialect.errorBody(new DialectError(400, 'MalformedXML', 'a <b> & c'), {
      requestId: 'req-1',
      resource: '/?origin',
    });
    expect(contentType).toBe('application/xml');
    expect(treeParser.parse(body)).toEqual({
      '?xml': '',
      Error: {
        Code: 'MalformedXML',
        Message: 'a <b> & c',
        Resource: '/?origin',
        RequestId: 'req-1',
        TraceId: 'req-1',
      },
    });
  });

  it('answers PUT with 200 and DELETE with 204, both without a body', () => {
    expect(cosDialect.putAnswer(false, 'req')).toEqual({ status: 200 });
    expect(cosDialect.putAnswer(true, 'req')).toEqual({ status: 200 });
    expect(cosDialect.deleteAnswer('req')).toEqual({ status: 204 });
  });

  it('refuses an empty body with 400 MissingRequestBodyError and broken XML with 400 MalformedXML', () => {
    expect([refusal(cosDialect, ' \n').status, refusal(cosDialect, ' \n').code]).toEqual([
      400,
      'MissingRequestBodyError',
    ]);
    expect(refusal(cosDialect, '<OriginConfiguration><OriginRule>').code).toBe('MalformedXML');
  });

  it('speaks application/xml', () => {
    expect(cosDialect.contentType).toBe('application/xml');
  });
});
