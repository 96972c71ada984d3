// Hostile rule documents: whatever PutBucketMirror is sent, it answers with an error and changes nothing.

import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { configurationArbFor } from '../arbitraries/mirror-rules.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { requireNeutralApi } from '../support/mirror-laws.ts';

const fixture = useLawFixture();
// Valid under the profile the suite expects: its rule limit, prefix and https switches.
const validArb = () => configurationArbFor(fixture.target.capabilities.profile);

/** Bodies a configuration endpoint must survive: noise, wrong shapes, deep nesting, sheer size. */
const hostileBodyArb: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 4096 }),
  fc.jsonValue({ maxDepth: 6 }).map((value) => JSON.stringify(value) ?? 'null'),
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify({ rules: [value] })),
  fc
    .jsonValue({ maxDepth: 3 })
    .map((value) => JSON.stringify({ rules: [{ id: 'a', origins: ['http://o.invalid/'], extra: value }] })),
  fc.integer({ min: 100, max: 200_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc.integer({ min: 100, max: 50_000 }).map((depth) => `${'{"rules":'.repeat(depth)}[]${'}'.repeat(depth)}`),
  fc.string({ unit: 'binary', maxLength: 2000 }),
  fc.constantFrom(
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
    '\uFEFF{"rules":[]}',
    '',
    'null',
    '{"rules":null}',
  ),
  fc
    .integer({ min: 128 * 1024 + 1, max: 600 * 1024 })
    .map((size) => `{"rules":[],"pad":"${'x'.repeat(size)}"}`),
);

describe('hostile input', () => {
  behaviour(
    'config.hostile-input',
    'random and hostile bodies at the configuration endpoint get a 4xx, change nothing and leave the server answering',
    async () => {
      requireNeutralApi(fixture);
      await fc.assert(
        fc.asyncProperty(validArb(), hostileBodyArb, async (valid, body) => {
          const bucket = await fixture.bucket();
          const client = fixture.target.client;
          expect((await client.putMirror(bucket, valid)).status).toBe(200);
          const before = Buffer.from((await client.getMirror(bucket)).body).toString();
          const answer = await client.putMirror(bucket, body);
          // A body that happens to be a valid configuration is accepted; anything else is a 4xx.
          if (answer.status !== 200) {
            expect(answer.status).toBeGreaterThanOrEqual(400);
            expect(answer.status).toBeLessThan(500);
            expect(Buffer.from((await client.getMirror(bucket)).body).toString()).toBe(before);
          }
          const health = await client.http.send({ method: 'GET', path: '/_mirrorspec/health' });
          expect(health.status).toBe(200);
        }),
      );
    },
  );
});
