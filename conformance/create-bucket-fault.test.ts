// s3.create-bucket-again can fail: its judgement, run against simulators with a planted fault (a
// re-create in us-east-1 answered 409, one that keeps the old ACL), must reject; against the simulator
// as it is, in us-east-1 and in another region, it passes.

import { afterEach, describe, expect, it } from 'vitest';
import { createSimulator, serveFetch } from '../simulator/index.ts';
import { HttpClient } from './client/http-client.ts';
import { bucketRegion, judgeCreateAgain } from './support/create-bucket-calls.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A bare PUT of a bucket, the re-create the law sends. */
const isCreate = (request: Request) =>
  request.method === 'PUT' && /^\/[^/?]+$/.test(new URL(request.url).pathname + new URL(request.url).search);

/** A simulator in `region` on a loopback port with bucket `again` made; `plant` may answer a re-create. */
async function serveWith(region: string, plant?: (request: Request) => Response | 'swallow' | undefined) {
  const simulator = createSimulator({ region });
  let created = false;
  const running = await serveFetch(
    async (request, info) => {
      if (isCreate(request) && created) {
        const planted = plant?.(request);
        if (planted === 'swallow') return new Response(null, { status: 200 });
        if (planted) return planted;
      }
      const response = await simulator.fetch(request, info);
      if (isCreate(request)) created = true;
      return response;
    },
    { host: '127.0.0.1', port: 0 },
  );
  const http = new HttpClient(`http://127.0.0.1:${running.port}`);
  closers.push(async () => {
    await running.close();
    await simulator.close();
  });
  expect((await http.send({ method: 'PUT', path: '/again' })).status).toBe(200);
  return (request: Parameters<HttpClient['send']>[0]) => http.send(request);
}

const conflict = () =>
  new Response('<Error><Code>BucketAlreadyOwnedByYou</Code></Error>', {
    status: 409,
    headers: { 'content-type': 'application/xml' },
  });

describe('the re-create law catches planted faults', () => {
  it('passes against the simulator as it is, in us-east-1 and elsewhere', async () => {
    const east = await serveWith('us-east-1');
    await judgeCreateAgain(east, 'again', (await bucketRegion(east, 'again')) === 'us-east-1');
    const west = await serveWith('eu-west-1');
    expect(await bucketRegion(west, 'again')).toBe('eu-west-1');
    await judgeCreateAgain(west, 'again', false);
  });

  it('fails when a re-create in us-east-1 is 409', async () => {
    const send = await serveWith('us-east-1', conflict);
    await expect(judgeCreateAgain(send, 'again', true)).rejects.toThrow(/in us-east-1/);
  });

  it('fails when the legacy 200 leaves the ACL as it was', async () => {
    const send = await serveWith('us-east-1', () => 'swallow');
    await expect(judgeCreateAgain(send, 'again', true)).rejects.toThrow(/resets the ACL/);
  });
});
