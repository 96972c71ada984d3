import { describe, expect, it } from 'vitest';
import { S3Error } from '../errors/s3-error.ts';
import { parseRequest } from './parse-request.ts';

const parse = (method: string, target: string, host = '127.0.0.1:9000') =>
  parseRequest({ method, target, host }, ['localhost']);

describe('request parsing', () => {
  it('reads path-style and virtual-hosted addressing alike', () => {
    expect(parse('GET', '/bk1/a%20b/c')).toEqual({
      name: 'GetObject',
      bucket: 'bk1',
      key: 'a b/c',
      rawQuery: '',
    });
    expect(parse('GET', '/a%20b/c?x=1', 'bk1.localhost:9000')).toEqual({
      name: 'GetObject',
      bucket: 'bk1',
      key: 'a b/c',
      rawQuery: 'x=1',
    });
  });

  it('refuses an absolute-form or asterisk request target with 400 rather than read it as a key', () => {
    for (const target of ['http://o.invalid/bk1/k', 'https://127.0.0.1:9000/bk1/k', '*', 'bk1/k']) {
      expect(() => parse('GET', target), target).toThrow(
        expect.objectContaining({ code: 'InvalidRequest', status: 400 }),
      );
    }
  });

  it('keeps dot segments and plus signs of keys as they are', () => {
    expect(parse('GET', '/bk1/a/%2E%2E/b+c')).toMatchObject({ key: 'a/../b+c' });
  });

  it('routes bucket, list and administration requests', () => {
    expect(parse('GET', '/')).toEqual({ name: 'ListBuckets' });
    expect(parse('PUT', '/bk1')).toEqual({ name: 'CreateBucket', bucket: 'bk1' });
    expect(parse('GET', '/bk1?list-type=2').name).toBe('ListObjectsV2');
    expect(parse('PUT', '/_mirrorspec/buckets/bk1/mirror')).toEqual({
      name: 'PutBucketMirror',
      bucket: 'bk1',
    });
    expect(parse('POST', '/_mirrorspec/settle?timeoutMs=5')).toEqual({ name: 'WaitForSettle', timeoutMs: 5 });
    expect(parse('GET', '/bk1/k?acl')).toEqual({ name: 'GetObjectAcl', bucket: 'bk1', key: 'k' });
    expect(parse('PUT', '/bk1?acl')).toEqual({ name: 'PutBucketAcl', bucket: 'bk1' });
  });

  it.each([
    ['DELETE', '/bk1/k?acl', 'NotImplemented'],
    ['GET', '/bk1/k?tagging', 'NotImplemented'],
    ['PUT', '/Bad_Name', 'InvalidBucketName'],
    ['GET', `/bk1/${'k'.repeat(1025)}`, 'KeyTooLongError'],
    ['GET', '/bk1/%FF', 'InvalidRequest'],
    ['POST', '/bk1/k', 'MethodNotAllowed'],
    ['POST', '/_mirrorspec/settle?timeoutMs=x', 'InvalidArgument'],
  ])('%s %s is refused with %s', (method, target, code) => {
    let thrown: unknown;
    try {
      parse(method, target);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(S3Error);
    expect((thrown as S3Error).code).toBe(code);
  });
});
