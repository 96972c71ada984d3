import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { breakageArb, configurationArbFor } from '../arbitraries/mirror-rules.ts';
import { errorCode, errorMessage } from '../client/http-client.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { requireNeutralApi } from '../support/mirror-laws.ts';

const fixture = useLawFixture();
// Valid under the profile the suite expects: its rule limit, prefix and https switches.
const validArb = () => configurationArbFor(fixture.target.capabilities.profile);
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

describe('mirror configuration', () => {
  behaviour(
    'config.replace',
    'writing the configuration replaces every earlier rule, and reading it back returns what was written',
    async () => {
      requireNeutralApi(fixture);
      await fc.assert(
        fc.asyncProperty(validArb(), validArb(), async (first, second) => {
          const bucket = await fixture.bucket();
          const client = fixture.target.client;
          expect((await client.putMirror(bucket, first)).status).toBe(200);
          const put = await client.putMirror(bucket, second);
          expect(put.status, text(put.body)).toBe(200);
          const read = await client.getMirror(bucket);
          expect(read.status).toBe(200);
          const stored = JSON.parse(text(read.body)) as { rules: Record<string, unknown>[] };
          // Every field written is read back as written; fields left out may come back with their defaults.
          expect(stored.rules.map((rule) => rule.id)).toEqual(second.rules.map((rule) => rule.id));
          stored.rules.forEach((rule, index) => {
            expect(rule).toMatchObject(second.rules[index] ?? {});
          });
        }),
      );
    },
  );

  behaviour(
    'config.invalid-unchanged',
    'an invalid configuration is rejected with 400 and an S3-style code, and the previous one stays in force',
    async () => {
      requireNeutralApi(fixture);
      await fc.assert(
        fc.asyncProperty(validArb(), breakageArb, async (valid, breakage) => {
          const bucket = await fixture.bucket();
          const client = fixture.target.client;
          expect((await client.putMirror(bucket, valid)).status).toBe(200);
          const before = text((await client.getMirror(bucket)).body);

          const rejected = await client.putMirror(bucket, breakage.body(valid));
          expect(rejected.status, breakage.name).toBe(400);
          expect(['MalformedJSON', 'InvalidMirrorConfiguration', 'MaxMessageLengthExceeded']).toContain(
            errorCode(rejected),
          );
          expect(errorMessage(rejected)?.length ?? 0, 'the message says what to fix').toBeGreaterThan(10);

          expect(text((await client.getMirror(bucket)).body)).toBe(before);
        }),
      );
    },
  );
});
