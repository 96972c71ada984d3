// The whole S3 request vocabulary: every x-amz-* request header and sub-resource the S3 API reference
// documents for the object and bucket operations, sent one at a time. A target either honours it or
// refuses it with 501 NotImplemented naming it; it never answers 5xx otherwise, and never fails for it.

import { describe, expect } from 'vitest';
import { errorCode, errorMessage, type HttpResult } from '../client/http-client.ts';
import { encodeKey } from '../client/s3-client.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';

const fixture = useLawFixture();

const SSE_C = [
  'x-amz-server-side-encryption-customer-algorithm',
  'x-amz-server-side-encryption-customer-key',
  'x-amz-server-side-encryption-customer-key-md5',
];
const WRITE_HEADERS = [
  ...['x-amz-acl', 'x-amz-grant-full-control', 'x-amz-grant-read', 'x-amz-grant-read-acp'],
  ...['x-amz-grant-write-acp', 'x-amz-storage-class', 'x-amz-website-redirect-location'],
  ...['x-amz-server-side-encryption', 'x-amz-server-side-encryption-aws-kms-key-id'],
  ...['x-amz-server-side-encryption-context', 'x-amz-server-side-encryption-bucket-key-enabled'],
  ...['x-amz-request-payer', 'x-amz-tagging', 'x-amz-object-lock-mode'],
  ...['x-amz-object-lock-retain-until-date', 'x-amz-object-lock-legal-hold'],
  ...['x-amz-expected-bucket-owner', ...SSE_C],
];
const READ_HEADERS = ['x-amz-request-payer', 'x-amz-expected-bucket-owner', 'x-amz-checksum-mode', ...SSE_C];

/** A value of the form S3 documents for each header, so an honouring target can take it as asked. */
function sampleValue(header: string): string {
  const values: Record<string, string> = {
    'x-amz-acl': 'public-read-write',
    'x-amz-storage-class': 'GLACIER',
    'x-amz-website-redirect-location': '/elsewhere',
    'x-amz-server-side-encryption': 'AES256',
    'x-amz-server-side-encryption-customer-algorithm': 'AES256',
    'x-amz-server-side-encryption-customer-key': Buffer.alloc(32, 7).toString('base64'),
    'x-amz-server-side-encryption-customer-key-md5': 'x/EbO0hYBRhhQGVdUDJGDg==',
    'x-amz-server-side-encryption-bucket-key-enabled': 'true',
    'x-amz-request-payer': 'requester',
    'x-amz-tagging': 'colour=blue',
    'x-amz-object-lock-mode': 'GOVERNANCE',
    'x-amz-object-lock-retain-until-date': '2090-01-01T00:00:00Z',
    'x-amz-object-lock-legal-hold': 'ON',
    'x-amz-expected-bucket-owner': '111122223333',
    'x-amz-checksum-mode': 'ENABLED',
    'x-amz-metadata-directive': 'REPLACE',
    'x-amz-tagging-directive': 'REPLACE',
    'x-amz-bypass-governance-retention': 'true',
    'x-amz-mfa': '123456 000000',
    'x-amz-bucket-object-lock-enabled': 'true',
    'x-amz-object-ownership': 'BucketOwnerEnforced',
  };
  return values[header] ?? 'id="111122223333"';
}

type Send = (
  bucket: string,
  extra: { headers?: Record<string, string>; query?: string },
) => Promise<HttpResult>;

const object =
  (method: string, body?: string): Send =>
  (bucket, extra) =>
    fixture.target.client.http.send({
      method,
      path: `/${bucket}/${encodeKey('surface/object')}${extra.query ? `?${extra.query}` : ''}`,
      headers: extra.headers ?? {},
      ...(body === undefined ? {} : { body }),
    });
const listing: Send = (bucket, extra) =>
  fixture.target.client.http.send({
    method: 'GET',
    path: `/${bucket}?list-type=2${extra.query ? `&${extra.query}` : ''}`,
    headers: extra.headers ?? {},
  });
const copy: Send = (bucket, extra) =>
  object('PUT')(bucket, {
    ...extra,
    headers: { 'x-amz-copy-source': `/${bucket}/surface/object`, ...extra.headers },
  });

interface Surface {
  operation: string;
  send: Send;
  headers: string[];
  /** Sub-resources and parameters, as `name=value` or a bare name. */
  query: string[];
}

