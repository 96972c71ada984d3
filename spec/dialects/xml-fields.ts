// What the XML dialects (OSS RoutingRules, COS OriginConfiguration) share, beside json-fields.ts for the
// JSON ones: which characters XML 1.0 can carry at all, how a refused character is named in a message,
// and the parser settings that keep a vendor document as it was written.

import type { X2jOptions } from 'fast-xml-parser';

/**
 * XML 1.0's Char production (https://www.w3.org/TR/xml/#charsets): tab, LF, CR, U+0020 to U+D7FF,
 * U+E000 to U+FFFD and the supplementary planes. No lone surrogate, no U+FFFE or U+FFFF, no other
 * control character, not even escaped.
 */
export function isXmlChar(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    codePoint >= 0x10000
  );
}

/** The first character of `text` XML 1.0 cannot carry, if any. */
export function nonXmlChar(text: string): string | undefined {
  for (const char of text) {
    if (!isXmlChar(char.codePointAt(0) ?? 0)) return char;
  }
  return undefined;
}

/** A character as messages name it: `U+0001`. */
export function describeChar(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * fast-xml-parser settings for reading a vendor document as a tree: every element as an array, so a
 * repeated singleton is seen; text verbatim (a key prefix may start or end with spaces, `0012` is no
 * number); attributes, the declaration and processing instructions ignored. A dialect adds how it
 * decodes entities.
 */
export const XML_TREE_OPTIONS = {
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: false,
  isArray: () => true,
} as const satisfies X2jOptions;
