// `--only` and `--skip` name behaviours by id patterns: `*` stands for any run of characters, dots
// included, so `origin.*` is every origin behaviour and `*.redirect-*` every redirect one.

/** True when `id` matches `pattern` as a whole. */
export function matchesIdPattern(id: string, pattern: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(id);
}

/** The ids kept by `--only` (any pattern; none means all) and then `--skip` (every pattern). */
export function selectIds(
  ids: readonly string[],
  only: readonly string[],
  skip: readonly string[],
): string[] {
  return ids.filter(
    (id) =>
      (only.length === 0 || only.some((pattern) => matchesIdPattern(id, pattern))) &&
      !skip.some((pattern) => matchesIdPattern(id, pattern)),
  );
}
