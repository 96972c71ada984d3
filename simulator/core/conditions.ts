// HTTP preconditions (RFC 9110 section 13) as S3 evaluates them on an object's ETag and Last-Modified.
// Pure: GET and HEAD, conditional PUTs and copy sources all judge through this one function.

/** The four preconditions, by their meaning; a copy source sends them as `x-amz-copy-source-if-*`. */
interface Preconditions {
  ifMatch?: string | null;
  ifNoneMatch?: string | null;
  ifModifiedSince?: string | null;
  ifUnmodifiedSince?: string | null;
}

/**
 * What the preconditions say of an object (undefined: it does not exist). The order is RFC 9110 section
 * 13.2.2, as S3 documents it [s3-getobject]: If-Match, and only without it If-Unmodified-Since, may fail
 * the request (412); then If-None-Match, and only without it If-Modified-Since, may answer 304. So an
 * If-Match that holds wins over an If-Unmodified-Since that fails, and an If-None-Match that fails wins
 * over an If-Modified-Since that holds. A date that cannot be parsed is ignored, as RFC 9110 says.
 */
export function evaluatePreconditions(
  conditions: Preconditions,
  object: { etag: string; lastModified: Date } | undefined,
): 'pass' | 'precondition-failed' | 'not-modified' {
  const { ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince } = conditions;
  if (isSet(ifMatch)) {
    if (object === undefined || !etagListMatches(ifMatch, object.etag)) return 'precondition-failed';
  } else if (isSet(ifUnmodifiedSince) && object !== undefined) {
    const since = httpDate(ifUnmodifiedSince);
    if (since !== undefined && seconds(object.lastModified) > since) return 'precondition-failed';
  }
  if (isSet(ifNoneMatch)) {
    if (object !== undefined && etagListMatches(ifNoneMatch, object.etag)) return 'not-modified';
  } else if (isSet(ifModifiedSince) && object !== undefined) {
    const since = httpDate(ifModifiedSince);
    if (since !== undefined && seconds(object.lastModified) <= since) return 'not-modified';
  }
  return 'pass';
}

function isSet(value: string | null | undefined): value is string {
  return value !== null && value !== undefined;
}

/** `*`, or a comma-separated list of entity tags, quoted or not (S3 takes both), weak or strong. */
function etagListMatches(list: string, etag: string): boolean {
  const own = unquote(etag);
  return list.split(',').some((item) => {
    const tag = item.trim();
    return tag === '*' || unquote(tag.replace(/^W\//, '')) === own;
  });
}

function unquote(tag: string): string {
  return tag.length >= 2 && tag.startsWith('"') && tag.endsWith('"') ? tag.slice(1, -1) : tag;
}

/** HTTP dates have whole seconds; so is Last-Modified as the client saw it. */
function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

function httpDate(value: string): number | undefined {
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : Math.floor(time / 1000);
}
