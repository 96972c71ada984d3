// The credentials a client may send that belong to the bucket, never to an origin, for S3 and for every
// vendor in the registry (spec/vendors/index.ts): adding a vendor record adds its names here, so the law
// origin.credentials-never-forwarded can forget no vendor.

import { vendorFor, vendorIds } from '../../spec/vendors/index.ts';

/** One value per name: a header's value, or a query parameter's. */
type Named = Record<string, string>;

/** What a signature or token under a vendor's own prefix is called, in headers and query strings alike. */
const PREFIXED = ['signature', 'credential', 'security-token', 'date', 'nonce'];

function vendorHeaders(): Named {
  const out: Named = {};
  for (const id of vendorIds) {
    const vendor = vendorFor(id);
    for (const prefix of vendor.headerPrefixes) {
      for (const name of PREFIXED) out[`${prefix}${name}`.toLowerCase()] = `${id}-secret`;
    }
    if (vendor.securityTokenHeader) out[vendor.securityTokenHeader.toLowerCase()] = `${id}-token`;
  }
  return out;
}

function vendorParameters(): string[] {
  const names = new Set<string>();
  for (const id of vendorIds) {
    const vendor = vendorFor(id);
    for (const name of vendor.presignedParameters) names.add(name);
    // V4-style presigned URLs put the header names in the query (OSS V4's signature and credential).
    for (const prefix of vendor.headerPrefixes) for (const name of PREFIXED) names.add(`${prefix}${name}`);
  }
  return [...names].map((name) => `${name}=v`);
}

export const credentialHeaders: Named = {
  authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/s3/aws4_request, Signature=abc',
  'proxy-authorization': 'Basic dXNlcjpwYXNz',
  cookie: 'session=secret',
  'x-amz-security-token': 'token-secret',
  'x-amz-date': '20260101T000000Z',
  ...vendorHeaders(),
};

export const presignedParameters: string[] = [
  'X-Amz-Signature=abc',
  'X-Amz-Credential=AKID%2F20260101',
  'X-Amz-Security-Token=tok',
  'Signature=sig',
  'X-Amz-Expires=60',
  ...vendorParameters(),
];
