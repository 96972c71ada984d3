// The gateway store against a real S3 server on loopback (CI: Ceph RGW, `.ci/peers/rgw.sh`). Given by
// MIRRORSPEC_TEST_S3_ENDPOINT, MIRRORSPEC_TEST_S3_ACCESS_KEY and MIRRORSPEC_TEST_S3_SECRET_KEY; without
// an endpoint the file is skipped, and says so. The store contract (store-contract.ts) is run over this
// store elsewhere; these are the gateway's own promises: layout, conditional write-back, multipart.

import { createHash, randomBytes } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewObjectMeta, ObjectStore } from './object-store.ts';
import { S3GatewayStore } from './s3-gateway-store.ts';
import { PART_SIZE } from './s3-gateway-writer.ts';
import { openStore } from './store-url.ts';

const endpoint = process.env.MIRRORSPEC_TEST_S3_ENDPOINT;
const SKIP_REASON =
  'MIRRORSPEC_TEST_S3_ENDPOINT is not set: no S3 server to run the gateway store against ' +
  '(CI sets it to Ceph RGW on loopback; locally: bash .ci/peers/rgw.sh start)';
if (endpoint === undefined) console.log(`s3-gateway-store.test.ts skipped: ${SKIP_REASON}`);
else if (!/^http:\/\/(127\.\d+\.\d+\.\d+|\[::1\]|localhost):\d+\/?$/.test(endpoint))
  throw new Error(`MIRRORSPEC_TEST_S3_ENDPOINT must be a loopback http:// address, got ${endpoint}`);

/** A store over its own prefix of the test bucket, so runs and files never see each other's objects. */
async function open(prefix: string): Promise<ObjectStore> {
  return openStore(`s3://mirrorspec-tests/${prefix}/?endpoint=${endpoint}`, {
    MIRRORSPEC_STORE_ACCESS_KEY_ID: process.env.MIRRORSPEC_TEST_S3_ACCESS_KEY,
    MIRRORSPEC_STORE_SECRET_ACCESS_KEY: process.env.MIRRORSPEC_TEST_S3_SECRET_KEY,
  });
}

const meta = (over: Partial<NewObjectMeta> = {}): NewObjectMeta => ({
  userMetadata: {},
  acl: 'private',
  ...over,
});

async function put(store: ObjectStore, bucket: string, key: string, body: Uint8Array, at?: string) {
  const writer = await store.beginWrite(bucket, key);
  await writer.write(body);
  return writer.commit(meta(), at === undefined ? {} : { ifGeneration: at });
}

async function bytesOf(stream: ReadableStream<Uint8Array> | undefined): Promise<Buffer> {
  if (stream === undefined) throw new Error('no object');
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    chunks.push(value);
  }
}

