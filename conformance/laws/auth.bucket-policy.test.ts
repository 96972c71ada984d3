// Bucket policies (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html), the
// subset the simulator evaluates, judged against a simulator with two users.

import { afterAll, beforeAll, describe } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../simulator/index.ts';
import type { Keys } from '../client/signed-fetch.ts';
import { behaviour } from '../support/behaviour.ts';
import { judgeBucketPolicy } from '../support/bucket-policy-calls.ts';

const ALICE: Keys = { accessKeyId: 'policy-alice', secretAccessKey: 'alice-secret' };
const BOB: Keys = { accessKeyId: 'policy-bob', secretAccessKey: 'bob-secret' };
let running: RunningSimulator;

beforeAll(async () => {
  running = await startSimulator({ credentials: [ALICE, BOB] });
});

afterAll(async () => {
  await running?.close();
});

describe('bucket policies', () => {
  behaviour(
    'auth.bucket-policy',
    "a policy's Allow opens exactly the actions and resources it names to the principals it names, its Deny binds even the owner, and a policy not honoured whole is refused",
    () => judgeBucketPolicy(running.endpoint, { alice: ALICE, bob: BOB }, 'policied'),
  );
});
