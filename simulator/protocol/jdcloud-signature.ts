// JD Cloud's OpenAPI signature, JDCLOUD2-HMAC-SHA256: Signature Version 4 with JD's names [jd-sign].
//
//   Authorization: JDCLOUD2-HMAC-SHA256 Credential=<ak>/<yyyymmdd>/<region>/<service>/jdcloud2_request,
//                  SignedHeaders=<h1;h2…>, Signature=<hex>
//   CanonicalRequest = VERB \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n
//                      hex(SHA-256(payload))
//   StringToSign = JDCLOUD2-HMAC-SHA256 \n x-jdcloud-date \n <yyyymmdd>/<region>/<service>/jdcloud2_request \n
//                  hex(SHA-256(CanonicalRequest))
//   key = HMAC("JDCLOUD2" + secret, yyyymmdd) → region → service → "jdcloud2_request"
//
// [jd-sign] https://docs.jdcloud.com/cn/common-declaration/api/authorization-rules
// [jd-cpp] github.com/jdcloud-api/jdcloud-sdk-cpp-signer src/JdcloudSignerImpl.cpp
// [jd-go] github.com/jdcloud-api/jdcloud-sdk-go-signer core/Signer.go
//
// JD's rule API (`/v1/regions/{regionId}/buckets/{bucketName}/backSource`) is signed this way; this file
// only verifies, routing is elsewhere.

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { S3Error } from '../errors/s3-error.ts';
import type { Credentials } from './authenticate.ts';
import type { RawRequest } from './parse-request.ts';
import { checkRequestTime } from './request-time.ts';

export const JDCLOUD_ALGORITHM = 'JDCLOUD2-HMAC-SHA256';
const TERMINATOR = 'jdcloud2_request';
const KEY_PREFIX = 'JDCLOUD2';
const DATE_HEADER = 'x-jdcloud-date';
const NONCE_HEADER = 'x-jdcloud-nonce';
/** [jd-go] buildBodyDigest: a client may send the payload hash instead of having it computed. */
const CONTENT_SHA256_HEADER = 'x-jdcloud-content-sha256';
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

type SignedRequest = RawRequest & { headers: Headers };

/**
 * Verifies a JDCLOUD2-HMAC-SHA256 Authorization header or throws the S3 error that refuses the request.
 * The payload hash is x-jdcloud-content-sha256 when sent, else that of an empty body: authentication
 * runs before the body is read, so a request with a body must carry its hash in that header (the JD
 * signers honour it: [jd-go] buildBodyDigest, jdcloud-sdk-nodejs-signer hexEncodedBodyHash).
 */
export function verifyJdcloudSignature(request: SignedRequest, credentials: Credentials, now: number): void {
  const { accessKeyId, day, region, service, signedHeaders, signature } = parseAuthorization(
    request.headers.get('authorization') ?? '',
  );
  if (accessKeyId !== credentials.accessKeyId) {
    throw new S3Error(
      'InvalidAccessKeyId',
      `the access key id '${accessKeyId}' is not known to this simulator`,
    );
  }
  // [jd-sign] "x-jdcloud-date … x-jdcloud-nonce必须在请求中包含并且参与签名" (must be sent and signed).
  for (const required of [DATE_HEADER, NONCE_HEADER]) {
    if (!signedHeaders.includes(required) || request.headers.get(required) === null) {
      throw new S3Error('AccessDenied', `a JD Cloud signed request must send and sign ${required}`);
    }
  }
  const dateTime = request.headers.get(DATE_HEADER) ?? '';
  checkRequestTime(parseDateTime(dateTime), now);
  if (dateTime.slice(0, 8) !== day) {
    throw new S3Error(
      'AccessDenied',
      `the credential scope date '${day}' is not the day of ${DATE_HEADER} '${dateTime}'`,
    );
  }

  const scope = `${day}/${region}/${service}/${TERMINATOR}`;
  const stringToSign = [
    JDCLOUD_ALGORITHM,
    dateTime,
    scope,
    sha256(canonicalRequest(request, signedHeaders)),
  ].join('\n');
  let key = hmac(`${KEY_PREFIX}${credentials.secretAccessKey}`, day);
  for (const part of [region, service, TERMINATOR]) key = hmac(key, part);
  const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  if (!sameSignature(expected, signature)) {
    throw new S3Error(
      'SignatureDoesNotMatch',
      'the request signature the simulator calculated does not match the signature provided: check the secret key and the JDCLOUD2-HMAC-SHA256 signing method',
    );
  }
}

function parseAuthorization(authorization: string): {
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
  // <access key id>/<yyyymmdd>/<region>/<service>/jdcloud2_request
  const scope = credential.split('/');
  const [terminal, service, region, day] = [scope.pop(), scope.pop(), scope.pop(), scope.pop()];
  const accessKeyId = scope.join('/');
  if (
    match?.[1] !== JDCLOUD_ALGORITHM ||
    signedHeaders === undefined ||
    signature === undefined ||
    terminal !== TERMINATOR ||
    !service ||
    !region ||
    !/^\d{8}$/.test(day ?? '') ||
    !accessKeyId
  ) {
    throw new S3Error(
      'InvalidArgument',
      `the Authorization header must be '${JDCLOUD_ALGORITHM} Credential=<access key id>/<yyyymmdd>/<region>/<service>/${TERMINATOR}, SignedHeaders=…, Signature=…'`,
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

function canonicalRequest(request: SignedRequest, signedHeaders: string[]): string {
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
    payloadHash(request.headers),
  ].join('\n');
}

function payloadHash(headers: Headers): string {
  const sent = headers.get(CONTENT_SHA256_HEADER);
  if (sent !== null) return sent;
  const length = headers.get('content-length');
  if (headers.has('transfer-encoding') || (length !== null && length !== '0')) {
    throw new S3Error(
      'InvalidRequest',
      `a JD Cloud signed request with a body must carry ${CONTENT_SHA256_HEADER}: the simulator authenticates before reading bodies`,
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

function parseDateTime(text: string): Date {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  const date = match
    ? new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`)
    : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw new S3Error('AccessDenied', `${DATE_HEADER} '${text}' is not a UTC time like 20180404T061302Z`);
  }
  return date;
}

function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function decodeQuery(text: string): string {
  return decodeLoosely(text.replace(/\+/g, ' '));
}

function decodeLoosely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: string | Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

function sameSignature(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
