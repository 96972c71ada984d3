// The corners of ListObjectsV2 that SDKs and ceph/s3-tests lean on: max-keys=0, an empty continuation
// token, fetch-owner, and what encoding-type=url encodes
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html).

import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { errorCode } from '../client/http-client.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { xmlField } from '../support/list-objects.ts';

const fixture = useLawFixture();

async function listV2(bucket: string, query: string) {
  const result = await fixture.target.client.http.send({
    method: 'GET',
    path: `/${bucket}?list-type=2${query === '' ? '' : `&${query}`}`,
  });
  return { result, xml: Buffer.from(result.body).toString('utf8') };
}

const entries = (xml: string, element: string) =>
  [...xml.matchAll(new RegExp(`<${element}>(.*?)</${element}>`, 'gs'))].map(([, inner = '']) => inner);

/** Characters URL encoding must change, each in a key, a prefix and a delimiter. */
const awkwardArb = fc.constantFrom(' ', '%', '&', '+', '#', '?', 'é', '😀', '<');

describe('ListObjectsV2 in detail', () => {
  behaviour(
    's3.list-objects-v2-details',
    'ListObjectsV2: max-keys=0 is an empty untruncated page, an empty token is refused, fetch-owner adds owners, url encoding covers every name',
    async () => {
      await fc.assert(
        fc.asyncProperty(awkwardArb, awkwardArb, fc.boolean(), async (inPrefix, delimiter, fetchOwner) => {
          const bucket = await fixture.bucket();
          const prefix = `p${inPrefix}`;
          const keys = [`${prefix}a${delimiter}b`, `${prefix}c`, 'q'];
          for (const key of keys)
            expect((await fixture.target.client.putObject(bucket, key, 'x')).status).toBe(200);

          const zero = await listV2(bucket, 'max-keys=0');
          expect(zero.result.status, zero.xml).toBe(200);
          expect(entries(zero.xml, 'Contents'), 'max-keys=0 lists nothing').toEqual([]);
          expect(xmlField(zero.xml, 'IsTruncated'), 'max-keys=0 is not truncated').toBe('false');

          const empty = await listV2(bucket, 'continuation-token=');
          expect(empty.result.status, empty.xml).toBe(400);
          expect(errorCode(empty.result)).toBe('InvalidArgument');

          const owner = await listV2(bucket, fetchOwner ? 'fetch-owner=true' : '');
          for (const entry of entries(owner.xml, 'Contents')) {
            if (fetchOwner)
              expect(entry, 'fetch-owner=true: every entry has its owner').toMatch(/<Owner>.*<ID>/s);
            else expect(entry, 'without fetch-owner no entry has an owner').not.toContain('<Owner>');
          }

          const encoded = await listV2(
            bucket,
            [
              'encoding-type=url',
              `prefix=${encodeURIComponent(prefix)}`,
              `delimiter=${encodeURIComponent(delimiter)}`,
              `start-after=${encodeURIComponent(`${prefix} `)}`,
            ].join('&'),
          );
          expect(encoded.result.status, encoded.xml).toBe(200);
          const decode = (raw: string | undefined) => decodeURIComponent((raw ?? '').replaceAll('+', ' '));
          const raw = (name: string) => xmlField(encoded.xml, name) ?? '';
          const fields: [string, string][] = [
            ['Prefix', prefix],
            ['Delimiter', delimiter],
            ['StartAfter', `${prefix} `],
          ];
          for (const [name, value] of fields) {
            expect(decode(raw(name)), `${name} decodes to what was sent`).toBe(value);
            expect(raw(name), `${name} is URL-encoded`).toMatch(/^[A-Za-z0-9%+._~-]*$/);
          }
          const common = entries(encoded.xml, 'CommonPrefixes').map(
            (entry) => xmlField(entry, 'Prefix') ?? '',
          );
          expect(common.map(decode)).toEqual([`${prefix}a${delimiter}`]);
          expect(common[0], 'a common prefix is URL-encoded').toMatch(/^[A-Za-z0-9%+._~-]*$/);
          const listed = entries(encoded.xml, 'Contents').map((entry) => xmlField(entry, 'Key') ?? '');
          expect(listed.map(decode)).toEqual([`${prefix}c`]);
          expect(listed[0], 'a key is URL-encoded').toMatch(/^[A-Za-z0-9%+._~-]*$/);
        }),
        { numRuns: 15 },
      );
    },
  );
});
