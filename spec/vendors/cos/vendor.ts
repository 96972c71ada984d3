// Tencent Cloud COS: rules through `PUT /?origin` (XML) [cos-put]; the suite signs its S3-compatible API
// with AWS Signature V4 in the bucket's region, which the user must name [cos-s3].
// [cos-s3] https://www.tencentcloud.com/document/product/436/32538
// [cos-sign] https://www.tencentcloud.com/document/product/436/7778 (q-sign-* request signature)

import type { Vendor } from '../vendor.ts';

export const cos = {
  headerPrefixes: ['x-cos-'],
  // [cos-put]'s Proxy example sets x-cos-ContentType for the origin request.
  rulesMaySetPrefixedHeaders: true,
  securityTokenHeader: 'x-cos-security-token',
  // [cos-sign]: the signature's fields as query parameters, and the token.
  presignedParameters: [
    'q-sign-algorithm',
    'q-ak',
    'q-sign-time',
    'q-key-time',
    'q-header-list',
    'q-url-param-list',
    'q-signature',
    'x-cos-security-token',
  ],
  addressing: 'path',
  region: { kind: 'required', example: 'ap-guangzhou' },
  signature: { family: 'aws-sigv4' },
  ruleApi: { address: { kind: 'subresource', name: 'origin' } },
} satisfies Vendor;
