// What an object keeps of the request that wrote it (a PUT, or an origin's answer), and the headers it is
// served with. Pure: shared by the operations, the miss pipeline and pre-push, none of which it imports.

import type { Profile } from '../../spec/profiles.ts';
import type { Acl } from '../../spec/rules.ts';

interface ObjectHeaders {
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  cacheControl?: string;
  expires?: string;
}

export interface ObjectMeta extends ObjectHeaders {
  size: number;
  /** Quoted MD5 of the content, as S3 gives it for single-part objects. */
  etag: string;
  lastModified: Date;
  userMetadata: Record<string, string>;
  /**
   * Further origin headers a vendor profile keeps, by lower-case name, returned as they came: listed
   * ones beyond the five above, and those under a metadata prefix (COS keeps its own meta headers [cos-guide-zh]).
   */
  originHeaders?: Record<string, string>;
  acl: Acl;
  /**
   * The checksum the upload carried or asked for, base64 (`-N` for a multipart object's checksum of part
   * checksums), returned with `x-amz-checksum-mode: ENABLED`.
   */
  checksum?: { algorithm: string; value: string; type: 'COMPOSITE' | 'FULL_OBJECT' };
}

export type NewObjectMeta = Omit<ObjectMeta, 'size' | 'etag' | 'lastModified'>;

/** Headers an object keeps from the request that wrote it (a PUT, or an origin's answer). */
const STORED_HEADERS: [keyof ObjectHeaders, string][] = [
  ['contentType', 'content-type'],
  ['contentEncoding', 'content-encoding'],
  ['contentDisposition', 'content-disposition'],
  ['cacheControl', 'cache-control'],
  ['expires', 'expires'],
];

const FIELD_OF = new Map(STORED_HEADERS.map(([field, name]) => [name, field]));

type KeptSwitches = Pick<Profile['switches'], 'storedHeaders' | 'storedMetaPrefixes'>;

/** A profile's kept names, lower-cased once per profile rather than on every miss. */
const keptNames = new WeakMap<KeptSwitches, { listed: Set<string>; prefixes: string[] }>();

function keptNamesOf(switches: KeptSwitches): { listed: Set<string>; prefixes: string[] } {
  let names = keptNames.get(switches);
  if (names === undefined) {
    names = {
      listed: new Set(switches.storedHeaders.map((name) => name.toLowerCase())),
      prefixes: switches.storedMetaPrefixes.map((prefix) => prefix.toLowerCase()),
    };
    keptNames.set(switches, names);
  }
  return names;
}

export function storedHeadersFrom(get: (name: string) => string | null | undefined): ObjectHeaders {
  const out: ObjectHeaders = {};
  for (const [field, name] of STORED_HEADERS) {
    const value = get(name);
    if (value !== null && value !== undefined) out[field] = value;
  }
  return out;
}

/**
 * What an object keeps of an origin's answer, as the profile says: exactly the listed headers [jd-guide],
 * and every header under a listed metadata prefix, by its own name (COS: its own meta headers [cos-guide-zh]).
 */
export function keptOriginHeaders(
  headers: Record<string, string>,
  switches: KeptSwitches,
): Pick<NewObjectMeta, keyof ObjectHeaders | 'originHeaders'> {
  const { listed, prefixes } = keptNamesOf(switches);
  const kept: Pick<NewObjectMeta, keyof ObjectHeaders | 'originHeaders'> = {};
  const others: Record<string, string> = {};
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    const field = FIELD_OF.get(name);
    if (listed.has(name) && field !== undefined) kept[field] = value;
    else if (listed.has(name) || prefixes.some((prefix) => name.startsWith(prefix))) others[name] = value;
  }
  if (Object.keys(others).length > 0) kept.originHeaders = others;
  return kept;
}

/** The headers a stored object is served with. */
export function objectResponseHeaders(meta: ObjectMeta): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': meta.contentType ?? 'application/octet-stream',
    'content-length': String(meta.size),
    etag: meta.etag,
    'last-modified': meta.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
  };
  for (const [field, name] of STORED_HEADERS) {
    const value = meta[field];
    if (value !== undefined && name !== 'content-type') headers[name] = value;
  }
  for (const [name, value] of Object.entries(meta.userMetadata)) headers[`x-amz-meta-${name}`] = value;
  // Never over the headers computed above: the size, ETag and date are the stored object's own.
  for (const [name, value] of Object.entries(meta.originHeaders ?? {})) headers[name] ??= value;
  return headers;
}

/**
 * The headers of a miss's answer before anything is stored: the origin headers the object keeps, so the
 * first answer matches later ones, and the mirror marker.
 */
export function missResponseHeaders(meta: NewObjectMeta): Record<string, string> {
  const headers: Record<string, string> = { 'x-mirrorspec-mirror': 'miss' };
  for (const [field, name] of STORED_HEADERS) {
    const value = meta[field];
    if (value !== undefined) headers[name] = value;
  }
  for (const [name, value] of Object.entries(meta.originHeaders ?? {})) headers[name] ??= value;
  headers['content-type'] ??= 'application/octet-stream';
  return headers;
}

/** One byte range, or undefined to serve the whole object (a header we cannot use is ignored, per RFC). */
export function parseRange(
  header: string | null,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (header === null) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    return size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}
