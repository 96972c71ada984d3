import { describe, expect, it } from 'vitest';
import { BucketOwners, bucketAccessDenial, Keyring, parseCredentialsFile } from './users.ts';

describe('parseCredentialsFile', () => {
  it('reads one user per section of an AWS shared credentials file, in file order', () => {
    const text = [
      '# two users',
      '[default]',
      'aws_access_key_id = main',
      'aws_secret_access_key=main-secret',
      'region = us-east-1',
      '',
      '[alt]',
      'AWS_ACCESS_KEY_ID = alt',
      'aws_secret_access_key = alt/secret=',
      '[settings only]',
      'region = eu-west-3',
    ].join('\r\n');
    expect(parseCredentialsFile(text)).toEqual([
      { accessKeyId: 'main', secretAccessKey: 'main-secret' },
      { accessKeyId: 'alt', secretAccessKey: 'alt/secret=' },
    ]);
  });

  it('names the line or the section of the first problem', () => {
    expect(() => parseCredentialsFile('aws_access_key_id = a\n')).toThrow(/line 1/);
    expect(() => parseCredentialsFile('[x]\naws_access_key_id = a\n')).toThrow(/section \[x\] \(line 1\)/);
    expect(() => parseCredentialsFile('[x]\nregion = r\n')).toThrow(/no aws_access_key_id/);
  });
});

describe('Keyring', () => {
  it('knows each key pair by its access key id, and refuses one id with two secrets', () => {
    const keys = new Keyring([
      { accessKeyId: 'a', secretAccessKey: 'x' },
      { accessKeyId: 'b', secretAccessKey: 'y' },
    ]);
    expect([keys.primary, keys.secretFor('b'), keys.secretFor('c')]).toEqual(['a', 'y', undefined]);
    expect(
      () =>
        new Keyring([
          { accessKeyId: 'a', secretAccessKey: 'x' },
          { accessKeyId: 'a', secretAccessKey: 'z' },
        ]),
    ).toThrow(/twice/);
    expect(() => new Keyring([])).toThrow(/at least one/);
  });
});

describe('bucketAccessDenial', () => {
  const owners = new BucketOwners('first');
  owners.claim('hers', 'alice');
  /** `open`: the request is one anyone may run (authenticate.ts decides it from the ACLs). */
  const bucket = (open: boolean) => ({ exists: true, owner: owners.ownerOf('hers'), open });

  it('lets the owner do anything and another user only what is open to anyone', () => {
    expect(bucketAccessDenial({ name: 'DeleteBucket', bucket: 'hers' }, 'alice', bucket(false))).toBe(
      undefined,
    );
    expect(bucketAccessDenial({ name: 'GetObject', bucket: 'hers' }, 'bob', bucket(true))).toBe(undefined);
    expect(bucketAccessDenial({ name: 'ListObjectsV2', bucket: 'hers' }, 'bob', bucket(true))).toBe(
      undefined,
    );
    expect(bucketAccessDenial({ name: 'PutObject', bucket: 'hers' }, 'bob', bucket(false))?.code).toBe(
      'AccessDenied',
    );
    expect(bucketAccessDenial({ name: 'GetObject', bucket: 'hers' }, 'bob', bucket(false))?.code).toBe(
      'AccessDenied',
    );
    // Even a request anyone may run cannot take another user's bucket name.
    expect(bucketAccessDenial({ name: 'CreateBucket', bucket: 'hers' }, 'bob', bucket(true))?.code).toBe(
      'BucketAlreadyExists',
    );
  });

  it('gives a bucket nobody claimed to the first user, and a released one back to it', () => {
    expect(owners.ownerOf('older')).toBe('first');
    owners.release('hers');
    expect(owners.ownerOf('hers')).toBe('first');
  });
});
