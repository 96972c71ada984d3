import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queryPairs, splitBucketPath, splitTarget } from './raw-target.ts';

describe('the raw request target', () => {
  it('splits at the first ? and keeps both parts as sent, dot segments and escapes included', () => {
    expect(splitTarget('/b/../k%2F?a=1?b')).toEqual({ path: '/b/../k%2F', query: 'a=1?b' });
    expect(splitTarget('/b/k')).toEqual({ path: '/b/k', query: '' });
    expect(splitTarget('/b/k?')).toEqual({ path: '/b/k', query: '' });
  });

  it('takes the first path segment as the bucket and keeps the rest of the path as the key', () => {
    expect(splitBucketPath('/b/dir/k')).toEqual({ bucket: 'b', key: 'dir/k' });
    expect(splitBucketPath('/b%20x/')).toEqual({ bucket: 'b%20x', key: '' });
    expect(splitBucketPath('/b')).toEqual({ bucket: 'b', key: '' });
    expect(splitBucketPath('/')).toEqual({ bucket: '', key: '' });
  });

  it('decodes names and values, keeping a malformed escape and an absent value as they are', () => {
    expect(queryPairs('a%20b=c%2Fd&flag&bad=%E0%A4%A&=v')).toEqual([
      { raw: 'a%20b=c%2Fd', name: 'a b', value: 'c/d' },
      { raw: 'flag', name: 'flag', value: '' },
      { raw: 'bad=%E0%A4%A', name: 'bad', value: '%E0%A4%A' },
      { raw: '=v', name: '', value: 'v' },
    ]);
  });

  it('reads + as a plus, or as a space when asked', () => {
    expect(queryPairs('a+b=c+d')[0]).toMatchObject({ name: 'a+b', value: 'c+d' });
    expect(queryPairs('a+b=c+d', { plusIsSpace: true })[0]).toMatchObject({ name: 'a b', value: 'c d' });
  });

  it('has no parts in an empty query, and its raw parts joined by & are the query again', () => {
    expect(queryPairs('')).toEqual([]);
    expect(queryPairs('a&&b&').map(({ raw }) => raw)).toEqual(['a', '', 'b', '']);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '=', '&', '%', '+', '2', '0', 'é') }), (query) => {
        expect(
          queryPairs(query)
            .map(({ raw }) => raw)
            .join('&'),
        ).toBe(query);
      }),
    );
  });
});
