// Request signers for every signature family a vendor record names: the HMAC-SHA1 header signatures
// (Alibaba OSS V1, Kingsoft KS3 V2, Huawei OBS, …), Signature Version 4 under a vendor's own names (JD
// Cloud's JDCLOUD2-HMAC-SHA256, Volcengine's TOS4-HMAC-SHA256, …) and AWS Signature Version 4 itself.
// Each takes a request, keys and the vendor's scheme (spec/vendors/<id>/vendor.ts) and returns the
// headers to add; the request must then be sent with its path and query exactly as written in `url`
// (HttpClient sends targets unchanged).
//
// Written from the vendors' documents and SDKs, apart from the simulator's verifiers, so that the one
// checks the other:
// [oss-v1] https://www.alibabacloud.com/help/en/oss/developer-reference/include-signatures-in-the-authorization-header
// [ks3-v2] https://endocs.ksyun.com/documents/27870
// [obs-header] https://support.huaweicloud.com/intl/en-us/api-obs/obs_04_0010.html
// [jd-sign] https://docs.jdcloud.com/cn/common-declaration/api/authorization-rules

import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { HmacSha1Scheme, SignatureScheme, V4Scheme } from '../../spec/vendors/vendor.ts';
import { type Keys, sigV4Headers } from './signed-fetch.ts';

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

interface SignOptions extends V1Options {
  /** The region of a V4 signature (AWS's or a vendor's). */
  region: string;
  /** A V4 scheme's service, when not the scheme's own. */
  service?: string;
}

/** The headers that sign `request` the way `scheme` says, whatever its family. */
export async function signRequest(
  scheme: SignatureScheme,
  request: VendorRequest,
  keys: Keys,
  options: SignOptions,
): Promise<Record<string, string>> {
  switch (scheme.family) {
    case 'hmac-sha1':
      return signV1(scheme, request, keys, options);
    case 'hmac-sha256-v4':
      return signV4(scheme, request, keys, options);
    case 'aws-sigv4':
      return sigV4Headers(request, keys, options.region);
  }
}

/** `Authorization: <authPrefix> ak:signature`, as the vendor's SDKs sign (OSS V1, KS3 V2, OBS). */
export function signV1(
  scheme: HmacSha1Scheme,
  request: VendorRequest,
  keys: Keys,
  options: V1Options = {},
): Record<string, string> {
  const added = v1AddedHeaders(scheme, request, options);
  const stringToSign = v1StringToSign(
    scheme,
    { ...request, headers: { ...request.headers, ...added } },
    options,
  );
  const signature = createHmac('sha1', keys.secretAccessKey).update(stringToSign, 'utf8').digest('base64');
  return { ...added, authorization: `${scheme.authPrefix} ${keys.accessKeyId}:${signature}` };
}

/** The date (unless the request has one) and, for a body with no type, a type of its own: fetch would
 * otherwise add `text/plain;charset=UTF-8` after signing. */
function v1AddedHeaders(
  scheme: HmacSha1Scheme,
  request: VendorRequest,
  options: V1Options,
): Record<string, string> {
  const headers = lowerCased(request.headers);
  const added: Record<string, string> = {};
  if (headers.date === undefined && headers[scheme.dateHeader] === undefined) {
    added[scheme.sdkSends === 'date' ? 'date' : scheme.dateHeader] = (
      options.date ?? new Date()
    ).toUTCString();
  }
  if (request.body !== undefined && headers['content-type'] === undefined) {
    added['content-type'] = 'application/octet-stream';
  }
  return added;
}

