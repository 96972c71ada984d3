// DeleteObjects, every client's batch delete (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html):
// the listed keys go, the others stay, the answer says so; and a request S3 refuses deletes nothing.

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { errorCode, type HttpResult } from '../client/http-client.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { listPage, xmlField } from '../support/list-objects.ts';

const fixture = useLawFixture();

const escapeXml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
const md5 = (body: string) => createHash('md5').update(body, 'utf8').digest('base64');

function deleteBody(keys: string[], quiet: boolean): string {
  const objects = keys.map((key) => `<Object><Key>${escapeXml(key)}</Key></Object>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><Delete>${quiet ? '<Quiet>true</Quiet>' : ''}${objects}</Delete>`;
}

function deleteObjects(bucket: string, body: string, headers: Record<string, string>): Promise<HttpResult> {
  return fixture.target.client.http.send({
    method: 'POST',
    path: `/${bucket}?delete`,
    headers: { 'content-type': 'application/xml', ...headers },
    body,
  });
}

async function storedKeys(bucket: string): Promise<string[]> {
  const page = await listPage(fixture.target.client, bucket, { maxKeys: 1000 });
  return page.contents.map((entry) => entry.key).sort();
}

const keyArb = fc.constantFrom(
  'a',
  'b/c',
  'd e',
  'é',
  'x&y',
  '<tag>',
  'q"uote',
  'emoji😀',
  ' lead',
  'trail ',
);

describe('DeleteObjects', () => {
  behaviour(
    's3.delete-objects',
    'DeleteObjects deletes exactly the keys it lists and names each as Deleted, or none in quiet mode',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(keyArb, { minLength: 1, maxLength: 6 }),
          fc.uniqueArray(keyArb, { minLength: 1, maxLength: 6 }),
          fc.boolean(),
          async (stored, listed, quiet) => {
            const bucket = await fixture.bucket();
            for (const key of stored)
              expect((await fixture.target.client.putObject(bucket, key, key)).status).toBe(200);
            const body = deleteBody(listed, quiet);
            const result = await deleteObjects(bucket, body, { 'content-md5': md5(body) });
            const xml = Buffer.from(result.body).toString('utf8');
            expect(result.status, xml).toBe(200);
            expect(xml).toContain('DeleteResult');
            expect(xml, 'no key fails').not.toContain('<Error>');
            const deleted = [...xml.matchAll(/<Deleted>(.*?)<\/Deleted>/gs)].map(
              ([, entry = '']) => xmlField(entry, 'Key') ?? '',
            );
            expect(deleted.sort(), 'the keys named Deleted').toEqual(quiet ? [] : [...listed].sort());
            const kept = stored.filter((key) => !listed.includes(key)).sort();
            expect(await storedKeys(bucket), 'the keys left in the bucket').toEqual(kept);
          },
        ),
        { numRuns: 20 },
      );
    },
  );

  behaviour(
    's3.delete-objects',
    'DeleteObjects of the null versions ListObjectVersions names, bypassing governance retention, deletes them; so does DeleteObject',
    async () => {
      const bucket = await fixture.bucket();
      for (const key of ['a', 'b', 'c'])
        expect((await fixture.target.client.putObject(bucket, key, key)).status).toBe(200);
      // The clean-up of ceph/s3-tests: every version listed, deleted in one batch with the bypass header
      // (boto3 spells the boolean as Python does); an unversioned bucket's objects are null versions.
      const bypass = { 'x-amz-bypass-governance-retention': 'True' };
      const objects = ['a', 'b'].map(
        (key) => `<Object><Key>${key}</Key><VersionId>null</VersionId></Object>`,
      );
      const body = `<Delete><Quiet>true</Quiet>${objects.join('')}</Delete>`;
      const batch = await deleteObjects(bucket, body, { 'content-md5': md5(body), ...bypass });
      expect(batch.status, Buffer.from(batch.body).toString('utf8')).toBe(200);
      const single = await fixture.target.client.http.send({
        method: 'DELETE',
        path: `/${bucket}/c`,
        headers: { 'x-amz-bypass-governance-retention': 'true' },
      });
      expect(single.status, Buffer.from(single.body).toString('utf8')).toBe(204);
      expect(await storedKeys(bucket), 'the keys left in the bucket').toEqual([]);
    },
  );

  behaviour(
    's3.delete-objects-checked',
    'DeleteObjects without an integrity header, with a wrong Content-MD5 or with over 1000 objects is refused and deletes nothing',
    async () => {
      const bucket = await fixture.bucket();
      for (const key of ['a', 'b'])
        expect((await fixture.target.client.putObject(bucket, key, key)).status).toBe(200);
      const body = deleteBody(['a', 'b'], false);
      const bare = await deleteObjects(bucket, body, {});
      expect(bare.status, 'no Content-MD5 nor checksum').toBe(400);
      expect(errorCode(bare)).toBe('InvalidRequest');
      const wrong = await deleteObjects(bucket, body, { 'content-md5': md5(`${body} `) });
      expect(wrong.status, 'a Content-MD5 of other bytes').toBe(400);
      expect(errorCode(wrong)).toBe('BadDigest');
      const many = deleteBody(
        Array.from({ length: 1001 }, (_, index) => (index === 0 ? 'a' : `k${index}`)),
        false,
      );
      const tooMany = await deleteObjects(bucket, many, { 'content-md5': md5(many) });
      expect(tooMany.status, '1001 objects').toBe(400);
      expect(errorCode(tooMany)).toBe('MalformedXML');
      expect(await storedKeys(bucket), 'nothing was deleted').toEqual(['a', 'b']);
    },
  );
});
