// JDCLOUD2-HMAC-SHA256 against JD Cloud's own signer tests, then tampering: any change to what was
// signed is refused.
//
// [jd-cpp] https://github.com/jdcloud-api/jdcloud-sdk-cpp-signer src/tests/JdcloudSignerImplTest.cpp,
//   SignRequest (ak/sk, vm, cn-north-1, 2009-02-13T23:31:30Z, nonce "uuid")
// [jd-go] https://github.com/jdcloud-api/jdcloud-sdk-go-signer core/Signer_test.go, TestBackSigner (the
//   gateway-side check of a PATCH with a query and a body)
// JD's documentation (https://docs.jdcloud.com/cn/common-declaration/api/authorization-rules) walks through
// the steps without a reproducible final signature, so the vectors are the signers' own.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ruleApiFor } from '../../../spec/vendors/index.ts';
import type { V4Scheme } from '../../../spec/vendors/vendor.ts';
import { Keyring } from '../../core/users.ts';
import { S3Error } from '../../errors/s3-error.ts';
import { verifyV4Signature } from './v4-signature.ts';

/** JD Cloud's scheme as its record names it: the tests below are JD's own signer examples. */
const JDCLOUD = ruleApiFor('jdcloud').signature as V4Scheme;

interface Example {
  method: string;
  target: string;
  host: string;
  headers: Record<string, string>;
}

const CPP_KEYS = { accessKeyId: 'ak', secretAccessKey: 'sk' };
const cppExample: Example = {
  method: 'GET',
  target: '/',
  host: 'vm.cn-north-1.jdcloud.net',
  headers: {
    'x-jdcloud-date': '20090213T233130Z',
    'x-jdcloud-nonce': 'uuid',
    authorization:
      'JDCLOUD2-HMAC-SHA256 Credential=ak/20090213/cn-north-1/vm/jdcloud2_request, SignedHeaders=host;x-jdcloud-date;x-jdcloud-nonce, Signature=43a76892222031f847c00c56cac8d4d2dc179a4e75a37868d09a5300435f4054',
  },
};
const cppNow = 1234567890000;

const GO_KEYS = { accessKeyId: 'access key', secretAccessKey: 'secret key' };
/** The body ("this is body") travels as its hash, which the Go signer takes in place of the body. */
const goExample: Example = {
  method: 'PATCH',
  target: '/v1/region/cn-north-1/test?filters.1.name=id&filters.1.values.1=v1&filters.1.values.2=v2',
  host: 'test.cn-north-1.jdcloud-api.net',
  headers: {
    'content-type': 'application/json',
    'x-jdcloud-date': '20190214T104514Z',
    'x-jdcloud-nonce': 'test nonce',
    'x-jdcloud-content-sha256': createHash('sha256').update('this is body').digest('hex'),
    authorization:
      'JDCLOUD2-HMAC-SHA256 Credential=access key/20190214/cn-north-1/test/jdcloud2_request, SignedHeaders=content-type;x-jdcloud-date;x-jdcloud-nonce, Signature=1912eba02012ce6eb482302bae29cfa8e721ad66c188c533f9070e69aad2c896',
  },
};
const goNow = Date.parse('2019-02-14T10:45:14Z');

function verdict(example: Example, keys: typeof CPP_KEYS, now: number): string {
  const { method, target, host, headers } = example;
  try {
    verifyV4Signature(
      JDCLOUD,
      { method, target, host, headers: new Headers({ host, ...headers }) },
      new Keyring([keys]),
      now,
    );
    return 'ok';
  } catch (error) {
    if (error instanceof S3Error) return error.code;
    throw error;
  }
}

function withHeaders(example: Example, headers: Record<string, string>): Example {
  return { ...example, headers: { ...example.headers, ...headers } };
}