/** VERB \n Content-MD5 \n Content-Type \n Date \n CanonicalizedHeaders CanonicalizedResource. */
export function v1StringToSign(
  scheme: HmacSha1Scheme,
  request: VendorRequest,
  options: V1Options = {},
): string {
  const headers = lowerCased(request.headers);
  const vendorDate = headers[scheme.dateHeader];
  const dateLine =
    vendorDate === undefined ? (headers.date ?? '') : scheme.dateLine === 'vendor-date' ? vendorDate : '';
  const canonicalHeaders = Object.keys(headers)
    .filter((name) => name.startsWith(scheme.headerPrefix))
    .sort()
    .map((name) => `${name}:${(headers[name] ?? '').trim()}\n`)
    .join('');
  const { host, path, query } = splitUrl(request.url);
  return [
    request.method.toUpperCase(),
    headers['content-md5'] ?? '',
    headers['content-type'] ?? '',
    dateLine,
    `${canonicalHeaders}${v1Resource(scheme, host, path, options)}${v1Subresources(scheme, query)}`,
  ].join('\n');
}

function v1Resource(scheme: HmacSha1Scheme, host: string, path: string, options: V1Options): string {
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
  return `/${bucket}/${scheme.key === 'decoded' ? decodeURIComponent(key) : key}`;
}

function v1Subresources(scheme: HmacSha1Scheme, query: string): string {
  const names = new Set(scheme.subresources);
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
    .filter(([name]) => names.has(scheme.subresourceCase === 'insensitive' ? name.toLowerCase() : name))
    .sort(([a], [b]) => compare(a, b))
    .map(([name, value]) => (value === '' ? name : `${name}=${value}`));
  return signed.length === 0 ? '' : `?${signed.join('&')}`;
}

export interface V4Options {
  /** Default cn-north-1. */
  region?: string;
  /** Default the scheme's service. */
  service?: string;
  /** Default now. */
  date?: Date;
  /** Default a random UUID (schemes with a nonce header only). */
  nonce?: string;
}

/**
 * Signature Version 4 under a vendor's names ([jd-sign] for JD's). Signs host, the scheme's date, nonce
 * and payload-hash headers and every header the request brings but those the scheme leaves unsigned. A
 * body's hash travels in the scheme's content-sha256 header (which JD's signers accept in place of
 * hashing the body, and TOS's SDKs always send), so a verifier can check it before reading the body.
 */
export function signV4(
  scheme: V4Scheme,
  request: VendorRequest,
  keys: Keys,
  options: V4Options = {},
): Record<string, string> {
  const region = options.region ?? 'cn-north-1';
  const service = options.service ?? scheme.service;
  const dateTime = (options.date ?? new Date()).toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = dateTime.slice(0, 8);
  const added: Record<string, string> = { [scheme.dateHeader]: dateTime };
  if (scheme.nonceHeader !== undefined) added[scheme.nonceHeader] = options.nonce ?? randomUUID();
  if (request.body !== undefined) {
    added[scheme.contentSha256Header] = createHash('sha256').update(request.body).digest('hex');
  }
  const { host, path, query } = splitUrl(request.url);
  const headers: Record<string, string> = { ...lowerCased(request.headers), ...added, host };
  const signed = Object.keys(headers)
    .filter((name) => !scheme.unsignedHeaders.includes(name))
    .sort();
  const canonical = [
    request.method.toUpperCase(),
    path
      .split('/')
      .map((segment) => rfc3986(decodeURIComponent(segment)))
      .join('/'),
    v4Query(query),
    signed.map((name) => `${name}:${(headers[name] ?? '').trim().replace(/ {2,}/g, ' ')}\n`).join(''),
    signed.join(';'),
    added[scheme.contentSha256Header] ?? createHash('sha256').update('').digest('hex'),
  ].join('\n');
  const scope = `${day}/${region}/${service}/${scheme.terminator}`;
  const stringToSign = [
    scheme.algorithm,
    dateTime,
    scope,
    createHash('sha256').update(canonical).digest('hex'),
  ].join('\n');
  let key: Buffer = createHmac('sha256', `${scheme.keyPrefix}${keys.secretAccessKey}`).update(day).digest();
  for (const part of [region, service, scheme.terminator])
    key = createHmac('sha256', key).update(part).digest();
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return {
    ...added,
    authorization: `${scheme.algorithm} Credential=${keys.accessKeyId}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}`,
  };
}

/** `name=value` pairs sorted by name then value, each encoded once the RFC 3986 way; `+` is a space. */
function v4Query(query: string): string {
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
