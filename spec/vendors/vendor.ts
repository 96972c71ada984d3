// What a vendor is, as data: one record per folder (spec/vendors/<id>/vendor.ts), listed once in
// spec/vendors/index.ts. Routing of native rule calls, the never-forwarded header and query lists, the
// suite's rule writer and both sides of request signing (the simulator's verifiers, the suite's signers)
// read these records; nothing else lists a vendor's facts.

import type { NativeExtras } from '../dialects/dialect.ts';

/**
 * The HMAC-SHA1 header signatures (AWS Signature Version 2 and the vendors that kept it under their own
 * names): `Authorization: <authPrefix> <access key id>:base64(HMAC-SHA1(secret, StringToSign))`, with
 * StringToSign = VERB \n Content-MD5 \n Content-Type \n Date \n CanonicalizedHeaders CanonicalizedResource.
 * The members of the family differ only in these fields.
 */
export interface HmacSha1Scheme {
  family: 'hmac-sha1';
  /** The word that opens the Authorization header: `OSS`, `KSS`, `OBS`. */
  authPrefix: string;
  /** Headers with this prefix are the CanonicalizedHeaders. */
  headerPrefix: string;
  /** The vendor's own date header, for clients that cannot set Date. */
  dateHeader: string;
  /** What the vendor's date header, when sent, puts on the Date line: its value, or nothing. */
  dateLine: 'vendor-date' | 'empty';
  /** Which date header the vendor's SDKs send: `Date`, or the vendor's own. */
  sdkSends: 'date' | 'vendor-date';
  /** How the object key is written in the CanonicalizedResource: decoded, or percent-encoded as sent. */
  key: 'decoded' | 'as-sent';
  /** Query parameters that are sub-resources, and so signed. */
  subresources: readonly string[];
  /** Whether sub-resource names are matched exactly or lower-cased. */
  subresourceCase: 'exact' | 'insensitive';
}

/** AWS Signature Version 4 as S3 speaks it (service `s3`, X-Amz-* names): an S3-compatible object API. */
interface AwsSigV4Scheme {
  family: 'aws-sigv4';
}

/**
 * Signature Version 4 under a vendor's own names (JD Cloud's JDCLOUD2-HMAC-SHA256, Volcengine's
 * TOS4-HMAC-SHA256): the canonical request and string to sign of SigV4, with these fields in place of
 * AWS's.
 *
 *   Authorization: <algorithm> Credential=<ak>/<yyyymmdd>/<region>/<service>/<terminator>,
 *                  SignedHeaders=<h1;h2…>, Signature=<hex>
 *   key = HMAC(keyPrefix + secret, yyyymmdd) → region → service → terminator
 */
export interface V4Scheme {
  family: 'hmac-sha256-v4';
  algorithm: string;
  /** Prepended to the secret for the first HMAC: `JDCLOUD2`, or nothing. */
  keyPrefix: string;
  /** The last element of the credential scope: `jdcloud2_request`, `request`. */
  terminator: string;
  /** The service the vendor's SDKs sign with. */
  service: string;
  /** The request time, ISO 8601 basic (20240101T000000Z); always signed. */
  dateHeader: string;
  /** The payload's hex SHA-256, sent so a verifier can check it before reading the body. */
  contentSha256Header: string;
  /** A header every request must send and sign besides the date (JD Cloud's nonce header). */
  nonceHeader?: string;
  /** Headers the vendor's signers never sign. */
  unsignedHeaders: readonly string[];
}

export type SignatureScheme = HmacSha1Scheme | AwsSigV4Scheme | V4Scheme;

/** Where a vendor's rule calls go: a bucket subresource (`PUT /<bucket>?<name>`), or a path of its own. */
export type RuleApiAddress =
  | { kind: 'subresource'; name: string }
  /** A path with `{region}` and `{bucket}` in it (JD Cloud's OpenAPI). */
  | { kind: 'path'; template: string };

/** A vendor's rule API; its dialect is bound to it in spec/vendors/index.ts, so the dialect may read it. */
export interface RuleApi {
  address: RuleApiAddress;
  /** The rule API lives on a host of its own (JD Cloud's OpenAPI); absent, the object endpoint. */
  endpoint?: string;
  /** How rule calls are signed, when unlike the object API. */
  signature?: SignatureScheme;
  /**
   * Vendor fields every document carries, with the value the suite writes by default (OBS's IAM agency).
   * `MIRRORSPEC_<VENDOR>_<FIELD>` overrides one for a run against a real endpoint.
   */
  extras?: NativeExtras;
}

/** The region a request names: none (V1 signatures), a default, or one the user must give. */
type RegionRule =
  | { kind: 'none' }
  | { kind: 'default'; value: string }
  | { kind: 'required'; example: string };

export interface Vendor {
  /**
   * Prefixes of the vendor's own request headers (its signature, tokens and behaviour switches). They
   * belong to the bucket, never to an origin: none is forwarded, whatever a rule says.
   */
  headerPrefixes: readonly string[];
  /**
   * Whether a rule may still set a header under those prefixes for the origin request. Where the vendor
   * says nothing, it may: only client headers are the bucket's.
   */
  rulesMaySetPrefixedHeaders: boolean;
  /** The header a temporary credential's session token travels in; absent where none is documented. */
  securityTokenHeader?: string;
  /** Query parameters of the vendor's presigned URLs, compared case-insensitively: never forwarded. */
  presignedParameters: readonly string[];
  /** How the vendor's SDKs address a bucket by default. */
  addressing: 'virtual' | 'path';
  region: RegionRule;
  /** How object requests are signed; absent where the suite does not sign for this vendor. */
  signature?: SignatureScheme;
  /** The vendor's own mirror-rule API; absent where rules are set in a console only. */
  ruleApi?: RuleApi;
}

/** Response-header overrides every S3-like API signs as sub-resources. */
export const RESPONSE_OVERRIDES = [
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
] as const;

/**
 * A rule call as the vendor's pages write it, for messages that tell what to send: `DELETE /?<name>`,
 * `PUT <path template>`. Dialects word their advice with it, so the
 * address is spelled in the vendor's record only.
 */
export function ruleCall(method: 'GET' | 'PUT' | 'DELETE', address: RuleApiAddress): string {
  return address.kind === 'subresource' ? `${method} /?${address.name}` : `${method} ${address.template}`;
}

/** A list written as whitespace-separated words. */
export function words(text: string): string[] {
  return text.trim().split(/\s+/);
}
