// The suite's vendor signers against the vendors' own published examples (the same vectors the
// simulator's verifiers are held to, reached here by independent code).
//
// [oss-v1] https://www.alibabacloud.com/help/en/oss/developer-reference/include-signatures-in-the-authorization-header,
//   "Example signature"
// [ks3-sdk] https://github.com/ks3sdk/ks3-nodejs-sdk test/auth.js, 'should generate a legal token'
// [obs-header] https://support.huaweicloud.com/intl/en-us/api-obs/obs_04_0010.html, StringToSign examples
// [jd-cpp] https://github.com/jdcloud-api/jdcloud-sdk-cpp-signer src/tests/JdcloudSignerImplTest.cpp

import { describe, expect, it } from 'vitest';
import { ruleApiFor, vendorFor } from '../../spec/vendors/index.ts';
import type { HmacSha1Scheme, V4Scheme } from '../../spec/vendors/vendor.ts';
import type { Keys } from './signed-fetch.ts';
import {
  signV1,
  signV4,
  type V1Options,
  type V4Options,
  type VendorRequest,
  v1StringToSign,
} from './vendor-signing.ts';

/** Each vendor's scheme as its record names it: the signers know no vendor but by these. */
const v1 = (id: 'oss' | 'ks3' | 'obs') => vendorFor(id).signature as HmacSha1Scheme;
const JDCLOUD = ruleApiFor('jdcloud').signature as V4Scheme;
const signer = (id: 'oss' | 'ks3' | 'obs') => (request: VendorRequest, keys: Keys, options?: V1Options) =>
  signV1(v1(id), request, keys, options);
const signOss = signer('oss');
const signKs3 = signer('ks3');
const signObs = signer('obs');
const signJdcloud = (request: VendorRequest, keys: Keys, options?: V4Options) =>
  signV4(JDCLOUD, request, keys, options);

