// A request target as sent (RFC 9112 section 3.2: origin-form, `path[?query]`), taken apart without
// normalising it: WHATWG URL parsing would remove `..` segments from keys and re-encode characters, so
// whatever reads a key, a bucket or a query parameter splits the raw target here instead.

/** The encoded path and the query after the first `?` (empty when there is none), as sent. */
interface RawTarget {
  path: string;
  query: string;
}

export function splitTarget(target: string): RawTarget {
  const queryAt = target.indexOf('?');
  return queryAt === -1
    ? { path: target, query: '' }
    : { path: target.slice(0, queryAt), query: target.slice(queryAt + 1) };
}

/** The first segment of a path-style path and the rest, both still encoded: `/b/k/x` is `b` and `k/x`. */
export function splitBucketPath(path: string): { bucket: string; key: string } {
  const slash = path.indexOf('/', 1);
  return slash === -1
    ? { bucket: path.slice(1), key: '' }
    : { bucket: path.slice(1, slash), key: path.slice(slash + 1) };
}

/** One `name[=value]` part of a query: as sent, and its name and value decoded. */
interface QueryPair {
  raw: string;
  name: string;
  value: string;
}

/**
 * The `&`-separated parts of a raw query in order, each name and value percent-decoded; a malformed
 * escape is kept as sent, for the reader to judge. Empty parts (`a&&b`, a trailing `&`) are kept, so the
 * raw parts joined by `&` are the query again; a reader of parameters skips them. A `+` stays a plus
 * unless `plusIsSpace`: SigV4 clients send spaces as %20, while form encoding makes `+` a space.
 */
export function queryPairs(query: string, options: { plusIsSpace?: boolean } = {}): QueryPair[] {
  if (query === '') return [];
  const decode = (text: string) => decodeLoosely(options.plusIsSpace ? text.replaceAll('+', ' ') : text);
  return query.split('&').map((raw) => {
    const at = raw.indexOf('=');
    return {
      raw,
      name: decode(at === -1 ? raw : raw.slice(0, at)),
      value: at === -1 ? '' : decode(raw.slice(at + 1)),
    };
  });
}

function decodeLoosely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
