// The render side of the OBS dialect: neutral rules to a native document, refusing what OBS cannot
// express. The header of dialect.ts gives the sources.
import { type NativeExtras, NotExpressible } from '../../dialects/dialect.ts';
import type { HeaderPolicyDocument, MirrorConfigurationDocument, MirrorRuleDocument } from '../../model.ts';
import { ruleCall } from '../vendor.ts';
import {
  characters,
  MAX_PREFIX_LENGTH,
  MAX_RULES,
  type ObsRule,
  prefixConflict,
  type RuleExtras,
  readExtras,
} from './parse.ts';
import { obs } from './vendor.ts';

export function renderDocument(
  configuration: MirrorConfigurationDocument,
  extras: NativeExtras | undefined,
): string {
  const { rules } = configuration;
  if (rules.length === 0) {
    throw new NotExpressible(
      'obs',
      'rules',
      `OBS takes 1 to 10 rules; no rules is ${ruleCall('DELETE', obs.ruleApi.address)}`,
    );
  }
  if (rules.length > MAX_RULES) {
    throw new NotExpressible('obs', 'rules', `OBS takes at most ${MAX_RULES} rules, got ${rules.length}`);
  }
  rules.forEach(checkExpressible);
  const conflict = prefixConflict(rules.map((rule) => rule.condition?.keyPrefix));
  if (conflict) {
    const [earlier, later] = conflict;
    throw new NotExpressible(
      'obs',
      `rules/${later}/condition/keyPrefix`,
      `it is equal to, or starts or extends, the prefix of rule ${earlier}; OBS refuses such rules [obs-api] ` +
        '(no prefix is the empty one)',
    );
  }
  const extrasOf = readExtras(extras);
  return JSON.stringify({ rules: rules.map((rule) => renderRule(rule, extrasOf(rule.id))) });
}

/** Throws NotExpressible for the first thing the rule says that an OBS rule cannot. */
function checkExpressible(rule: MirrorRuleDocument, index: number): void {
  const refuse = (field: string, why: string) => new NotExpressible('obs', `rules/${index}/${field}`, why);
  const { condition } = rule;
  if (rule.mode !== undefined && rule.mode !== 'mirror') {
    throw refuse(
      'mode',
      'an OBS back-to-source rule always fetches, answers and stores (mode mirror) [obs-guide]',
    );
  }
  // An empty suffix or an empty header list matches every key, so it says nothing OBS cannot.
  if (condition?.keySuffix !== undefined && condition.keySuffix !== '') {
    throw refuse('condition/keySuffix', 'an OBS rule matches a key prefix only (objectKeyPrefixEquals)');
  }
  if (condition?.headers !== undefined && condition.headers.length > 0) {
    throw refuse('condition/headers', 'an OBS rule matches on the 404 and the key prefix only');
  }
  if (condition?.keyPrefix !== undefined && characters(condition.keyPrefix) > MAX_PREFIX_LENGTH) {
    throw refuse('condition/keyPrefix', `OBS allows at most ${MAX_PREFIX_LENGTH} characters [obs-zhishi]`);
  }
  if (rule.writeBack === false)
    throw refuse('writeBack', 'OBS always stores what a rule fetches [obs-guide]');
  if (rule.checkMd5 === true) throw refuse('checkMd5', 'OBS has no MD5 check for fetched objects');
  if (rule.acl !== undefined && rule.acl !== 'private') {
    throw refuse('acl', 'OBS has no setting for the ACL of fetched objects');
  }
  if (rule.redirectStatus !== undefined && rule.redirectStatus !== 302) {
    throw refuse(
      'redirectStatus',
      'OBS has no setting for the status of a redirect; it answers 302 [obs-guide]',
    );
  }
}

function renderRule(rule: MirrorRuleDocument, kept: RuleExtras): ObsRule {
  const masters = Math.min(Math.max(kept.masters ?? 1, 1), rule.origins.length);
  const slave = rule.origins.slice(masters);
  const condition: ObsRule['condition'] = { httpErrorCodeReturnedEquals: 404 };
  if (rule.condition?.keyPrefix !== undefined) condition.objectKeyPrefixEquals = rule.condition.keyPrefix;
  const redirect: Partial<ObsRule['redirect']> = {};
  // Without an agency a real OBS bucket refuses the rule [obs-api-zh]; pass one in the extras.
  if (kept.agency !== undefined) redirect.agency = kept.agency;
  redirect.publicSource = {
    sourceEndpoint: { master: rule.origins.slice(0, masters), ...(slave.length > 0 ? { slave } : {}) },
  };
  if (rule.failoverOn !== undefined) redirect.retryConditions = [...rule.failoverOn];
  redirect.passQueryString = rule.passQueryString ?? false;
  redirect.mirrorFollowRedirect = rule.followRedirects ?? true;
  if (kept.redirectWithoutReferer !== undefined)
    redirect.redirectWithoutReferer = kept.redirectWithoutReferer;
  const headers = renderHeaderPolicy(rule.headers);
  if (headers !== undefined) redirect.mirrorHttpHeader = headers;
  if (rule.keyRewrite !== undefined) {
    if ('replaceKeyWith' in rule.keyRewrite) redirect.replaceKeyWith = rule.keyRewrite.replaceKeyWith;
    else redirect.replaceKeyPrefixWith = rule.keyRewrite.replacePrefixWith;
  }
  if (rule.triggerOnHead === true) redirect.mirrorAllowHttpMethod = ['HEAD'];
  return { id: rule.id, condition, redirect: redirect as ObsRule['redirect'] };
}

/** Only what differs from the neutral defaults, so a policy with or without defaults renders the same. */
function renderHeaderPolicy(
  policy: HeaderPolicyDocument | undefined,
): ObsRule['redirect']['mirrorHttpHeader'] {
  if (policy === undefined) return undefined;
  const header: NonNullable<ObsRule['redirect']['mirrorHttpHeader']> = {};
  if (policy.passAll === true) header.passAll = true;
  if (policy.pass !== undefined && policy.pass.length > 0) header.pass = [...policy.pass];
  if (policy.remove !== undefined && policy.remove.length > 0) header.remove = [...policy.remove];
  if (policy.set !== undefined && policy.set.length > 0) {
    header.set = policy.set.map(({ name, value }) => ({ key: name, value }));
  }
  return Object.keys(header).length > 0 ? header : undefined;
}

/** XML 1.0 cannot carry control characters or lone surrogates even escaped: they become U+FFFD. */
export function xmlText(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
