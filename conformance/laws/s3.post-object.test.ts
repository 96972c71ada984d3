// Browser-based uploads (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html):
// an HTML form posted to a bucket, its policy signed by the site's server, judged against a simulator
// started with credentials as S3 would judge it.

import { afterAll, beforeAll, describe } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../simulator/index.ts';
import { type Keys, signedFetch } from '../client/signed-fetch.ts';
import { behaviour } from '../support/behaviour.ts';
import { judgePostObject } from '../support/post-object-calls.ts';

const KEYS: Keys = { accessKeyId: 'form-access', secretAccessKey: 'form-secret' };
let running: RunningSimulator;

beforeAll(async () => {
  running = await startSimulator({ credentials: KEYS });
});

afterAll(async () => {
  await running?.close();
});

describe('HTML form uploads', () => {
  behaviour(
    's3.post-object',
    'a signed form stores its file as its fields say; a form its policy refuses is refused as S3 refuses it and stores nothing',
    async () => {
      const made = await signedFetch(running.endpoint, KEYS, { method: 'PUT', path: '/forms' });
      if (made.status !== 200) throw new Error(`CreateBucket: ${made.status} ${await made.text()}`);
      await judgePostObject(running.endpoint, KEYS, 'forms');
    },
  );
});
