// Where a miss is fetched from: the origin base with its path kept, one slash, then the key encoded per
// RFC 3986 segment by segment (OSS: "the object key is appended, and a path in the base is kept" [oss-put];
// "source URLs have to follow RFC 3986" [oss-guide-ja]).

import type { MirrorRule } from '../../spec/rules.ts';
import { vendorHeaderPrefixes, vendorPresignedParameters } from '../../spec/vendors/index.ts';
import { queryPairs } from './raw-target.ts';

interface OriginTarget {
  /** scheme://host[:port] */
  origin: string;
  /** The request target: an encoded path, and the query when one is passed. Never normalised. */
  path: string;
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const encoder = new TextEncoder();

/**
 * Percent-encodes one path segment: everything but RFC 3986 unreserved characters. The dot segments `.`
 * and `..` are written %2E and %2E%2E, but that is no defence: RFC 3986 makes `%2E` equal to `.`
 * (section 2.3), and origins (nginx, Python's http.server) and browsers remove dot segments after decoding
 * (section 5.2.4) [rfc-3986]. A key that would climb out of the base path is refused before this
 * (climbsOutOfBase); one whose dot segments stay inside it is sent so.
 */
export function encodeSegment(segment: string): string {
  if (segment === '.') return '%2E';
  if (segment === '..') return '%2E%2E';
  let out = '';
  for (const char of segment) {
    if (UNRESERVED.test(char)) {
      out += char;
      continue;
    }
    for (const byte of encoder.encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Whether a key, appended to a base path, would leave that base path once its dot segments are removed
 * (RFC 3986 section 5.2.4) [rfc-3986]. The key is already decoded, so `%2E%2E`, `..%2F` and `.%2E/` in the
 * request target are `..` here. An empty segment is a segment: `a//../..` stays at the base.
 */
export function climbsOutOfBase(originKey: string): boolean {
  let depth = 0;
  for (const segment of originKey.split('/')) {
    if (segment === '.') continue;
    depth += segment === '..' ? -1 : 1;
    if (depth < 0) return true;
  }
  return false;
}

export function encodeKeyPath(key: string): string {
  return key.split('/').map(encodeSegment).join('/');
}

/** The key as the origin knows it, after the rule's rewrite. The stored key never changes. */
export function rewriteKey(rule: MirrorRule, key: string): string {
  const rewrite = rule.keyRewrite;
  if (rewrite === undefined) return key;
  if ('replaceKeyWith' in rewrite) return rewrite.replaceKeyWith.replaceAll('${key}', key);
  const prefix = rule.condition?.keyPrefix ?? '';
  return rewrite.replacePrefixWith + key.slice(prefix.length);
}

/** Presigned-URL parameters of AWS Signature Version 2 (V4's are X-Amz-*), then every vendor's. */
const SIGNATURE_PARAMETERS = new Set([
  'signature',
  'awsaccesskeyid',
  'expires',
  ...vendorPresignedParameters(),
]);

/**
 * Query parameters under S3's and every vendor's own header prefixes (from the records): V4-style
 * presigned URLs carry their signature, credential and token so (OSS V4 [oss-presign]), and the rest are
 * the bucket's own switches (OSS image processing).
 */
const SIGNATURE_PREFIXES = ['x-amz-', ...vendorHeaderPrefixes()];

/**
 * The client's raw query string as the origin should see it: verbatim, minus signature parameters
 * (X-Amz-*, AWS V2's Signature, AWSAccessKeyId and Expires, each vendor's presigned-URL parameters from
 * its record, and anything under a vendor's header prefixes), which are the bucket's credentials, not the
 * origin's (proposed: no vendor documents it).
 */
export function originQuery(rawQuery: string): string {
  // A malformed escape is passed as it is: the origin decides what it means.
  return queryPairs(rawQuery, { plusIsSpace: true })
    .filter(({ name }) => {
      const lower = name.toLowerCase();
      return (
        !SIGNATURE_PREFIXES.some((prefix) => lower.startsWith(prefix)) && !SIGNATURE_PARAMETERS.has(lower)
      );
    })
    .map(({ raw }) => raw)
    .join('&');
}

export function originTarget(base: string, originKey: string, query = ''): OriginTarget {
  const url = new URL(base);
  const basePath = url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
  const path = `${basePath}/${encodeKeyPath(originKey)}`;
  return { origin: url.origin, path: query === '' ? path : `${path}?${query}` };
}

/** The origin URL of a key under a rule, as a string (for a Location header). */
export function originUrlOf(rule: MirrorRule, key: string, rawQuery: string, originIndex = 0): string {
  const base = rule.origins[originIndex] ?? rule.origins[0] ?? '';
  const query = rule.passQueryString ? originQuery(rawQuery) : '';
  const target = originTarget(base, rewriteKey(rule, key), query);
  return target.origin + target.path;
}
