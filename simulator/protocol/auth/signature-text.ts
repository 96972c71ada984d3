// Small pieces every signature check shares.

import { timingSafeEqual } from 'node:crypto';

/** Compares two signatures in constant time, so a wrong one tells nothing of the right one. */
export function sameSignature(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Percent-decodes, or keeps the text as it is when it is not valid percent-encoded UTF-8. */
export function decodeLoosely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Encodes everything but A-Z a-z 0-9 - _ . ~, upper-case hex, the way every V4 signature does. */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** An ISO 8601 basic time (20240101T000000Z), or undefined. */
export function parseBasicTime(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  const date = match
    ? new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`)
    : undefined;
  return date === undefined || Number.isNaN(date.getTime()) ? undefined : date;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The key pair that signed a request, and the SHA-256 of the body its signature covers, if it covers one. */
export interface Signer extends Credentials {
  payloadSha256?: string;
}
