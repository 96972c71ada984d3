// The parse side of the OSS dialect: a native document to neutral rules, refusing by name what the model
// cannot carry. The header of dialect.ts gives the sources.
import type { HeaderPolicyDocument, KeyRewrite, MirrorCondition, MirrorRuleDocument } from '../../model.ts';
import {
  ALTERNATE_ROUTES,
  Element,
  EXTERNAL_ONLY,
  HEADER_MATCHERS,
  HOST_NAME,
  integerOf,
  invalidArgument,
  MAX_HEADER_BYTES,
  MAX_LIST,
  MIRROR_ONLY,
  notModelled,
  OSS_HEADER_NAME,
  REDIRECT_CODES,
  REDIRECT_COMMON,
  REDIRECT_EXTRAS,
  REDIRECT_TYPES_NOT_MODELLED,
  RULE_ONLY,
  refusedOnType,
  textOf,
} from './elements.ts';

// ---------------------------------------------------------------------------------------------------
// Native to neutral.

export function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

function headerName(value: string, path: string): string {
  if (!OSS_HEADER_NAME.test(value) || value.length > MAX_HEADER_BYTES) {
    throw invalidArgument(
      `${path} '${value}' must be 1 to ${MAX_HEADER_BYTES} letters, digits or hyphens (-)`,
    );
  }
  return value;
}

function limited<T>(items: T[], path: string): T[] {
  if (items.length > MAX_LIST) {
    throw invalidArgument(`${path}: at most ${MAX_LIST} are allowed, got ${items.length}`);
  }
  return items;
}

/** A MirrorURL-like origin base: `http://` or `https://`, ending in `/` [oss-put][oss-go2]. */
function mirrorUrl(value: string, path: string): string {
  if (!/^https?:\/\//.test(value) || !value.endsWith('/')) {
    throw invalidArgument(
      `${path} '${value}' must start with http:// or https:// and end with a forward slash (/)`,
    );
  }
  return value;
}

function parseCondition(condition: Element, redirectType: string): MirrorCondition {
  condition.allow(['KeyPrefixEquals', 'KeySuffixEquals', 'HttpErrorCodeReturnedEquals', 'IncludeHeader']);
  const errorCode = condition.integer('HttpErrorCodeReturnedEquals');
  const errorCodePath = `${condition.path}/HttpErrorCodeReturnedEquals`;
  if (redirectType === 'Mirror' && errorCode !== 404) {
    // A mirror rule fetches on a miss only, and OSS insists on saying so [oss-put][oss-tf].
    throw invalidArgument(`${errorCodePath} must be 404 for a Mirror rule, got ${errorCode ?? 'none'}`);
  }
  if (errorCode !== 404) {
    throw notModelled(
      errorCodePath,
      `redirect rules for answers other than a missing key (404), got ${errorCode ?? 'none'}`,
    );
  }
  const result: MirrorCondition = {};
  const keyPrefix = condition.text('KeyPrefixEquals');
  const keySuffix = condition.text('KeySuffixEquals');
  if (keyPrefix !== undefined) result.keyPrefix = keyPrefix;
  if (keySuffix !== undefined) result.keySuffix = keySuffix;
  const includes = limited(condition.all('IncludeHeader'), `${condition.path}/IncludeHeader`);
  const headers = includes.map((node, index) => {
    const include = Element.of(node, `${condition.path}/IncludeHeader[${index + 1}]`);
    include.allow(['Key', 'Equals'], HEADER_MATCHERS);
    return { name: include.requiredText('Key'), equals: include.requiredText('Equals') };
  });
  if (headers.length > 0) result.headers = headers;
  return result;
}

function parseHeaders(mirrorHeaders: Element): HeaderPolicyDocument | undefined {
  mirrorHeaders.allow(['PassAll', 'Pass', 'Remove', 'Set']);
  const at = mirrorHeaders.path;
  const names = (name: string) =>
    limited(mirrorHeaders.all(name), `${at}/${name}`).map((node, index) =>
      headerName(textOf(node, `${at}/${name}[${index + 1}]`), `${at}/${name}[${index + 1}]`),
    );
  const pass = names('Pass');
  const remove = names('Remove');
  const set = limited(mirrorHeaders.all('Set'), `${at}/Set`).map((node, index) => {
    const entry = Element.of(node, `${at}/Set[${index + 1}]`);
    entry.allow(['Key', 'Value']);
    const value = entry.requiredText('Value');
    if (/[\r\n]/.test(value) || utf8Bytes(value) > MAX_HEADER_BYTES) {
      throw invalidArgument(`${entry.path}/Value must be at most ${MAX_HEADER_BYTES} bytes without CR or LF`);
    }
    return { name: headerName(entry.requiredText('Key'), `${entry.path}/Key`), value };
  });
  const policy: HeaderPolicyDocument = {};
  if (mirrorHeaders.bool('PassAll') === true) policy.passAll = true;
  if (pass.length > 0) policy.pass = pass;
  if (remove.length > 0) policy.remove = remove;
  if (set.length > 0) policy.set = set;
  return Object.keys(policy).length > 0 ? policy : undefined;
}

