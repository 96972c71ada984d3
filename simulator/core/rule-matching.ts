import type { MirrorRule } from '../../spec/rules.ts';

/**
 * The rule a miss on `key` uses: the first in order whose whole condition holds. Whether its origin later
 * delivers does not matter; later rules are never tried [oss-put][oss-guide]. `requestHeaders` answers
 * a header's value by lower-case name (a Headers object does); without it, no header condition holds.
 */
export function matchRule(
  rules: readonly MirrorRule[],
  key: string,
  requestHeaders?: { get(name: string): string | null },
): MirrorRule | undefined {
  return rules.find((rule) => {
    const prefix = rule.condition?.keyPrefix ?? '';
    const suffix = rule.condition?.keySuffix ?? '';
    const headers = rule.condition?.headers ?? [];
    return (
      key.startsWith(prefix) &&
      key.endsWith(suffix) &&
      headers.every(({ name, equals }) => requestHeaders?.get(name.toLowerCase()) === equals)
    );
  });
}
