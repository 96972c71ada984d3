// auth.bucket-policy can fail: its judgement, run against a simulator with two users behind a planted
// fault, must reject; against the simulator as it is, it passes. The faults: a server without bucket
// policies (501 to ?policy, as before the simulator had them), and one that takes a policy and
// ignores it.

import { afterEach, describe, expect, it } from 'vitest';
import { createSimulator, serveFetch } from '../simulator/index.ts';
import type { Keys } from './client/signed-fetch.ts';
import { judgeBucketPolicy } from './support/bucket-policy-calls.ts';

const users = {
  alice: { accessKeyId: 'fault-alice', secretAccessKey: 'alice-secret' } as Keys,
  bob: { accessKeyId: 'fault-bob', secretAccessKey: 'bob-secret' } as Keys,
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const isPolicyPut = (request: Request) =>
  request.method === 'PUT' && new URL(request.url).searchParams.has('policy');

async function serveWith(plant?: (request: Request) => Response | undefined): Promise<string> {
  const simulator = createSimulator({ credentials: [users.alice, users.bob] });
  const running = await serveFetch(
    async (request, info) => plant?.(request) ?? simulator.fetch(request, info),
    {
      host: '127.0.0.1',
      port: 0,
    },
  );
  closers.push(async () => {
    await running.close();
    await simulator.close();
  });
  return `http://127.0.0.1:${running.port}`;
}

describe('the bucket policy law catches planted faults', () => {
  it('passes against the simulator as it is', async () => {
    await judgeBucketPolicy(await serveWith(), users, 'policied');
  });

  it('fails against a server without bucket policies', async () => {
    const unimplemented = (request: Request) =>
      isPolicyPut(request)
        ? new Response('<Error><Code>NotImplemented</Code></Error>', { status: 501 })
        : undefined;
    await expect(judgeBucketPolicy(await serveWith(unimplemented), users, 'policied')).rejects.toThrow(
      /PutBucketPolicy/,
    );
  });

  it('fails against a server that takes a policy and ignores it', async () => {
    const ignored = (request: Request) =>
      isPolicyPut(request) ? new Response(null, { status: 204 }) : undefined;
    await expect(judgeBucketPolicy(await serveWith(ignored), users, 'policied')).rejects.toThrow(
      /on the object's ARN lets Bob write it/,
    );
  });
});
