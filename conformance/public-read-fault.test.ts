// auth.public-read-bucket can fail: its judgement, run against a simulator with credentials behind a
// planted fault, must reject; against the simulator as it is, it passes. The faults are the two ways a
// store gets S3's ACLs wrong: a public-read bucket whose listing stays closed to anonymous callers, and a
// bucket ACL that covers every object in it (an object written private is read by anyone).

import { afterEach, describe, expect, it } from 'vitest';
import { createSimulator, type RequestInfo, serveFetch } from '../simulator/index.ts';
import { type Keys, sigV4Headers } from './client/signed-fetch.ts';
import { judgePublicReadBucket, judgePublicWriteBucket } from './support/public-read-calls.ts';

const KEYS: Keys = { accessKeyId: 'fault-access', secretAccessKey: 'fault-secret' };

type Plant = (request: Request, info: RequestInfo) => Promise<Response | Request | undefined>;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A simulator with credentials on a loopback port, `plant` answering or rewriting requests first. */
async function serveWith(plant?: Plant): Promise<string> {
  const simulator = createSimulator({ credentials: KEYS });
  const running = await serveFetch(
    async (request, info) => {
      const planted = await plant?.(request, info);
      if (planted instanceof Response) return planted;
      return simulator.fetch(planted ?? request, planted ? {} : info);
    },
    { host: '127.0.0.1', port: 0 },
  );
  closers.push(async () => {
    await running.close();
    await simulator.close();
  });
  return `http://127.0.0.1:${running.port}`;
}

const anonymous = (request: Request) =>
  !request.headers.has('authorization') && !new URL(request.url).searchParams.has('X-Amz-Signature');

/** The path's segments: [bucket] for a bucket request, [bucket, key…] for an object request. */
const segments = (request: Request) => new URL(request.url).pathname.split('/').filter(Boolean);

/** Anonymous bucket reads are refused as if only objects were public. */
const listingClosed: Plant = async (request) => {
  if (!anonymous(request) || segments(request).length !== 1) return undefined;
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  const body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code></Error>';
  return new Response(body, { status: 403, headers: { 'content-type': 'application/xml' } });
};

/** Anonymous object reads are signed with the owner's keys, as if the bucket's ACL covered them all. */
const bucketAclCoversObjects: Plant = async (request) => {
  if (!anonymous(request) || segments(request).length < 2 || request.method !== 'GET') return undefined;
  const headers = await sigV4Headers({ method: 'GET', url: request.url }, KEYS, 'us-east-1');
  const { host: _host, ...rest } = headers;
  return new Request(request.url, { method: 'GET', headers: rest });
};

describe('the public-read bucket law catches planted faults', () => {
  it('passes against the simulator as it is', async () => {
    await judgePublicReadBucket(await serveWith(), KEYS, 'fault-public');
  });

  it('fails when an anonymous caller may not list a public-read bucket', async () => {
    await expect(judgePublicReadBucket(await serveWith(listingClosed), KEYS, 'fault-public')).rejects.toThrow(
      /an anonymous GET \/fault-public/,
    );
  });

  it("fails when a public-read bucket's ACL opens the objects written private in it", async () => {
    const endpoint = await serveWith(bucketAclCoversObjects);
    await expect(judgePublicReadBucket(endpoint, KEYS, 'fault-public')).rejects.toThrow(
      /an object written private \(closed\) in a public-read bucket/,
    );
  });

  it('the public-read-write law passes against the simulator as it is', async () => {
    await judgePublicWriteBucket(await serveWith(), KEYS, 'fault-dropbox');
  });

  it('the public-read-write law fails when anonymous writes stay refused', async () => {
    const writesClosed: Plant = async (request) => {
      if (!anonymous(request) || (request.method !== 'PUT' && request.method !== 'POST')) return undefined;
      const body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code></Error>';
      return new Response(body, { status: 403, headers: { 'content-type': 'application/xml' } });
    };
    await expect(
      judgePublicWriteBucket(await serveWith(writesClosed), KEYS, 'fault-dropbox'),
    ).rejects.toThrow(/an anonymous PUT into a public-read-write bucket/);
  });
});
