// The store contract's laws as plain functions over a store: each resolves when the store keeps the law
// and rejects (an assertion error) when it does not. store-contract.ts registers them as test cases for
// every store; store-contract.test.ts runs them on deliberately broken stores to show each one can fail.

import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import type { StoredMirrorConfiguration } from '../core/mirror-config.ts';
import type { NewObjectMeta, ObjectMeta, ObjectStore } from './object-store.ts';
import type { StoreUnderTest } from './store-contract.ts';

export type StoreLaw = (subject: StoreUnderTest) => Promise<void>;

export const PLAIN_META: NewObjectMeta = { userMetadata: {}, acl: 'private' };

/** Writes `bytes` as one object in `chunks`-sized pieces and commits it. */
export async function put(
  store: ObjectStore,
  bucket: string,
  key: string,
  bytes: Uint8Array,
  options: { meta?: NewObjectMeta; ifGeneration?: string; etag?: string; chunk?: number } = {},
): Promise<ObjectMeta | undefined> {
  const writer = await store.beginWrite(bucket, key, { expectedSize: bytes.byteLength });
  const step = Math.max(1, options.chunk ?? 64 * 1024);
  for (let offset = 0; offset < bytes.byteLength; offset += step) {
    await writer.write(bytes.subarray(offset, offset + step));
  }
  return writer.commit(options.meta ?? PLAIN_META, {
    ...(options.ifGeneration !== undefined ? { ifGeneration: options.ifGeneration } : {}),
    ...(options.etag !== undefined ? { etag: options.etag } : {}),
  });
}

/**
 * The object's bytes (or a range of them), or undefined when the store has no such object. A store that
 * also hands out its chunks (readChunks, lookup) must hand out the same bytes, and its lookup the same
 * generation and presence as generation and head.
 */
export async function readBytes(
  store: ObjectStore,
  bucket: string,
  key: string,
  range?: { start: number; end: number },
): Promise<Buffer | undefined> {
  const stream = await store.read(bucket, key, range);
  const bytes = stream === undefined ? undefined : Buffer.from(await new Response(stream).arrayBuffer());
  if (store.readChunks !== undefined) {
    const chunks = await store.readChunks(bucket, key, range);
    const given = chunks === undefined ? undefined : Buffer.concat(chunks);
    if ((given === undefined) !== (bytes === undefined) || (given && bytes && !given.equals(bytes))) {
      throw new Error(
        `readChunks and read disagree on ${bucket}/${key}${range ? ` ${range.start}-${range.end}` : ''}`,
      );
    }
  }
  if (store.lookup !== undefined)
    await lookupAgrees(store.lookup.bind(store), store, bucket, key, range, bytes);
  return bytes;
}

async function lookupAgrees(
  lookup: NonNullable<ObjectStore['lookup']>,
  store: ObjectStore,
  bucket: string,
  key: string,
  range: { start: number; end: number } | undefined,
  bytes: Buffer | undefined,
): Promise<void> {
  const looked = await lookup(bucket, key);
  const given = looked.chunks && looked.meta ? Buffer.concat(looked.chunks(range)) : undefined;
  const where = `${bucket}/${key}${range ? ` ${range.start}-${range.end}` : ''}`;
  if ((looked.meta === undefined) !== (bytes === undefined) || (given && bytes && !given.equals(bytes)))
    throw new Error(`lookup and read disagree on ${where}`);
  if (looked.generation !== (await store.generation(bucket, key)))
    throw new Error(`lookup and generation disagree on ${where}`);
}

