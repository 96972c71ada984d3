// AWS Signature Version 4, in the Authorization header or in a presigned URL. The expected signature is
// computed by @smithy/signature-v4 over a reconstruction of the request as it arrived (raw target, the
// signed headers, the client's date, region and payload hash); this file only parses what the client
// sent and compares. The payload hash is checked against the body as it streams (payload-hash.ts); the
// credential scope must name the simulator's region, as S3's names its bucket's.

import { createRequire } from 'node:module';
import type { SignatureV4 as SignatureV4Class } from '@smithy/signature-v4';
import type { Keyring } from '../../core/users.ts';
import { S3Error } from '../../errors/s3-error.ts';
import type { RawRequest } from '../parse-request.ts';
import { knownSecret } from './header-signature.ts';
import { NodeSha256 } from './node-sha256.ts';
import { isSha256Hex } from './payload-hash.ts';
import { checkRequestTime } from './request-time.ts';
import { decodeLoosely, parseBasicTime, type Signer, sameSignature, uriEncode } from './signature-text.ts';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
const ALGORITHM = SIGV4_ALGORITHM;
const SERVICE = 's3';
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** A presigned URL lives at most a week (the SigV4 limit). */
const MAX_EXPIRES_SECONDS = 7 * 24 * 60 * 60;
/** The query parameters SignatureV4.presign writes itself; every other parameter is signed as sent. */
const PRESIGN_PARAMETERS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
];

interface SignedParts {
  accessKeyId: string;
  region: string;
  signedHeaders: string[];
  signature: string;
  date: Date;
}

/**
 * Undefined for a request with no SigV4 signature at all, its signer for a valid one; throws the S3
 * error that refuses any other. `region` is the only region a credential scope may name.
 */
export async function verifySigV4(
  request: RawRequest & { headers: Headers },
  keys: Keyring,
  region: string,
  now: number,
): Promise<Signer | undefined> {
  const queryAt = request.target.indexOf('?');
  const rawPath = queryAt === -1 ? request.target : request.target.slice(0, queryAt);
  const query = parseQuery(queryAt === -1 ? '' : request.target.slice(queryAt + 1));
  const authorization = request.headers.get('authorization');
  const presigned = 'X-Amz-Signature' in query || 'X-Amz-Credential' in query;
  if (authorization === null && !presigned) return undefined;
  if (authorization !== null && presigned) {
    throw new S3Error(
      'InvalidArgument',
      'only one auth mechanism allowed: an Authorization header or a presigned URL',
    );
  }

  const parts = presigned ? presignedParts(query) : headerParts(authorization ?? '', request.headers);
  refuseOtherRegion(parts.region, region, presigned);
  const credentials = {
    accessKeyId: parts.accessKeyId,
    secretAccessKey: knownSecret(keys, parts.accessKeyId),
  };
  refuseUnsignedAmzHeaders(request.headers, parts.signedHeaders);
  const expiresIn = presigned ? expiresSeconds(query) : undefined;
  checkRequestTime(parts.date, now, expiresIn);

  const signer = signerFor(credentials, parts.region);
  const sentPayloadHash = sentPayloadHashOf(request.headers, presigned);
  const signedSet = new Set(parts.signedHeaders);
  const reconstructed = reconstructedRequest(request, rawPath, query, parts.signedHeaders, sentPayloadHash);
  const options = {
    signingDate: parts.date,
    signingRegion: parts.region,
    signingService: SERVICE,
    signableHeaders: signedSet,
    unsignableHeaders: new Set(['x-amz-content-sha256']),
  };
  let expected: string | undefined;
  if (presigned) {
    const result = await signer.presign(reconstructed, {
      ...options,
      expiresIn: expiresIn ?? 0,
      // Signed x-amz-* headers stay headers, as the client sent them.
      unhoistableHeaders: new Set([...parts.signedHeaders, 'x-amz-content-sha256']),
    });
    const value = result.query?.['X-Amz-Signature'];
    expected = typeof value === 'string' ? value : undefined;
  } else {
    const result = await signer.sign(reconstructed, options);
    expected = /Signature=([0-9a-f]+)/.exec(result.headers.authorization ?? '')?.[1];
  }
  if (expected === undefined || !sameSignature(expected, parts.signature)) {
    throw new S3Error(
      'SignatureDoesNotMatch',
      'the request signature the simulator calculated does not match the signature provided: check the secret key and the signing method',
    );
  }
  return {
    ...credentials,
    ...(sentPayloadHash !== null && isSha256Hex(sentPayloadHash) ? { payloadSha256: sentPayloadHash } : {}),
  };
}

