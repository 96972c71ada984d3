// Huawei Cloud OBS: rules through `PUT /?mirrorBackToSource` (JSON) [obs-api], requests signed with the
// OBS header signature [obs-header], buckets path-style here (the SDKs take either).
// [obs-api] https://support.huaweicloud.com/intl/en-us/api-obs/obs_04_0119.html
// [obs-header] https://support.huaweicloud.com/intl/en-us/api-obs/obs_04_0010.html
// [obs-url] https://support.huaweicloud.com/intl/en-us/api-obs/obs_04_0011.html (signature in a URL)

import { RESPONSE_OVERRIDES, type Vendor, words } from '../vendor.ts';

export const obs = {
  headerPrefixes: ['x-obs-'],
  rulesMaySetPrefixedHeaders: true,
  securityTokenHeader: 'x-obs-security-token',
  // [obs-url]: AccessKeyId, Expires, Signature (and x-obs-security-token for temporary keys).
  presignedParameters: ['AccessKeyId', 'Expires', 'Signature', 'x-obs-security-token'],
  addressing: 'path',
  region: { kind: 'none' },
  signature: {
    family: 'hmac-sha1',
    authPrefix: 'OBS',
    headerPrefix: 'x-obs-',
    dateHeader: 'x-obs-date',
    // [obs-header] Table 1: "This parameter is an empty string when the x-obs-date is specified."
    dateLine: 'empty',
    sdkSends: 'vendor-date',
    // huaweicloud-sdk-python-obs src/obs/auth.py: `util.encode_object_key(key)`, the form it also sends.
    key: 'as-sent',
    // huaweicloud-sdk-go-obs obs/const.go allowedResourceParameterNames, with the Python SDK's
    // (src/obs/const.py ALLOWED_RESOURCE_PARAMTER_NAMES) and [obs-header]'s SignDemo SUB_RESOURCES.
    subresources: [
      ...RESPONSE_OVERRIDES,
      ...words(`
      acl append attname backtosource bucketstatus cdnnotifyconfiguration cors customdomain delete
      deletebucket directcoldaccess encryption fileinterface ignore-sign-in-query inventory length
      lifecycle location logging metadata mirrorbacktosource modify name notification obsalias
      obsbucketalias obscompresspolicy obsworkflowtriggerpolicy object-lock partnumber policy
      policystatus position publicaccessblock quota rename replication requestpayment restore retention
      storageclass storageinfo storagepolicy tagging torrent truncate uploadid uploads versionid
      versioning versions website x-image-process x-image-save-bucket x-image-save-object
      x-obs-accesslabel x-obs-security-token x-oss-process
      `),
    ],
    subresourceCase: 'insensitive',
  },
  ruleApi: {
    address: { kind: 'subresource', name: 'mirrorBackToSource' },
    // [obs-api] redirect.agency: the IAM agency OBS fetches with. The simulator checks no IAM.
    extras: { agency: 'mirrorspec-agency' },
  },
} satisfies Vendor;
