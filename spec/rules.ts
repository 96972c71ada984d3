// The neutral mirror rules after validation: the spec's document (spec/model.ts, `*Document`, as written
// or sent, defaults not filled in) made into rules with every default of spec/mirror.openapi.yaml filled
// in, and the checks a schema cannot state. Shape, types, lengths and patterns are the schema's
// (spec/validate-configuration.ts); what a store refuses for reasons of its own (internal addresses, its
// own buckets as origins) its caller adds through `limits`.

import type {
  KeyRewrite,
  MirrorCondition,
  MirrorConfigurationDocument,
  MirrorRuleDocument,
} from './model.ts';
import type { Profile } from './profiles.ts';

type MirrorMode = NonNullable<MirrorRuleDocument['mode']>;
export type Acl = NonNullable<MirrorRuleDocument['acl']>;

/** Which client headers reach the origin, every list present (empty when the document left it out). */
export interface HeaderPolicy {
  passAll: boolean;
  pass: string[];
  remove: string[];
  set: { name: string; value: string }[];
}

/**
 * A rule with every default filled in. The condition and the key rewrite have no defaults, so they keep
 * the document's types.
 */
export interface MirrorRule {
  id: string;
  condition?: MirrorCondition;
  mode: MirrorMode;
  origins: string[];
  keyRewrite?: KeyRewrite;
  passQueryString: boolean;
  followRedirects: boolean;
  headers: HeaderPolicy;
  writeBack: boolean;
  checkMd5: boolean;
  acl: Acl;
  /** A HEAD on a missing key fetches through this rule, on profiles whose HEAD trigger is opt-in [oss-php2][obs-api-zh]. */
  triggerOnHead: boolean;
  /** Origin answers that move on to the next origin (`4XX`, `5XX`, exact codes); absent, the profile's policy. */
  failoverOn?: string[];
  /** The status of a `redirect` or `redirect-async` answer. */
  redirectStatus: 301 | 302 | 307;
}

export interface MirrorConfiguration {
  rules: MirrorRule[];
}

export interface ConfigProblem {
  /** JSON pointer-like path of the offending value, e.g. `rules/2/origins/0`. */
  path: string;
  message: string;
}

interface ConfigLimits {
  maxRules: number;
  /** The profile's prefix and https switches; absent, the neutral ones (anything goes). */
  profile?: Pick<Profile, 'id' | 'switches'>;
  /** Headers a rule may not set: those that never reach an origin (the store's credentials, say). */
  neverSet: (name: string) => boolean;
  /** Why the store refuses a well-formed origin URL (an internal address, say), or undefined. */
  originProblem?: (origin: string) => string | undefined;
}

/** Checks a schema-valid document for what the schema cannot say. Returns every problem found. */
export function configProblems(document: MirrorConfigurationDocument, limits: ConfigLimits): ConfigProblem[] {
  const { maxRules } = limits;
  const problems: ConfigProblem[] = [];
  if (document.rules.length > maxRules) {
    problems.push({
      path: 'rules',
      message: `at most ${maxRules} rules are allowed${limits.profile ? ` under the ${limits.profile.id} profile` : ''}, got ${document.rules.length}`,
    });
  }
  const seen = new Map<string, number>();
  document.rules.forEach((rule, index) => {
    const at = `rules/${index}`;
    const first = seen.get(rule.id);
    if (first !== undefined) {
      problems.push({ path: `${at}/id`, message: `rule id '${rule.id}' is already used by rules/${first}` });
    } else {
      seen.set(rule.id, index);
    }
    rule.origins.forEach((origin, originIndex) => {
      const problem = originUrlProblem(origin) ?? limits.originProblem?.(origin);
      if (problem) problems.push({ path: `${at}/origins/${originIndex}`, message: problem });
    });
    (rule.headers?.set ?? []).forEach((header, headerIndex) => {
      // Cookie reaches an origin only when passed by name, so setting it is refused with the others.
      if (limits.neverSet(header.name) || header.name.toLowerCase() === 'cookie') {
        problems.push({
          path: `${at}/headers/set/${headerIndex}/name`,
          message: `'${header.name}' can never be sent to an origin, so it cannot be set`,
        });
      }
    });
  });
  document.rules.forEach((rule, index) => {
    for (const item of rule.failoverOn ?? []) {
      const classItem = `${item[0]}XX`;
      if (item !== classItem && rule.failoverOn?.includes(classItem)) {
        problems.push({
          path: `rules/${index}/failoverOn`,
          message: `'${item}' is already covered by '${classItem}'; list the class or its codes, not both`,
        });
      }
    }
  });
  problems.push(...prefixProblems(document, limits.profile));
  problems.push(...httpsProblems(document, limits.profile));
  return problems;
}

/**
 * Prefix conditions the profile forbids: equal prefixes where each rule needs its own (US3, "unique and
 * non-repeatable prefixes", seed 002), equal or nested ones where prefixes may not contain one another
 * (OBS [obs-api][obs-zhishi]). A rule without a prefix has the empty prefix, which contains every other.
 */
