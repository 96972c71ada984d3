import { describe, expect, it } from 'vitest';
import { S3Error } from '../errors/s3-error.ts';
import { parseCopySource, requireCopySourceConditions } from './copy-source.ts';

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof S3Error ? error.code : 'not an S3Error';
  }
  return 'no error';
};

describe('parseCopySource', () => {
  it('reads bucket/key with or without a leading slash, URL-decoded', () => {
    expect(parseCopySource('/b/dir/a%20b%2Bc%3F.txt')).toEqual({ bucket: 'b', key: 'dir/a b+c?.txt' });
    expect(parseCopySource('b/k')).toEqual({ bucket: 'b', key: 'k' });
  });

  it('takes versionId=null, and refuses any other version with 501 since no versions are kept', () => {
    expect(parseCopySource('/b/k?versionId=null')).toEqual({ bucket: 'b', key: 'k' });
    expect(codeOf(() => parseCopySource('/b/k?versionId=3HL4kqtJlcpXroDTDmJ'))).toBe('NotImplemented');
  });

  it('refuses a source without a key, with bad encoding or with an unknown parameter as InvalidArgument', () => {
    for (const header of ['', '/b', 'b/', '/b/%E0%A4%A', '/b/k?part=1'])
      expect(
        codeOf(() => parseCopySource(header)),
        header,
      ).toBe('InvalidArgument');
  });
});

describe('requireCopySourceConditions', () => {
  const source = { etag: '"abc"', lastModified: new Date('2026-01-02T00:00:00Z') };
  const judge = (headers: Record<string, string>) =>
    codeOf(() => requireCopySourceConditions(new Headers(headers), source));

  it('lets a copy through when if-match holds even though if-unmodified-since fails', () => {
    const headers = {
      'x-amz-copy-source-if-match': 'abc',
      'x-amz-copy-source-if-unmodified-since': 'Thu, 01 Jan 2026 00:00:00 GMT',
    };
    expect(judge(headers)).toBe('no error');
  });

  it('refuses with PreconditionFailed when if-none-match fails even though if-modified-since holds', () => {
    const headers = {
      'x-amz-copy-source-if-none-match': '"abc"',
      'x-amz-copy-source-if-modified-since': 'Thu, 01 Jan 2026 00:00:00 GMT',
    };
    expect(judge(headers)).toBe('PreconditionFailed');
  });
});
