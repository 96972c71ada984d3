// The render side of the OSS dialect: neutral rules to a native document, refusing what OSS cannot
// express. The header of dialect.ts gives the sources.
import { XMLBuilder } from 'fast-xml-parser';
import { NotExpressible } from '../../dialects/dialect.ts';
import { describeChar, nonXmlChar } from '../../dialects/xml-fields.ts';
import type { HeaderPolicyDocument, MirrorCondition, MirrorRuleDocument } from '../../model.ts';
import { HOST_NAME, MAX_HEADER_BYTES, MAX_LIST, OSS_HEADER_NAME, RULE_ID } from './elements.ts';
import { utf8Bytes } from './parse.ts';

// ---------------------------------------------------------------------------------------------------
// Neutral to native.

export function cannotExpress(field: string, why: string): NotExpressible {
  return new NotExpressible('oss', field, why);
}

export const builder = new XMLBuilder({ format: true, indentBy: '  ' });

type NativeValue = string | NativeTree | NativeTree[] | string[];
interface NativeTree {
  [name: string]: NativeValue;
}

/**
 * RuleNumber for each rule: the numbers in the ids when every id is `rule-<n>` and they increase (so what
 * `parse` wrote reads back unchanged), else the position from 1. Either way the numbers keep the order.
 */
export function ruleNumbers(ids: readonly string[]): number[] {
  const fromIds = ids.map((id) => {
    const match = RULE_ID.exec(id);
    return match ? Number(match[1]) : Number.NaN;
  });
  const usable = fromIds.every(
    (number, index) => Number.isSafeInteger(number) && (index === 0 || number > (fromIds[index - 1] ?? 0)),
  );
  return usable ? fromIds : ids.map((_, index) => index + 1);
}

function xmlText(value: string, field: string): string {
  const bad = nonXmlChar(value);
  if (bad !== undefined) {
    throw cannotExpress(field, `the character ${describeChar(bad)} cannot be carried in an XML body`);
  }
  return value;
}

function ossHeaderName(name: string, field: string): string {
  if (!OSS_HEADER_NAME.test(name)) {
    throw cannotExpress(field, `OSS takes header names of letters, digits and hyphens only, got '${name}'`);
  }
  return name;
}

/** An origin as a MirrorURL: the scheme in lower case and a final `/`, which changes no origin URL. */
function mirrorBase(origin: string, field: string): string {
  if (!/^https?:\/\//i.test(origin) || /[?#]/.test(origin)) {
    throw cannotExpress(field, 'a MirrorURL is an http:// or https:// base without query or fragment');
  }
  const base = origin.replace(/^[a-z]+/i, (scheme) => scheme.toLowerCase());
  return xmlText(base.endsWith('/') ? base : `${base}/`, field);
}

function renderCondition(condition: MirrorCondition | undefined, at: string): NativeTree {
  const tree: NativeTree = {};
  if (condition?.keyPrefix !== undefined)
    tree.KeyPrefixEquals = xmlText(condition.keyPrefix, `${at}/condition/keyPrefix`);
  if (condition?.keySuffix !== undefined)
    tree.KeySuffixEquals = xmlText(condition.keySuffix, `${at}/condition/keySuffix`);
  // Every neutral rule applies to a missing key; OSS wants it said, and requires it of Mirror rules.
  tree.HttpErrorCodeReturnedEquals = '404';
  const headers = condition?.headers ?? [];
  if (headers.length > MAX_LIST) {
    throw cannotExpress(`${at}/condition/headers`, `OSS takes at most ${MAX_LIST} IncludeHeader`);
  }
  if (headers.length > 0) {
    tree.IncludeHeader = headers.map((header, index) => ({
      Key: xmlText(header.name, `${at}/condition/headers/${index}/name`),
      Equals: xmlText(header.equals, `${at}/condition/headers/${index}/equals`),
    }));
  }
  return tree;
}

function renderHeaders(headers: HeaderPolicyDocument | undefined, at: string): NativeTree | undefined {
  const tree: NativeTree = {};
  if (headers?.passAll === true) tree.PassAll = 'true';
  const pass = headers?.pass ?? [];
  const remove = headers?.remove ?? [];
  const set = headers?.set ?? [];
  if (pass.length > 0)
    tree.Pass = pass.map((name, index) => ossHeaderName(name, `${at}/headers/pass/${index}`));
  if (remove.length > 0) {
    tree.Remove = remove.map((name, index) => ossHeaderName(name, `${at}/headers/remove/${index}`));
  }
  if (set.length > 0) {
    tree.Set = set.map(({ name, value }, index) => {
      const field = `${at}/headers/set/${index}`;
      if (/[\r\n]/.test(value) || utf8Bytes(value) > MAX_HEADER_BYTES) {
        throw cannotExpress(
          `${field}/value`,
          `OSS takes values of at most ${MAX_HEADER_BYTES} bytes without CR or LF`,
        );
      }
      return { Key: ossHeaderName(name, `${field}/name`), Value: xmlText(value, `${field}/value`) };
    });
  }
  return Object.keys(tree).length > 0 ? tree : undefined;
}

