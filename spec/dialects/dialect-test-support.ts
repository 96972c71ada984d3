// What the tests of every vendor dialect share: the neutral normal form rules are compared in, the
// refusals a dialect throws, a body read, rendered and read again, the vendor's fixtures and the checks
// every set of invalid fixtures gets, and the spec's origin URL of a key, written out here apart from the
// encoder the dialects use so that it checks them.

import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { MirrorConfigurationDocument, MirrorRuleDocument } from '../model.ts';
import { type MirrorRule, normaliseRule } from '../rules.ts';
import { validateAgainstSpec } from '../validate-configuration.ts';
import { type Dialect, DialectError, type NativeDocument, NotExpressible } from './dialect.ts';

/**
 * A neutral rule with every default of spec/mirror.openapi.yaml filled in, and a condition that tests
 * nothing dropped: an empty header list requires no header, and an empty condition matches every key.
 */
export function withDefaults(rule: MirrorRuleDocument): MirrorRule {
  const normal: MirrorRule = normaliseRule(rule);
  const condition = { ...normal.condition };
  if (condition.headers?.length === 0) delete condition.headers;
  if (Object.values(condition).some((value) => value !== undefined)) normal.condition = condition;
  else delete normal.condition;
  return normal;
}

/** What `action` throws, when it is a `kind`; fails when it throws nothing or anything else. */
function thrown<E extends Error>(
  kind: abstract new (...args: never[]) => E,
  action: () => unknown,
  accepted: string,
): E {
  try {
    action();
  } catch (error) {
    if (error instanceof kind) return error;
    throw error;
  }
  throw new Error(accepted);
}

/** The DialectError `parse` refuses the body with. */
export function refusal(dialect: Dialect, body: string): DialectError {
  return thrown(
    DialectError,
    () => dialect.parse(body),
    `${dialect.id} parse accepted ${body.slice(0, 400)}`,
  );
}

/** The NotExpressible `render` refuses the configuration with. */
export function notExpressible(dialect: Dialect, configuration: MirrorConfigurationDocument): NotExpressible {
  return thrown(
    NotExpressible,
    () => dialect.render(configuration),
    `${dialect.id} render accepted ${JSON.stringify(configuration)}`,
  );
}

/**
 * A native body read, its neutral configuration checked against the spec, rendered with its extras and
 * the rendering read again: what each step gave, for the translation laws to compare.
 */
export function readBack(
  dialect: Dialect,
  body: string,
): { first: NativeDocument; rendered: string; second: NativeDocument } {
  const first = dialect.parse(body);
  validateAgainstSpec(first.configuration);
  const rendered = dialect.render(first.configuration, first.extras);
  return { first, rendered, second: dialect.parse(rendered) };
}

/** What the vendor answers to an invalid fixture, as `invalid.json` lists it. */
interface InvalidFixture {
  status: number;
  code: string;
  reason: string;
}

/** A vendor's documents in `spec/vendors/<vendor>/fixtures/`: `valid-*`, `invalid-*` and their `invalid.json`. */
interface DialectFixtures {
  read(name: string): string;
  /** The `valid-*` documents, by name. */
  valid: string[];
  /** The `invalid-*` documents, by name. */
  invalid: string[];
  /** `invalid.json`: the answer to each invalid document. */
  expected: Record<string, InvalidFixture>;
}

export function dialectFixtures(vendor: string): DialectFixtures {
  const folder = new URL(`../vendors/${vendor}/fixtures/`, import.meta.url);
  const read = (name: string) => readFileSync(new URL(name, folder), 'utf8');
  const names = readdirSync(folder).sort();
  return {
    read,
    valid: names.filter((name) => name.startsWith('valid-')),
    invalid: names.filter((name) => name.startsWith('invalid-')),
    expected: JSON.parse(read('invalid.json')) as Record<string, InvalidFixture>,
  };
}

/** `invalid.json` lists every invalid document and nothing else, and `parse` refuses each as it says. */
export function itRefusesTheInvalidFixtures(dialect: Dialect, fixtures: DialectFixtures): void {
  it('lists every invalid document in invalid.json, and nothing else', () => {
    expect(Object.keys(fixtures.expected).sort()).toEqual(fixtures.invalid);
  });

  for (const [name, { status, code }] of Object.entries(fixtures.expected)) {
    it(`${name} is refused with ${status} ${code}`, () => {
      const error = refusal(dialect, fixtures.read(name));
      expect({ status: error.status, code: error.code }).toEqual({ status, code });
    });
  }
}

/** A document the neutral checks refuse is answered with this status and code, and the checks' message. */
export function expectAnswerToInvalid(dialect: Dialect, status: number, code: string): void {
  const message = 'rules/0/origins/0: not an absolute URL';
  const error = dialect.errors.invalid(message);
  expect([error.status, error.code, error.message]).toEqual([status, code, message]);
}

/**
 * The spec's origin URL of a key under the rule's `index`th origin: the base with its path kept, one '/',
 * then the rewritten key with every byte outside RFC 3986's unreserved characters as an upper-case %XX,
 * segment by segment, and a '.' or '..' segment escaped.
 */
export function originUrlOfKey(rule: MirrorRuleDocument, key: string, index = 0): string {
  const url = new URL(rule.origins[index] ?? '');
  const base = url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
  const rewrite = rule.keyRewrite;
  let rewritten = key;
  if (rewrite !== undefined && 'replaceKeyWith' in rewrite)
    rewritten = rewrite.replaceKeyWith.replaceAll('${key}', key);
  if (rewrite !== undefined && 'replacePrefixWith' in rewrite)
    rewritten = rewrite.replacePrefixWith + key.slice((rule.condition?.keyPrefix ?? '').length);
  const encoder = new TextEncoder();
  const encoded = rewritten
    .split('/')
    .map((segment) => {
      if (segment === '.' || segment === '..') return segment.replaceAll('.', '%2E');
      return [...segment]
        .map((char) =>
          /^[A-Za-z0-9\-._~]$/.test(char)
            ? char
            : [...encoder.encode(char)]
                .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
                .join(''),
        )
        .join('');
    })
    .join('/');
  return `${url.origin}${base}/${encoded}`;
}