function prefixProblems(
  document: MirrorConfigurationDocument,
  profile: Pick<Profile, 'id' | 'switches'> | undefined,
): ConfigProblem[] {
  const policy = profile?.switches.prefixRules ?? 'any';
  if (policy === 'any') return [];
  const problems: ConfigProblem[] = [];
  const prefixes = document.rules.map((rule) => rule.condition?.keyPrefix ?? '');
  document.rules.forEach((rule, index) => {
    const prefix = prefixes[index] ?? '';
    for (let earlier = 0; earlier < index; earlier++) {
      const other = prefixes[earlier] ?? '';
      const otherId = document.rules[earlier]?.id ?? '';
      const equal = prefix === other;
      if (!equal && (policy === 'unique' || !(prefix.startsWith(other) || other.startsWith(prefix))))
        continue;
      const relation = equal
        ? `has the same keyPrefix '${prefix}' as`
        : `has the keyPrefix '${prefix}', which ${prefix.startsWith(other) ? 'is inside' : 'contains'} the keyPrefix '${other}' of`;
      const why = equal
        ? 'each rule needs a prefix of its own'
        : 'prefixes of different rules may not contain one another';
      problems.push({
        path: `rules/${index}/condition/keyPrefix`,
        message: `rule '${rule.id}' ${relation} rule '${otherId}' (rules/${earlier}); under the ${profile?.id} profile ${why}`,
      });
    }
  });
  return problems;
}

/** https:// origins on a profile that takes only http ones (US3: "the source domain name does not support HTTPS access", seed 002). */
function httpsProblems(
  document: MirrorConfigurationDocument,
  profile: Pick<Profile, 'id' | 'switches'> | undefined,
): ConfigProblem[] {
  if (profile?.switches.httpsOrigins !== 'refused') return [];
  return document.rules.flatMap((rule, index) =>
    rule.origins.flatMap((origin, originIndex) =>
      /^https:/i.test(origin)
        ? [
            {
              path: `rules/${index}/origins/${originIndex}`,
              message: `'${origin}' is an https origin; the ${profile.id} profile takes only http:// origins`,
            },
          ]
        : [],
    ),
  );
}

/** Why an origin base URL is unusable, or undefined. */
function originUrlProblem(origin: string): string | undefined {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return `'${origin}' is not an absolute URL; write it as http://host[:port][/path]`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `'${origin}' must start with http:// or https://`;
  }
  if (url.username !== '' || url.password !== '') return `'${origin}' may not carry a user name or password`;
  if (url.search !== '' || origin.includes('?')) return `'${origin}' may not carry a query string`;
  if (url.hash !== '' || origin.includes('#')) return `'${origin}' may not carry a fragment`;
  if (url.hostname === '') return `'${origin}' has no host`;
  // KS3's limits on the parts of an origin URL [ks3-go-test]; no vendor allows more.
  if (url.hostname.length > MAX_ORIGIN_HOST) {
    return `the host of '${origin}' has ${url.hostname.length} characters; at most ${MAX_ORIGIN_HOST} are allowed`;
  }
  if (url.pathname.length > MAX_ORIGIN_PATH) {
    return `the path of '${origin}' has ${url.pathname.length} characters; at most ${MAX_ORIGIN_PATH} are allowed`;
  }
  return undefined;
}

const MAX_ORIGIN_HOST = 256;
const MAX_ORIGIN_PATH = 1024;

/** Fills in every default, so code after validation never has to know them. */
export function normaliseConfig(document: MirrorConfigurationDocument): MirrorConfiguration {
  return { rules: document.rules.map(normaliseRule) };
}

/** One rule with every default filled in: the one place the defaults are written down outside the spec. */
export function normaliseRule(rule: MirrorRuleDocument): MirrorRule {
  const normalised: MirrorRule = {
    id: rule.id,
    mode: rule.mode ?? 'mirror',
    origins: [...rule.origins],
    passQueryString: rule.passQueryString ?? false,
    followRedirects: rule.followRedirects ?? true,
    headers: {
      passAll: rule.headers?.passAll ?? false,
      pass: [...(rule.headers?.pass ?? [])],
      remove: [...(rule.headers?.remove ?? [])],
      set: (rule.headers?.set ?? []).map(({ name, value }) => ({ name, value })),
    },
    writeBack: rule.writeBack ?? true,
    checkMd5: rule.checkMd5 ?? false,
    acl: rule.acl ?? 'private',
    triggerOnHead: rule.triggerOnHead ?? false,
    redirectStatus: rule.redirectStatus ?? 302,
  };
  if (rule.condition !== undefined) {
    const { headers, ...keys } = rule.condition;
    normalised.condition =
      headers === undefined ? keys : { ...keys, headers: headers.map((header) => ({ ...header })) };
  }
  if (rule.keyRewrite !== undefined) normalised.keyRewrite = { ...rule.keyRewrite };
  if (rule.failoverOn !== undefined) normalised.failoverOn = [...rule.failoverOn];
  return normalised;
}
