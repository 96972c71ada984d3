// Known deviations as data: a target's expectations file lists the behaviours it is known to fail, each
// with the reason, so a CI gate can pass on them and flag the day one starts passing.

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ToolError } from '../../errors/tool-error.ts';

export interface Expectation {
  id: string;
  reason: string;
  /** Only on this profile; every profile when absent. */
  profile?: string;
}

/**
 * Reads `{ expectations: [{ id, reason, profile? }] }` from YAML or JSON (YAML reads both). Strict: an
 * unknown id, profile or field would otherwise leave a real failure unexcused, or excuse nothing.
 */
export function loadExpectations(
  file: string,
  known: { ids: ReadonlySet<string>; profiles: readonly string[] },
): Expectation[] {
  const fail = (message: string): never => {
    throw new ToolError('MS_EXPECTATIONS', `${file}: ${message}`);
  };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return fail(`cannot read it (${(error as Error).message})`);
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    return fail(`not YAML or JSON (${(error as Error).message.split('\n')[0]})`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return fail('expected a mapping with an `expectations` list');
  }
  for (const key of Object.keys(document)) {
    if (key !== 'expectations') fail(`unknown field '${key}' (only 'expectations')`);
  }
  const list = (document as { expectations?: unknown }).expectations;
  if (!Array.isArray(list)) return fail('`expectations` must be a list of { id, reason, profile? }');
  const seen = new Set<string>();
  return list.map((raw: unknown, index) => {
    const where = `expectations[${index}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      return fail(`${where} is not a mapping`);
    const entry = raw as Record<string, unknown>;
    for (const key of Object.keys(entry)) {
      if (!['id', 'reason', 'profile'].includes(key)) fail(`${where}: unknown field '${key}'`);
    }
    const { id, reason, profile } = entry;
    if (typeof id !== 'string') return fail(`${where}: missing 'id'`);
    if (!known.ids.has(id)) fail(`${where}: '${id}' is not a behaviour in spec/behaviours.yaml`);
    if (typeof reason !== 'string' || reason.trim() === '') {
      return fail(`${where} (${id}): give the 'reason' the target deviates`);
    }
    if (profile !== undefined && (typeof profile !== 'string' || !known.profiles.includes(profile))) {
      fail(
        `${where} (${id}): unknown profile '${String(profile)}' (use one of ${known.profiles.join(', ')})`,
      );
    }
    const key = `${id}@${(profile as string | undefined) ?? '*'}`;
    if (seen.has(key)) fail(`${where}: '${id}' is listed twice${profile ? ` for ${profile}` : ''}`);
    seen.add(key);
    return { id, reason: reason.trim(), ...(typeof profile === 'string' ? { profile } : {}) };
  });
}

/** The expectation that covers a behaviour on a profile: one for that profile first, else a general one. */
export function expectationFor(
  expectations: readonly Expectation[],
  id: string,
  profile: string,
): Expectation | undefined {
  return (
    expectations.find((e) => e.id === id && e.profile === profile) ??
    expectations.find((e) => e.id === id && e.profile === undefined)
  );
}
