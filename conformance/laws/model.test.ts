// The model-based law: the target driven with generated sequences of commands, every answer compared
// with a model of the bucket.

import fc from 'fast-check';
import { describe } from 'vitest';
import { mirrorCommandsArb, modelRule, originContentArb, scriptOrigin } from '../models/commands.ts';
import {
  initialModel,
  type MirrorModel,
  type MirrorReal,
  MODEL_KEYS,
  type ModelKey,
  type OriginContent,
} from '../models/mirror-model.ts';
import { behaviour } from '../support/behaviour.ts';
import { type LawFixture, useLawFixture } from '../support/law-fixture.ts';
import { configure, requireOwnBuckets } from '../support/mirror-laws.ts';

const fixture = useLawFixture();

async function setUpModel(
  f: LawFixture,
  origin: Map<ModelKey, OriginContent>,
): Promise<{ model: MirrorModel; real: MirrorReal }> {
  const bucket = await f.bucket();
  const path = f.originPath();
  const real: MirrorReal = {
    client: f.target.client,
    rules: f.target.rules,
    origin: f.origin,
    bucket,
    path,
    originBase: `${f.origin.url}${path}`,
    async settle() {
      if (!(await f.target.settle(5000))) throw new Error('the target did not settle within 5 s');
    },
  };
  for (const [key, content] of origin) scriptOrigin(real, key, content);
  await configure(f, bucket, [modelRule(real)]);
  return { model: initialModel(origin, f.target.capabilities.profile), real };
}

const initialOriginArb = fc
  .tuple(...MODEL_KEYS.map(() => originContentArb))
  .map((contents) => new Map(MODEL_KEYS.map((key, i) => [key, contents[i] as OriginContent])));

describe('model of one bucket', () => {
  behaviour(
    'model.commands',
    'any sequence of puts, gets, heads, deletes, origin changes and failures and rule replacements is answered as the model says',
    async () => {
      requireOwnBuckets(fixture);
      await fc.assert(
        fc.asyncProperty(initialOriginArb, mirrorCommandsArb, (origin, commands) =>
          fc.asyncModelRun(() => setUpModel(fixture, origin), commands),
        ),
      );
    },
  );
});
