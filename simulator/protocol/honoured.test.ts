import { describe, expect, it } from 'vitest';
import { S3Error } from '../errors/s3-error.ts';
import { refuseUnhonoured } from './honoured.ts';

const put = { name: 'PutObject', bucket: 'b', key: 'k' } as const;
const get = { name: 'GetObject', bucket: 'b', key: 'k', rawQuery: '' } as const;

function refusal(run: () => void): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof S3Error) return `${error.code}: ${error.message}`;
    throw error;
  }
  return undefined;
}

describe('refuseUnhonoured', () => {
  it('refuses an x-amz-* header the operation does not honour with 501 naming it', () => {
    const headers = new Headers({ 'x-amz-tagging': 'a=b' });
    expect(refusal(() => refuseUnhonoured(put, headers, new URLSearchParams()))).toMatch(
      /^NotImplemented: the x-amz-tagging header/,
    );
  });

  it('takes metadata, signature headers and honoured values, and refuses other values', () => {
    const fine = new Headers({ 'x-amz-meta-a': '1', 'x-amz-date': 'now', 'x-amz-storage-class': 'STANDARD' });
    expect(refusal(() => refuseUnhonoured(put, fine, new URLSearchParams()))).toBeUndefined();
    const glacier = new Headers({ 'x-amz-storage-class': 'GLACIER' });
    expect(refusal(() => refuseUnhonoured(put, glacier, new URLSearchParams()))).toContain(
      'x-amz-storage-class',
    );
  });

  it('refuses S3 parameters a GET does not honour, and leaves other query names for the origin', () => {
    const none = new Headers();
    expect(refusal(() => refuseUnhonoured(get, none, new URLSearchParams('versionId=3')))).toContain(
      "'versionId'",
    );
    expect(
      refusal(() => refuseUnhonoured(get, none, new URLSearchParams('w=100&x-id=GetObject'))),
    ).toBeUndefined();
  });
});
