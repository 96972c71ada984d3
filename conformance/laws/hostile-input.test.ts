import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { configurationArbFor } from '../arbitraries/mirror-rules.ts';
import { errorCode } from '../client/http-client.ts';
import { encodeKey } from '../client/s3-client.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { configure, requireNeutralApi, requireOwnBuckets, rule } from '../support/mirror-laws.ts';

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
