// Server-side copy (CopyObject): the destination holds the source's bytes, never the request body, and
// the copy source conditions refuse with 412 [s3-copyobject].

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { keyArb } from '../arbitraries/keys.ts';
import { errorCode } from '../client/http-client.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { xmlField } from '../support/list-objects.ts';
import { sha256 } from '../support/mirror-laws.ts';

const fixture = useLawFixture();

const md5 = (bytes: Uint8Array) => `"${createHash('md5').update(bytes).digest('hex')}"`;
const text = (body: Uint8Array) => Buffer.from(body).toString('utf8');
const metaValueArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,10}$/);

describe('CopyObject', () => {
  behaviour(
    's3.copy-object',
    'a copy stores exactly the source bytes, with the source metadata (COPY) or the request metadata (REPLACE), and answers a CopyObjectResult',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          keyArb,
          fc.uint8Array({ minLength: 1, maxLength: 70_000 }),
          fc.constantFrom(undefined, 'COPY', 'REPLACE'),
          metaValueArb,
          metaValueArb,
          async (sourceKey, destinationKey, bytes, directive, sourceMeta, requestMeta) => {
            const bucket = await fixture.bucket();
            const client = fixture.target.client;
            const source = { bucket, key: sourceKey };
            const put = await client.putObject(bucket, sourceKey, bytes, {
              'content-type': 'image/png',
              'x-amz-meta-origin': sourceMeta,
            });
            expect(put.status).toBe(200);
            const headers: Record<string, string> = {
              'content-type': 'text/plain',
              'x-amz-meta-origin': requestMeta,
            };
            if (directive !== undefined) headers['x-amz-metadata-directive'] = directive;
            const copied = await client.copyObject(bucket, destinationKey, source, headers);
            if (sourceKey === destinationKey && directive !== 'REPLACE') {
              expect(copied.status, 'a copy onto itself without REPLACE').toBe(400);
              expect(errorCode(copied)).toBe('InvalidRequest');
              const kept = await client.getObject(bucket, sourceKey);
              expect(sha256(kept.body)).toBe(sha256(bytes));
              expect(kept.headers['x-amz-meta-origin']).toBe(sourceMeta);
              return;
            }
            expect(copied.status, text(copied.body)).toBe(200);
            expect(text(copied.body)).toMatch(/<CopyObjectResult[ >]/);
            expect(xmlField(text(copied.body), 'ETag')).toBe(md5(bytes));
            expect(Number.isNaN(Date.parse(xmlField(text(copied.body), 'LastModified') ?? ''))).toBe(false);
            const got = await client.getObject(bucket, destinationKey);
            expect(got.status).toBe(200);
            expect(sha256(got.body), 'the source bytes, never the request body').toBe(sha256(bytes));
            expect(got.headers.etag).toBe(md5(bytes));
            const replaced = directive === 'REPLACE';
            expect(got.headers['content-type']).toBe(replaced ? 'text/plain' : 'image/png');
            expect(got.headers['x-amz-meta-origin']).toBe(replaced ? requestMeta : sourceMeta);
          },
        ),
      );
    },
  );

  behaviour(
    's3.copy-object',
    'a copy of a missing source key is 404 NoSuchKey and stores nothing',
    async () => {
      await fc.assert(
        fc.asyncProperty(keyArb, async (key) => {
          const bucket = await fixture.bucket();
          const copied = await fixture.target.client.copyObject(bucket, `${key}.copy`, { bucket, key });
          expect(copied.status).toBe(404);
          expect(errorCode(copied)).toBe('NoSuchKey');
          expect((await fixture.target.client.headObject(bucket, `${key}.copy`)).status).toBe(404);
        }),
      );
    },
  );
});

type Condition = 'if-match' | 'if-none-match' | 'if-modified-since' | 'if-unmodified-since';

/** Whether a copy with these conditions must go ahead, by S3's rules [s3-copyobject]. */
function copyAllowed(conditions: Partial<Record<Condition, boolean>>): boolean {
  const match = conditions['if-match'];
  const unmodified = conditions['if-unmodified-since'];
  const noneMatch = conditions['if-none-match'];
  const modified = conditions['if-modified-since'];
  // If-Match that holds overrides If-Unmodified-Since; If-None-Match overrides If-Modified-Since.
  const first = match ?? unmodified ?? true;
  const second = noneMatch ?? modified ?? true;
  return first && second;
}

describe('copy source conditions', () => {
  behaviour(
    's3.copy-conditions',
    'a copy whose source conditions fail is 412 PreconditionFailed and stores nothing; if-match wins over if-unmodified-since',
    async () => {
      const holdsArb = fc.option(fc.boolean(), { nil: undefined });
      await fc.assert(
        fc.asyncProperty(keyArb, holdsArb, holdsArb, holdsArb, holdsArb, async (key, m, n, ms, us) => {
          const bucket = await fixture.bucket();
          const client = fixture.target.client;
          const put = await client.putObject(bucket, key, 'source bytes');
          expect(put.status).toBe(200);
          const etag = put.headers.etag ?? '';
          const hour = 3600_000;
          const past = new Date(Date.now() - 24 * hour).toUTCString();
          const future = new Date(Date.now() + 24 * hour).toUTCString();
          const headers: Record<string, string> = {};
          const holds: Partial<Record<Condition, boolean>> = {};
          const set = (name: Condition, value: boolean | undefined, yes: string, no: string) => {
            if (value === undefined) return;
            holds[name] = value;
            headers[`x-amz-copy-source-${name}`] = value ? yes : no;
          };
          set('if-match', m, etag, '"00000000000000000000000000000000"');
          set('if-none-match', n, '"00000000000000000000000000000000"', etag);
          set('if-modified-since', ms, past, future);
          set('if-unmodified-since', us, future, past);
          const copied = await client.copyObject(bucket, `${key}.copy`, { bucket, key }, headers);
          const head = await client.headObject(bucket, `${key}.copy`);
          if (copyAllowed(holds)) {
            expect(copied.status, JSON.stringify(headers)).toBe(200);
            expect(head.status).toBe(200);
          } else {
            expect(copied.status, JSON.stringify(headers)).toBe(412);
            expect(errorCode(copied)).toBe('PreconditionFailed');
            expect(head.status, 'nothing stored').toBe(404);
          }
        }),
      );
    },
  );
});
