// auth.presigned-expires-range can fail: its judgement, run against a simulator with credentials behind
// a planted fault, must reject; against the simulator as it is, it passes. The faults: an out-of-range
// X-Amz-Expires answered 403 AccessDenied (as RGW answers it), and a URL of 0 seconds taken for one that
// has not expired yet.

import { afterEach, describe, expect, it } from 'vitest';
import { createSimulator, serveFetch } from '../simulator/index.ts';
import { type Keys, signedFetch } from './client/signed-fetch.ts';
import { judgePresignedExpires } from './support/presigned-expires-calls.ts';

const KEYS: Keys = { accessKeyId: 'fault-access', secretAccessKey: 'fault-secret' };

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

type Plant = (request: Request, answer: (request: Request) => Promise<Response>) => Promise<Response>;

/** A simulator with credentials holding /expires/doc.txt, `plant` between it and the network. */
async function serveWith(plant?: Plant): Promise<string> {
  const simulator = createSimulator({ credentials: KEYS });
  const running = await serveFetch(
    (request, info) =>
      plant ? plant(request, (sent) => simulator.fetch(sent)) : simulator.fetch(request, info),
    { host: '127.0.0.1', port: 0 },
  );
  closers.push(async () => {
    await running.close();
    await simulator.close();
  });
  const endpoint = `http://127.0.0.1:${running.port}`;
  expect((await signedFetch(endpoint, KEYS, { method: 'PUT', path: '/expires' })).status).toBe(200);
  const put = await signedFetch(endpoint, KEYS, { method: 'PUT', path: '/expires/doc.txt', body: 'doc' });
  expect(put.status).toBe(200);
  return endpoint;
}

const denied = () =>
  new Response('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>', {
    status: 403,
    headers: { 'content-type': 'application/xml' },
  });

describe('the X-Amz-Expires law catches planted faults', () => {
  it('passes against the simulator as it is', async () => {
    await judgePresignedExpires(await serveWith(), KEYS, '/expires/doc.txt');
  });

  it('fails when an out-of-range X-Amz-Expires is 403', async () => {
    const endpoint = await serveWith(async (request, answer) => {
      const response = await answer(request);
      return response.status === 400 ? denied() : response;
    });
    await expect(judgePresignedExpires(endpoint, KEYS, '/expires/doc.txt')).rejects.toThrow(
      /X-Amz-Expires=604801/,
    );
  });

  it('fails when a URL of 0 seconds is taken as valid', async () => {
    // The fault: what a server does that checks "now > signed + expires" in whole seconds.
    const endpoint = await serveWith(async (request, answer) => {
      if (new URL(request.url).searchParams.get('X-Amz-Expires') !== '0') return answer(request);
      const asOwner = await signedFetch(`${new URL(request.url).origin}`, KEYS, {
        method: 'GET',
        path: new URL(request.url).pathname,
      }).catch(() => undefined);
      return asOwner ?? answer(request);
    });
    await expect(judgePresignedExpires(endpoint, KEYS, '/expires/doc.txt')).rejects.toThrow(
      /X-Amz-Expires=0, correctly signed/,
    );
  });
});
