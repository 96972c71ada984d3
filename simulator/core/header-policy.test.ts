import { describe, expect, it } from 'vitest';
import { vendorFor, vendorIds } from '../../spec/vendors/index.ts';
import { isNeverSet, originRequestHeaders } from './header-policy.ts';

const client: [string, string][] = [
  ['x-trace', 't'],
  ['x-other', 'o'],
  ['cookie', 'session=1'],
  ['authorization', 'AWS4 secret'],
  ['x-amz-date', '20260101'],
  ['x-oss-meta', 'm'],
  ['range', 'bytes=0-1'],
  ['host', 'bucket.localhost'],
];
const policy = (change: object) => ({ passAll: false, pass: [], remove: [], set: [], ...change });

describe('origin request headers', () => {
  it('sends no client header by default', () => {
    expect(originRequestHeaders(undefined, client)).toEqual({});
  });

  it('passes listed headers only, and never credentials, framing, the Host or vendor headers', () => {
    expect(originRequestHeaders(policy({ pass: ['X-Trace', 'authorization', 'host'] }), client)).toEqual({
      'x-trace': 't',
    });
  });

  it('passes all but the never-forwarded headers and Cookie under pass-all', () => {
    expect(originRequestHeaders(policy({ passAll: true }), client)).toEqual({
      'x-trace': 't',
      'x-other': 'o',
    });
  });

  it('passes Cookie only when named', () => {
    expect(originRequestHeaders(policy({ passAll: true, pass: ['cookie'] }), client).cookie).toBe(
      'session=1',
    );
  });

  it('removes before passing, and a set header wins over everything', () => {
    const headers = originRequestHeaders(
      policy({ passAll: true, remove: ['x-other', 'x-trace'], set: [{ name: 'X-Trace', value: 'fixed' }] }),
      client,
    );
    expect(headers).toEqual({ 'x-trace': 'fixed' });
  });
});

describe("each vendor's own headers", () => {
  it.each(
    vendorIds,
  )('%s: headers under its prefixes and its security token never reach an origin, even under pass-all', (id) => {
    const vendor = vendorFor(id);
    const names = [
      ...vendor.headerPrefixes.map((prefix) => `${prefix.toUpperCase()}Signature-Part`),
      ...(vendor.securityTokenHeader ? [vendor.securityTokenHeader] : []),
    ];
    const headers: [string, string][] = names.map((name) => [name, 'the bucket credential']);
    const passed = policy({ passAll: true, pass: names });
    expect(originRequestHeaders(passed, [...headers, ['x-trace', 't']])).toEqual({ 'x-trace': 't' });
  });

  it('may be set by a rule where the vendor allows it (COS), and not where it refuses (OSS)', () => {
    expect(isNeverSet('x-cos-ContentType')).toBe(false);
    expect(isNeverSet('x-oss-meta-a')).toBe(true);
    expect(isNeverSet('x-amz-date')).toBe(true);
    expect(originRequestHeaders(policy({ set: [{ name: 'x-cos-ContentType', value: 'csv' }] }), [])).toEqual({
      'x-cos-contenttype': 'csv',
    });
  });
});
