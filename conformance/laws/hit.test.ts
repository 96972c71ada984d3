// Hits: a GET on a key the bucket holds is answered from the bucket, and no origin hears of it.

import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { keyArb } from '../arbitraries/keys.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { configure, rule, sha256 } from '../support/mirror-laws.ts';

const fixture = useLawFixture();

describe('hits and misses', () => {
  behaviour('hit.no-origin', 'a GET on an existing key never contacts an origin', async () => {
    await fc.assert(
      fc.asyncProperty(keyArb, fc.uint8Array({ maxLength: 2048 }), async (key, bytes) => {
        const bucket = await fixture.bucket();
        const path = fixture.originPath();
        fixture.origin.scriptPrefix(path, { body: 'from the origin' });
        await configure(fixture, bucket, [rule('all', [`${fixture.origin.url}${path}`])]);
        expect((await fixture.target.client.putObject(bucket, key, bytes)).status).toBe(200);
        const got = await fixture.target.client.getObject(bucket, key);
        expect(got.status).toBe(200);
        expect(sha256(got.body)).toBe(sha256(bytes));
        expect(fixture.origin.requestsUnder(path)).toEqual([]);
      }),
    );
  });
});
