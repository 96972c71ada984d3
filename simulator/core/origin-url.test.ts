import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vendorFor, vendorIds } from '../../spec/vendors/index.ts';
import { climbsOutOfBase, encodeKeyPath, encodeSegment, originQuery, originTarget } from './origin-url.ts';

describe('origin URL building', () => {
  it('keeps the base path and puts exactly one slash before the key', () => {
    expect(originTarget('http://o.example/dir1/', 'a/b.jpg')).toEqual({
      origin: 'http://o.example',
      path: '/dir1/a/b.jpg',
    });
    expect(originTarget('http://o.example/dir1', 'a/b.jpg').path).toBe('/dir1/a/b.jpg');
    expect(originTarget('http://o.example', 'a').path).toBe('/a');
    expect(originTarget('https://o.example:8443/', 'a').origin).toBe('https://o.example:8443');
  });

  it('percent-encodes everything but RFC 3986 unreserved characters, segment by segment', () => {
    expect(encodeKeyPath('a b/c+d/%/#?/é')).toBe('a%20b/c%2Bd/%25/%23%3F/%C3%A9');
    expect(encodeSegment('~._-Az09')).toBe('~._-Az09');
  });

  it('tells a key that climbs out of the base path after dot-segment removal from one that stays inside', () => {
    for (const key of ['../secret.txt', '../', '..', 'a/../../secret', './../x', 'a//../../../x']) {
      expect(climbsOutOfBase(key), key).toBe(true);
    }
    for (const key of ['a/../b', 'a/./b', './a', 'a//..', '..a/b', 'a/..b', '%2E%2E/x', '...']) {
      expect(climbsOutOfBase(key), key).toBe(false);
    }
  });

  it('writes dot segments as escapes', () => {
    expect(encodeKeyPath('../../etc/passwd')).toBe('%2E%2E/%2E%2E/etc/passwd');
    expect(encodeKeyPath('a/./b')).toBe('a/%2E/b');
    expect(encodeKeyPath('a//b')).toBe('a//b');
  });

  it('decoding each encoded segment gives the key back', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (key) => {
        const decoded = encodeKeyPath(key).split('/').map(decodeURIComponent).join('/');
        expect(decoded).toBe(key);
      }),
    );
  });

  it('drops X-Amz-* parameters from the query and keeps the rest verbatim', () => {
    expect(originQuery('a=1&X-Amz-Signature=abc&b=%20x+y&x-amz-date=1')).toBe('a=1&b=%20x+y');
    expect(originQuery('X%2DAmz%2DCredential=k&c')).toBe('c');
    expect(originQuery('')).toBe('');
  });
});

describe("each vendor's presigned-URL parameters", () => {
  it.each(
    vendorIds,
  )('%s: its presigned parameters never reach an origin, in any case, and the rest stay', (id) => {
    const names = vendorFor(id).presignedParameters;
    const query = [...names.map((name, n) => `${n % 2 === 0 ? name : name.toUpperCase()}=v`), 'a=1'].join(
      '&',
    );
    expect(originQuery(query)).toBe('a=1');
  });

  it.each(
    vendorIds,
  )('%s: query parameters under its header prefixes (V4 presigned signatures, tokens) never reach an origin', (id) => {
    const names = vendorFor(id).headerPrefixes.flatMap((prefix) =>
      ['signature', 'credential', 'security-token'].map((name) => `${prefix}${name}`),
    );
    expect(originQuery([...names.map((name) => `${name}=v`), 'a=1'].join('&'))).toBe('a=1');
  });
});
