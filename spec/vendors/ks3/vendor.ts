// Kingsoft Cloud KS3: rules through `PUT /{bucket}?mirror` (JSON) [ks3-api], requests signed with the KS3
// V2 header signature [ks3-v2], buckets path-style in the SDK samples.
// [ks3-api] https://docs.ksyun.com/documents/39134
// [ks3-v2] https://endocs.ksyun.com/documents/27870
// KS3 presigned URLs carry KSSAccessKeyId, Expires and Signature: AWS V2 renamed, as its header signature is [ks3-v2]

import { RESPONSE_OVERRIDES, type Vendor, words } from '../vendor.ts';

export const ks3 = {
  headerPrefixes: ['x-kss-'],
  rulesMaySetPrefixedHeaders: true,
  securityTokenHeader: 'x-kss-security-token',
  // KSSAccessKeyId, Expires, Signature (above).
  presignedParameters: ['KSSAccessKeyId', 'Expires', 'Signature'],
  addressing: 'path',
  region: { kind: 'none' },
  signature: {
    family: 'hmac-sha1',
    authPrefix: 'KSS',
    headerPrefix: 'x-kss-',
    dateHeader: 'x-kss-date',
    // [ks3-v2] takes Date from the Date header and names no date header of its own; KS3's V2 is AWS's V2
    // renamed (ks3sdklib/aws-sdk-go internal/signer/v2), so a client that sends x-kss-date is read the AWS
    // way.
    dateLine: 'empty',
    // KS3's SDKs send Date (ks3sdklib/ksyun-ks3-go-sdk ks3/conn.go doRequest).
    sdkSends: 'date',
    // KS3 signs the key percent-encoded, as it sends it (ks3sdklib/ksyun-ks3-go-sdk ks3/conn.go,
    // getResource → encodeKS3Str).
    key: 'as-sent',
    // ks3sdklib/ksyun-ks3-go-sdk ks3/signer.go: subResource and queryParam.
    subresources: [
      ...RESPONSE_OVERRIDES,
      ...words(`
      PublicNetworkBlock BucketPublicnetworkBlock VpcAccessBlock X-Kss-Policy accessmonitor acl action
      adp append archiveDirectRead batchshadowcopy bucketqos clear cors crr dataAccelerator
      dataRedundancySwitch dataRedundancyTransition decompresspolicy delete encryption fetch http2 id
      inventory jobId jobs lifecycle location logging migration mirror notification partNumber pfop
      policy position priority queryadp querypfop quota recover recycle requestPayment requesterqos
      restore retention security-token tagging thumbnail torrent transfer transferAcceleration uploadId
      uploads versionId versioning versions website worm wormExtend wormId x-kss-process
      `),
    ],
    subresourceCase: 'exact',
  },
  ruleApi: { address: { kind: 'subresource', name: 'mirror' } },
} satisfies Vendor;
