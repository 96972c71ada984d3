// The plain S3 object API a mirror sits on: listings the suite reads to see what a bucket holds, ranged
// reads, put-then-get, and names S3 refuses. A mirrored object must be as good as a put one, so these
// must hold first.

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { hostileKeyArb, keyArb } from '../arbitraries/keys.ts';
import { storedHeadersArb } from '../arbitraries/origin-scripts.ts';
import { errorCode } from '../client/http-client.ts';
import { encodeKey } from '../client/s3-client.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { type ListParams, listedEntry, listPage } from '../support/list-objects.ts';
import { configure, requireOwnBuckets, rule, sha256 } from '../support/mirror-laws.ts';

const fixture = useLawFixture();

const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** Keys from a small alphabet, so prefixes and delimiters meet; astral and accented characters test the order. */
const segmentArb = fc.constantFrom('a', 'b', 'ab', 'a.b', 'A', 'z', '-', 'é', '😀', '\uff01', 'a b');
const listKeyArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.array(segmentArb, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/')),
  },
  { weight: 1, arbitrary: keyArb },
);

/** What one ListObjectsV2 walk must return: matching keys, and common prefixes in their place. */
function expectedListing(keys: string[], prefix: string, delimiter: string | undefined) {
  const contents: string[] = [];
  const prefixes: string[] = [];
  for (const key of [...keys].sort(utf8Order)) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const cut = delimiter === undefined ? -1 : rest.indexOf(delimiter);
    if (cut === -1) contents.push(key);
    else {
      const common = prefix + rest.slice(0, cut + (delimiter?.length ?? 0));
      if (prefixes.at(-1) !== common) prefixes.push(common);
    }
  }
  return { contents, prefixes };
}

describe('ListObjectsV2', () => {
  behaviour(
    's3.list-objects',
    'a listing followed through its continuation tokens gives every matching key or common prefix once, in UTF-8 byte order',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(listKeyArb, { maxLength: 12 }),
          fc.option(fc.tuple(fc.nat(), fc.nat()), { nil: undefined }),
          fc.option(fc.constantFrom('/', 'b', 'é', '😀', '.b'), { nil: undefined }),
          fc.constantFrom(1, 2, 3, 5, 1000),
          async (keys, cut, delimiter, maxKeys) => {
            const bucket = await fixture.bucket();
            for (const key of keys)
              expect((await fixture.target.client.putObject(bucket, key, '')).status).toBe(200);
            // A prefix cut from one of the keys (on a code point boundary), or none.
            const source = cut === undefined ? undefined : keys[cut[0] % Math.max(keys.length, 1)];
            const points = Array.from(source ?? '');
            const prefix = points.slice(0, cut === undefined ? 0 : cut[1] % (points.length + 1)).join('');
            const expected = expectedListing(keys, prefix, delimiter);

            const contents: string[] = [];
            const prefixes: string[] = [];
            const params: ListParams = { prefix, maxKeys, ...(delimiter === undefined ? {} : { delimiter }) };
            for (let pages = 0; ; pages++) {
              expect(pages, 'the walk ends').toBeLessThan(keys.length + 2);
              const page = await listPage(fixture.target.client, bucket, params);
              const entries = page.contents.length + page.commonPrefixes.length;
              expect(entries).toBeLessThanOrEqual(maxKeys);
              expect(page.keyCount).toBe(entries);
              contents.push(...page.contents.map(({ key }) => key));
              prefixes.push(...page.commonPrefixes);
              if (!page.isTruncated) break;
              expect(page.nextContinuationToken, 'a truncated page says where to go on').toBeDefined();
              expect(entries, 'a truncated page is full').toBe(maxKeys);
              params.continuationToken = page.nextContinuationToken;
            }
            expect(contents).toEqual(expected.contents);
            expect(prefixes).toEqual(expected.prefixes);
          },
        ),
      );
    },
  );
});

