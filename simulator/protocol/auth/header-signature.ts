// Header signatures of the HMAC-SHA1 family: AWS Signature Version 2 and the three vendors that kept it
// under their own names. The Authorization header is `<scheme> <access key id>:<signature>` and
//
//   Signature = base64(HMAC-SHA1(secret, VERB \n Content-MD5 \n Content-Type \n Date \n
//                                         CanonicalizedHeaders CanonicalizedResource))
//
// [aws-v2] https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html
// [oss-v1] https://www.alibabacloud.com/help/en/oss/developer-reference/include-signatures-in-the-authorization-header
// [ks3-v2] https://endocs.ksyun.com/documents/27870 (Request signature V2)
// [obs-header] https://support.huaweicloud.com/intl/en-us/api-obs/obs_04_0010.html
//
// The vendors differ only in data: the scheme word, the header prefix, what their own date header does to
// the Date line, how the object key is written in the resource and which query parameters are
// sub-resources. Each difference is a field of the vendor record's signature scheme, with its source.

import { createHmac } from 'node:crypto';
import { ruleApiSubresources } from '../../../spec/vendors/index.ts';
import { type HmacSha1Scheme, RESPONSE_OVERRIDES } from '../../../spec/vendors/vendor.ts';
import type { Keyring } from '../../core/users.ts';
import { S3Error } from '../../errors/s3-error.ts';
import { bucketFromHost, type RawRequest } from '../parse-request.ts';
import { checkRequestTime } from './request-time.ts';
import { vendorSchemes } from './schemes.ts';
import { type Credentials, decodeLoosely, sameSignature } from './signature-text.ts';

/** The access key id and secret of the key pair that signed a request. */
export type HeaderSigner = Credentials;

/**
 * AWS Signature Version 2, the family's first member. S3 is no vendor of this project, so its fields are
 * here rather than in a vendor record; the vendors' own are in theirs (spec/vendors/<id>/vendor.ts).
 */
const AWS_V2: HmacSha1Scheme = {
  family: 'hmac-sha1',
  authPrefix: 'AWS',
  headerPrefix: 'x-amz-',
  dateHeader: 'x-amz-date',
  // [aws-v2] "if you include the x-amz-date header, use the empty string for the Date when constructing
  // the StringToSign". The same page's Delete example does otherwise; see dateReadings.
  dateLine: 'empty',
  // [aws-v2] signs the path as sent: its Unicode example signs `fran%C3%A7ais/pr%c3%a9f%c3%a8re` verbatim.
  key: 'as-sent',
  // botocore/auth.py HmacV1Auth.QSAOfInterest.
  subresources: [
    ...RESPONSE_OVERRIDES,
    'accelerate',
    'acl',
    'analytics',
    'cors',
    'defaultObjectAcl',
    'delete',
    'inventory',
    'lifecycle',
    'location',
    'logging',
    'metrics',
    'notification',
    'object-lock',
    'partNumber',
    'policy',
    'replication',
    'requestPayment',
    'restore',
    'select',
    'select-type',
    'storageClass',
    'tagging',
    'torrent',
    'uploadId',
    'uploads',
    'versionId',
    'versioning',
    'versions',
    'website',
  ],
  subresourceCase: 'exact',
  sdkSends: 'date',
};

type Dialect = HmacSha1Scheme & { subresourceSet: ReadonlySet<string> };

/**
 * Every scheme of the family the simulator verifies, by the word that opens the Authorization header.
 * Each also signs every vendor's rule-API sub-resource (from the records): the simulator routes
 * each of them whatever the signature, so one left
 * unsigned would let a signature for `PUT /b` (create a bucket) be replayed as a rule call on the
 * bucket with another body, a rule written on someone else's authority.
 */
const SCHEMES: ReadonlyMap<string, Dialect> = new Map(
  [AWS_V2, ...vendorSchemes('hmac-sha1')].map((scheme) => {
    const names = [...scheme.subresources, ...ruleApiSubresources()];
    const cased = scheme.subresourceCase === 'insensitive' ? names.map((name) => name.toLowerCase()) : names;
    return [scheme.authPrefix, { ...scheme, subresourceSet: new Set(cased) }];
  }),
);
type SignedRequest = RawRequest & { headers: Headers };

/** The words that open the family's Authorization headers: `AWS`, `OSS`, … */
export function headerSignatureSchemes(): string[] {
  return [...SCHEMES.keys()];
}

export function isHeaderSignatureScheme(scheme: string): boolean {
  return SCHEMES.has(scheme);
}

/**
 * Verifies `Authorization: <scheme> <access key id>:<signature>` or throws the S3 error that refuses the
 * request. Error codes follow [oss-v1]'s "Detail analysis": a malformed header is InvalidArgument, an
 * unknown key InvalidAccessKeyId, a missing or bad date AccessDenied, a wrong signature
 * SignatureDoesNotMatch.
 */