const md5 = (bytes: Uint8Array) => `"${createHash('md5').update(bytes).digest('hex')}"`;
const byUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe.skipIf(endpoint === undefined)('the gateway store over a real S3 server', () => {
  const run = randomBytes(6).toString('hex');
  let store: ObjectStore;
  let other: ObjectStore;

  beforeAll(async () => {
    store = await open(run);
    // A second store over the same prefix: another `serve` process of the same cluster.
    other = await open(run);
    await store.createBucket('bk');
  });
  afterAll(async () => {
    await store?.reset();
    await store?.close();
    await other?.close();
  });

  it('an object read back has its bytes, its MD5 ETag and every piece of metadata it was committed with', async () => {
    const body = randomBytes(70_000);
    const writer = await store.beginWrite('bk', 'dir/round trip.txt');
    await writer.write(body.subarray(0, 1000));
    await writer.write(body.subarray(1000));
    const stored = await writer.commit(
      meta({
        contentType: 'text/plain; charset=utf-8',
        contentDisposition: 'attachment; filename="é.txt"',
        cacheControl: 'max-age=60',
        userMetadata: { colour: 'bleu ciel', note: 'naïve ☃' },
        originHeaders: { 'x-cos-meta-a': '1' },
        checksum: { algorithm: 'CRC32', value: 'AAAAAA==', type: 'FULL_OBJECT' },
        acl: 'public-read',
      }),
    );
    expect(stored?.etag).toBe(md5(body));
    expect(await store.head('bk', 'dir/round trip.txt')).toEqual(stored);
    expect(await other.head('bk', 'dir/round trip.txt')).toEqual(stored);
    expect((await bytesOf(await other.read('bk', 'dir/round trip.txt'))).equals(body)).toBe(true);
  });

  it('a range read gives exactly the bytes from start to end inclusive', async () => {
    const body = randomBytes(5000);
    await put(store, 'bk', 'ranged', body);
    expect(
      (await bytesOf(await store.read('bk', 'ranged', { start: 10, end: 4099 }))).equals(
        body.subarray(10, 4100),
      ),
    ).toBe(true);
    expect(
      (await bytesOf(await store.read('bk', 'ranged', { start: 4999, end: 4999 }))).equals(
        body.subarray(4999),
      ),
    ).toBe(true);
  });

  it('a listing is in UTF-8 byte order, non-ASCII and 1024-byte keys included, from the cursor on, at most the limit', async () => {
    await store.createBucket('order');
    const keys = ['a b', 'a+b', 'Z', 'z', 'é', '😀', '\uFFFD', 'ab\u0001', 'a%2F', `l${'ĺ'.repeat(511)}`];
    for (const key of keys) await put(other, 'order', key, Buffer.from(key));
    const sorted = [...keys].sort(byUtf8);
    expect(
      (await store.list('order', { prefix: '', startAfter: '', limit: 1000 })).map((e) => e.key),
    ).toEqual(sorted);
    const [, second, third] = sorted;
    expect(
      (await store.list('order', { prefix: '', startAfter: second ?? '', limit: 3 })).map((e) => e.key),
    ).toEqual(sorted.slice(2, 5));
    expect((await store.list('order', { prefix: 'a', startAfter: '', limit: 10 })).map((e) => e.key)).toEqual(
      sorted.filter((key) => key.startsWith('a')),
    );
    const long = keys.at(-1) ?? '';
    expect(Buffer.byteLength(long)).toBe(1023);
    expect((await bytesOf(await store.read('order', long))).toString()).toBe(long);
    expect(third).toBeDefined();
  });

  it("a PUT through the store wins over a mirror write-back begun before it (the generation read was 'absent')", async () => {
    const seen = await store.generation('bk', 'contested');
    const mirror = await other.beginWrite('bk', 'contested');
    await mirror.write(Buffer.from('from the origin'));
    await put(store, 'bk', 'contested', Buffer.from('from the user'));
    expect(await mirror.commit(meta(), { ifGeneration: seen })).toBeUndefined();
    expect((await bytesOf(await other.read('bk', 'contested'))).toString()).toBe('from the user');
  });

  it('planted fault: over a backing store that drops conditional headers, the write-back overwrites the PUT, and the law above sees it', async () => {
    const client = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: {
        accessKeyId: process.env.MIRRORSPEC_TEST_S3_ACCESS_KEY ?? '',
        secretAccessKey: process.env.MIRRORSPEC_TEST_S3_SECRET_KEY ?? '',
      },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    client.middlewareStack.add(
      (next) => async (args) => {
        const headers = (args.request as { headers: Record<string, string> }).headers;
        delete headers['if-none-match'];
        delete headers['if-match'];
        return next(args);
      },
      { step: 'build' },
    );
    const careless = new S3GatewayStore({ client, bucket: 'mirrorspec-tests', prefix: `${run}/` });
    try {
      const seen = await careless.generation('bk', 'carelessly contested');
      const mirror = await careless.beginWrite('bk', 'carelessly contested');
      await mirror.write(Buffer.from('from the origin'));
      await put(store, 'bk', 'carelessly contested', Buffer.from('from the user'));
      expect(await mirror.commit(meta(), { ifGeneration: seen })).toBeDefined();
      expect((await bytesOf(await store.read('bk', 'carelessly contested'))).toString()).toBe(
        'from the origin',
      );
    } finally {
      await careless.close();
    }
  });

  it('a DELETE wins over a mirror write-back begun before it, even of a key that was never there', async () => {
    const seen = await store.generation('bk', 'deleted meanwhile');
    const mirror = await other.beginWrite('bk', 'deleted meanwhile');
    await mirror.write(Buffer.from('from the origin'));
    await store.deleteObject('bk', 'deleted meanwhile');
    expect(await store.generation('bk', 'deleted meanwhile')).not.toBe(seen);
    expect(await mirror.commit(meta(), { ifGeneration: seen })).toBeUndefined();
    expect(await other.head('bk', 'deleted meanwhile')).toBeUndefined();
    expect(await other.read('bk', 'deleted meanwhile')).toBeUndefined();
  });

  it('deleted keys are not listed, and a page after them is still full', async () => {
    await store.createBucket('sparse');
    for (const key of ['a1', 'a2', 'a3', 'b1', 'b2']) await put(store, 'sparse', key, Buffer.from(key));
    for (const key of ['a1', 'a2', 'a3']) await other.deleteObject('sparse', key);
    const page = await store.list('sparse', { prefix: '', startAfter: '', limit: 2 });
    expect(page.map((entry) => entry.key)).toEqual(['b1', 'b2']);
    for (const key of ['b1', 'b2']) await other.deleteObject('sparse', key);
    expect(await store.deleteBucket('sparse')).toBe('deleted');
  });

  it('a write-back with the generation of an object since rewritten, even with the same bytes, stores nothing', async () => {
    await put(store, 'bk', 'rewritten', Buffer.from('same'));
    const seen = await store.generation('bk', 'rewritten');
    await put(other, 'bk', 'rewritten', Buffer.from('same'));
    expect(await store.generation('bk', 'rewritten')).not.toBe(seen);
    expect(await put(other, 'bk', 'rewritten', Buffer.from('stale'), seen)).toBeUndefined();
    // The same write with the generation now current lands: the refusal above was the condition's.
    const now = await store.generation('bk', 'rewritten');
    expect(await put(other, 'bk', 'rewritten', Buffer.from('fresh'), now)).toBeDefined();
    expect((await bytesOf(await store.read('bk', 'rewritten'))).toString()).toBe('fresh');
  });

  it('an object over 16 MiB goes through multipart and is read back whole, across its part boundaries', async () => {
    const size = 2 * PART_SIZE + 123_457;
    const seed = randomBytes(1 << 20);
    const writer = await store.beginWrite('bk', 'large');
    const hash = createHash('md5');
    for (let sent = 0; sent < size; sent += seed.byteLength) {
      const piece = seed.subarray(0, Math.min(seed.byteLength, size - sent));
      hash.update(piece);
      await writer.write(piece);
    }
    const stored = await writer.commit(meta({ contentType: 'application/x-large' }), {
      ifGeneration: await store.generation('bk', 'large'),
    });
    expect(stored).toMatchObject({
      size,
      etag: `"${hash.digest('hex')}"`,
      contentType: 'application/x-large',
    });
    expect(await other.head('bk', 'large')).toEqual(stored);
    const start = PART_SIZE - 10;
    const slice = await bytesOf(await other.read('bk', 'large', { start, end: start + 19 }));
    const expected = Buffer.concat([seed, seed]).subarray(
      start % seed.byteLength,
      (start % seed.byteLength) + 20,
    );
    expect(slice.equals(expected)).toBe(true);
  });

  it('a multipart write-back whose object changed before its commit stores nothing', async () => {
    const seen = await store.generation('bk', 'large-contested');
    const mirror = await other.beginWrite('bk', 'large-contested');
    const chunk = randomBytes(1 << 20);
    for (let i = 0; i < 17; i++) await mirror.write(chunk);
    await put(store, 'bk', 'large-contested', Buffer.from('the user was first'));
    expect(await mirror.commit(meta(), { ifGeneration: seen })).toBeUndefined();
    expect((await bytesOf(await other.read('bk', 'large-contested'))).toString()).toBe('the user was first');
  });

  it('buckets: created once, listed with their date, refused while not empty, their ACL and mirror rules shared', async () => {
    expect(await store.createBucket('shared')).toBe(true);
    expect(await other.createBucket('shared')).toBe(false);
    await other.setBucketAcl('shared', 'public-read');
    expect(await store.bucketAcl('shared')).toBe('public-read');
    // Read by `other` for the first time: its cache of at most 1 s (s3-gateway-catalog.ts) holds nothing.
    const configuration = { rules: [] };
    await store.setMirrorConfiguration('shared', configuration);
    expect(await other.getMirrorConfiguration('shared')).toEqual(configuration);
    expect((await other.listBuckets()).map((b) => b.name)).toContain('shared');
    await put(store, 'shared', 'k', Buffer.from('x'));
    expect(await other.deleteBucket('shared')).toBe('not-empty');
    await other.deleteObject('shared', 'k');
    expect(await store.head('shared', 'k')).toBeUndefined();
    expect(await other.deleteBucket('shared')).toBe('deleted');
    expect(await store.hasBucket('shared')).toBe(false);
    expect(await store.bucketAcl('shared')).toBeUndefined();
  });

  it('reset deletes every bucket, object and configuration of the store, and a write begun before it never lands', async () => {
    const scratch = await open(`${run}-reset`);
    try {
      await scratch.createBucket('gone');
      await put(scratch, 'gone', 'k', Buffer.from('x'));
      const late = await scratch.beginWrite('gone', 'late');
      await late.write(Buffer.from('late'));
      await scratch.reset();
      expect(await late.commit(meta())).toBeUndefined();
      expect(await scratch.listBuckets()).toEqual([]);
      expect(await scratch.hasBucket('gone')).toBe(false);
      expect(await scratch.head('gone', 'k')).toBeUndefined();
      // The other store's prefix is untouched.
      expect(await store.hasBucket('bk')).toBe(true);
    } finally {
      await scratch.close();
    }
  });
});
