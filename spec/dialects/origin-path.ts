// The neutral origin URL of a key (spec/mirror.openapi.yaml, MirrorRule) is the origin's base path as
// written, one '/', then the rewritten key percent-encoded segment by segment. A vendor whose origin is a
// host without a path (COS, JD Cloud) can say the base path only with the key: as a key prefix P whose
// encoding is the path, so that the origin URL of `P + key` under the bare host is that of `key` under the
// base path.

/** A key as it appears in an origin URL: RFC 3986 unreserved characters kept, the rest percent-encoded. */
function encodeKeyPath(key: string): string {
  const encoder = new TextEncoder();
  return key
    .split('/')
    .map((segment) => {
      if (segment === '.') return '%2E';
      if (segment === '..') return '%2E%2E';
      let out = '';
      for (const char of segment) {
        if (/^[A-Za-z0-9\-._~]$/.test(char)) out += char;
        else
          for (const byte of encoder.encode(char))
            out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      }
      return out;
    })
    .join('/');
}

/**
 * The base path of an origin from what follows its host, as a URL parser reads it (dot segments resolved,
 * characters a URL cannot hold such as spaces escaped, no escape decoded), without its final '/': '' when
 * the origin has no path.
 */
export function originBasePath(pathAfterHost: string): string {
  const { pathname } = new URL(`http://host${pathAfterHost}`);
  return pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
}

/** Why a base path has no key prefix: an escape that is not UTF-8, or a path that no key encodes to. */
type BasePathProblem = 'escape-not-utf-8' | 'not-a-key-encoding';

/**
 * The key prefix P that stands for a base path: the path decoded segment by segment, plus the '/' that
 * follows it; '' for the empty path. P exists only when encoding it gives the path back byte for byte, so
 * `refuse` is thrown for a path that holds '%2F' (a '/' inside a segment, which a key cannot spell), an
 * escape that is not UTF-8, an escape in lower case or of an unreserved character, or a character a key's
 * encoding escapes (such as '!', '+' or '@').
 */
export function basePathAsKeyPrefix(basePath: string, refuse: (problem: BasePathProblem) => Error): string {
  if (basePath === '') return '';
  const path = basePath.slice(1);
  let key: string;
  try {
    key = path.split('/').map(decodeURIComponent).join('/');
  } catch {
    throw refuse('escape-not-utf-8');
  }
  if (encodeKeyPath(key) !== path) throw refuse('not-a-key-encoding');
  return `${key}/`;
}
