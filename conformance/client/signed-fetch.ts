// Requests signed with AWS Signature Version 4 for calls the S3 SDK does not make (the simulator's JSON
// endpoints) and for presigned URLs, signed by @smithy/signature-v4 as the AWS SDK signs.

import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

export interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

/** SHA-256 (no secret) or HMAC-SHA256 (with one) in the shape SignatureV4 expects. */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function toBytes(data: SourceData): Uint8Array | string {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

function signer(keys: Keys, region: string): SignatureV4 {
  // S3 signs the path as sent (no second encoding), as the AWS SDK's S3 client does.
  return new SignatureV4({ credentials: keys, region, service: 's3', sha256: Sha256, uriEscapePath: false });
}

interface SignedRequest {
  method: string;
  /** Encoded path, e.g. `/_mirrorspec/buckets/b/mirror`. */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  region?: string;
  /** Default now. */
  signingDate?: Date;
}

/** Sends a request signed in the Authorization header; the payload hash is the body's SHA-256. */
export async function signedFetch(endpoint: string, keys: Keys, request: SignedRequest): Promise<Response> {
  const url = new URL(endpoint);
  const signed = await signer(keys, request.region ?? 'us-east-1').sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: request.path,
      query: request.query ?? {},
      headers: { host: url.host, ...request.headers },
      ...(request.body !== undefined ? { body: request.body } : {}),
    },
    request.signingDate ? { signingDate: request.signingDate } : {},
  );
  // fetch sets Host itself, to the same value.
  const { host: _host, ...headers } = signed.headers;
  return fetch(`${endpoint}${request.path}${queryString(request.query ?? {})}`, {
    method: request.method,
    headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
  });
}

/**
 * A presigned URL for a GET, made as @aws-sdk/s3-request-presigner makes one: the payload is
 * UNSIGNED-PAYLOAD (carried as X-Amz-Content-Sha256 in the query) and only `host` is signed.
 */
export async function presignedUrl(
  endpoint: string,
  keys: Keys,
  path: string,
  options: { expiresIn?: number; signingDate?: Date; region?: string } = {},
): Promise<string> {
  const url = new URL(endpoint);
  const presigned = await signer(keys, options.region ?? 'us-east-1').presign(
    {
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path,
      query: {},
      headers: { host: url.host, 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
    },
    {
      expiresIn: options.expiresIn ?? 900,
      ...(options.signingDate ? { signingDate: options.signingDate } : {}),
    },
  );
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(presigned.query ?? {})) {
    if (typeof value === 'string') query[name] = value;
  }
  return `${endpoint}${path}${queryString(query)}`;
}

function queryString(query: Record<string, string>): string {
  const pairs = Object.entries(query).map(
    ([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`,
  );
  return pairs.length === 0 ? '' : `?${pairs.join('&')}`;
}

/**
 * The headers that sign `request` (an absolute URL, path and query as they will be sent) with AWS
 * Signature Version 4, for S3-compatible vendors (COS, JD Cloud's object API).
 */
export async function sigV4Headers(
  request: { method: string; url: string; headers?: Record<string, string>; body?: string | Uint8Array },
  keys: Keys,
  region: string,
): Promise<Record<string, string>> {
  const url = new URL(request.url);
  const queryAt = request.url.indexOf('?', request.url.indexOf('//') + 2);
  const rawPath = request.url.slice(
    request.url.indexOf('/', request.url.indexOf('//') + 2),
    queryAt === -1 ? undefined : queryAt,
  );
  // A name given twice is signed with both values, as sent.
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const seen = query[name];
    query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  const signed = await signer(keys, region).sign({
    method: request.method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    // SigV4's canonical URI encodes each segment once the RFC 3986 way: `%2E` is signed as `.`.
    path: rawPath.split('/').map(canonicalSegment).join('/'),
    query,
    headers: { host: url.host, ...request.headers },
    ...(request.body !== undefined ? { body: request.body } : {}),
  });
  const { host: _host, ...headers } = signed.headers;
  return headers;
}

function canonicalSegment(segment: string): string {
  try {
    return encodeURIComponent(decodeURIComponent(segment)).replace(
      /[!'()*]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    );
  } catch {
    return segment;
  }
}
