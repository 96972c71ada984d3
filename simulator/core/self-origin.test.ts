import { describe, expect, it } from 'vitest';
import { originCycle, selfOriginBucket } from './self-origin.ts';

const self = { host: '127.0.0.1:9000', virtualHostDomains: ['localhost'] };

describe('selfOriginBucket', () => {
  it('names the bucket of a path-style origin on the same host and port', () => {
    expect(selfOriginBucket('http://127.0.0.1:9000/photos/', self)).toBe('photos');
    expect(selfOriginBucket('http://127.0.0.1:9000/photos/img', self)).toBe('photos');
  });

  it('counts every loopback name as the same host', () => {
    expect(selfOriginBucket('http://localhost:9000/photos', self)).toBe('photos');
    expect(selfOriginBucket('http://127.0.0.2:9000/photos', self)).toBe('photos');
  });

  it('names the bucket of a virtual-hosted origin under a known domain or the host itself', () => {
    expect(selfOriginBucket('http://photos.localhost:9000/', self)).toBe('photos');
    const named = { host: 's3.example.test:9000', virtualHostDomains: [] };
    expect(selfOriginBucket('http://photos.s3.example.test:9000/', named)).toBe('photos');
  });

  it('leaves other servers, other ports and paths that name no bucket alone', () => {
    expect(selfOriginBucket('http://127.0.0.1:9001/photos/', self)).toBeUndefined();
    expect(selfOriginBucket('http://example.test:9000/photos/', self)).toBeUndefined();
    expect(selfOriginBucket('http://127.0.0.1:9000/', self)).toBeUndefined();
    expect(selfOriginBucket('http://127.0.0.1:9000/_mirrorspec/x', self)).toBeUndefined();
    expect(selfOriginBucket('https://127.0.0.1/photos', { ...self, host: '127.0.0.1' })).toBeUndefined();
  });

  it('fills in the default port of the origin scheme', () => {
    expect(selfOriginBucket('http://example.test/photos', { ...self, host: 'example.test' })).toBe('photos');
    const secure = { ...self, host: 'example.test', protocol: 'https:' };
    expect(selfOriginBucket('https://example.test/photos', secure)).toBe('photos');
    expect(selfOriginBucket('http://example.test/photos', secure)).toBeUndefined();
  });
});

describe('originCycle', () => {
  const configured: Record<string, string[]> = {
    a: ['http://127.0.0.1:9000/bbb/'],
    bbb: ['http://127.0.0.1:9000/ccc/'],
    ccc: ['http://origin.test/'],
  };
  const originsOf = (bucket: string) => configured[bucket] ?? [];

  it('finds a ring back to the bucket being configured', () => {
    expect(originCycle('ccc', 'a', originsOf, self)).toEqual(['a', 'bbb', 'ccc']);
  });

  it('finds none for a one-way chain', () => {
    expect(originCycle('zzz', 'a', originsOf, self)).toBeUndefined();
  });
});
