// An application that reads avatars from S3, tested against the simulator on a port, with nock playing
// the origin: the simulator fetches origins with the global fetch (FetchOriginClient), which nock
// intercepts before any DNS lookup, so the origin's host can be made up.

import { FetchOriginClient, type RunningSimulator, seedSimulator, startSimulator } from 'mirrorspec';
import nock from 'nock';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';

// The application under test, given its S3 endpoint.
async function loadAvatar(endpoint: string, userId: string): Promise<string> {
  const response = await fetch(`${endpoint}/avatars/${userId}.png`);
  if (!response.ok) throw new Error(`avatar ${userId}: ${response.status}`);
  return response.text();
}

let s3: RunningSimulator;

beforeAll(async () => {
  s3 = await startSimulator({ originClient: new FetchOriginClient() });
  // Nothing leaves the process but the application's requests to the simulator.
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});

beforeEach(async () => {
  await s3.simulator.reset();
  nock.cleanAll();
  await seedSimulator(s3.simulator, {
    endpoint: s3.endpoint,
    buckets: { avatars: { rules: [{ id: 'old-site', origins: ['http://origin.example/avatars/'] }] } },
  });
});

afterAll(async () => {
  nock.enableNetConnect();
  nock.cleanAll();
  await s3.close();
});

it('mirrors an avatar on the first read and serves it from the bucket afterwards', async () => {
  const origin = nock('http://origin.example').get('/avatars/1.png').reply(200, 'png of 1');

  expect(await loadAvatar(s3.endpoint, '1')).toBe('png of 1');
  expect(origin.isDone()).toBe(true);

  // nock answers once: a second origin request would fail, so this one comes from the bucket.
  expect(await loadAvatar(s3.endpoint, '1')).toBe('png of 1');
});

it('answers 404 when the origin does not have the avatar either', async () => {
  nock('http://origin.example').get('/avatars/2.png').reply(404);

  await expect(loadAvatar(s3.endpoint, '2')).rejects.toThrow('avatar 2: 404');
});
