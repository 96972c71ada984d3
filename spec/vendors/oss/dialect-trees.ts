// OSS documents as XML trees, and the normal forms two documents or configurations are compared in: the
// helpers of dialect.test.ts.

import { XMLBuilder, XMLParser } from 'fast-xml-parser';

// ---------------------------------------------------------------------------------------------------
// XML trees, as fast-xml-parser reads them with every element an array: text, or children by name.

export type XmlNode = string | Tree;
export interface Tree {
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
export function readTree(xml: string): Tree {
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

export function writeTree(tree: Tree): string {
  // An XML reader turns a raw CR into LF; the reference keeps it.
  return (treeBuilder.build(tree) as string).replaceAll('\r', '&#13;');
}

/** Builds a tree node from fields, leaving out the absent ones and empty lists. */
export function element(fields: Record<string, XmlNode | XmlNode[] | undefined>): Tree {
  const tree: Tree = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    tree[name] = Array.isArray(value) ? value : [value];
  }
  return tree;
}

export function child(tree: Tree, name: string): Tree {
  const node = tree[name]?.[0];
  if (node === undefined) throw new Error(`no ${name}`);
  if (typeof node === 'string') {
    const empty: Tree = {};
    tree[name] = [empty];
    return empty;
  }
  return node;
}

export function rulesOf(document: Tree): Tree[] {
  const routingRules = child(child(document, 'WebsiteConfiguration'), 'RoutingRules');
  routingRules.RoutingRule ??= [];
  return routingRules.RoutingRule as Tree[];
}

export const text = (node: XmlNode[] | undefined): string | undefined => node?.[0] as string | undefined;

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
export function canonicalWebsite(document: Tree): Tree {
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
export function renamedIds(ids: readonly string[]): string[] {
  const numbers = ids.map((id) => /^rule-([1-9][0-9]{0,15})$/.exec(id)?.[1]).map(Number);
  const kept = numbers.every((n, i) => Number.isSafeInteger(n) && (i === 0 || n > (numbers[i - 1] ?? 0)));
  return kept ? [...ids] : ids.map((_, index) => `rule-${index + 1}`);
}

/** An origin as its MirrorURL: the scheme in lower case and a final `/`; the same origin URLs [oss-put]. */
export function asBase(origin: string): string {
  const base = origin.replace(/^[a-z]+/i, (scheme) => scheme.toLowerCase());
  return base.endsWith('/') ? base : `${base}/`;
}
