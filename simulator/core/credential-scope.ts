// Where a rule's credentials may go. A rule's set headers (an origin's API key, a Host it expects) and a
// cookie it passes by name are meant for the origins the rule names. The Fetch standard drops
// credentials when a redirect leaves the origin [fetch-spec]; so does the simulator, for redirects and
// for pre-push URL entries on hosts the rule does not name (proposed: no vendor documents it).

import type { MirrorRule } from '../../spec/rules.ts';

/** Whether `origin` (scheme://host[:port]) is one of the rule's own origins. */
function isRuleOrigin(rule: MirrorRule, origin: string): boolean {
  return rule.origins.some((base) => URL.canParse(base) && new URL(base).origin === origin);
}

/**
 * The headers a request to `origin` carries: all of them on the rule's own origins; elsewhere none of
 * the rule's set headers and no cookie. Headers the client sent and the rule passes are the client's to
 * share, and stay.
 */
export function headersFor(
  rule: MirrorRule,
  origin: string,
  headers: Readonly<Record<string, string>>,
): Record<string, string> {
  if (isRuleOrigin(rule, origin)) return { ...headers };
  const credentials = new Set(['cookie', ...(rule.headers?.set ?? []).map(({ name }) => name.toLowerCase())]);
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !credentials.has(name)));
}
