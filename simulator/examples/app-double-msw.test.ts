// An application that reads avatars from S3, tested against the simulator as its S3: msw serves the
// simulator at a made-up endpoint, and a real origin on loopback holds the avatars not yet mirrored.

import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createSimulator, seedSimulator } from 'mirrorspec';
import { mirrorspecHandlers } from 'mirrorspec/msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';

// The application under test.
const s3 = new S3Client({
  endpoint: 'http://s3.mirrorspec.test',
  forcePathStyle: true,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

async function loadAvatar(userId: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: 'avatars', Key: `${userId}.png` }));
  return (await object.Body?.transformToString()) ?? '';
}

// The old site the bucket mirrors from, counting what it is asked for.
const originRequests: string[] = [];
const origin = createServer((req, res) => {
  originRequests.push(req.url ?? '');
  res.writeHead(200, { 'content-type': 'image/png' }).end(`png of ${req.url}`);
});

// The origin is on loopback, which the simulator refuses unless told otherwise.
const simulator = createSimulator({ allowPrivateOrigins: true });
const server = setupServer(...mirrorspecHandlers(simulator, { endpoint: 'http://s3.mirrorspec.test' }));

beforeAll(async () => {
  origin.listen(0, '127.0.0.1');
  await once(origin, 'listening');
  server.listen({ onUnhandledRequest: 'error' });
});

beforeEach(async () => {
  await simulator.reset();
  originRequests.length = 0;
  const { port } = origin.address() as AddressInfo;
  await seedSimulator(simulator, {
    endpoint: 'http://s3.mirrorspec.test',
    buckets: {
      avatars: {
        rules: [{ id: 'old-site', origins: [`http://127.0.0.1:${port}/avatars/`] }],
        objects: { '0.png': 'uploaded png' },
      },
    },
  });
});

afterAll(async () => {
  server.close();
  s3.destroy();
  await simulator.close();
  origin.close();
});

it('mirrors an avatar on the first read and serves it from the bucket afterwards', async () => {
  expect(await loadAvatar('1')).toBe('png of /avatars/1.png');
  expect(originRequests).toEqual(['/avatars/1.png']);

  expect(await loadAvatar('1')).toBe('png of /avatars/1.png');
  expect(originRequests).toHaveLength(1);
});

it('serves an avatar the bucket already holds without asking the origin', async () => {
  expect(await loadAvatar('0')).toBe('uploaded png');
  expect(originRequests).toEqual([]);
});
