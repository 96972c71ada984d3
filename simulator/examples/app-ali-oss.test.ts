// An application on Alibaba Cloud OSS, with the official ali-oss SDK, tested against the simulator in the
// oss profile: the application writes its mirror rules with the SDK's own website call, and reads keys
// its bucket mirrors from an old site (a real origin on loopback).

import { once } from 'node:events';
import { Agent, createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { type RunningSimulator, startSimulator } from 'mirrorspec';
import { afterAll, beforeAll, expect, it } from 'vitest';

/** The part of ali-oss 6.x used here (the package ships no types). */
interface Oss {
  putBucket(name: string): Promise<unknown>;
  putBucketWebsite(name: string, config: { index?: string; routingRules: object[] }): Promise<unknown>;
  getBucketWebsite(name: string): Promise<{ index: string; routingRules: Record<string, unknown>[] }>;
  get(key: string): Promise<{ content: Buffer; res: { headers: Record<string, string> } }>;
}
const OSS = createRequire(import.meta.url)('ali-oss') as new (options: object) => Oss;

const keys = { accessKeyId: 'app-key', accessKeySecret: 'app-secret' };

// ali-oss addresses buckets as `<bucket>.<endpoint host>`; this resolver sends every name to loopback.
const loopback = new Agent({
  lookup: (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
  },
});

const originRequests: string[] = [];
const origin = createServer((req, res) => {
  originRequests.push(req.url ?? '');
  res.writeHead(200, { 'content-type': 'image/jpeg' }).end(`jpeg of ${req.url}`);
});

let simulator: RunningSimulator;
let oss: Oss;

beforeAll(async () => {
  origin.listen(0, '127.0.0.1');
  await once(origin, 'listening');
  // The origin is on loopback, which the simulator refuses unless told otherwise.
  simulator = await startSimulator({
    profile: 'oss',
    allowPrivateOrigins: true,
    credentials: { accessKeyId: keys.accessKeyId, secretAccessKey: keys.accessKeySecret },
  });
  oss = new OSS({
    ...keys,
    bucket: 'photos',
    endpoint: `http://localhost:${simulator.port}`,
    agent: loopback,
  });
});

afterAll(async () => {
  await simulator.close();
  origin.close();
  loopback.destroy();
});

it('writes routing rules with putBucketWebsite and reads them back with getBucketWebsite', async () => {
  const { port } = origin.address() as AddressInfo;
  await oss.putBucket('photos');
  await oss.putBucketWebsite('photos', {
    index: 'index.html',
    routingRules: [
      {
        RuleNumber: 1,
        Condition: { KeyPrefixEquals: 'img/', HttpErrorCodeReturnedEquals: 404 },
        Redirect: { RedirectType: 'Mirror', MirrorURL: `http://127.0.0.1:${port}/old-site/` },
      },
    ],
  });
  const website = await oss.getBucketWebsite('photos');
  expect(website.index).toBe('index.html');
  expect(website.routingRules).toHaveLength(1);
  expect(website.routingRules[0]).toMatchObject({
    RuleNumber: '1',
    Redirect: { RedirectType: 'Mirror', MirrorURL: `http://127.0.0.1:${port}/old-site/` },
  });
});

it('reads a mirrored key through ali-oss: fetched from the old site once, then served by the bucket', async () => {
  originRequests.length = 0;
  const first = await oss.get('img/cat.jpg');
  expect(first.content.toString()).toBe('jpeg of /old-site/img/cat.jpg');
  const again = await oss.get('img/cat.jpg');
  expect(again.content.toString()).toBe('jpeg of /old-site/img/cat.jpg');
  expect(originRequests).toEqual(['/old-site/img/cat.jpg']);
  // Outside the rule's prefix, a missing key stays missing.
  await expect(oss.get('doc/cat.jpg')).rejects.toMatchObject({ status: 404, code: 'NoSuchKey' });
});