function signerFor(credentials: { accessKeyId: string; secretAccessKey: string }, region: string) {
  // Loaded on the first signed request, not at start (a simulator without keys never needs it).
  const { SignatureV4 } = createRequire(import.meta.url)('@smithy/signature-v4') as {
    SignatureV4: typeof SignatureV4Class;
  };
  return new SignatureV4({
    credentials,
    region,
    service: SERVICE,
    sha256: NodeSha256,
    // S3 signs the path as sent, encoded once and without dot-segment removal.
    uriEscapePath: false,
    applyChecksum: false,
  });
}

/**
 * A credential scope for another region is refused as S3 refuses it, naming the region expected, in the
 * message and in a <Region> element (s3cmd signs for its bucket_location, `US`, then retries with that
 * element) [s3-error-responses]: in the Authorization header AuthorizationHeaderMalformed, in a presigned
 * URL AuthorizationQueryParametersError.
 */
function refuseOtherRegion(signed: string, expected: string, presigned: boolean): void {
  if (signed === expected) return;
  if (presigned) {
    throw new S3Error(
      'AuthorizationQueryParametersError',
      `Error parsing the X-Amz-Credential parameter; the region '${signed}' is wrong; expecting '${expected}'`,
      { region: expected },
    );
  }
  throw new S3Error(
    'AuthorizationHeaderMalformed',
    `The authorization header is malformed; the region '${signed}' is wrong; expecting '${expected}'`,
    { region: expected },
  );
}

/**
 * The x-amz-content-sha256 sent: required in the Authorization header, optional in a presigned URL, and
 * a SHA-256 in hex, UNSIGNED-PAYLOAD or a STREAMING-* payload name.
 */
