// Lifecycle rules that abort incomplete multipart uploads
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html),
// judged against a simulator whose clock the law moves: days pass without waiting for them.

import { afterAll, beforeAll, describe } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../simulator/index.ts';
import { behaviour } from '../support/behaviour.ts';
import { judgeLifecycle } from '../support/lifecycle-calls.ts';

const START = new Date('2026-03-10T15:30:00Z');
let now = START.getTime();
let running: RunningSimulator;

beforeAll(async () => {
  running = await startSimulator({ clock: () => new Date(now) });
});

afterAll(async () => {
  await running?.close();
});

describe('bucket lifecycle', () => {
  behaviour(
    's3.lifecycle-abort-uploads',
    'an enabled rule aborts the uploads under its prefix once its days are up, rounded to midnight UTC; what it does not honour is refused and changes nothing',
    () =>
      judgeLifecycle(running.endpoint, 'lifecycled', START, (ms) => {
        now += ms;
      }),
  );
});
