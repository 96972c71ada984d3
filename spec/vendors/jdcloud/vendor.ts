// JD Cloud OSS: objects through its S3-compatible API, signed with AWS Signature V4 [jd-s3]; rules
// through its OpenAPI on a host of its own, signed JDCLOUD2-HMAC-SHA256 [jd-api][jd-sign].
// [jd-api] https://docs.jdcloud.com/en/object-storage-service/api/putbacksourceconfiguration
// [jd-sign] https://docs.jdcloud.com/cn/common-declaration/api/authorization-rules
// [jd-s3] https://docs.jdcloud.com/cn/object-storage-service/compatibility-api-overview

import type { Vendor } from '../vendor.ts';

export const jdcloud = {
  headerPrefixes: ['x-jdcloud-'],
  rulesMaySetPrefixedHeaders: true,
  securityTokenHeader: 'x-jdcloud-security-token',
  // The object API presigns the S3 way (X-Amz-*); the OpenAPI has no presigned URLs.
  presignedParameters: [],
  addressing: 'path',
  region: { kind: 'default', value: 'cn-north-1' },
  signature: { family: 'aws-sigv4' },
  ruleApi: {
    address: { kind: 'path', template: '/v1/regions/{region}/buckets/{bucket}/backSource' },
    endpoint: 'https://ossopenapi.jdcloud-api.com',
    signature: {
      family: 'hmac-sha256-v4',
      algorithm: 'JDCLOUD2-HMAC-SHA256',
      keyPrefix: 'JDCLOUD2',
      terminator: 'jdcloud2_request',
      // The service of JD Cloud's object storage OpenAPI, as its SDKs sign it.
      service: 'ossopenapi',
      dateHeader: 'x-jdcloud-date',
      // jdcloud-sdk-go-signer core/Signer.go buildBodyDigest: a client may send the payload hash.
      contentSha256Header: 'x-jdcloud-content-sha256',
      // [jd-sign] "x-jdcloud-date … x-jdcloud-nonce必须在请求中包含并且参与签名" (must be sent and signed).
      nonceHeader: 'x-jdcloud-nonce',
      // jdcloud-sdk-go-signer: authorization and user-agent are never signed.
      unsignedHeaders: ['authorization', 'user-agent'],
    },
  },
} satisfies Vendor;
