import { describe, expect, it } from 'vitest';
import { keptOriginHeaders, parseRange } from './object-headers.ts';

describe('byte ranges', () => {
  it.each([
    ['bytes=0-4', 10, { start: 0, end: 4 }],
    ['bytes=5-', 10, { start: 5, end: 9 }],
    ['bytes=-3', 10, { start: 7, end: 9 }],
    ['bytes=8-100', 10, { start: 8, end: 9 }],
    ['bytes=10-', 10, 'unsatisfiable'],
    ['bytes=-0', 10, 'unsatisfiable'],
    ['bytes=4-2', 10, undefined],
    ['items=0-1', 10, undefined],
    ['bytes=0-1,3-4', 10, undefined],
  ])('%s of %i bytes is %j', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
});

describe('origin headers an object keeps', () => {
  const origin = {
    'content-type': 'image/png',
    'cache-control': 'max-age=60',
    'content-language': 'en',
    'x-cos-meta-owner': 'Ann',
    'x-amz-meta-owner': 'Bob',
    server: 'origin/1.0',
  };

  it('keeps exactly the listed headers and nothing else by default [jd-guide]', () => {
    const switches = { storedHeaders: ['content-type', 'cache-control'], storedMetaPrefixes: [] };
    expect(keptOriginHeaders(origin, switches)).toEqual({
      contentType: 'image/png',
      cacheControl: 'max-age=60',
    });
  });

  it('keeps headers under a metadata prefix, and listed extras, by their own names [cos-guide-zh]', () => {
    const switches = {
      storedHeaders: ['content-type', 'content-language'],
      storedMetaPrefixes: ['x-cos-meta-'],
    };
    expect(keptOriginHeaders(origin, switches)).toEqual({
      contentType: 'image/png',
      originHeaders: { 'content-language': 'en', 'x-cos-meta-owner': 'Ann' },
    });
  });
});
