// Conditional writes over an object a mirror fetch stored [s3-conditional-writes]: it is held like any
// object a client wrote, so If-None-Match: * refuses and If-Match with its ETag replaces it.

import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { errorCode, type HttpResult } from '../client/http-client.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { configure, rule } from '../support/mirror-laws.ts';

const fixture = useLawFixture();

function expectAnswer(result: HttpResult, expected: { status: number; code?: string }, what: string) {
  expect(result.status, `${what}: ${Buffer.from(result.body).toString('utf8')}`).toBe(expected.status);
  if (expected.code !== undefined) expect(errorCode(result), what).toBe(expected.code);
}

describe('conditional writes over mirrored objects', () => {
  behaviour(
    'stored.conditional-write',
    'an object a mirror fetch stored refuses If-None-Match: * and is replaced under If-Match with its ETag',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('a', 'dir/b', 'é x'), async (key) => {
          const bucket = await fixture.bucket();
          const path = fixture.originPath();
          fixture.origin.scriptPrefix(path, { body: 'mirrored bytes' });
          await configure(fixture, bucket, [rule('all', [`${fixture.origin.url}${path}`])]);
          const mirrored = await fixture.target.client.getObject(bucket, key);
          expect(mirrored.status, 'the mirrored GET').toBe(200);
          await fixture.target.settle(5000);
          const head = await fixture.target.client.headObject(bucket, key);
          expect(head.status, 'the mirrored copy is stored').toBe(200);
          const refused = await fixture.target.client.putObject(bucket, key, 'new', { 'if-none-match': '*' });
          expectAnswer(
            refused,
            { status: 412, code: 'PreconditionFailed' },
            'If-None-Match: * on a mirrored key',
          );
          const kept = await fixture.target.client.getObject(bucket, key);
          expect(Buffer.from(kept.body).toString('utf8'), 'the mirrored copy stays').toBe(
            Buffer.from(mirrored.body).toString('utf8'),
          );
          const etag = head.headers.etag ?? '';
          const replaced = await fixture.target.client.putObject(bucket, key, 'new', { 'if-match': etag });
          expectAnswer(replaced, { status: 200 }, `If-Match ${etag} on a mirrored key`);
          const now = await fixture.target.client.getObject(bucket, key);
          expect(Buffer.from(now.body).toString('utf8')).toBe('new');
          expect(fixture.origin.requestsUnder(path), 'the writes never asked the origin').toHaveLength(1);
        }),
        { numRuns: 5 },
      );
    },
  );
});
