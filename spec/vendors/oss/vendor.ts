// Alibaba Cloud OSS: rules through PutBucketWebsite's RoutingRules [oss-put], requests signed with the
// OSS V1 header signature [oss-v1], buckets virtual-hosted by default (ali-oss, oss2).
// [oss-put] https://www.alibabacloud.com/help/en/oss/developer-reference/putbucketwebsite
// [oss-v1] https://www.alibabacloud.com/help/en/oss/developer-reference/include-signatures-in-the-authorization-header
// [oss-presign] https://www.alibabacloud.com/help/en/oss/add-signatures-to-urls

import { RESPONSE_OVERRIDES, type Vendor, words } from '../vendor.ts';

export const oss = {
  // [oss-put] MirrorPassOriginalHeaders: headers starting with x-oss-, oss- or x-drs- are never passed.
  headerPrefixes: ['x-oss-', 'oss-', 'x-drs-'],
  // [oss-put] MirrorHeaders.Set: the same prefixes cannot be set.
  rulesMaySetPrefixedHeaders: false,
  securityTokenHeader: 'x-oss-security-token',
  // [oss-presign] V1 URLs: OSSAccessKeyId, Expires, Signature and security-token (V4 ones are x-oss-*).
  presignedParameters: ['OSSAccessKeyId', 'Expires', 'Signature', 'security-token'],
  addressing: 'virtual',
  region: { kind: 'none' },
  signature: {
    family: 'hmac-sha1',
    authPrefix: 'OSS',
    headerPrefix: 'x-oss-',
    dateHeader: 'x-oss-date',
    // ali-oss signs x-oss-date on the Date line (node_modules/ali-oss/lib/common/signUtils.js,
    // buildCanonicalString: `expires || headers['x-oss-date']`), as oss2 does (oss2/auth.py:
    // `req.headers.get('x-oss-date', '') or req.headers.get('date', '')`); it also stays a canonical header.
    dateLine: 'vendor-date',
    // ali-oss sends x-oss-date (lib/common/utils/createRequest.js).
    sdkSends: 'vendor-date',
    // ali-oss signs the key unencoded (lib/client.js `_getResource`); [oss-v1] "/BucketName/ObjectName".
    key: 'decoded',
    // [oss-v1] "sub-resources supported by OSS", plus those oss2 signs (oss2/auth.py _subresource_key_set).
    subresources: [
      ...RESPONSE_OVERRIDES,
      ...words(`
      acl append asyncFetch bucketInfo callback callback-var cname comp continuation-token cors delete
      encryption endTime group img inventory inventoryId lifecycle link live location logging metaQuery
      objectInfo objectMeta partNumber policy position qos qosInfo referer replication
      replicationLocation replicationProgress requestPayment resourceGroup restore security-token
      sequential startTime stat status style styleName symlink tagging transferAcceleration uploadId
      uploads versionId versioning versions vod website worm wormExtend wormId x-oss-process
      x-oss-request-payer x-oss-traffic-limit
      `),
    ],
    subresourceCase: 'exact',
  },
  ruleApi: { address: { kind: 'subresource', name: 'website' } },
} satisfies Vendor;