export function verifyHeaderSignature(
  request: SignedRequest,
  keys: Keyring,
  now: number,
  virtualHostDomains: readonly string[],
): HeaderSigner {
  const { scheme, accessKeyId, signature } = parseAuthorization(request.headers.get('authorization') ?? '');
  const secretAccessKey = knownSecret(keys, accessKeyId);
  checkRequestTime(requestDate(request.headers, schemeOf(scheme).dateHeader), now);
  checkSignature(scheme, stringsToSign(scheme, request, virtualHostDomains), secretAccessKey, signature);
  return { accessKeyId, secretAccessKey };
}

/** The secret of an access key id, or InvalidAccessKeyId. */
export function knownSecret(keys: Keyring, accessKeyId: string): string {
  const secret = keys.secretFor(accessKeyId);
  if (secret === undefined) {
    throw new S3Error(
      'InvalidAccessKeyId',
      `the access key id '${accessKeyId}' is not known to this simulator`,
    );
  }
  return secret;
}

/** SignatureDoesNotMatch unless one of the candidate strings, signed with the secret, is the signature sent. */
export function checkSignature(
  scheme: string,
  candidates: string[],
  secret: string,
  signature: string,
): void {
  if (!candidates.some((candidate) => sameSignature(hmacSha1(secret, candidate), signature))) {
    throw new S3Error(
      'SignatureDoesNotMatch',
      `the request signature the simulator calculated does not match the signature provided: check the secret key and the ${scheme} signing method`,
    );
  }
}

/**
 * Every StringToSign the request may have been signed with: one in the common case. Where the vendors'
 * own documents and SDKs disagree (the Date line under x-amz-date; the slash after a bucket with no
 * key), the simulator accepts each documented form rather than pick one and refuse the others.
 *
 * A presigned URL (query string authentication [aws-v2]) puts its expiry time on the Date line, and its
 * x-amz-* query parameters count as the headers they name (botocore's HmacV1QueryAuth moves signed
 * headers into the query).
 */
export function stringsToSign(
  scheme: string,
  request: SignedRequest,
  virtualHostDomains: readonly string[],
  presignedExpires?: string,
): string[] {
  const dialect = schemeOf(scheme);
  const verb = request.method.toUpperCase();
  const contentMd5 = request.headers.get('content-md5') ?? '';
  const contentType = request.headers.get('content-type') ?? '';
  const subresources = subresourceString(dialect, request.target);
  const readings =
    presignedExpires === undefined
      ? dateReadings(scheme, dialect, request.headers)
      : [
          {
            dateLine: presignedExpires,
            canonicalHeaders: canonicalHeaders(dialect.headerPrefix, withQueryHeaders(dialect, request)),
          },
        ];
  const candidates: string[] = [];
  for (const { dateLine, canonicalHeaders } of readings) {
    for (const resource of resources(dialect, request, virtualHostDomains)) {
      candidates.push(
        [verb, contentMd5, contentType, dateLine, `${canonicalHeaders}${resource}${subresources}`].join('\n'),
      );
    }
  }
  return candidates;
}

function parseAuthorization(authorization: string): {
  scheme: string;
  accessKeyId: string;
  signature: string;
} {
  const match = /^(\S+)\s+(\S+)$/.exec(authorization.trim());
  const scheme = match?.[1] ?? '';
  const credential = match?.[2] ?? '';
  const colon = credential.lastIndexOf(':');
  if (!isHeaderSignatureScheme(scheme) || colon <= 0 || colon === credential.length - 1) {
    throw new S3Error(
      'InvalidArgument',
      `the Authorization header must be '<scheme> <access key id>:<signature>', got '${authorization}'`,
    );
  }
  return { scheme, accessKeyId: credential.slice(0, colon), signature: credential.slice(colon + 1) };
}

/** The Date line and the CanonicalizedHeaders that go with it. */
function dateReadings(
  scheme: string,
  dialect: Dialect,
  headers: Headers,
): { dateLine: string; canonicalHeaders: string }[] {
  const vendorDate = headers.get(dialect.dateHeader);
  const canonical = canonicalHeaders(dialect.headerPrefix, headers);
  if (vendorDate === null) return [{ dateLine: headers.get('date') ?? '', canonicalHeaders: canonical }];
  const readings = [
    { dateLine: dialect.dateLine === 'vendor-date' ? vendorDate : '', canonicalHeaders: canonical },
  ];
  // [aws-v2]'s Delete example puts x-amz-date on the Date line and leaves it out of the canonical
  // headers (x-amz-date "takes precedence over the Date header"), against the rule the same page states;
  // its published signature is only reproduced this way.
  if (scheme === AWS_V2.authPrefix) {
    readings.push({
      dateLine: vendorDate,
      canonicalHeaders: canonicalHeaders(dialect.headerPrefix, headers, dialect.dateHeader),
    });
  }
  return readings;
}

