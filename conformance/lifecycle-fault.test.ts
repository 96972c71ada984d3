// s3.lifecycle-abort-uploads can fail: its judgement, run against a simulator behind a planted fault,
// must reject; against the simulator as it is, it passes. The faults: lifecycle rules refused (501, as
// before the simulator had them), and rules taken and never carried out.

import { afterEach, describe, expect, it } from 'vitest';
import { createSimulator, serveFetch } from '../simulator/index.ts';
import { judgeLifecycle } from './support/lifecycle-calls.ts';

const START = new Date('2026-03-10T15:30:00Z');
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const isLifecyclePut = (request: Request) =>
  request.method === 'PUT' && new URL(request.url).searchParams.has('lifecycle');

/** A simulator on its own clock; `plant` answers the lifecycle PUT first. */
async function judged(plant?: (request: Request) => Response | undefined): Promise<void> {
  let now = START.getTime();
  const simulator = createSimulator({ clock: () => new Date(now) });
  // A rule a server takes and ignores: what it sends back for GET, as if stored.
  let taken: string | undefined;
  const running = await serveFetch(
    async (request, info) => {
      const planted = isLifecyclePut(request) ? plant?.(request) : undefined;
      if (planted && planted.status === 200) taken = await request.text();
      if (planted) return planted;
      if (
        taken !== undefined &&
        request.method === 'GET' &&
        new URL(request.url).searchParams.has('lifecycle')
      )
        return new Response(taken, { headers: { 'content-type': 'application/xml' } });
      return simulator.fetch(request, info);
    },
    { host: '127.0.0.1', port: 0 },
  );
  closers.push(async () => {
    await running.close();
    await simulator.close();
  });
  await judgeLifecycle(`http://127.0.0.1:${running.port}`, 'lifecycled', START, (ms) => {
    now += ms;
  });
}

describe('the lifecycle law catches planted faults', () => {
  it('passes against the simulator as it is', async () => {
    await judged();
  });

  it('fails against a server without lifecycle rules', async () => {
    await expect(
      judged(() => new Response('<Error><Code>NotImplemented</Code></Error>', { status: 501 })),
    ).rejects.toThrow(/PutBucketLifecycleConfiguration/);
  });

  it('fails against a server that takes rules and never carries them out', async () => {
    await expect(judged(() => new Response(null, { status: 200 }))).rejects.toThrow(/due: the enabled rule/);
  });
});