/** MirrorURL, then MirrorURLSlave, then MirrorMultiAlternates by MirrorMultiAlternateNumber. */
function mirrorOrigins(redirect: Element): string[] {
  const main = redirect.text('MirrorURL');
  if (main === undefined) throw invalidArgument(`${redirect.path} needs a MirrorURL for a Mirror rule`);
  const origins = [mirrorUrl(main, `${redirect.path}/MirrorURL`)];
  const slave = redirect.text('MirrorURLSlave');
  // OSS documents the form of MirrorURL only; its backups are held to the same form (our inference).
  if (slave !== undefined) origins.push(mirrorUrl(slave, `${redirect.path}/MirrorURLSlave`));
  const alternates = redirect.child('MirrorMultiAlternates');
  if (alternates === undefined) return origins;
  alternates.allow(['MirrorMultiAlternate']);
  const numbered = alternates.all('MirrorMultiAlternate').map((node, index) => {
    const alternate = Element.of(node, `${alternates.path}/MirrorMultiAlternate[${index + 1}]`);
    alternate.allow(['MirrorMultiAlternateNumber', 'MirrorMultiAlternateURL'], ALTERNATE_ROUTES);
    const number = integerOf(
      alternate.requiredText('MirrorMultiAlternateNumber'),
      `${alternate.path}/MirrorMultiAlternateNumber`,
    );
    const url = mirrorUrl(
      alternate.requiredText('MirrorMultiAlternateURL'),
      `${alternate.path}/MirrorMultiAlternateURL`,
    );
    return { number, url };
  });
  const numbers = numbered.map(({ number }) => number);
  if (new Set(numbers).size !== numbers.length) {
    throw invalidArgument(`${alternates.path}: each MirrorMultiAlternateNumber may be used once`);
  }
  return [...origins, ...numbered.sort((a, b) => a.number - b.number).map(({ url }) => url)];
}

function externalOrigin(redirect: Element): string {
  const protocol = redirect.text('Protocol');
  const hostName = redirect.text('HostName');
  if (protocol === undefined) {
    throw notModelled(
      `${redirect.path}/Protocol`,
      'External redirects that keep the protocol of the request',
    );
  }
  if (hostName === undefined) {
    throw notModelled(`${redirect.path}/HostName`, 'External redirects to the host of the request');
  }
  if (protocol !== 'http' && protocol !== 'https') {
    throw invalidArgument(`${redirect.path}/Protocol must be http or https, got '${protocol}'`);
  }
  if (!HOST_NAME.test(hostName)) {
    throw invalidArgument(
      `${redirect.path}/HostName '${hostName}' must be a domain name, optionally with a port`,
    );
  }
  return `${protocol}://${hostName}/`;
}

function parseKeyRewrite(redirect: Element): KeyRewrite | undefined {
  // An empty ReplaceKeyWith is no replacement: OSS refuses only a non-empty one beside
  // EnableReplacePrefix [oss-go2][oss-php2]. An empty or absent ReplaceKeyPrefixWith strips the prefix.
  const replaceKeyWith = redirect.text('ReplaceKeyWith') || undefined;
  const replacePrefixWith = redirect.text('ReplaceKeyPrefixWith');
  const enablePrefix = redirect.bool('EnableReplacePrefix') === true;
  if (replaceKeyWith !== undefined && (enablePrefix || replacePrefixWith)) {
    throw invalidArgument(
      `${redirect.path}: ReplaceKeyWith and a prefix replacement (ReplaceKeyPrefixWith, EnableReplacePrefix) are exclusive; keep one`,
    );
  }
  if (enablePrefix) return { replacePrefixWith: replacePrefixWith ?? '' };
  if (replacePrefixWith) {
    // Without EnableReplacePrefix OSS's pages disagree on what the prefix does for a rule [oss-put][oss-go2].
    throw notModelled(
      `${redirect.path}/ReplaceKeyPrefixWith`,
      'a prefix replacement without EnableReplacePrefix',
      'set EnableReplacePrefix to true to replace the prefix, or remove ReplaceKeyPrefixWith',
    );
  }
  return replaceKeyWith === undefined ? undefined : { replaceKeyWith };
}

