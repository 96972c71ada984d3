import type { OriginScript } from './scriptable-origin.ts';

type RedirectStatus = NonNullable<OriginScript['redirect']>['status'];

const FIELDS = [
  'status',
  'headers',
  'body',
  'chunked',
  'contentLength',
  'contentMd5',
  'delayBeforeHeadersMs',
  'delayMidBodyMs',
  'resetAfterBytes',
  'redirect',
  'validators',
  'ranges',
  'gate',
  'gateMidBody',
] as const;
const REDIRECT_STATUSES: readonly number[] = [301, 302, 303, 307, 308];
// RFC 9110 token, and the header value characters node:http accepts; checked here so a bad script
// is refused when it is set, not when a request arrives and the response throws half-written.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_VALUE = /^[\t\u0020-\u007e\u0080-\u00ff]*$/;
// setTimeout silently turns longer delays into 1 ms.
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Checks a script (from code or from JSON sent to the control API) and returns a copy, so later
 * changes to the caller's object do not change what the origin sends.
 * Throws a TypeError whose message names the offending field.
 */
export function parseOriginScript(value: unknown): OriginScript {
  const input = record(value, 'script');
  for (const key of Object.keys(input)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      throw new TypeError(`script.${key} is not a script field; expected one of ${FIELDS.join(', ')}`);
    }
  }
  const script: OriginScript = {};
  if (input.status !== undefined) {
    // 1xx are interim responses, not answers; node:http refuses anything past 999.
    script.status = integer(input.status, 'script.status', 200, 999);
  }
  if (input.headers !== undefined) script.headers = headers(input.headers);
  if (input.body !== undefined) script.body = body(input.body);
  if (input.chunked !== undefined) script.chunked = boolean(input.chunked, 'script.chunked');
  if (input.contentLength !== undefined) {
    script.contentLength = integer(input.contentLength, 'script.contentLength', 0);
  }
  if (input.contentMd5 !== undefined) {
    if (input.contentMd5 !== 'right' && input.contentMd5 !== 'wrong') {
      throw new TypeError(`script.contentMd5 must be 'right' or 'wrong', got ${show(input.contentMd5)}`);
    }
    script.contentMd5 = input.contentMd5;
  }
  if (input.delayBeforeHeadersMs !== undefined) {
    script.delayBeforeHeadersMs = delay(input.delayBeforeHeadersMs, 'script.delayBeforeHeadersMs');
  }
  if (input.delayMidBodyMs !== undefined) {
    script.delayMidBodyMs = delay(input.delayMidBodyMs, 'script.delayMidBodyMs');
  }
  if (input.resetAfterBytes !== undefined) {
    script.resetAfterBytes = integer(input.resetAfterBytes, 'script.resetAfterBytes', 0);
  }
  if (input.redirect !== undefined) script.redirect = redirect(input.redirect);
  if (input.validators !== undefined) {
    if (input.validators !== 'fixed' && input.validators !== 'changing') {
      throw new TypeError(`script.validators must be 'fixed' or 'changing', got ${show(input.validators)}`);
    }
    script.validators = input.validators;
  }
  if (input.ranges !== undefined) script.ranges = boolean(input.ranges, 'script.ranges');
  if (input.gate !== undefined) {
    // JSON cannot carry a function: a gate sent to the control API is a mistake, not something to drop.
    if (typeof input.gate !== 'function') {
      throw new TypeError(
        `script.gate must be a function returning a promise; gates work only in the origin's own process, not through the control API, got ${show(input.gate)}`,
      );
    }
    script.gate = input.gate as () => Promise<void>;
  }
  if (input.gateMidBody !== undefined) {
    if (typeof input.gateMidBody !== 'function') {
      throw new TypeError(
        `script.gateMidBody must be a function returning a promise; gates work only in the origin's own process, not through the control API, got ${show(input.gateMidBody)}`,
      );
    }
    script.gateMidBody = input.gateMidBody as () => Promise<void>;
  }
  return script;
}

function headers(value: unknown): Record<string, string> {
  const input = record(value, 'script.headers');
  // fromEntries defines own properties, so a header named __proto__ stays a header.
  return Object.fromEntries(
    Object.entries(input).map(([name, headerValue]) => {
      if (!HEADER_NAME.test(name)) throw new TypeError(`script.headers: ${show(name)} is not a header name`);
      return [name, headerText(headerValue, `script.headers[${show(name)}]`)];
    }),
  );
}

function body(value: unknown): NonNullable<OriginScript['body']> {
  if (typeof value === 'string' || value instanceof Uint8Array) return value;
  const input = record(value, 'script.body', 'a string, bytes or { size, seed }');
  for (const key of Object.keys(input)) {
    if (key !== 'size' && key !== 'seed') {
      throw new TypeError(`script.body.${key} is not a body field; expected size and seed`);
    }
  }
  return {
    size: integer(input.size, 'script.body.size', 0),
    seed: integer(input.seed, 'script.body.seed', 0, 0xffff_ffff),
  };
}

function redirect(value: unknown): NonNullable<OriginScript['redirect']> {
  const input = record(value, 'script.redirect');
  for (const key of Object.keys(input)) {
    if (key !== 'location' && key !== 'status') {
      throw new TypeError(`script.redirect.${key} is not a redirect field; expected location and status`);
    }
  }
  const result: NonNullable<OriginScript['redirect']> = {
    location: headerText(input.location, 'script.redirect.location'),
  };
  if (input.status !== undefined) {
    if (typeof input.status !== 'number' || !REDIRECT_STATUSES.includes(input.status)) {
      throw new TypeError(
        `script.redirect.status must be one of ${REDIRECT_STATUSES.join(', ')}, got ${show(input.status)}`,
      );
    }
    result.status = input.status as RedirectStatus;
  }
  return result;
}

function record(value: unknown, field: string, expected = 'an object'): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    throw new TypeError(`${field} must be ${expected}, got ${show(value)}`);
  }
  return value as Record<string, unknown>;
}

function integer(value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new TypeError(`${field} must be an integer from ${min} to ${max}, got ${show(value)}`);
  }
  return value;
}

function delay(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_DELAY_MS) {
    throw new TypeError(
      `${field} must be a number of milliseconds from 0 to ${MAX_DELAY_MS}, got ${show(value)}`,
    );
  }
  return value;
}

function boolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${field} must be true or false, got ${show(value)}`);
  return value;
}

function headerText(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new TypeError(`${field} must be a string, got ${show(value)}`);
  if (!HEADER_VALUE.test(value)) {
    throw new TypeError(
      `${field} contains a character not allowed in a header value (CR, LF, NUL or non-Latin-1)`,
    );
  }
  return value;
}

function show(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (value === undefined || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value)?.slice(0, 60) ?? typeof value;
}