/**
 * Headers with the vendor prefix, lower-cased and sorted, `name:value\n` each, values trimmed. A header
 * sent twice reaches a fetch handler joined by ", " where the vendors join by ","; a client that repeats
 * a signed header should fold it itself.
 */
function canonicalHeaders(prefix: string, headers: Headers, except?: string): string {
  const lines: string[] = [];
  for (const [name, value] of headers) {
    if (name.startsWith(prefix) && name !== except) lines.push(`${name}:${value.trim()}`);
  }
  return lines
    .sort()
    .map((line) => `${line}\n`)
    .join('');
}

/** The request's headers and, where no header of the name was sent, its query parameters with the prefix. */
function withQueryHeaders(dialect: Dialect, request: SignedRequest): Headers {
  const headers = new Headers(request.headers);
  const queryAt = request.target.indexOf('?');
  for (const pair of queryAt === -1 ? [] : request.target.slice(queryAt + 1).split('&')) {
    const at = pair.indexOf('=');
    const name = decodeLoosely(at === -1 ? pair : pair.slice(0, at)).toLowerCase();
    if (!name.startsWith(dialect.headerPrefix) || request.headers.has(name)) continue;
    headers.append(name, at === -1 ? '' : decodeLoosely(pair.slice(at + 1)));
  }
  return headers;
}

/**
 * CanonicalizedResource without its sub-resources: `/`, `/bucket/` or `/bucket/key`, the bucket from a
 * virtual-hosted Host or else from the path. A bucket with no key is signed with a slash by OSS and KS3
 * and by OBS's SDK for virtual-hosted requests, without one by AWS and OBS for path-style requests and
 * in OBS's own CreateBucket example [obs-header]; both are accepted.
 */
function resources(
  dialect: Dialect,
  request: SignedRequest,
  virtualHostDomains: readonly string[],
): string[] {
  const queryAt = request.target.indexOf('?');
  const rawPath = queryAt === -1 ? request.target : request.target.slice(0, queryAt);
  const hostBucket = bucketFromHost(request.host, virtualHostDomains);
  let bucket: string;
  let rawKey: string;
  if (hostBucket !== undefined) {
    bucket = hostBucket;
    rawKey = rawPath.slice(1);
  } else {
    const slash = rawPath.indexOf('/', 1);
    bucket = decodeLoosely(slash === -1 ? rawPath.slice(1) : rawPath.slice(1, slash));
    rawKey = slash === -1 ? '' : rawPath.slice(slash + 1);
  }
  if (bucket === '') return ['/'];
  if (rawKey === '') return [`/${bucket}/`, `/${bucket}`];
  return [`/${bucket}/${dialect.key === 'decoded' ? decodeLoosely(rawKey) : rawKey}`];
}

/** `?name&name=value…` for the query parameters that are sub-resources, sorted by name; values decoded. */
function subresourceString(dialect: Dialect, target: string): string {
  const queryAt = target.indexOf('?');
  if (queryAt === -1) return '';
  const pairs: [string, string][] = [];
  for (const pair of target.slice(queryAt + 1).split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = decodeLoosely(at === -1 ? pair : pair.slice(0, at));
    const value = at === -1 ? '' : decodeLoosely(pair.slice(at + 1));
    const lookup = dialect.subresourceCase === 'insensitive' ? name.toLowerCase() : name;
    if (dialect.subresourceSet.has(lookup)) pairs.push([name, value]);
  }
  if (pairs.length === 0) return '';
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // An empty value is written as the bare name (ali-oss, oss2, the KS3 and OBS SDKs alike).
  return `?${pairs.map(([name, value]) => (value === '' ? name : `${name}=${value}`)).join('&')}`;
}

/** The request time: the vendor's date header when sent (it takes precedence over Date), else Date. */
function requestDate(headers: Headers, dateHeader: string): Date {
  const text = headers.get(dateHeader) ?? headers.get('date');
  if (text === null) {
    throw new S3Error('AccessDenied', `a signed request needs a Date or ${dateHeader} header`);
  }
  // HTTP dates (RFC 1123, or RFC 822 with a numeric zone as in [aws-v2]) or ISO 8601 basic time.
  const basic = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  const date = new Date(
    basic ? `${basic[1]}-${basic[2]}-${basic[3]}T${basic[4]}:${basic[5]}:${basic[6]}Z` : text,
  );
  if (Number.isNaN(date.getTime())) {
    throw new S3Error(
      'AccessDenied',
      `the request date '${text}' is not an HTTP date like 'Tue, 27 Mar 2007 19:36:42 GMT'`,
    );
  }
  return date;
}

function hmacSha1(secret: string, text: string): string {
  return createHmac('sha1', secret).update(text, 'utf8').digest('base64');
}

function schemeOf(authPrefix: string): Dialect {
  const scheme = SCHEMES.get(authPrefix);
  if (scheme === undefined)
    throw new S3Error('InvalidArgument', `'${authPrefix}' is no header signature scheme`);
  return scheme;
}
