// Reading a JSON body field by field, as the KS3 and JD Cloud dialects do. Their SDKs send every unset field
// as `null` (KS3's Go SDK without omitempty and its Python SDK always, JD's generated Go models), so a
// field holding null is absent; a field of the wrong type is refused with the dialect's own 400.

import type { DialectError } from './dialect.ts';

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field as messages name it: `parent.name`, or `name` at the top of the body (path ''). */
export function fieldPath(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

/** The value of a field, null read as absent. */
export function presentField(object: JsonObject, name: string): unknown {
  const value = object[name];
  return value === null ? undefined : value;
}

interface FieldReaders {
  /** The value as an object; the body itself at path ''. */
  object(value: unknown, path: string): JsonObject;
  string(object: JsonObject, name: string, path: string): string | undefined;
  boolean(object: JsonObject, name: string, path: string): boolean | undefined;
  list(object: JsonObject, name: string, path: string): unknown[] | undefined;
}

/** Readers of typed fields, absent or null as undefined, that refuse any other type with `invalid`. */
export function fieldReaders(invalid: (message: string) => DialectError): FieldReaders {
  const typed =
    <T>(test: (value: unknown) => value is T, what: string) =>
    (object: JsonObject, name: string, path: string): T | undefined => {
      const value = presentField(object, name);
      if (value === undefined || test(value)) return value;
      throw invalid(`${fieldPath(path, name)} must be ${what}`);
    };
  return {
    object(value, path) {
      if (isJsonObject(value)) return value;
      throw invalid(`${path === '' ? 'the body' : path} must be a JSON object`);
    },
    string: typed((value): value is string => typeof value === 'string', 'a string'),
    boolean: typed((value): value is boolean => typeof value === 'boolean', 'true or false'),
    list: typed((value): value is unknown[] => Array.isArray(value), 'a JSON array'),
  };
}
