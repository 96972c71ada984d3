// ListObjects version 1 walked page by page as s3cmd and rclone walk it: through NextMarker with a
// delimiter, through the last key without (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html).

import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { xmlField } from '../support/list-objects.ts';

const fixture = useLawFixture();

const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
const decode = (raw: string | undefined) => decodeURIComponent((raw ?? '').replaceAll('+', ' '));

/** What a listing of `keys` under `prefix` and `delimiter` holds, in order: keys and common prefixes. */
function expectedEntries(keys: string[], prefix: string, delimiter: string): string[] {
  const entries = new Set<string>();
  for (const key of [...keys].sort(utf8Order)) {
    if (!key.startsWith(prefix)) continue;
    const cut = delimiter === '' ? -1 : key.indexOf(delimiter, prefix.length);
    entries.add(cut === -1 ? key : key.slice(0, cut + delimiter.length));
  }
  return [...entries].sort(utf8Order);
}

interface V1Page {
  xml: string;
  keys: string[];
  prefixes: string[];
  truncated: boolean;
  marker: string | undefined;
  nextMarker: string | undefined;
}

async function listV1(bucket: string, query: string): Promise<V1Page> {
  const result = await fixture.target.client.http.send({ method: 'GET', path: `/${bucket}?${query}` });
  const xml = Buffer.from(result.body).toString('utf8');
  expect(result.status, xml).toBe(200);
  const keys = [...xml.matchAll(/<Contents>(.*?)<\/Contents>/gs)].map(([, entry = '']) => {
    expect(entry, 'every ListObjects entry names its owner').toMatch(/<Owner>.*<ID>.*<\/ID>.*<\/Owner>/s);
    return decode(xmlField(entry, 'Key'));
  });
  const prefixes = [...xml.matchAll(/<CommonPrefixes>(.*?)<\/CommonPrefixes>/gs)].map(([, entry = '']) =>
    decode(xmlField(entry, 'Prefix')),
  );
  const next = xmlField(xml, 'NextMarker');
  return {
    xml,
    keys,
    prefixes,
    truncated: xmlField(xml, 'IsTruncated') === 'true',
    marker: /<Marker\s*\/>/.test(xml) ? '' : xmlField(xml, 'Marker'),
    nextMarker: next === undefined ? undefined : decode(next),
  };
}

/** Every entry under `prefix`, walked `maxKeys` at a time as a version 1 client walks. */
async function walkV1(bucket: string, prefix: string, delimiter: string, maxKeys: number) {
  const seen: string[] = [];
  let marker = '';
  for (let pages = 0; pages < 60; pages++) {
    const query = [
      'encoding-type=url',
      `prefix=${encodeURIComponent(prefix)}`,
      `max-keys=${maxKeys}`,
      ...(delimiter === '' ? [] : [`delimiter=${encodeURIComponent(delimiter)}`]),
      ...(marker === '' ? [] : [`marker=${encodeURIComponent(marker)}`]),
    ].join('&');
    const page = await listV1(bucket, query);
    expect(decode(page.marker), 'Marker echoes the marker sent').toBe(marker);
    const entries = [...page.keys, ...page.prefixes].sort(utf8Order);
    expect(entries.length, page.xml).toBeLessThanOrEqual(maxKeys);
    seen.push(...entries);
    if (!page.truncated) return seen;
    expect(entries.length, 'a truncated page is full').toBe(maxKeys);
    if (delimiter !== '') {
      expect(page.nextMarker, 'a truncated page with a delimiter names NextMarker').toBe(entries.at(-1));
    }
    marker = page.nextMarker ?? page.keys.at(-1) ?? '';
  }
  throw new Error('ListObjects never stopped being truncated');
}

describe('ListObjects version 1', () => {
  behaviour(
    's3.list-objects-v1',
    'ListObjects followed through NextMarker or the last key lists every key and common prefix once, in order, with owners',
    async () => {
      const keyArb = fc.constantFrom('a', 'a/b', 'a/c/d', 'b', 'b/', 'é', 'a/😀', 'z z', 'a+b', 'c%2F', 'aa');
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(keyArb, { minLength: 1, maxLength: 8 }),
          fc.constantFrom('', 'a', 'a/'),
          fc.constantFrom('', '/'),
          fc.integer({ min: 1, max: 4 }),
          async (keys, prefix, delimiter, maxKeys) => {
            const bucket = await fixture.bucket();
            for (const key of keys)
              expect((await fixture.target.client.putObject(bucket, key, key)).status).toBe(200);
            const listed = await walkV1(bucket, prefix, delimiter, maxKeys);
            expect(listed).toEqual(expectedEntries(keys, prefix, delimiter));
          },
        ),
        { numRuns: 20 },
      );
    },
  );

  behaviour(
    's3.list-objects-v1',
    'with encoding-type=url a listing keeps `/` as it is in keys, common prefixes and the delimiter, and version 1 echoes Prefix as sent',
    async () => {
      const bucket = await fixture.bucket();
      for (const key of ['foo+1/bar', 'foo/bar/xyzzy', 'quux ab/thud', 'asdf+b', '\n/x'])
        expect((await fixture.target.client.putObject(bucket, key, 'x')).status).toBe(200);
      // What SDKs decode and what they do not: botocore decodes Delimiter, Marker and keys of version 1,
      // but not its Prefix, so a version 1 Prefix that came back encoded would reach the caller so.
      for (const [path, prefix] of [
        ['?delimiter=%2F&encoding-type=url', undefined],
        ['?list-type=2&delimiter=%2F&encoding-type=url', undefined],
        ['?prefix=%0A&delimiter=%2F&encoding-type=url', '\n'],
        ['?prefix=foo%2F&encoding-type=url', 'foo/'],
      ] as const) {
        const result = await fixture.target.client.http.send({ method: 'GET', path: `/${bucket}${path}` });
        const xml = Buffer.from(result.body).toString('utf8');
        expect(result.status, xml).toBe(200);
        const delimiter = xmlField(xml, 'Delimiter');
        if (delimiter !== undefined) expect(delimiter, `${path}: the delimiter`).toBe('/');
        if (prefix !== undefined) expect(xmlField(xml, 'Prefix'), `${path}: the prefix echoed`).toBe(prefix);
        const common = [...xml.matchAll(/<CommonPrefixes>(.*?)<\/CommonPrefixes>/gs)].map(
          ([, entry = '']) => xmlField(entry, 'Prefix') ?? '',
        );
        const keys = [...xml.matchAll(/<Contents>(.*?)<\/Contents>/gs)].map(
          ([, entry = '']) => xmlField(entry, 'Key') ?? '',
        );
        if (prefix === undefined) {
          expect(common, `${path}: common prefixes`).toEqual(['%0A/', 'foo%2B1/', 'foo/', 'quux%20ab/']);
          expect(keys, `${path}: keys`).toEqual(['asdf%2Bb']);
        }
        if (prefix === 'foo/') expect(keys.map(decode)).toEqual(['foo/bar/xyzzy']);
      }
    },
  );
});
