// Object keys that stress addressing: unicode, spaces, `+`, `%`, `#`, `?`, dot segments, deep paths and
// keys of the full 1024 UTF-8 bytes.

import fc from 'fast-check';

const MAX_KEY_BYTES = 1024;
const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8');

const awkward = fc.constantFrom(
  ' ',
  '+',
  '%',
  '#',
  '?',
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
  '~',
  '%20',
  '%2F',
  '\\',
);
const plain = fc.stringMatching(/^[a-z0-9._-]{1,12}$/);
const unicode = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 });

const segment = fc.oneof(
  { weight: 4, arbitrary: plain },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.oneof(plain, awkward, unicode), { minLength: 1, maxLength: 4 })
      .map((parts) => parts.join('')),
  },
  { weight: 1, arbitrary: fc.constantFrom('..', '.', '') },
);

/** Trims a key to at most 1024 UTF-8 bytes without splitting a code point. */
export function fitKey(key: string): string {
  let out = key;
  while (utf8Length(out) > MAX_KEY_BYTES) out = Array.from(out).slice(0, -1).join('');
  return out;
}

const deep = fc.array(segment, { minLength: 1, maxLength: 12 }).map((segments) => segments.join('/'));
const longest = fc
  .tuple(plain, fc.constantFrom('a', 'é', '字', '😀'))
  .map(([start, filler]) => fitKey(`${start}/${filler.repeat(MAX_KEY_BYTES)}`));

/** Any valid key: non-empty, at most 1024 bytes of UTF-8. */
export const keyArb: fc.Arbitrary<string> = fc
  .oneof({ weight: 8, arbitrary: deep }, { weight: 1, arbitrary: longest })
  .map(fitKey)
  .filter((key) => key.length > 0);
