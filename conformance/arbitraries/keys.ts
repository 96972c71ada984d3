// Object keys. The default, `keyArb`, is ordinary: lower-case letters, digits and `-_.` in a few
// segments, shrinking toward `a`, so a law about origins, headers or races fails for its own reason and
// not because the target cannot store an odd name. Keys that stress addressing (dot segments, empty
// segments, `%`, `+`, `#`, `?`, spaces, unicode, the full 1024 UTF-8 bytes) are `hostileKeyArb`, used
// only by the laws whose point they are (s3.hostile-keys, origin.url-hostile-keys), so a store that
// cannot hold `.` fails those and nothing else (issue 10, point 3).

import fc from 'fast-check';

const MAX_KEY_BYTES = 1024;
const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8');

/** Trims a key to at most 1024 UTF-8 bytes without splitting a code point. */
export function fitKey(key: string): string {
  let out = key;
  while (utf8Length(out) > MAX_KEY_BYTES) out = Array.from(out).slice(0, -1).join('');
  return out;
}

// `a` first: constantFrom shrinks toward its first value, so a shrunk key reads `a`, not `0` or `.`.
const LETTERS = 'abcdefghijklmnopqrstuvwxyz0123456789';
const firstChar = fc.constantFrom(...LETTERS);
const laterChar = fc.constantFrom(...LETTERS, '-', '_', '.');

/**
 * One ordinary segment: starts with a letter or digit (never `.`, so never a dot segment or a hidden
 * file), then RFC 3986 unreserved characters but `~`. Every store and file system holds it as it is.
 */
const ordinarySegment = fc
  .tuple(firstChar, fc.array(laterChar, { maxLength: 11 }))
  .map(([first, rest]) => first + rest.join(''));

/** An ordinary key: one to four ordinary segments. Its origin URL path is the key itself. */
export const keyArb: fc.Arbitrary<string> = fc
  .array(ordinarySegment, { minLength: 1, maxLength: 4 })
  .map((segments) => segments.join('/'));

/**
 * Characters with a meaning in URLs, paths or file systems: RFC 3986 gen-delims and sub-delims, and
 * those AWS lists as needing special handling or best avoided
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html), plus escapes that must not
 * be decoded twice.
 */
const awkwardChar = fc.oneof(
  { withCrossShrink: true },
  // The ones that break stores most often: each drawn often enough to be met in a few runs.
  { weight: 3, arbitrary: fc.constantFrom('+', '%', ' ', '#', '?') },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '&',
      '=',
      ';',
      '@',
      ':',
      '!',
      '*',
      "'",
      '(',
      ')',
      '$',
      ',',
      '[',
      ']',
      '~',
      '"',
      '<',
      '>',
      '^',
      '`',
      '{',
      '}',
      '|',
      '\\',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('%20', '%2F', '%2B', '%25') },
);
const awkward = fc.array(awkwardChar, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(''));
/** Non-ASCII text: accented, CJK, astral, invisible and combining characters, and graphemes beyond. */
const unicode = fc.oneof(
  fc.constantFrom('é', '字', '😀', '\u00a0', '\u200b', 'e\u0301', '\uff0f'),
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 4 })
    .filter((text) => Array.from(text).some((char) => (char.codePointAt(0) ?? 0) > 0x7f)),
);
const dotSegment = fc.constantFrom('.', '..', '');

/** A segment with at least one awkward or non-ASCII character among ordinary ones. */
const hostileSegment = fc
  .tuple(
    fc.option(ordinarySegment, { nil: '' }),
    fc.oneof({ withCrossShrink: true }, { weight: 3, arbitrary: awkward }, { weight: 1, arbitrary: unicode }),
    fc.option(ordinarySegment, { nil: '' }),
  )
  .map(([before, odd, after]) => before + odd + after);

/**
 * A path of ordinary segments with at least one hostile one (a dot segment, an empty segment, or a
 * segment with awkward or non-ASCII characters) somewhere.
 */
const hostilePath = fc
  .tuple(
    fc.array(ordinarySegment, { maxLength: 3 }),
    // Cross-shrinking lets a counterexample found with a dot segment shrink to a plain `+` where that fails too.
    fc.oneof(
      { withCrossShrink: true },
      { weight: 3, arbitrary: hostileSegment },
      { weight: 1, arbitrary: dotSegment },
    ),
    fc.array(fc.oneof(ordinarySegment, hostileSegment, dotSegment), { maxLength: 3 }),
  )
  .map(([before, odd, after]) => [...before, odd, ...after].join('/'));

/** Keys of exactly (or, for multi-byte fillers, just under) 1024 UTF-8 bytes. */
const longest = fc
  .tuple(ordinarySegment, fc.constantFrom('a', 'é', '字', '😀'))
  .map(([start, filler]) => fitKey(`${start}/${filler.repeat(MAX_KEY_BYTES)}`));

/**
 * Valid keys (non-empty, at most 1024 bytes of UTF-8) that stress addressing: dot and empty segments,
 * reserved and awkward characters, unicode, and the longest keys S3 allows (object-keys page above).
 */
export const hostileKeyArb: fc.Arbitrary<string> = fc
  .oneof({ weight: 8, arbitrary: hostilePath }, { weight: 1, arbitrary: longest })
  .map(fitKey)
  .filter((key) => key.length > 0);
