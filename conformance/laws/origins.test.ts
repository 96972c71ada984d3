// Origin order: a rule's origins are asked in turn, the next only after the one before failed.

import fc from 'fast-check';
import { beforeAll, describe, expect } from 'vitest';
import { keyArb } from '../arbitraries/keys.ts';
import { originBytes } from '../origin/scriptable-origin.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import {
  configure,
  expectMirrorFailed,
  expectNoSuchKey,
  refusedOrigin,
  rule,
  sha256,
} from '../support/mirror-laws.ts';

const fixture = useLawFixture();
let refused = '';
beforeAll(async () => {
  refused = await refusedOrigin();
});

type Answer = 'ok' | 'not-found' | 'error' | 'forbidden' | 'refused';
const answerArb = fc.constantFrom<Answer>('ok', 'not-found', 'error', 'forbidden', 'refused');

/** Scripts one origin path prefix to give `answer`, returning the base URL a rule names. */
function scriptAnswer(prefix: string, answer: Answer, seed: number): string {
  if (answer === 'refused') return `${refused}${prefix}`;
  const script =
    answer === 'ok'
      ? { body: { size: 64 + (seed % 100), seed } }
      : { status: answer === 'not-found' ? 404 : answer === 'forbidden' ? 403 : 503 };
  fixture.origin.scriptPrefix(prefix, script);
  return `${fixture.origin.url}${prefix}`;
}

describe('origin order', () => {
  behaviour(
    'origins.in-order',
    "a rule's origins are tried in order; the first success ends it and later origins see nothing",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          keyArb,
          fc.array(answerArb, { minLength: 1, maxLength: 5 }),
          fc.integer({ min: 1, max: 1_000_000 }),
          async (key, answers, seed) => {
            const bucket = await fixture.bucket();
            const base = fixture.originPath();
            const origins = answers.map((answer, index) =>
              scriptAnswer(`${base}/o${index}`, answer, seed + index),
            );
            await configure(fixture, bucket, [rule('all', origins)]);
            const result = await fixture.target.client.getObject(bucket, key);

            // Which answers end the attempt is the profile's: only a success, or (5xx-or-timeout) anything
            // but a 5xx or an unreachable origin [oss-php2][cos-put].
            const failover = fixture.target.capabilities.profile.switches.failover;
            const ends = (answer: Answer) =>
              answer === 'ok' ||
              (failover === '5xx-or-timeout' && answer !== 'error' && answer !== 'refused');
            const ender = answers.findIndex(ends);
            const last = ender === -1 ? answers.length - 1 : ender;
            answers.forEach((answer, index) => {
              if (answer === 'refused') return;
              const seen = fixture.origin.requestsUnder(`${base}/o${index}/`).length;
              expect(seen, `requests to origin ${index}`).toBe(index <= last ? 1 : 0);
            });
            if (answers[ender] === 'ok') {
              expect(result.status).toBe(200);
              expect(sha256(result.body)).toBe(
                sha256(originBytes(64 + ((seed + ender) % 100), seed + ender)),
              );
            } else if (answers[ender] === 'not-found') {
              expectNoSuchKey(result);
            } else if (ender === -1 && answers.every((answer) => answer === 'not-found')) {
              expectNoSuchKey(result);
            } else {
              expectMirrorFailed(result);
            }
          },
        ),
      );
    },
  );
});