function renderFailover(failoverOn: readonly string[] | undefined, at: string): string | undefined {
  if (failoverOn === undefined) return undefined;
  const classes = [...new Set(failoverOn)].sort().join(',');
  if (classes === '4XX,5XX') return 'true';
  if (classes === '5XX') return 'false';
  throw cannotExpress(
    `${at}/failoverOn`,
    'MirrorSwitchAllErrors says only [4XX, 5XX] (true) or [5XX] (false)',
  );
}

function renderExternalTarget(rule: MirrorRuleDocument, at: string): NativeTree {
  if (rule.origins.length !== 1) {
    throw cannotExpress(`${at}/origins`, 'an External rule redirects to exactly one host');
  }
  const origin = rule.origins[0] ?? '';
  const match = /^(https?):\/\/([^/?#@]+)\/?$/i.exec(origin);
  if (!match || !HOST_NAME.test(match[2] ?? '')) {
    throw cannotExpress(
      `${at}/origins/0`,
      `an External rule keeps only Protocol and HostName, so the origin must be scheme://host/, got '${origin}'`,
    );
  }
  return {
    Protocol: (match[1] ?? '').toLowerCase(),
    HostName: match[2] ?? '',
    // Written even when it is the neutral default, since OSS documents none.
    HttpRedirectCode: String(rule.redirectStatus ?? 302),
  };
}

function renderMirrorTarget(rule: MirrorRuleDocument, at: string): NativeTree {
  const [main, slave, ...alternates] = rule.origins.map((origin, index) =>
    mirrorBase(origin, `${at}/origins/${index}`),
  );
  if (main === undefined) throw cannotExpress(`${at}/origins`, 'a Mirror rule needs a MirrorURL');
  const tree: NativeTree = { MirrorURL: main };
  if (slave !== undefined) tree.MirrorURLSlave = slave;
  if (alternates.length > 0) {
    tree.MirrorMultiAlternates = {
      MirrorMultiAlternate: alternates.map((url, index) => ({
        MirrorMultiAlternateNumber: String(index + 1),
        MirrorMultiAlternateURL: url,
      })),
    };
  }
  if (rule.passQueryString === true) tree.MirrorPassQueryString = 'true';
  // Ignored by Mirror rules at OSS as in the neutral model, but kept so the rule reads back the same.
  if (rule.redirectStatus !== undefined && rule.redirectStatus !== 302)
    tree.HttpRedirectCode = String(rule.redirectStatus);
  return tree;
}

export function renderRule(rule: MirrorRuleDocument, index: number, number: number): NativeTree {
  const at = `rules/${index}`;
  const mode = rule.mode ?? 'mirror';
  if (mode === 'redirect-async') {
    throw cannotExpress(`${at}/mode`, 'OSS has no redirect that also copies the object');
  }
  if ((rule.acl ?? 'private') !== 'private') {
    throw cannotExpress(`${at}/acl`, 'OSS stores mirrored objects with the default ACL only');
  }
  const redirect: NativeTree = { RedirectType: mode === 'mirror' ? 'Mirror' : 'External' };
  Object.assign(redirect, mode === 'mirror' ? renderMirrorTarget(rule, at) : renderExternalTarget(rule, at));
  if (mode === 'redirect' && rule.passQueryString === true) redirect.PassQueryString = 'true';
  if (rule.followRedirects === false) redirect.MirrorFollowRedirect = 'false';
  if (rule.checkMd5 === true) redirect.MirrorCheckMd5 = 'true';
  const switchAllErrors = renderFailover(rule.failoverOn, at);
  if (switchAllErrors !== undefined) redirect.MirrorSwitchAllErrors = switchAllErrors;
  if (rule.writeBack === false) redirect.MirrorProxyPass = 'true';
  if (rule.triggerOnHead === true) redirect.MirrorAllowHeadObject = 'true';
  const headers = renderHeaders(rule.headers, at);
  if (headers !== undefined) redirect.MirrorHeaders = headers;
  const rewrite = rule.keyRewrite;
  if (rewrite !== undefined && 'replacePrefixWith' in rewrite) {
    redirect.EnableReplacePrefix = 'true';
    redirect.ReplaceKeyPrefixWith = xmlText(rewrite.replacePrefixWith, `${at}/keyRewrite/replacePrefixWith`);
  } else if (rewrite !== undefined) {
    if (rewrite.replaceKeyWith === '') {
      throw cannotExpress(
        `${at}/keyRewrite/replaceKeyWith`,
        'OSS reads an empty ReplaceKeyWith as no replacement',
      );
    }
    redirect.ReplaceKeyWith = xmlText(rewrite.replaceKeyWith, `${at}/keyRewrite/replaceKeyWith`);
  }
  return { RuleNumber: String(number), Condition: renderCondition(rule.condition, at), Redirect: redirect };
}
