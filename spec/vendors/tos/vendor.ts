// Volcengine TOS: rules through `PUT/GET/DELETE /?mirror` (JSON) [tos-put], the same subresource as KS3's,
// so the simulator routes it by the profile it runs. Requests signed TOS4-HMAC-SHA256, Signature Version
// 4 under TOS's names [tos-sign]; buckets virtual-hosted (`bucketname.tos-cn-beijing.volces.com`
// [tos-put]) in a region the user names.
// [tos-put] https://www.volcengine.com/docs/6349/196036
// [tos-sign] https://docs.byteplus.com/en/docs/tos/reference-signature-mechanism_1
// [tos-presign] https://docs.byteplus.com/en/docs/tos/reference-including-a-signature-in-the-url

import type { Vendor } from '../vendor.ts';

export const tos = {
  headerPrefixes: ['x-tos-'],
  // TOS documents no Set for mirror headers at all, so nothing is refused on its account.
  rulesMaySetPrefixedHeaders: true,
  securityTokenHeader: 'x-tos-security-token',
  // [tos-presign]: the signature's fields as query parameters, and the token of temporary keys.
  presignedParameters: [
    'X-Tos-Algorithm',
    'X-Tos-Credential',
    'X-Tos-Date',
    'X-Tos-Expires',
    'X-Tos-SignedHeaders',
    'X-Tos-Signature',
    'X-Tos-Security-Token',
  ],
  addressing: 'virtual',
  region: { kind: 'required', example: 'cn-beijing' },
  signature: {
    family: 'hmac-sha256-v4',
    algorithm: 'TOS4-HMAC-SHA256',
    // [tos-sign]: kDate = HMAC-SHA256(SK, date), with no prefix before the secret; the scope ends `request`.
    keyPrefix: '',
    terminator: 'request',
    service: 'tos',
    dateHeader: 'x-tos-date',
    // [tos-sign] HashedPayload: the body's SHA-256, which the SDKs send as X-Tos-Content-Sha256.
    contentSha256Header: 'x-tos-content-sha256',
    unsignedHeaders: ['authorization', 'user-agent'],
  },
  ruleApi: { address: { kind: 'subresource', name: 'mirror' } },
} satisfies Vendor;
