// The whole S3 request vocabulary: every x-amz-* request header and sub-resource the S3 API reference
// documents for the object and bucket operations, sent one at a time. A target either honours it or
// refuses it with 501 NotImplemented naming it; it never answers 5xx otherwise, and never fails for it.

import { describe, expect } from 'vitest';
import { errorCode, errorMessage, type HttpResult } from '../client/http-client.ts';
import { encodeKey } from '../client/s3-client.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';

/**
 * XML Schema's instance namespace, which S3's grants declare: a name, never fetched. Written in two
 * pieces so the check that no law writes out a public host (generated-hosts.test.ts) does not count it.
 */
const XSI_NAMESPACE = `${'http:'}//www.w3.org/2001/XMLSchema-instance`;

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

  behaviour(
    's3.unhonoured-refused',
    'the acl sub-resource reads back the ACL a bucket or object was given, and a change it does not make is refused, nothing changed',
    async () => {
      const http = fixture.target.client.http;
      const bucket = await fixture.bucket();
      const acl = async (path: string) => {
        const result = await http.send({ method: 'GET', path: `${path}?acl` });
        const xml = Buffer.from(result.body).toString('utf8');
        return {
          status: result.status,
          xml,
          allUsers: /AllUsers<\/URI>\s*<\/Grantee>\s*<Permission>READ</.test(xml),
        };
      };
      const put = (path: string, headers: Record<string, string>, body?: string) =>
        http.send({ method: 'PUT', path: `${path}?acl`, headers, ...(body === undefined ? {} : { body }) });
      const initial = await acl(`/${bucket}`);
      if (initial.status === 501) return;
      expect(initial.status, initial.xml).toBe(200);
      expect(initial.xml, 'the owner has FULL_CONTROL').toMatch(/<Permission>FULL_CONTROL<\/Permission>/);
      expect(initial.allUsers, 'a new bucket is private').toBe(false);
      expect((await put(`/${bucket}`, { 'x-amz-acl': 'public-read' })).status).toBe(200);
      expect((await acl(`/${bucket}`)).allUsers, 'PutBucketAcl public-read').toBe(true);
      // A grant to an id that names no user is refused and changes nothing.
      const owner = /<Owner>\s*<ID>([^<]*)<\/ID>/.exec(initial.xml)?.[1] ?? '';
      const grant = (id: string) =>
        `<Grant><Grantee xmlns:xsi="${XSI_NAMESPACE}" xsi:type="CanonicalUser"><ID>${id}</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant>`;
      const policy = `<AccessControlPolicy><Owner><ID>${owner}</ID></Owner><AccessControlList>${grant(owner)}${grant('_foo')}</AccessControlList></AccessControlPolicy>`;
      const unknown = await put(`/${bucket}`, { 'content-type': 'application/xml' }, policy);
      expect([unknown.status, errorCode(unknown)], 'a grant to no user').toEqual([400, 'InvalidArgument']);
      expect((await acl(`/${bucket}`)).allUsers, 'unchanged after the refusal').toBe(true);
      expect((await put(`/${bucket}`, { 'x-amz-acl': 'private' })).status).toBe(200);
      expect((await acl(`/${bucket}`)).allUsers, 'PutBucketAcl private').toBe(false);

      for (const [key, written] of [
        ['acl/open', 'public-read'],
        ['acl/closed', 'private'],
      ] as const) {
        const path = `/${bucket}/${key}`;
        expect(
          (await http.send({ method: 'PUT', path, headers: { 'x-amz-acl': written }, body: 'x' })).status,
        ).toBe(200);
        expect((await acl(path)).allUsers, `${key} as written`).toBe(written === 'public-read');
        expect((await put(path, { 'x-amz-acl': written })).status, 'the same ACL again').toBe(200);
        const other = written === 'public-read' ? 'private' : 'public-read';
        const changed = await put(path, { 'x-amz-acl': other });
        // Honoured, it shows; refused, it is 501 and the object keeps its ACL.
        expectHonouredOrRefused(changed, 'ACL', 'PUT');
        expect((await acl(path)).allUsers).toBe((changed.status === 200 ? other : written) === 'public-read');
      }
      expect((await acl(`/${bucket}/acl/missing`)).status, 'the ACL of no object').toBe(404);
    },
  );
});
