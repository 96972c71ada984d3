// Request signers for the vendor dialects the suite speaks: the HMAC-SHA1 header signatures of Alibaba
// OSS (V1), Kingsoft KS3 (V2) and Huawei OBS, and JD Cloud's OpenAPI signature (JDCLOUD2-HMAC-SHA256).
// Each takes a request and keys and returns the headers to add; the request must then be sent with its
// path and query exactly as written in `url` (HttpClient sends targets unchanged).
//
// Written from the vendors' documents and SDKs, apart from the simulator's verifiers, so that the one
// checks the other:
// [oss-v1] https://www.alibabacloud.com/help/en/oss/developer-reference/include-signatures-in-the-authorization-header
// [ks3-v2] https://endocs.ksyun.com/documents/27870
// [obs-header] https://support.huaweicloud.com/intl/en-us/api-obs/obs_04_0010.html
// [jd-sign] https://docs.jdcloud.com/cn/common-declaration/api/authorization-rules

import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { Keys } from './signed-fetch.ts';

export interface VendorRequest {
  method: string;
  /** Absolute URL. Its path and query are signed as written, without normalisation. */
  url: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface V1Options {
  /** The bucket is the first label of the host rather than the first path segment. Default false. */
  virtualHosted?: boolean;
  /** Default now. */
  date?: Date;
}

export type V1Vendor = 'oss' | 'ks3' | 'obs';

interface V1Dialect {
  scheme: string;
  prefix: string;
  /** The header the signer adds when the request carries no date of its own. */
  addedDateHeader: string;
  /** The vendor's own date header and what it puts on the Date line. */
  vendorDate: { header: string; dateLine: 'its-value' | 'empty' };
  keyInResource: 'decoded' | 'encoded';
  subresources: readonly string[];
  caseInsensitive: boolean;
}

const RESPONSE_OVERRIDES = [
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
];

/** A list written as whitespace-separated words. */
function words(text: string): string[] {
  return text.trim().split(/\s+/);
}

const V1: Readonly<Record<V1Vendor, V1Dialect>> = {
  // ali-oss sends x-oss-date and signs it on the Date line (lib/common/utils/createRequest.js,
  // lib/common/signUtils.js buildCanonicalString); the key is signed unencoded (lib/client.js _getResource).
  oss: {
    scheme: 'OSS',
    prefix: 'x-oss-',
    addedDateHeader: 'x-oss-date',
    vendorDate: { header: 'x-oss-date', dateLine: 'its-value' },
    keyInResource: 'decoded',
    // [oss-v1] "sub-resources supported by OSS" and oss2/auth.py _subresource_key_set.
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
    caseInsensitive: false,
  },
  // KS3's SDKs send Date (ks3sdklib/ksyun-ks3-go-sdk ks3/conn.go doRequest) and sign the key
  // percent-encoded (getResource → encodeKS3Str).
  ks3: {
    scheme: 'KSS',
    prefix: 'x-kss-',
    addedDateHeader: 'date',
    vendorDate: { header: 'x-kss-date', dateLine: 'empty' },
    keyInResource: 'encoded',
    // ks3sdklib/ksyun-ks3-go-sdk ks3/signer.go subResource and queryParam.
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
    caseInsensitive: false,
  },
  // [obs-header]: x-obs-date empties the Date line; the SDKs sign the key encoded, as sent
  // (huaweicloud-sdk-python-obs src/obs/auth.py) and match sub-resource names lower-cased.
  obs: {
    scheme: 'OBS',
    prefix: 'x-obs-',
    addedDateHeader: 'x-obs-date',
    vendorDate: { header: 'x-obs-date', dateLine: 'empty' },
    keyInResource: 'encoded',
    // huaweicloud-sdk-go-obs obs/const.go allowedResourceParameterNames and the Python SDK's list.
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
    caseInsensitive: true,
  },
};

/** OSS V1 (`Authorization: OSS ak:signature`), as ali-oss signs by default. */
export function signOss(request: VendorRequest, keys: Keys, options: V1Options = {}): Record<string, string> {
  return signV1('oss', request, keys, options);
}

/** KS3 V2 (`Authorization: KSS ak:signature`), as the KS3 SDKs sign. */
export function signKs3(request: VendorRequest, keys: Keys, options: V1Options = {}): Record<string, string> {
  return signV1('ks3', request, keys, options);
}

/** OBS header signature (`Authorization: OBS ak:signature`), as the OBS SDKs sign. */
export function signObs(request: VendorRequest, keys: Keys, options: V1Options = {}): Record<string, string> {
  return signV1('obs', request, keys, options);
}

function signV1(
  vendor: V1Vendor,
  request: VendorRequest,
  keys: Keys,
  options: V1Options,
): Record<string, string> {
  const added = v1AddedHeaders(vendor, request, options);
  const stringToSign = v1StringToSign(
    vendor,
    { ...request, headers: { ...request.headers, ...added } },
    options,
  );
  const signature = createHmac('sha1', keys.secretAccessKey).update(stringToSign, 'utf8').digest('base64');
  return { ...added, authorization: `${V1[vendor].scheme} ${keys.accessKeyId}:${signature}` };
}

/** The date (unless the request has one) and, for a body with no type, a type of its own: fetch would
 * otherwise add `text/plain;charset=UTF-8` after signing. */
function v1AddedHeaders(
  vendor: V1Vendor,
  request: VendorRequest,
  options: V1Options,
): Record<string, string> {
  const dialect = V1[vendor];
  const headers = lowerCased(request.headers);
  const added: Record<string, string> = {};
  if (headers.date === undefined && headers[dialect.vendorDate.header] === undefined) {
    added[dialect.addedDateHeader] = (options.date ?? new Date()).toUTCString();
  }
  if (request.body !== undefined && headers['content-type'] === undefined) {
    added['content-type'] = 'application/octet-stream';
  }
  return added;
}

/** VERB \n Content-MD5 \n Content-Type \n Date \n CanonicalizedHeaders CanonicalizedResource. */
export function v1StringToSign(vendor: V1Vendor, request: VendorRequest, options: V1Options = {}): string {
  const dialect = V1[vendor];
  const headers = lowerCased(request.headers);
  const vendorDate = headers[dialect.vendorDate.header];
  const dateLine =
    vendorDate === undefined
      ? (headers.date ?? '')
      : dialect.vendorDate.dateLine === 'its-value'
        ? vendorDate
        : '';
  const canonicalHeaders = Object.keys(headers)
    .filter((name) => name.startsWith(dialect.prefix))
    .sort()
    .map((name) => `${name}:${(headers[name] ?? '').trim()}\n`)
    .join('');
  const { host, path, query } = splitUrl(request.url);
  return [
    request.method.toUpperCase(),
    headers['content-md5'] ?? '',
    headers['content-type'] ?? '',
    dateLine,
    `${canonicalHeaders}${v1Resource(dialect, host, path, options)}${v1Subresources(dialect, query)}`,
  ].join('\n');
}

function v1Resource(dialect: V1Dialect, host: string, path: string, options: V1Options): string {
  let bucket: string;
  let key: string;
  if (options.virtualHosted) {
    bucket = host.split('.')[0] ?? '';
    key = path.slice(1);
  } else {
    const [, first = '', ...rest] = path.split('/');
    bucket = decodeURIComponent(first);
    key = rest.join('/');
  }
  if (bucket === '') return '/';
  return `/${bucket}/${dialect.keyInResource === 'decoded' ? decodeURIComponent(key) : key}`;
}

function v1Subresources(dialect: V1Dialect, query: string): string {
  const names = new Set(dialect.subresources);
  const signed = query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const at = pair.indexOf('=');
      return [
        decodeURIComponent(at === -1 ? pair : pair.slice(0, at)),
        at === -1 ? '' : decodeURIComponent(pair.slice(at + 1)),
      ] as const;
    })
    .filter(([name]) => names.has(dialect.caseInsensitive ? name.toLowerCase() : name))
    .sort(([a], [b]) => compare(a, b))
    .map(([name, value]) => (value === '' ? name : `${name}=${value}`));
  return signed.length === 0 ? '' : `?${signed.join('&')}`;
}