describe('JD Cloud OpenAPI signature (JDCLOUD2-HMAC-SHA256)', () => {
  it("accepts the C++ signer's test signature", () => {
    expect(verdict(cppExample, CPP_KEYS, cppNow)).toBe('ok');
  });

  it("accepts the Go signer's gateway-side test signature, with a query and a body hash", () => {
    expect(verdict(goExample, GO_KEYS, goNow)).toBe('ok');
  });

  it('reads the query in any order and with any encoding of the same characters', () => {
    const reordered = {
      ...goExample,
      target: '/v1/region/cn-north-1/test?filters.1.values.2=v2&filters%2E1.name=id&filters.1.values.1=v1',
    };
    expect(verdict(reordered, GO_KEYS, goNow)).toBe('ok');
  });

  it('refuses the example once the nonce, the date, a signed header or the body hash changes', () => {
    expect(verdict(withHeaders(goExample, { 'x-jdcloud-nonce': 'other nonce' }), GO_KEYS, goNow)).toBe(
      'SignatureDoesNotMatch',
    );
    expect(verdict(withHeaders(goExample, { 'x-jdcloud-date': '20190214T104515Z' }), GO_KEYS, goNow)).toBe(
      'SignatureDoesNotMatch',
    );
    expect(verdict(withHeaders(goExample, { 'content-type': 'text/plain' }), GO_KEYS, goNow)).toBe(
      'SignatureDoesNotMatch',
    );
    const otherBody = createHash('sha256').update('this is another body').digest('hex');
    expect(verdict(withHeaders(goExample, { 'x-jdcloud-content-sha256': otherBody }), GO_KEYS, goNow)).toBe(
      'SignatureDoesNotMatch',
    );
  });

  it('refuses the example once the method, path, query or host changes', () => {
    expect(verdict({ ...goExample, method: 'PUT' }, GO_KEYS, goNow)).toBe('SignatureDoesNotMatch');
    const target = goExample.target.replace('/test?', '/test2?');
    expect(verdict({ ...goExample, target }, GO_KEYS, goNow)).toBe('SignatureDoesNotMatch');
    expect(verdict({ ...goExample, target: `${goExample.target}&x=1` }, GO_KEYS, goNow)).toBe(
      'SignatureDoesNotMatch',
    );
    expect(verdict({ ...cppExample, host: 'vm.cn-east-2.jdcloud.net' }, CPP_KEYS, cppNow)).toBe(
      'SignatureDoesNotMatch',
    );
  });

  it('refuses the example with another secret', () => {
    expect(verdict(goExample, { ...GO_KEYS, secretAccessKey: 'secret key2' }, goNow)).toBe(
      'SignatureDoesNotMatch',
    );
  });

  it('refuses an unknown access key', () => {
    expect(verdict(goExample, { ...GO_KEYS, accessKeyId: 'another key' }, goNow)).toBe('InvalidAccessKeyId');
  });

  it('refuses a request more than 15 minutes from the simulator clock', () => {
    expect(verdict(cppExample, CPP_KEYS, cppNow + 15 * 60 * 1000)).toBe('ok');
    expect(verdict(cppExample, CPP_KEYS, cppNow + 16 * 60 * 1000)).toBe('AccessDenied');
    expect(verdict(cppExample, CPP_KEYS, cppNow - 16 * 60 * 1000)).toBe('AccessDenied');
  });

  it('refuses a request whose date or nonce is missing or unsigned', () => {
    const { 'x-jdcloud-nonce': _nonce, ...withoutNonce } = cppExample.headers;
    expect(verdict({ ...cppExample, headers: withoutNonce }, CPP_KEYS, cppNow)).toBe('AccessDenied');
    const unsignedNonce = (cppExample.headers.authorization ?? '').replace(
      'host;x-jdcloud-date;x-jdcloud-nonce',
      'host;x-jdcloud-date',
    );
    expect(verdict(withHeaders(cppExample, { authorization: unsignedNonce }), CPP_KEYS, cppNow)).toBe(
      'AccessDenied',
    );
    expect(verdict(withHeaders(cppExample, { 'x-jdcloud-date': '2009-02-13' }), CPP_KEYS, cppNow)).toBe(
      'AccessDenied',
    );
  });

  it('refuses a credential scope dated another day than x-jdcloud-date', () => {
    const otherDay = (cppExample.headers.authorization ?? '').replace('ak/20090213/', 'ak/20090214/');
    expect(verdict(withHeaders(cppExample, { authorization: otherDay }), CPP_KEYS, cppNow)).toBe(
      'AccessDenied',
    );
  });

  it('refuses a malformed Authorization header', () => {
    const noTerminator = (cppExample.headers.authorization ?? '').replace('jdcloud2_request', 'aws4_request');
    expect(verdict(withHeaders(cppExample, { authorization: noTerminator }), CPP_KEYS, cppNow)).toBe(
      'InvalidArgument',
    );
    expect(
      verdict(withHeaders(cppExample, { authorization: 'JDCLOUD2-HMAC-SHA256' }), CPP_KEYS, cppNow),
    ).toBe('InvalidArgument');
  });

  it('refuses a request with a body but no x-jdcloud-content-sha256, since the body is not read', () => {
    const { 'x-jdcloud-content-sha256': _hash, ...withoutHash } = goExample.headers;
    const withBody = { ...goExample, headers: { ...withoutHash, 'content-length': '12' } };
    expect(verdict(withBody, GO_KEYS, goNow)).toBe('InvalidRequest');
  });
});