const SURFACES: Surface[] = [
  { operation: 'PutObject', send: object('PUT', 'x'), headers: WRITE_HEADERS, query: [] },
  {
    operation: 'CopyObject',
    send: copy,
    headers: [...WRITE_HEADERS, 'x-amz-tagging-directive', 'x-amz-source-expected-bucket-owner'],
    query: [],
  },
  {
    operation: 'GetObject',
    send: object('GET'),
    headers: READ_HEADERS,
    query: [
      ...['versionId=3HL4kqtJlcpXroDTDmJ', 'partNumber=1', 'acl', 'tagging', 'attributes', 'torrent'],
      ...['legal-hold', 'retention', 'response-content-type=text/x-test', 'response-cache-control=no-store'],
      ...['response-content-disposition=inline', 'response-content-encoding=identity'],
      ...['response-content-language=fr', 'response-expires=Thu%2C%2001%20Jan%202099%2000%3A00%3A00%20GMT'],
    ],
  },
  { operation: 'HeadObject', send: object('HEAD'), headers: READ_HEADERS, query: ['partNumber=1'] },
  {
    operation: 'DeleteObject',
    send: object('DELETE'),
    headers: [
      'x-amz-mfa',
      'x-amz-request-payer',
      'x-amz-bypass-governance-retention',
      'x-amz-expected-bucket-owner',
    ],
    query: ['versionId=3HL4kqtJlcpXroDTDmJ'],
  },
  {
    operation: 'ListObjectsV2',
    send: listing,
    headers: ['x-amz-request-payer', 'x-amz-expected-bucket-owner', 'x-amz-optional-object-attributes'],
    query: ['fetch-owner=true', 'encoding-type=url', 'start-after=a', 'max-keys=2', 'delimiter=%2F'],
  },
  {
    operation: 'bucket sub-resources (GET)',
    send: (bucket, extra) =>
      fixture.target.client.http.send({ method: 'GET', path: `/${bucket}?${extra.query}`, headers: {} }),
    headers: [],
    query: [
      ...['acl', 'tagging', 'versioning', 'lifecycle', 'cors', 'policy', 'policyStatus', 'location'],
      ...['logging', 'notification', 'replication', 'requestPayment', 'encryption', 'object-lock'],
      ...['publicAccessBlock', 'ownershipControls', 'accelerate', 'analytics', 'inventory', 'metrics'],
      ...['intelligent-tiering', 'uploads', 'versions'],
    ],
  },
];

/**
 * Where honouring a name shows cheaply, a 2xx answer must show it: a target that answers 200 and drops
 * the header silently ignored it.
 */
const EFFECTS: Record<string, (bucket: string, result: HttpResult) => Promise<void>> = {
  'x-amz-storage-class': async (bucket) => {
    const head = await fixture.target.client.headObject(bucket, 'surface/object');
    expect(head.headers['x-amz-storage-class'], 'the storage class asked for').toBe('GLACIER');
  },
  'x-amz-website-redirect-location': async (bucket) => {
    const head = await fixture.target.client.headObject(bucket, 'surface/object');
    expect(head.headers['x-amz-website-redirect-location']).toBe('/elsewhere');
  },
  'x-amz-tagging': async (bucket) => {
    const tags = await fixture.target.client.getObject(bucket, 'surface/object', { query: 'tagging' });
    expect(Buffer.from(tags.body).toString(), 'the tag set').toContain('colour');
  },
  'response-content-type': async (_bucket, result) => {
    expect(result.headers['content-type']).toBe('text/x-test');
  },
  'response-cache-control': async (_bucket, result) => {
    expect(result.headers['cache-control']).toBe('no-store');
  },
  'response-content-language': async (_bucket, result) => {
    expect(result.headers['content-language']).toBe('fr');
  },
};

/** The answer honours the name (anything but a server error) or refuses it with 501 naming it. */
function expectHonouredOrRefused(result: HttpResult, name: string, method: string) {
  if (result.status === 501) {
    // A HEAD answer carries no body to name it in.
    if (method === 'HEAD') return;
    expect(errorCode(result), name).toBe('NotImplemented');
    expect(errorMessage(result) ?? '', `the 501 names ${name}`).toContain(name);
    return;
  }
  expect(result.status, `${name}: honoured, or 501 NotImplemented`).toBeLessThan(500);
}

describe('the S3 request vocabulary', () => {
  behaviour(
    's3.unhonoured-refused',
    'every documented S3 request header and sub-resource is honoured or refused with 501 NotImplemented naming it',
    async () => {
      const bucket = await fixture.bucket();
      for (const surface of SURFACES) {
        const method = surface.operation === 'HeadObject' ? 'HEAD' : '';
        for (const header of surface.headers) {
          expect((await fixture.target.client.putObject(bucket, 'surface/object', 'source')).status).toBe(
            200,
          );
          const result = await surface.send(bucket, { headers: { [header]: sampleValue(header) } });
          expectHonouredOrRefused(result, header, method);
          if (result.status < 300 && surface.operation !== 'GetObject')
            await EFFECTS[header]?.(bucket, result);
        }
        for (const parameter of surface.query) {
          expect((await fixture.target.client.putObject(bucket, 'surface/object', 'source')).status).toBe(
            200,
          );
          const result = await surface.send(bucket, { query: parameter });
          const name = parameter.split('=')[0] ?? parameter;
          expectHonouredOrRefused(result, name, method);
          if (result.status < 300) await EFFECTS[name]?.(bucket, result);
        }
      }
    },
  );
});
