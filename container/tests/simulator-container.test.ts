// startSimulatorContainer() as an application's test uses it: the image is its bucket, signed with the
// keys it was given; reset forgets everything; a mirror rule fetches from an origin on loopback.
import { createServer, type Server } from 'node:http';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type RunningSimulatorContainer, startSimulatorContainer } from 'mirrorspec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const credentials = {
  accessKeyId: 'AKIACONTAINERTEST001',
  secretAccessKey: 'container-test-secret-0000000000000000000',
};

function s3(endpoint: string) {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
  });
}

describe('the simulator image on a published port', () => {
  let running: RunningSimulatorContainer;
  beforeAll(async () => {
    running = await startSimulatorContainer({ credentials });
  });
  afterAll(async () => running?.stop());

  it('stores and serves an object for a client signing with its keys', async () => {
    const client = s3(running.endpoint);
    // Access control is on: an unsigned request is refused, the health check stays open.
    expect((await fetch(`${running.endpoint}/app-bucket`, { method: 'PUT' })).status).toBe(403);
    expect((await fetch(`${running.endpoint}/_mirrorspec/health`)).status).toBe(200);
    await client.send(new CreateBucketCommand({ Bucket: 'app-bucket' }));
    await client.send(new PutObjectCommand({ Bucket: 'app-bucket', Key: 'a.txt', Body: 'hello' }));
    const got = await client.send(new GetObjectCommand({ Bucket: 'app-bucket', Key: 'a.txt' }));
    expect(await got.Body?.transformToString()).toBe('hello');
    client.destroy();
  });

  it('forgets every bucket on reset', async () => {
    const client = s3(running.endpoint);
    await running.reset();
    await expect(
      client.send(new GetObjectCommand({ Bucket: 'app-bucket', Key: 'a.txt' })),
    ).rejects.toMatchObject({
      name: 'NoSuchBucket',
    });
    client.destroy();
  });
});

describe('the simulator image on the machine network', () => {
  let running: RunningSimulatorContainer;
  let origin: Server;
  let originHits = 0;
  beforeAll(async () => {
    origin = createServer((request, response) => {
      originHits += 1;
      response.writeHead(200, { 'content-type': 'text/plain' }).end(`origin body of ${request.url}`);
    });
    await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
    running = await startSimulatorContainer({ network: 'host', allowPrivateOrigins: true });
  });
  afterAll(async () => {
    await running?.stop();
    await new Promise((resolve) => origin.close(resolve));
  });

  it('fetches a missing key from an origin on loopback once, then serves the stored copy', async () => {
    const address = origin.address();
    if (address === null || typeof address === 'string') throw new Error('origin has no port');
    await fetch(`${running.endpoint}/site`, { method: 'PUT' });
    const rule = await fetch(`${running.endpoint}/_mirrorspec/buckets/site/mirror`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules: [{ id: 'old', origins: [`http://127.0.0.1:${address.port}/`] }] }),
    });
    expect(rule.status).toBe(200);
    const first = await fetch(`${running.endpoint}/site/img/logo.png`);
    expect(await first.text()).toBe('origin body of /img/logo.png');
    await fetch(`${running.endpoint}/_mirrorspec/settle`, { method: 'POST' });
    const second = await fetch(`${running.endpoint}/site/img/logo.png`);
    expect(await second.text()).toBe('origin body of /img/logo.png');
    expect(originHits).toBe(1);
  });
});
