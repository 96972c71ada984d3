// A key as the glossary's origin URL spells it (RFC 3986), written apart from the simulator's own
// encoder so the origin request laws judge it rather than repeat it.

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * One key segment as the glossary's origin URL has it (RFC 3986): unreserved characters as they are
 * (section 2.3), every other UTF-8 byte as %XX (section 2.1), and the dot segments `.` and `..` as
 * %2E and %2E%2E. Those are still dot segments to a resolver (sections 2.3, 5.2.4) [rfc-3986], so keys
 * that would climb out of the base path never reach the origin at all (origin.url-hostile-keys).
 */
export function encodedSegment(segment: string): string {
  if (segment === '.') return '%2E';
  if (segment === '..') return '%2E%2E';
  let out = '';
  for (const char of segment) {
    if (UNRESERVED.test(char)) out += char;
    else
      for (const byte of Buffer.from(char, 'utf8'))
        out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The raw path with its escapes' hex digits upper-cased: RFC 3986 section 2.1 makes `%2b` and `%2B` one. */
export const upperEscapes = (raw: string) => raw.replace(/%[0-9A-Fa-f]{2}/g, (octet) => octet.toUpperCase());
