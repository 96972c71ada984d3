// Signature Version 4 under a vendor's own names: JD Cloud's JDCLOUD2-HMAC-SHA256 [jd-sign], Volcengine's
// TOS4-HMAC-SHA256 and any other whose record's scheme is of the `hmac-sha256-v4` family.
//
//   Authorization: <algorithm> Credential=<ak>/<yyyymmdd>/<region>/<service>/<terminator>,
//                  SignedHeaders=<h1;h2…>, Signature=<hex>
//   CanonicalRequest = VERB \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n
//                      hex(SHA-256(payload))
//   StringToSign = <algorithm> \n <date header> \n <yyyymmdd>/<region>/<service>/<terminator> \n
//                  hex(SHA-256(CanonicalRequest))
//   key = HMAC(<key prefix> + secret, yyyymmdd) → region → service → <terminator>
//
// [jd-sign] https://docs.jdcloud.com/cn/common-declaration/api/authorization-rules
// [jd-cpp] github.com/jdcloud-api/jdcloud-sdk-cpp-signer src/JdcloudSignerImpl.cpp
// [jd-go] github.com/jdcloud-api/jdcloud-sdk-go-signer core/Signer.go
//
// The names (algorithm, key prefix, terminator, date, nonce and payload-hash headers) are the scheme's
// fields in the vendor records; this file only verifies, routing is elsewhere. Any service in the
// credential scope is accepted: the signature covers it, and vendors sign different products with one key.

import { createHash, createHmac } from 'node:crypto';
import type { V4Scheme } from '../../../spec/vendors/vendor.ts';
import type { Keyring } from '../../core/users.ts';
import { S3Error } from '../../errors/s3-error.ts';
import type { RawRequest } from '../parse-request.ts';
import { isSha256Hex } from './payload-hash.ts';
import { checkRequestTime } from './request-time.ts';
import { vendorSchemes } from './schemes.ts';
import { decodeLoosely, parseBasicTime, type Signer, sameSignature, uriEncode } from './signature-text.ts';

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

const SCHEMES: ReadonlyMap<string, V4Scheme> = new Map(
  vendorSchemes('hmac-sha256-v4').map((scheme) => [scheme.algorithm, scheme]),
);

type SignedRequest = RawRequest & { headers: Headers };

/** The scheme an Authorization header's first word names, if it is of this family. */
export function v4SchemeOf(algorithm: string): V4Scheme | undefined {
  return SCHEMES.get(algorithm);
}

/** The algorithm names of the family's schemes, for messages. */
export function v4Algorithms(): string[] {
  return [...SCHEMES.keys()];
}

/**
 * Verifies a V4-family Authorization header or throws the S3 error that refuses the request. The
 * payload hash is the scheme's content-sha256 header when sent, else that of an empty body:
 * authentication runs before the body is read, so a request with a body must carry its hash in that
 * header (the JD signers honour it: [jd-go] buildBodyDigest, jdcloud-sdk-nodejs-signer
 * hexEncodedBodyHash; the TOS SDKs always send the content-SHA-256 header its record names), and the
 * body is checked against it as it is read.
 */
export function verifyV4Signature(
  scheme: V4Scheme,
  request: SignedRequest,
  keys: Keyring,
  now: number,
): Signer {
  const { accessKeyId, day, region, service, signedHeaders, signature } = parseAuthorization(
    scheme,
    request.headers.get('authorization') ?? '',
  );
  const secretAccessKey = keys.secretFor(accessKeyId);
  if (secretAccessKey === undefined) {
    throw new S3Error(
      'InvalidAccessKeyId',
      `the access key id '${accessKeyId}' is not known to this simulator`,
    );
  }
  const credentials = { accessKeyId, secretAccessKey };
  const required = [scheme.dateHeader, ...(scheme.nonceHeader ? [scheme.nonceHeader] : [])];
  for (const name of required) {
    if (!signedHeaders.includes(name) || request.headers.get(name) === null) {
      throw new S3Error('AccessDenied', `a ${scheme.algorithm} request must send and sign ${name}`);
    }
  }
  const dateTime = request.headers.get(scheme.dateHeader) ?? '';
  const date = parseBasicTime(dateTime);
  if (date === undefined) {
    throw new S3Error(
      'AccessDenied',
      `${scheme.dateHeader} '${dateTime}' is not a UTC time like 20180404T061302Z`,
    );
  }
  checkRequestTime(date, now);
  if (dateTime.slice(0, 8) !== day) {
    throw new S3Error(
      'AccessDenied',
      `the credential scope date '${day}' is not the day of ${scheme.dateHeader} '${dateTime}'`,
    );
  }

  const scope = `${day}/${region}/${service}/${scheme.terminator}`;
  const stringToSign = [
    scheme.algorithm,
    dateTime,
    scope,
    sha256(canonicalRequest(scheme, request, signedHeaders)),
  ].join('\n');
  let key = hmac(`${scheme.keyPrefix}${credentials.secretAccessKey}`, day);
  for (const part of [region, service, scheme.terminator]) key = hmac(key, part);
  const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  if (!sameSignature(expected, signature)) {
    throw new S3Error(
      'SignatureDoesNotMatch',
      `the request signature the simulator calculated does not match the signature provided: check the secret key and the ${scheme.algorithm} signing method`,
    );
  }
  // The signature covers the hash it was given; the body must then be the bytes hashed (payload-hash.ts).
  const sentHash = request.headers.get(scheme.contentSha256Header);
  return {
    ...credentials,
    ...(sentHash !== null && isSha256Hex(sentHash) ? { payloadSha256: sentHash } : {}),
  };
}

