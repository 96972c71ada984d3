// COS documents as trees of elements, and the canonical forms two documents or configurations are
// compared in: the helpers of dialect.test.ts.

import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { withDefaults as neutralWithDefaults } from '../../dialects/dialect-test-support.ts';
import type { MirrorConfigurationDocument, MirrorRuleDocument } from '../../model.ts';
import { cosDialect } from './dialect.ts';

// A native document as a tree of elements; the tests build and mutate it freely.
export type Tree = { [name: string]: unknown };

const builder = new XMLBuilder({ format: true, ignoreAttributes: true });
export const treeParser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  htmlEntities: true,
  isArray: (name) => ['OriginRule', 'HostInfo', 'Header', 'StatusCode'].includes(name),
});

export function xml(rules: Tree[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ OriginConfiguration: { OriginRule: rules } })}`;
}

export function roundTrip(configuration: MirrorConfigurationDocument, extras = {}) {
  return cosDialect.parse(cosDialect.render(configuration, extras));
}

export const container = (value: unknown): Tree =>
  typeof value === 'object' && value !== null ? { ...(value as Tree) } : {};

/**
 * The native rules up to what COS fills in and what means nothing: absent Protocol is FOLLOW,
 * FollowQueryString and FollowRedirection default to true, HttpRedirectCode to 302 on Redirect and Proxy
 * rules, FollowAllHeaders to false [cos-get]; an empty Prefix matches every key as an absent one does, and
 * an empty prefix, suffix or header list adds nothing. Rules are in RulePriority order, which is what COS
 * goes by; the order of other elements is free (`toEqual` ignores key order), and lists keep theirs.
 */
export function canonicalNative(body: string): Tree[] {
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
export function withDefaults(rule: MirrorRuleDocument): MirrorRuleDocument {
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
export function expectedIds(rules: MirrorRuleDocument[]): string[] {
  const numbers = rules.map(({ id }) => /^priority-([1-9]\d*|0)$/.exec(id)?.[1]).map(Number);
  const rising = numbers.every(
    (value, index) => !Number.isNaN(value) && (index === 0 || value > (numbers[index - 1] ?? 0)),
  );
  return rising ? rules.map(({ id }) => id) : rules.map((_, index) => `priority-${index + 1}`);
}

/** A neutral rule with one origin, and whatever the case sets. */
export const rule = (overrides: Partial<MirrorRuleDocument> = {}): MirrorRuleDocument => ({
  id: 'r',
  origins: ['http://origin.example'],
  ...overrides,
});