function bytesOf(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

export function quotedMd5(bytes: Uint8Array): string {
  return `"${createHash('md5').update(bytes).digest('hex')}"`;
}

/** Every field an object can keep, none left at its default. */
export const FULL_META: NewObjectMeta = {
  contentType: 'text/plain; charset=utf-8',
  contentEncoding: 'gzip',
  contentDisposition: 'attachment; filename="ä.txt"',
  cacheControl: 'max-age=60',
  expires: 'Wed, 21 Oct 2037 07:28:00 GMT',
  userMetadata: { colour: 'blue', ünïcode: 'välue ✓', empty: '' },
  originHeaders: { 'x-example-meta-origin': 'yes', 'x-custom': 'kept as it came' },
  acl: 'public-read',
  checksum: { algorithm: 'CRC32', value: 'AAAAAA==-2', type: 'COMPOSITE' },
};

export const MIRROR_CONFIGURATION: StoredMirrorConfiguration = {
  rules: [
    {
      id: 'site',
      condition: { keyPrefix: 'img/', keySuffix: '.png' },
      mode: 'mirror',
      origins: ['http://127.0.0.1:9/base/', 'http://127.0.0.2:9/'],
      passQueryString: true,
      followRedirects: false,
      headers: { passAll: false, pass: ['x-pass'], remove: [], set: [{ name: 'x-set', value: 'one' }] },
      writeBack: true,
      checkMd5: false,
      acl: 'private',
      triggerOnHead: false,
      failoverOn: ['5XX', '404'],
      redirectStatus: 302,
    },
  ],
};

export async function bucketsLaw({ store }: StoreUnderTest): Promise<void> {
  expect(await store.createBucket('b-two')).toBe(true);
  expect(await store.createBucket('b-two')).toBe(false);
  expect(await store.createBucket('a-one')).toBe(true);
  expect(await store.hasBucket('a-one')).toBe(true);
  expect(await store.hasBucket('c-none')).toBe(false);
  const listed = await store.listBuckets();
  expect(listed.map(({ name }) => name)).toEqual(['a-one', 'b-two']);
  for (const { created } of listed) expect(Number.isNaN(created.getTime())).toBe(false);
  await put(store, 'b-two', 'k', bytesOf('x'));
  expect(await store.deleteBucket('b-two')).toBe('not-empty');
  expect(await store.hasBucket('b-two')).toBe(true);
  expect(await store.deleteBucket('c-none')).toBe('not-found');
  await store.deleteObject('b-two', 'k');
  expect(await store.deleteBucket('b-two')).toBe('deleted');
  expect(await store.hasBucket('b-two')).toBe(false);
  expect((await store.listBuckets()).map(({ name }) => name)).toEqual(['a-one']);
}

export async function aclAndConfigurationLaw({ store }: StoreUnderTest): Promise<void> {
  expect(await store.bucketAcl('none')).toBeUndefined();
  expect(await store.getMirrorConfiguration('none')).toBeUndefined();
  await store.createBucket('acl');
  expect(await store.bucketAcl('acl')).toBe('private');
  await store.setBucketAcl('acl', 'public-read');
  expect(await store.bucketAcl('acl')).toBe('public-read');
  expect(await store.getMirrorConfiguration('acl')).toBeUndefined();
  await store.setMirrorConfiguration('acl', MIRROR_CONFIGURATION);
  expect(await store.getMirrorConfiguration('acl')).toEqual(MIRROR_CONFIGURATION);
  await store.setMirrorConfiguration('acl', undefined);
  expect(await store.getMirrorConfiguration('acl')).toBeUndefined();
}

export async function commitAtomicityLaw({ store }: StoreUnderTest): Promise<void> {
  await store.createBucket('atomic');
  const writer = await store.beginWrite('atomic', 'k', { expectedSize: 6 });
  await writer.write(bytesOf('new'));
  expect(await store.head('atomic', 'k')).toBeUndefined();
  expect(await store.read('atomic', 'k')).toBeUndefined();
  expect(await store.list('atomic', { prefix: '', startAfter: '', limit: 10 })).toEqual([]);
  await writer.write(bytesOf('new'));
  expect(writer.size).toBe(6);
  const meta = await writer.commit(PLAIN_META);
  expect(meta?.size).toBe(6);
  expect(await readBytes(store, 'atomic', 'k')).toEqual(Buffer.from('newnew'));
  await writer.abort(); // after commit: changes nothing
  expect(await readBytes(store, 'atomic', 'k')).toEqual(Buffer.from('newnew'));

  // A rewrite in progress leaves the old object whole and visible; an aborted one leaves it as it was.
  const rewrite = await store.beginWrite('atomic', 'k');
  await rewrite.write(bytesOf('partial'));
  expect(await readBytes(store, 'atomic', 'k')).toEqual(Buffer.from('newnew'));
  await rewrite.abort();
  await rewrite.abort();
  expect(await readBytes(store, 'atomic', 'k')).toEqual(Buffer.from('newnew'));
  expect(await rewrite.commit(PLAIN_META)).toBeUndefined();
  expect(await readBytes(store, 'atomic', 'k')).toEqual(Buffer.from('newnew'));

  const fresh = await store.beginWrite('atomic', 'never');
  await fresh.write(bytesOf('gone'));
  await fresh.abort();
  expect(await store.head('atomic', 'never')).toBeUndefined();
  expect((await store.list('atomic', { prefix: '', startAfter: '', limit: 10 })).map((o) => o.key)).toEqual([
    'k',
  ]);
  // A commit into a bucket that does not exist stores nothing.
  expect(await put(store, 'no-bucket', 'k', bytesOf('x'))).toBeUndefined();
}

export async function concurrentWritersLaw({ store }: StoreUnderTest): Promise<void> {
  await store.createBucket('race');
  const first = await store.beginWrite('race', 'k');
  const second = await store.beginWrite('race', 'k');
  for (let round = 0; round < 4; round++) {
    await first.write(bytesOf('A'.repeat(1000)));
    await second.write(bytesOf('b'.repeat(10)));
  }
  await second.commit({ ...PLAIN_META, userMetadata: { who: 'second' } });
  await first.commit({ ...PLAIN_META, userMetadata: { who: 'first' } });
  const head = await store.head('race', 'k');
  expect(head?.userMetadata).toEqual({ who: 'first' });
  expect(head?.size).toBe(4000);
  expect(await readBytes(store, 'race', 'k')).toEqual(Buffer.from('A'.repeat(4000)));
  expect(head?.etag).toBe(quotedMd5(bytesOf('A'.repeat(4000))));
}

export async function generationsLaw({ store }: StoreUnderTest): Promise<void> {
  await store.createBucket('gen');
  const seen = [await store.generation('gen', 'k')];
  const changed = async () => {
    const now = await store.generation('gen', 'k');
    expect(seen).not.toContain(now);
    seen.push(now);
  };
  await put(store, 'gen', 'k', bytesOf('one'));
  await changed();
  expect(await store.generation('gen', 'k')).toBe(seen.at(-1));
  await put(store, 'gen', 'k', bytesOf('two'));
  await changed();
  await store.deleteObject('gen', 'k');
  await changed();
  await store.deleteObject('gen', 'k');
  await changed();
  // Another key's writes do not change this key's token.
  const before = await store.generation('gen', 'k');
  await put(store, 'gen', 'other', bytesOf('x'));
  expect(await store.generation('gen', 'k')).toBe(before);
}

export async function ifGenerationLaw({ store }: StoreUnderTest): Promise<void> {
  await store.createBucket('cond');
  // A conditional commit over an unchanged key (absent, then present) is stored.
  const absent = await store.generation('cond', 'k');
  expect(await put(store, 'cond', 'k', bytesOf('mirror'), { ifGeneration: absent })).toBeDefined();
  const current = await store.generation('cond', 'k');
  expect(await put(store, 'cond', 'k', bytesOf('mirror2'), { ifGeneration: current })).toBeDefined();

  // A PUT in between wins: the conditional commit is refused and the PUT's bytes stay.
  const beforePut = await store.generation('cond', 'k');
  const mirror = await store.beginWrite('cond', 'k');
  await mirror.write(bytesOf('from origin'));
  await put(store, 'cond', 'k', bytesOf('user put'));
  expect(await mirror.commit(PLAIN_META, { ifGeneration: beforePut })).toBeUndefined();
  expect(await readBytes(store, 'cond', 'k')).toEqual(Buffer.from('user put'));

  // A DELETE in between wins too: nothing is resurrected.
  const beforeDelete = await store.generation('cond', 'k');
  const late = await store.beginWrite('cond', 'k');
  await late.write(bytesOf('from origin'));
  await store.deleteObject('cond', 'k');
  expect(await late.commit(PLAIN_META, { ifGeneration: beforeDelete })).toBeUndefined();
  expect(await store.head('cond', 'k')).toBeUndefined();
}

export async function etagOptionLaw({ store }: StoreUnderTest): Promise<void> {
  await store.createBucket('etag');
  const single = await put(store, 'etag', 'single', bytesOf('hello'));
  expect(single?.etag).toBe(quotedMd5(bytesOf('hello')));
  const multipart = await put(store, 'etag', 'multi', bytesOf('hello'), {
    etag: '"0123456789abcdef0123456789abcdef-3"',
  });
  expect(multipart?.etag).toBe('"0123456789abcdef0123456789abcdef-3"');
  expect((await store.head('etag', 'multi'))?.etag).toBe('"0123456789abcdef0123456789abcdef-3"');
  const listed = await store.list('etag', { prefix: 'multi', startAfter: '', limit: 1 });
  expect(listed[0]?.meta.etag).toBe('"0123456789abcdef0123456789abcdef-3"');
}

export async function metadataLaw({ store }: StoreUnderTest): Promise<void> {
  await store.createBucket('meta');
  const before = Date.now();
  const stored = await put(store, 'meta', 'k', bytesOf('body'), { meta: FULL_META });
  const after = Date.now();
  expect(stored).toBeDefined();
  expect(stored).toMatchObject({ ...FULL_META, size: 4, etag: quotedMd5(bytesOf('body')) });
  const modified = stored?.lastModified.getTime() ?? Number.NaN;
  // Stores may keep whole seconds, as S3 reports them.
  expect(modified).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
  expect(modified).toBeLessThanOrEqual(after);
  expect(await store.head('meta', 'k')).toEqual(stored);
  const [listed] = await store.list('meta', { prefix: '', startAfter: '', limit: 1 });
  expect(listed).toEqual({ key: 'k', meta: stored });
}

export async function resetLaw({ store }: StoreUnderTest): Promise<void> {
  await store.createBucket('r');
  await store.setBucketAcl('r', 'public-read');
  await store.setMirrorConfiguration('r', MIRROR_CONFIGURATION);
  await put(store, 'r', 'k', bytesOf('x'));
  const pending = await store.beginWrite('r', 'pending');
  await pending.write(bytesOf('begun before the reset'));
  await store.reset();
  expect(await store.listBuckets()).toEqual([]);
  expect(await store.hasBucket('r')).toBe(false);
  expect(await store.head('r', 'k')).toBeUndefined();
  await store.createBucket('r');
  expect(await pending.commit(PLAIN_META)).toBeUndefined();
  expect(await store.head('r', 'pending')).toBeUndefined();
  expect(await store.head('r', 'k')).toBeUndefined();
  expect(await store.bucketAcl('r')).toBe('private');
  expect(await store.getMirrorConfiguration('r')).toBeUndefined();
}