function sentPayloadHashOf(headers: Headers, presigned: boolean): string | null {
  const value = headers.get('x-amz-content-sha256');
  if (value === null && !presigned) {
    throw new S3Error(
      'InvalidRequest',
      'a request signed in the Authorization header must carry x-amz-content-sha256 (UNSIGNED-PAYLOAD is accepted)',
    );
  }
  if (value === null || value === UNSIGNED_PAYLOAD || value.startsWith('STREAMING-') || isSha256Hex(value)) {
    return value;
  }
  throw new S3Error(
    'InvalidArgument',
    `x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD or the hex SHA-256 of the body, got '${value.slice(0, 80)}'`,
  );
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A header value as its signer saw it. Node reads header bytes as Latin-1; a client that sent the UTF-8
 * of its text (botocore does) signed that text, so bytes that are valid UTF-8 are read as UTF-8. Bytes
 * that are not (a Latin-1 é sent by Node's http) stay as read: their signer signed those characters.
 */
function signedText(value: string): string {
  if (!/[\u0080-\u00ff]/.test(value)) return value;
  try {
    return utf8.decode(Buffer.from(value, 'latin1'));
  } catch {
    return value;
  }
}

/** The request as the client signed it: its signed headers, and the query without the presigning fields. */
function reconstructedRequest(
  request: RawRequest & { headers: Headers },
  rawPath: string,
  query: Query,
  signedHeaders: readonly string[],
  sentPayloadHash: string | null,
) {
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = request.headers.get(name) ?? (name === 'host' ? request.host : null);
    if (value !== null) headers[name] = signedText(value);
  }
  // The payload hash travels as this header whether or not it was signed; the option sets below keep
  // it out of the canonical headers unless the client signed it.
  headers['x-amz-content-sha256'] = sentPayloadHash ?? UNSIGNED_PAYLOAD;
  return {
    method: request.method.toUpperCase(),
    protocol: 'http:',
    hostname: request.host,
    path: canonicalPath(rawPath),
    query: Object.fromEntries(Object.entries(query).filter(([name]) => !PRESIGN_PARAMETERS.includes(name))),
    headers,
  };
}

/**
 * Every x-amz-* header the request carries must be signed [sig-v4]: one added to a signed request
 * (x-amz-acl: public-read on a signed CreateBucket) would otherwise change what the signature
 * authorised. The payload hash is checked against the body instead, so it may travel unsigned.
 */
function refuseUnsignedAmzHeaders(headers: Headers, signedHeaders: readonly string[]): void {
  const signed = new Set(signedHeaders);
  for (const [name] of headers) {
    if (name.startsWith('x-amz-') && name !== 'x-amz-content-sha256' && !signed.has(name)) {
      throw new S3Error(
        'AccessDenied',
        `the header ${name} is not signed: every x-amz-* header must be in SignedHeaders`,
      );
    }
  }
}

function headerParts(authorization: string, headers: Headers): SignedParts {
  const match = /^(\S+)\s+(.*)$/s.exec(authorization.trim());
  if (match?.[1] !== ALGORITHM) {
    throw new S3Error(
      'InvalidArgument',
      `unsupported Authorization type '${match?.[1] ?? ''}': sign with ${ALGORITHM}`,
    );
  }
  const fields = new Map<string, string>();
  for (const field of (match[2] ?? '').split(',')) {
    const at = field.indexOf('=');
    if (at !== -1) fields.set(field.slice(0, at).trim(), field.slice(at + 1).trim());
  }
  const amzDate = headers.get('x-amz-date');
  if (amzDate === null) {
    throw new S3Error('AccessDenied', 'a signed request needs an x-amz-date header');
  }
  return parts(fields.get('Credential'), fields.get('SignedHeaders'), fields.get('Signature'), amzDate);
}

function presignedParts(query: Query): SignedParts {
  const algorithm = single(query, 'X-Amz-Algorithm');
  if (algorithm !== ALGORITHM) {
    throw new S3Error('InvalidArgument', `X-Amz-Algorithm must be ${ALGORITHM}, got '${algorithm ?? ''}'`);
  }
  const date = single(query, 'X-Amz-Date');
  if (date === undefined) throw new S3Error('InvalidArgument', 'a presigned URL needs X-Amz-Date');
  return parts(
    single(query, 'X-Amz-Credential'),
    single(query, 'X-Amz-SignedHeaders'),
    single(query, 'X-Amz-Signature'),
    date,
  );
}

function parts(
  credential: string | undefined,
  signedHeaders: string | undefined,
  signature: string | undefined,
  amzDate: string,
): SignedParts {
  if (credential === undefined || signedHeaders === undefined || signature === undefined) {
    throw new S3Error('InvalidArgument', 'a SigV4 signature needs Credential, SignedHeaders and Signature');
  }
  // <access key id>/<yyyymmdd>/<region>/s3/aws4_request
  const scope = credential.split('/');
  const [terminal, service, region, day] = [scope.pop(), scope.pop(), scope.pop(), scope.pop()];
  const accessKeyId = scope.join('/');
  if (
    terminal !== 'aws4_request' ||
    service !== SERVICE ||
    !region ||
    !/^\d{8}$/.test(day ?? '') ||
    !accessKeyId
  ) {
    throw new S3Error(
      'InvalidArgument',
      `the credential '${credential}' is not <access key id>/<yyyymmdd>/<region>/s3/aws4_request`,
    );
  }
  const names = signedHeaders.split(';');
  if (!names.includes('host')) throw new S3Error('InvalidArgument', 'SignedHeaders must include host');
  return { accessKeyId, region, signedHeaders: names, signature, date: parseAmzDate(amzDate) };
}

function parseAmzDate(text: string): Date {
  const date = parseBasicTime(text);
  if (date === undefined) {
    throw new S3Error(
      'AccessDenied',
      `the request date '${text}' is not an ISO 8601 basic time like 20240101T000000Z`,
    );
  }
  return date;
}

/**
 * X-Amz-Expires as S3 judges it: a whole number from 0 to a week, refused otherwise with S3's
 * AuthorizationQueryParametersError and its wording (a week itself is allowed). A URL of 0 seconds is
 * well formed and already expired: S3 answers it 403 Request has expired (checkRequestTime).
 */
function expiresSeconds(query: Query): number {
  const raw = single(query, 'X-Amz-Expires') ?? '';
  if (!/^-?\d+$/.test(raw)) {
    throw new S3Error('AuthorizationQueryParametersError', 'X-Amz-Expires should be a number');
  }
  const seconds = Number(raw);
  if (seconds < 0) {
    throw new S3Error('AuthorizationQueryParametersError', 'X-Amz-Expires must be non-negative');
  }
  if (seconds > MAX_EXPIRES_SECONDS) {
    throw new S3Error(
      'AuthorizationQueryParametersError',
      `X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than ${MAX_EXPIRES_SECONDS} seconds`,
    );
  }
  return seconds;
}

type Query = Record<string, string | string[]>;

/** Query parameters decoded as sent: `+` stays a plus (SigV4 clients encode spaces as %20). */
function parseQuery(rawQuery: string): Query {
  // No prototype: a parameter named __proto__ is a parameter like any other.
  const query: Query = Object.create(null);
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = decodeLoosely(at === -1 ? pair : pair.slice(0, at));
    const value = at === -1 ? '' : decodeLoosely(pair.slice(at + 1));
    const previous = query[name];
    query[name] =
      previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return query;
}

function single(query: Query, name: string): string | undefined {
  const value = query[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The canonical URI of a raw path: each segment decoded and encoded once the SigV4 way (everything but
 * A-Z a-z 0-9 - _ . ~), so a client that left a character unencoded still verifies, and the bytes
 * verified are the bytes of the key the request names. Dot segments stay, as in S3.
 */
function canonicalPath(rawPath: string): string {
  return rawPath
    .split('/')
    .map((segment) => {
      try {
        return uriEncode(decodeURIComponent(segment));
      } catch {
        return segment;
      }
    })
    .join('/');
}