type RangeSpec =
  | { kind: 'closed'; first: number; last: number }
  | { kind: 'open'; first: number }
  | { kind: 'suffix'; length: number };

/** The bytes a range selects (RFC 9110 section 14.1.2), or 'unsatisfiable'. */
function selected(range: RangeSpec, size: number): { start: number; end: number } | 'unsatisfiable' {
  if (size === 0) return 'unsatisfiable';
  switch (range.kind) {
    case 'closed':
      return range.first >= size
        ? 'unsatisfiable'
        : { start: range.first, end: Math.min(range.last, size - 1) };
    case 'open':
      return range.first >= size ? 'unsatisfiable' : { start: range.first, end: size - 1 };
    case 'suffix':
      return { start: Math.max(0, size - range.length), end: size - 1 };
  }
}

const header = (range: RangeSpec) =>
  range.kind === 'closed'
    ? `bytes=${range.first}-${range.last}`
    : range.kind === 'open'
      ? `bytes=${range.first}-`
      : `bytes=-${range.length}`;

describe('ranged GET', () => {
  behaviour(
    's3.range-get',
    'a ranged GET of a stored object is 206 with exactly those bytes and Content-Range, or 416 when unsatisfiable',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          fc.uint8Array({ maxLength: 3000 }),
          fc.nat(),
          fc.nat(),
          fc.constantFrom('closed', 'open', 'suffix'),
          async (key, bytes, a, b, kind) => {
            const size = bytes.length;
            const first = a % (size + 5);
            const range: RangeSpec =
              kind === 'closed'
                ? { kind, first, last: first + (b % (size + 10)) }
                : kind === 'open'
                  ? { kind, first }
                  : { kind, length: 1 + (b % (size + 5)) };
            const bucket = await fixture.bucket();
            expect((await fixture.target.client.putObject(bucket, key, bytes)).status).toBe(200);
            const result = await fixture.target.client.getObject(bucket, key, {
              headers: { range: header(range) },
            });
            const want = selected(range, size);
            if (want === 'unsatisfiable') {
              expect(result.status, header(range)).toBe(416);
              expect(errorCode(result)).toBe('InvalidRange');
              return;
            }
            expect(result.status, header(range)).toBe(206);
            expect(result.headers['content-range']).toBe(`bytes ${want.start}-${want.end}/${size}`);
            expect(result.headers['content-length']).toBe(String(want.end - want.start + 1));
            expect(
              Buffer.from(result.body).equals(Buffer.from(bytes.subarray(want.start, want.end + 1))),
            ).toBe(true);
          },
        ),
      );
    },
  );
});

const metaArb = fc.dictionary(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,10}[A-Za-z0-9]$/),
  { maxKeys: 3 },
);

describe('PUT then GET', () => {
  behaviour(
    's3.put-get-roundtrip',
    'a PUT then a GET returns the same bytes, stored headers and metadata with the MD5 ETag; HEAD gives the headers',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          fc.uint8Array({ maxLength: 70_000 }),
          storedHeadersArb,
          metaArb,
          async (key, bytes, headers, meta) => {
            const bucket = await fixture.bucket();
            const sent: Record<string, string> = { ...headers };
            for (const [name, value] of Object.entries(meta)) sent[`x-amz-meta-${name}`] = value;
            const put = await fixture.target.client.putObject(bucket, key, bytes, sent);
            expect(put.status).toBe(200);
            const md5 = `"${createHash('md5').update(bytes).digest('hex')}"`;
            expect(put.headers.etag).toBe(md5);

            const got = await fixture.target.client.getObject(bucket, key);
            expect(got.status).toBe(200);
            expect(sha256(got.body)).toBe(sha256(bytes));
            const head = await fixture.target.client.headObject(bucket, key);
            expect(head.status).toBe(200);
            expect(head.body.byteLength).toBe(0);
            for (const answer of [got, head]) {
              expect(answer.headers.etag).toBe(md5);
              expect(answer.headers['content-length']).toBe(String(bytes.length));
              for (const [name, value] of Object.entries(sent))
                expect(answer.headers[name], name).toBe(value);
            }
          },
        ),
      );
    },
  );
});

