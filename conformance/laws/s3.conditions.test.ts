// Conditional reads of a stored object: If-Match and If-Unmodified-Since fail with 412, If-None-Match and
// If-Modified-Since answer 304, in the order RFC 9110 section 13.2.2 gives and S3 documents [s3-getobject].

import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { keyArb } from '../arbitraries/keys.ts';
import { errorCode } from '../client/http-client.ts';
import { encodeKey } from '../client/s3-client.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';

const fixture = useLawFixture();

type Condition = 'if-match' | 'if-none-match' | 'if-modified-since' | 'if-unmodified-since';

/** What S3 answers a read with these conditions, each holding or not (absent when undefined). */
function expectedStatus(holds: Partial<Record<Condition, boolean>>): number {
  // If-Match overrides If-Unmodified-Since; If-None-Match overrides If-Modified-Since.
  if (!(holds['if-match'] ?? holds['if-unmodified-since'] ?? true)) return 412;
  if (!(holds['if-none-match'] ?? holds['if-modified-since'] ?? true)) return 304;
  return 200;
}

describe('conditional GET and HEAD', () => {
  behaviour(
    's3.conditional-read',
    'a GET or HEAD of a stored object answers 412 or 304 for its conditions exactly as S3 does, precedence included',
    async () => {
      const holdsArb = fc.option(fc.boolean(), { nil: undefined });
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          fc.constantFrom('GET', 'HEAD'),
          holdsArb,
          holdsArb,
          holdsArb,
          holdsArb,
          async (key, method, m, n, ms, us) => {
            const bucket = await fixture.bucket();
            const put = await fixture.target.client.putObject(bucket, key, 'conditional bytes');
            expect(put.status).toBe(200);
            const etag = put.headers.etag ?? '';
            const day = 24 * 3600_000;
            const past = new Date(Date.now() - day).toUTCString();
            const future = new Date(Date.now() + day).toUTCString();
            const other = '"00000000000000000000000000000000"';
            const headers: Record<string, string> = {};
            const holds: Partial<Record<Condition, boolean>> = {};
            const set = (name: Condition, value: boolean | undefined, yes: string, no: string) => {
              if (value === undefined) return;
              holds[name] = value;
              headers[name] = value ? yes : no;
            };
            set('if-match', m, etag, other);
            set('if-none-match', n, other, etag);
            set('if-modified-since', ms, past, future);
            set('if-unmodified-since', us, future, past);
            const result = await fixture.target.client.http.send({
              method,
              path: `/${bucket}/${encodeKey(key)}`,
              headers,
            });
            const want = expectedStatus(holds);
            expect(result.status, `${method} ${JSON.stringify(headers)}`).toBe(want);
            if (want === 412 && method === 'GET') expect(errorCode(result)).toBe('PreconditionFailed');
            if (want === 304) {
              expect(result.body.byteLength).toBe(0);
              expect(result.headers.etag).toBe(etag);
            }
          },
        ),
      );
    },
  );
});
