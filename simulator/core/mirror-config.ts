// The neutral mirror configuration after validation: the spec's document with every default filled in.
// Schema checks (shape, types, lengths, patterns) come from spec/mirror.openapi.yaml; this file holds the
// checks a schema cannot state, and the defaults.

import type { MirrorConfiguration as MirrorConfigurationDocument } from '../../spec/model.ts';
import { ipLiteral } from './address-policy.ts';
import { isNeverForwarded } from './header-policy.ts';

export type MirrorMode = 'mirror' | 'redirect-async' | 'redirect';
export type Acl = 'private' | 'public-read' | 'public-read-write';

export interface HeaderPolicy {
  passAll: boolean;
  pass: string[];
  remove: string[];
  set: { name: string; value: string }[];
}

export interface MirrorRule {
  id: string;
  condition?: { keyPrefix?: string; keySuffix?: string };
  mode: MirrorMode;
  origins: string[];
  keyRewrite?: { replacePrefixWith: string } | { replaceKeyWith: string };
  passQueryString: boolean;
  followRedirects: boolean;
  headers: HeaderPolicy;
  writeBack: boolean;
  checkMd5: boolean;
  acl: Acl;
}

export interface MirrorConfiguration {
  rules: MirrorRule[];
}

export interface ConfigProblem {
  /** JSON pointer-like path of the offending value, e.g. `rules/2/origins/0`. */
  path: string;
  message: string;
}

/** Checks a schema-valid document for what the schema cannot say. Returns every problem found. */
export function configProblems(
  document: MirrorConfigurationDocument,
  limits: { maxRules: number; addressPolicy?: (address: string) => string | undefined },
): ConfigProblem[] {
  const { maxRules } = limits;
  const problems: ConfigProblem[] = [];
  if (document.rules.length > maxRules) {
    problems.push({
      path: 'rules',
      message: `at most ${maxRules} rules are allowed, got ${document.rules.length}`,
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
      const problem = originUrlProblem(origin) ?? privateOriginProblem(origin, limits.addressPolicy);
      if (problem) problems.push({ path: `${at}/origins/${originIndex}`, message: problem });
    });
    (rule.headers?.set ?? []).forEach((header, headerIndex) => {
      // Cookie reaches an origin only when passed by name, so setting it is refused with the others.
      if (isNeverForwarded(header.name) || header.name.toLowerCase() === 'cookie') {
        problems.push({
          path: `${at}/headers/set/${headerIndex}/name`,
          message: `'${header.name}' can never be sent to an origin, so it cannot be set`,
        });
      }
    });
  });
  return problems;
}

/** Why an origin base URL is unusable, or undefined. */
export function originUrlProblem(origin: string): string | undefined {
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
  return undefined;
}

/** Why an origin named by a literal internal address is refused (names are checked when fetching). */
function privateOriginProblem(
  origin: string,
  policy: ((address: string) => string | undefined) | undefined,
): string | undefined {
  const literal = ipLiteral(new URL(origin).hostname);
  const reason = literal === undefined || policy === undefined ? undefined : policy(literal);
  return reason
    ? `'${origin}' is refused: ${reason}; start the simulator with --allow-private-origins to allow it`
    : undefined;
}

/** Fills in every default, so the rest of the simulator never has to know them. */
export function normaliseConfig(document: MirrorConfigurationDocument): MirrorConfiguration {
  return {
    rules: document.rules.map((rule) => {
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
      };
      if (rule.condition !== undefined) normalised.condition = { ...rule.condition };
      if (rule.keyRewrite !== undefined) normalised.keyRewrite = { ...rule.keyRewrite };
      return normalised;
    }),
  };
}
