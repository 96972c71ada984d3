import type { MirrorRule } from './mirror-config.ts';

/**
 * The rule a miss on `key` uses: the first in order whose whole condition holds. Whether its origin later
 * delivers does not matter; later rules are never tried [oss-put][oss-guide].
 */
export function matchRule(rules: readonly MirrorRule[], key: string): MirrorRule | undefined {
  return rules.find((rule) => {
    const prefix = rule.condition?.keyPrefix ?? '';
    const suffix = rule.condition?.keySuffix ?? '';
    return key.startsWith(prefix) && key.endsWith(suffix);
  });
}