export function parseRule(rule: Element): { number: number; rule: MirrorRuleDocument } {
  rule.allow(['RuleNumber', 'Condition', 'Redirect'], RULE_ONLY);
  const number = integerOf(rule.requiredText('RuleNumber'), `${rule.path}/RuleNumber`);
  if (number < 1) throw invalidArgument(`${rule.path}/RuleNumber must be a positive integer, got ${number}`);
  const conditionElement = Element.of(rule.required('Condition'), `${rule.path}/Condition`);
  const redirect = Element.of(rule.required('Redirect'), `${rule.path}/Redirect`);
  const redirectType = redirect.requiredText('RedirectType').trim();
  if (Object.hasOwn(REDIRECT_TYPES_NOT_MODELLED, redirectType)) {
    throw notModelled(
      `${redirect.path}/RedirectType ${redirectType}`,
      REDIRECT_TYPES_NOT_MODELLED[redirectType] ?? redirectType,
    );
  }
  if (redirectType !== 'Mirror' && redirectType !== 'External') {
    throw invalidArgument(
      `${redirect.path}/RedirectType must be Mirror, External or AliCDN, got '${redirectType}'`,
    );
  }
  const mirror = redirectType === 'Mirror';
  redirect.allow([...REDIRECT_COMMON, ...(mirror ? MIRROR_ONLY : EXTERNAL_ONLY)], {
    ...REDIRECT_EXTRAS,
    ...(mirror ? refusedOnType(EXTERNAL_ONLY, 'External') : refusedOnType(MIRROR_ONLY, 'Mirror')),
  });
  const condition = parseCondition(conditionElement, redirectType);
  const origins = mirror ? mirrorOrigins(redirect) : [externalOrigin(redirect)];
  const redirectCode = redirect.integer('HttpRedirectCode');
  if (redirectCode !== undefined && !REDIRECT_CODES.includes(redirectCode)) {
    throw invalidArgument(`${redirect.path}/HttpRedirectCode must be 301, 302 or 307, got ${redirectCode}`);
  }
  const keyRewrite = parseKeyRewrite(redirect);
  const mirrorHeaders = redirect.child('MirrorHeaders');
  const headers = mirrorHeaders && parseHeaders(mirrorHeaders);
  // MirrorPassQueryString wins over PassQueryString on Mirror rules [oss-put].
  const passQueryString =
    (mirror ? redirect.bool('MirrorPassQueryString') : undefined) ?? redirect.bool('PassQueryString');
  const switchAllErrors = redirect.bool('MirrorSwitchAllErrors');

  // Only what differs from the neutral defaults, so a document reads back the same however it was written.
  const neutral: MirrorRuleDocument = { id: `rule-${number}`, origins };
  if (Object.keys(condition).length > 0) neutral.condition = condition;
  if (!mirror) neutral.mode = 'redirect';
  if (keyRewrite !== undefined) neutral.keyRewrite = keyRewrite;
  if (passQueryString === true) neutral.passQueryString = true;
  if (redirect.bool('MirrorFollowRedirect') === false) neutral.followRedirects = false;
  if (headers !== undefined) neutral.headers = headers;
  // MirrorProxyPass: proxy only, store nothing [oss-php2][oss-tf].
  if (redirect.bool('MirrorProxyPass') === true) neutral.writeBack = false;
  if (redirect.bool('MirrorCheckMd5') === true) neutral.checkMd5 = true;
  if (redirect.bool('MirrorAllowHeadObject') === true) neutral.triggerOnHead = true;
  // true: any status but 200, 206, 3xx and 404 switches origin; false: only 5xx or a timeout [oss-php2].
  if (switchAllErrors !== undefined) neutral.failoverOn = switchAllErrors ? ['4XX', '5XX'] : ['5XX'];
  if (redirectCode !== undefined && redirectCode !== 302) neutral.redirectStatus = redirectCode as 301 | 307;
  return { number, rule: neutral };
}