function parseAuthorization(
  scheme: V4Scheme,
  authorization: string,
): {
  accessKeyId: string;
  day: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
} {
  const match = /^(\S+)\s+(.*)$/s.exec(authorization.trim());
  const fields = new Map<string, string>();
  for (const field of (match?.[2] ?? '').split(',')) {
    const at = field.indexOf('=');
    if (at !== -1) fields.set(field.slice(0, at).trim(), field.slice(at + 1).trim());
  }
  const credential = fields.get('Credential') ?? '';
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  // <access key id>/<yyyymmdd>/<region>/<service>/<terminator>
  const scope = credential.split('/');
  const [terminal, service, region, day] = [scope.pop(), scope.pop(), scope.pop(), scope.pop()];
  const accessKeyId = scope.join('/');
  if (
    match?.[1] !== scheme.algorithm ||
    signedHeaders === undefined ||
    signature === undefined ||
    terminal !== scheme.terminator ||
    !service ||
    !region ||
    !/^\d{8}$/.test(day ?? '') ||
    !accessKeyId
  ) {
    throw new S3Error(
      'InvalidArgument',
      `the Authorization header must be '${scheme.algorithm} Credential=<access key id>/<yyyymmdd>/<region>/<service>/${scheme.terminator}, SignedHeaders=…, Signature=…'`,
    );
  }
  return {
    accessKeyId,
    day: day ?? '',
    region,
    service,
    signedHeaders: signedHeaders.split(';'),
    signature,
  };
}

function canonicalRequest(scheme: V4Scheme, request: SignedRequest, signedHeaders: string[]): string {
  const queryAt = request.target.indexOf('?');
  const rawPath = queryAt === -1 ? request.target : request.target.slice(0, queryAt);
  const rawQuery = queryAt === -1 ? '' : request.target.slice(queryAt + 1);
  const headerLines = signedHeaders.map((name) => {
    const value = request.headers.get(name) ?? (name === 'host' ? request.host : '');
    // Trimmed, runs of spaces made one ([jd-cpp] CanonicalizeHeaders, [jd-go] stripExcessSpaces).
    return `${name}:${value.trim().replace(/ {2,}/g, ' ')}\n`;
  });
  return [
    request.method.toUpperCase(),
    canonicalPath(rawPath),
    canonicalQuery(rawQuery),
    headerLines.join(''),
    signedHeaders.join(';'),
    payloadHash(scheme, request.headers),
  ].join('\n');
}

function payloadHash(scheme: V4Scheme, headers: Headers): string {
  const sent = headers.get(scheme.contentSha256Header);
  if (sent !== null) return sent;
  const length = headers.get('content-length');
  if (headers.has('transfer-encoding') || (length !== null && length !== '0')) {
    throw new S3Error(
      'InvalidRequest',
      `a ${scheme.algorithm} request with a body must carry ${scheme.contentSha256Header}: the simulator authenticates before reading bodies`,
    );
  }
  return EMPTY_SHA256;
}

/** Each segment decoded, then encoded once the RFC 3986 way ([jd-cpp] GetURLEncodedPath). */
function canonicalPath(rawPath: string): string {
  const path = rawPath === '' ? '/' : rawPath;
  return path
    .split('/')
    .map((segment) => uriEncode(decodeLoosely(segment)))
    .join('/');
}

/**
 * Names and values decoded then encoded the RFC 3986 way, sorted by name then value, `name=value`
 * joined by `&`; a parameter with no value is `name=` ([jd-sign], [jd-cpp]). A `+` is a space, as
 * jdcloud-sdk-nodejs-signer reads it (util.js queryParamsToString).
 */
function canonicalQuery(rawQuery: string): string {
  const pairs: [string, string][] = [];
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = at === -1 ? pair : pair.slice(0, at);
    const value = at === -1 ? '' : pair.slice(at + 1);
    pairs.push([uriEncode(decodeQuery(name)), uriEncode(decodeQuery(value))]);
  }
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

function decodeQuery(text: string): string {
  return decodeLoosely(text.replace(/\+/g, ' '));
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: string | Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}