const longKeyArb = fc
  .tuple(fc.constantFrom('a', 'é', '字', '😀'), fc.integer({ min: 1, max: 300 }))
  .map(([unit, extra]) => unit.repeat(Math.ceil((1025 + extra) / Buffer.byteLength(unit))));
const badBucketArb = fc.oneof(
  fc.stringMatching(/^[a-z0-9]{1,2}$/),
  fc.stringMatching(/^[a-z0-9]{64,70}$/),
  fc.stringMatching(/^[A-Z][a-z0-9]{3,10}$/),
  fc.stringMatching(/^[a-z0-9]{2,8}_[a-z0-9]{2,8}$/),
  fc.stringMatching(/^[a-z]{2,8}\.\.[a-z]{2,8}$/),
  fc.constantFrom('-starts', 'ends-', '192.168.5.4', 'has space', 'ünïcode'),
);

describe('invalid names', () => {
  behaviour(
    's3.invalid-names',
    'a key over 1024 bytes or an invalid bucket name is a 400 that creates nothing and fetches nothing',
    async () => {
      requireOwnBuckets(fixture);
      await fc.assert(
        fc.asyncProperty(longKeyArb, badBucketArb, async (key, badBucket) => {
          const bucket = await fixture.bucket();
          const path = fixture.originPath();
          fixture.origin.scriptPrefix(path, { body: 'x' });
          // A plain S3 server has no rules to fetch by; the names it must refuse are the same.
          if (fixture.target.ruleApiAbsent === undefined)
            await configure(fixture, bucket, [rule('all', [`${fixture.origin.url}${path}`])]);
          for (const result of [
            await fixture.target.client.getObject(bucket, key),
            await fixture.target.client.putObject(bucket, key, 'x'),
          ]) {
            expect(result.status).toBe(400);
            expect(errorCode(result)).toBe('KeyTooLongError');
          }
          expect(fixture.origin.requestsUnder(path)).toEqual([]);
          const created = await fixture.target.client.http.send({
            method: 'PUT',
            path: `/${encodeKey(badBucket)}`,
          });
          expect(created.status, badBucket).toBe(400);
          expect(errorCode(created)).toBe('InvalidBucketName');
          const listed = await fixture.target.client.http.send({ method: 'GET', path: '/' });
          expect(Buffer.from(listed.body).toString()).not.toContain(`<Name>${badBucket}</Name>`);
        }),
      );
    },
  );
});

describe('keys that stress addressing', () => {
  behaviour(
    's3.hostile-keys',
    'an object put under a key with dot or empty segments, reserved characters, spaces, unicode or 1024 bytes is read, listed and deleted under exactly that key',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          hostileKeyArb,
          fc.uint8Array({ minLength: 1, maxLength: 64 }),
          async (key, bytes) => {
            const bucket = await fixture.bucket();
            expect((await fixture.target.client.putObject(bucket, key, bytes)).status, 'PUT').toBe(200);
            const got = await fixture.target.client.getObject(bucket, key);
            expect(got.status, 'GET').toBe(200);
            expect(sha256(got.body), 'GET body').toBe(sha256(bytes));
            expect((await fixture.target.client.headObject(bucket, key)).status, 'HEAD').toBe(200);
            // Listed under the very key: not normalised (dot segments removed, slashes merged) nor decoded.
            const listed = await listedEntry(fixture.target.client, bucket, key);
            expect(listed?.size, 'listed under the key').toBe(bytes.length);
            expect((await fixture.target.client.deleteObject(bucket, key)).status, 'DELETE').toBe(204);
            expect((await fixture.target.client.headObject(bucket, key)).status, 'HEAD after DELETE').toBe(
              404,
            );
          },
        ),
      );
    },
  );
});