export interface JdcloudOptions {
  /** Default cn-north-1. */
  region?: string;
  /** Default oss, the service of JD's object storage OpenAPI. */
  service?: string;
  /** Default now. */
  date?: Date;
  /** Default a random UUID. */
  nonce?: string;
}

/**
 * JDCLOUD2-HMAC-SHA256 [jd-sign]: SigV4 with JD's names. Signs host, the x-jdcloud-* headers and every
 * header the request brings. A body's hash travels in x-jdcloud-content-sha256 (which JD's signers
 * accept in place of hashing the body), so a verifier can check it before reading the body.
 */
export function signJdcloud(
  request: VendorRequest,
  keys: Keys,
  options: JdcloudOptions = {},
): Record<string, string> {
  const region = options.region ?? 'cn-north-1';
  const service = options.service ?? 'oss';
  const dateTime = (options.date ?? new Date()).toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = dateTime.slice(0, 8);
  const added: Record<string, string> = {
    'x-jdcloud-date': dateTime,
    'x-jdcloud-nonce': options.nonce ?? randomUUID(),
  };
  if (request.body !== undefined) {
    added['x-jdcloud-content-sha256'] = createHash('sha256').update(request.body).digest('hex');
  }
  const { host, path, query } = splitUrl(request.url);
  const headers: Record<string, string> = { ...lowerCased(request.headers), ...added, host };
  const signed = Object.keys(headers)
    .filter((name) => name !== 'authorization' && name !== 'user-agent')
    .sort();
  const canonical = [
    request.method.toUpperCase(),
    path
      .split('/')
      .map((segment) => rfc3986(decodeURIComponent(segment)))
      .join('/'),
    jdcloudQuery(query),
    signed.map((name) => `${name}:${(headers[name] ?? '').trim().replace(/ {2,}/g, ' ')}\n`).join(''),
    signed.join(';'),
    added['x-jdcloud-content-sha256'] ?? createHash('sha256').update('').digest('hex'),
  ].join('\n');
  const scope = `${day}/${region}/${service}/jdcloud2_request`;
  const stringToSign = [
    'JDCLOUD2-HMAC-SHA256',
    dateTime,
    scope,
    createHash('sha256').update(canonical).digest('hex'),
  ].join('\n');
  let key: Buffer = createHmac('sha256', `JDCLOUD2${keys.secretAccessKey}`).update(day).digest();
  for (const part of [region, service, 'jdcloud2_request'])
    key = createHmac('sha256', key).update(part).digest();
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return {
    ...added,
    authorization: `JDCLOUD2-HMAC-SHA256 Credential=${keys.accessKeyId}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}`,
  };
}

/** `name=value` pairs sorted by name then value, each encoded once the RFC 3986 way; `+` is a space. */
function jdcloudQuery(query: string): string {
  const decode = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));
  return query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const at = pair.indexOf('=');
      return [
        rfc3986(decode(at === -1 ? pair : pair.slice(0, at))),
        rfc3986(decode(at === -1 ? '' : pair.slice(at + 1))),
      ];
    })
    .sort(([a = '', x = ''], [b = '', y = '']) => (a === b ? compare(x, y) : compare(a, b)))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Host, raw path and raw query of an absolute URL, as written: `new URL` would re-encode the path. */
function splitUrl(url: string): { host: string; path: string; query: string } {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]+)([^?#]*)(?:\?([^#]*))?/i.exec(url);
  if (!match) throw new TypeError(`not an absolute URL: ${url}`);
  return { host: match[1] ?? '', path: match[2] || '/', query: match[3] ?? '' };
}

function lowerCased(headers: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