describe('vendor signers', () => {
  it("signs OSS's published example to its published Authorization", () => {
    const headers = signOss(
      {
        method: 'PUT',
        url: 'http://oss-example.oss-cn-hangzhou.aliyuncs.com/nelson',
        headers: {
          // The page's StringToSign and Python sample use this Content-MD5 (its request line shows another).
          'Content-MD5': 'ODBGOERFMDMzQTczRUY3NUE3NzA5QzdFNUYzMDQxNEM=',
          'Content-Type': 'text/html',
          Date: 'Thu, 17 Nov 2005 18:49:58 GMT',
          'X-OSS-Meta-Author': 'foo@bar.com',
          'X-OSS-Magic': 'abracadabra',
        },
      },
      { accessKeyId: '44CF9590006BF252F707', secretAccessKey: 'OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV' },
      { virtualHosted: true },
    );
    expect(headers).toEqual({ authorization: 'OSS 44CF9590006BF252F707:26NBxoKdsyly4EDv6inkoDft/yA=' });
  });

  it("signs KS3's own SDK examples to their tokens", () => {
    const keys = {
      accessKeyId: 'WRHLHOZQD3OY3VTROMGQ',
      secretAccessKey: 'dWSmyMmVcpahaZphUdyVz11myMIoCAsOKeZ6wi4T',
    };
    const list = signKs3(
      { method: 'GET', url: 'http://kss.ksyun.com/', headers: { date: 'Fri, 17 Oct 2014 10:08:22 GMT' } },
      keys,
    );
    expect(list.authorization).toBe('KSS WRHLHOZQD3OY3VTROMGQ:2lxTJjvP1ndsKASapBxLeIUzhkQ=');
    const acl = signKs3(
      {
        method: 'PUT',
        url: 'http://guoliang11.kss.ksyun.com/?acl',
        headers: { date: 'Fri, 17 Oct 2014 10:00:18 GMT', attr_Acl: 'public-read-write' },
      },
      keys,
      { virtualHosted: true },
    );
    expect(acl.authorization).toBe('KSS WRHLHOZQD3OY3VTROMGQ:+V7+A8ib9uLqix87F8BRfTbcHSg=');
  });

  it.each([
    [
      'GET',
      '/object.txt',
      { Date: 'Sat, 12 Oct 2015 08:12:38 GMT' },
      'GET\n\n\nSat, 12 Oct 2015 08:12:38 GMT\n/bucket/object.txt',
    ],
    [
      'PUT',
      '/object.txt',
      {
        'User-Agent': 'curl/7.15.5',
        'x-obs-date': 'Tue, 15 Oct 2015 07:20:09 GMT',
        'x-obs-security-token': 'YwkaRTbdY8g7q....',
        'content-type': 'text/plain',
        'Content-Length': '5913339',
      },
      'PUT\n\ntext/plain\n\nx-obs-date:Tue, 15 Oct 2015 07:20:09 GMT\nx-obs-security-token:YwkaRTbdY8g7q....\n/bucket/object.txt',
    ],
    [
      'PUT',
      '/object.txt',
      {
        'User-Agent': 'curl/7.15.5',
        Date: 'Mon, 14 Oct 2015 12:08:34 GMT',
        'x-obs-acl': 'public-read',
        'content-type': 'text/plain',
        'Content-Length': '5913339',
      },
      'PUT\n\ntext/plain\nMon, 14 Oct 2015 12:08:34 GMT\nx-obs-acl:public-read\n/bucket/object.txt',
    ],
    [
      'GET',
      '/object.txt?acl',
      { Date: 'Sat, 12 Oct 2015 08:12:38 GMT' },
      'GET\n\n\nSat, 12 Oct 2015 08:12:38 GMT\n/bucket/object.txt?acl',
    ],
    [
      'PUT',
      '/object.txt',
      {
        'x-obs-date': 'Tue, 15 Oct 2015 07:20:09 GMT',
        'Content-MD5': 'I5pU0r4+sgO9Emgl1KMQUg==',
        'Content-Length': '5913339',
      },
      'PUT\nI5pU0r4+sgO9Emgl1KMQUg==\n\n\nx-obs-date:Tue, 15 Oct 2015 07:20:09 GMT\n/bucket/object.txt',
    ],
  ])("builds OBS's published StringToSign for %s %s", (method, target, headers, stringToSign) => {
    const request = { method, url: `http://bucket.obs.region.example.com${target}`, headers };
    expect(v1StringToSign(v1('obs'), request, { virtualHosted: true })).toBe(stringToSign);
  });

  it("signs JD Cloud's C++ signer example to its Authorization", () => {
    const headers = signJdcloud(
      { method: 'GET', url: 'http://vm.cn-north-1.jdcloud.net/' },
      { accessKeyId: 'ak', secretAccessKey: 'sk' },
      { region: 'cn-north-1', service: 'vm', date: new Date(1234567890000), nonce: 'uuid' },
    );
    expect(headers).toEqual({
      'x-jdcloud-date': '20090213T233130Z',
      'x-jdcloud-nonce': 'uuid',
      authorization:
        'JDCLOUD2-HMAC-SHA256 Credential=ak/20090213/cn-north-1/vm/jdcloud2_request, SignedHeaders=host;x-jdcloud-date;x-jdcloud-nonce, Signature=43a76892222031f847c00c56cac8d4d2dc179a4e75a37868d09a5300435f4054',
    });
  });

  it("adds each vendor's date header when the request has none, and a type for an untyped body", () => {
    const keys = { accessKeyId: 'k', secretAccessKey: 's' };
    const date = new Date('2024-05-06T07:08:09Z');
    const request = { method: 'PUT', url: 'http://127.0.0.1:9000/b/k', body: 'x' };
    expect(Object.keys(signOss(request, keys, { date })).sort()).toEqual([
      'authorization',
      'content-type',
      'x-oss-date',
    ]);
    expect(signKs3(request, keys, { date }).date).toBe('Mon, 06 May 2024 07:08:09 GMT');
    expect(signObs(request, keys, { date })['x-obs-date']).toBe('Mon, 06 May 2024 07:08:09 GMT');
    expect(signJdcloud(request, keys, { date })['x-jdcloud-content-sha256']).toBe(
      // SHA-256 of "x".
      '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881',
    );
  });
});
