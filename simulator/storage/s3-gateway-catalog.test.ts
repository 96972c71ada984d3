// What listing the buckets costs the gateway store over a real S3 server on loopback (CI: Ceph RGW),
// given by MIRRORSPEC_TEST_S3_ENDPOINT and its keys as in s3-gateway-store.test.ts (skipped without
// one, and says so). Checking a mirror rule reads every bucket and its configuration: that must cost a
// listing, not a request per bucket, or a run that makes a bucket per property run slows to a halt
// (s3-gateway-catalog.ts). The requests are counted as the backing store receives them.

import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, DeleteObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3GatewayStore } from './s3-gateway-store.ts';

const endpoint = process.env.MIRRORSPEC_TEST_S3_ENDPOINT;
if (endpoint === undefined)
  console.log('s3-gateway-catalog.test.ts skipped: MIRRORSPEC_TEST_S3_ENDPOINT is not set (no S3 server)');
else if (!/^http:\/\/(127\.\d+\.\d+\.\d+|\[::1\]|localhost):\d+\/?$/.test(endpoint))
  throw new Error(`MIRRORSPEC_TEST_S3_ENDPOINT must be a loopback http:// address, got ${endpoint}`);

const BUCKETS = 40;

/** A store whose every backing request is counted by its command's name. */
function countingStore(prefix: string) {
  const client = new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: {
      accessKeyId: process.env.MIRRORSPEC_TEST_S3_ACCESS_KEY ?? '',
      secretAccessKey: process.env.MIRRORSPEC_TEST_S3_SECRET_KEY ?? '',
    },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const sent = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => (args) => {
      const name = String(context.commandName);
      sent.set(name, (sent.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize' },
  );
  const store = new S3GatewayStore({ client, bucket: 'mirrorspec-tests', prefix: `${prefix}/` });
  return { store, sent, client, prefix: `${prefix}/` };
}

/** A bucket's date as its marker says, read by HEAD (the listing's answer is checked against it). */
async function dateOf(from: ReturnType<typeof countingStore>, bucket: string): Promise<Date | undefined> {
  const head = await from.client.send(
    new HeadObjectCommand({ Bucket: 'mirrorspec-tests', Key: `${from.prefix}buckets/${bucket}` }),
  );
  return head.Metadata?.created === undefined ? undefined : new Date(head.Metadata.created);
}

const rules = (n: number) => ({ rules: [{ id: `r${n}` }] }) as never;

describe.skipIf(endpoint === undefined)('listing the buckets over a real S3 server', () => {
  const run = randomBytes(6).toString('hex');
  const a = countingStore(`${run}-catalog`);
  // Another `serve` process over the same prefix.
  const b = countingStore(`${run}-catalog`);
  const names = Array.from({ length: BUCKETS }, (_, i) => `cat-${String(i).padStart(2, '0')}`);

  beforeAll(async () => {
    // The backing bucket, unless another test file made it first (a fresh server has none; `serve
    // --store` makes it through s3-gateway-open.ts, which these stores built by hand skip).
    await a.client.send(new CreateBucketCommand({ Bucket: 'mirrorspec-tests' })).catch((error: unknown) => {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 409)
        throw error;
    });
    await a.store.reset();
    for (const [i, name] of names.entries()) {
      await a.store.createBucket(name);
      if (i % 2 === 0) await a.store.setMirrorConfiguration(name, rules(i));
    }
  });
  afterAll(async () => {
    await a.store.reset();
    await a.store.close();
    await b.store.close();
  });

  it('buckets and their mirror configurations are read once; listing again costs listings only', async () => {
    const first = await b.store.listBuckets();
    expect(first.map(({ name }) => name)).toEqual(names);
    for (const { name, created } of first) expect(created).toEqual((await dateOf(a, name)) as Date);
    // A process new to the buckets: three listings (markers, dates, configurations), a GET for each
    // configuration, and no HEAD of a marker.
    expect(Object.fromEntries(b.sent)).toEqual({ ListObjectsV2Command: 3, GetObjectCommand: BUCKETS / 2 });
    b.sent.clear();
    const again = await b.store.listBuckets();
    expect(again).toEqual(first);
    for (const [i, name] of names.entries())
      expect(await b.store.getMirrorConfiguration(name)).toEqual(i % 2 === 0 ? rules(i) : undefined);
    // Three areas of fewer than a thousand keys: one page each, and nothing per bucket.
    expect(Object.fromEntries(b.sent)).toEqual({ ListObjectsV2Command: 3 });
  });

  it('a configuration changed or a bucket made again through another process is read again, and only it', async () => {
    await b.store.listBuckets();
    await a.store.setMirrorConfiguration('cat-03', rules(103));
    await a.store.setMirrorConfiguration('cat-04', undefined);
    await a.store.setBucketAcl('cat-05', 'public-read');
    expect(await a.store.deleteBucket('cat-06')).toBe('deleted');
    expect(await a.store.createBucket('cat-06')).toBe(true);
    b.sent.clear();
    const listed = await b.store.listBuckets();
    expect(listed.map(({ name }) => name)).toEqual(names);
    expect(await b.store.getMirrorConfiguration('cat-03')).toEqual(rules(103));
    expect(await b.store.getMirrorConfiguration('cat-04')).toBeUndefined();
    expect(await b.store.getMirrorConfiguration('cat-06')).toBeUndefined();
    expect(await b.store.getMirrorConfiguration('cat-02')).toEqual(rules(2));
    expect(listed.find(({ name }) => name === 'cat-06')?.created).toEqual(await dateOf(a, 'cat-06'));
    // Only the changed configuration is fetched; the rewritten and the new marker are dated by listing.
    expect(Object.fromEntries(b.sent)).toEqual({ ListObjectsV2Command: 3, GetObjectCommand: 1 });
  });

  it('a marker without its date (lost to a crash between the two writes) is HEADed, once', async () => {
    const created = (await dateOf(a, 'cat-07')) as Date;
    const dates = `${a.prefix}dates/cat-07/${created.toISOString()}`;
    await a.client.send(new DeleteObjectCommand({ Bucket: 'mirrorspec-tests', Key: dates }));
    b.sent.clear();
    expect((await b.store.listBuckets()).find(({ name }) => name === 'cat-07')?.created).toEqual(created);
    expect(b.sent.get('HeadObjectCommand')).toBe(1);
    b.sent.clear();
    await b.store.listBuckets();
    expect(b.sent.get('HeadObjectCommand')).toBeUndefined();
  });
});
