// The one write loop of a miss, over a scripted body and the in-memory store (no network).

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { OriginResponse } from '../origin/origin-client.ts';
import { MemoryStore } from '../storage/memory-store.ts';
import { OriginBody, type OriginBodyOptions } from './origin-body.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

/** A body of `chunks`, then (optionally) a failure, as an origin client delivers it. */
function response(chunks: string[], headers: Record<string, string> = {}, failAtEnd = false) {
  let discarded = false;
  const answer: OriginResponse = {
    status: 200,
    headers,
    body: (async function* () {
      for (const chunk of chunks) yield bytes(chunk);
      if (failAtEnd) throw new Error('the origin reset the connection');
    })(),
    discard: () => {
      discarded = true;
    },
  };
  return { answer, discarded: () => discarded };
}

async function bodyOver(origin: OriginResponse, extra: Partial<OriginBodyOptions> = {}) {
  const store = new MemoryStore();
  await store.createBucket('b');
  const settled: { stored: boolean; error?: string }[] = [];
  const body = new OriginBody({
    response: origin,
    writer: await store.beginWrite('b', 'k'),
    meta: { userMetadata: {}, acl: 'private' },
    ifGeneration: await store.generation('b', 'k'),
    maxObjectSize: 1024,
    checkMd5: false,
    onSettled: (stored, error) =>
      settled.push(
        error ? { stored: stored !== undefined, error: error.message } : { stored: stored !== undefined },
      ),
    ...extra,
  });
  return { store, body, settled };
}

describe('the write loop of a miss', () => {
  it('stores a complete body whole, once it has ended, and settles once', async () => {
    const { answer } = response(['ab', 'cd']);
    const { store, body, settled } = await bodyOver(answer);
    expect(await body.next()).toEqual(bytes('ab'));
    expect(await store.head('b', 'k')).toBeUndefined();
    const stored = await body.readRest();
    expect(stored?.size).toBe(4);
    expect((await store.head('b', 'k'))?.size).toBe(4);
    expect(settled).toEqual([{ stored: true }]);
  });

  it('stores nothing when the body fails, and releases the origin', async () => {
    const { answer, discarded } = response(['ab'], {}, true);
    const { store, body, settled } = await bodyOver(answer);
    await expect(body.readRest()).rejects.toThrow('reset');
    expect(await store.head('b', 'k')).toBeUndefined();
    expect(discarded()).toBe(true);
    expect(settled).toEqual([{ stored: false, error: 'the origin reset the connection' }]);
  });

  it('stops at the size cap before writing the chunk that crosses it', async () => {
    const { answer } = response(['abc', 'def']);
    const { store, body } = await bodyOver(answer, { maxObjectSize: 5 });
    await expect(body.readRest()).rejects.toThrow('more than the size cap of 5 bytes');
    expect(await store.head('b', 'k')).toBeUndefined();
  });

  it('with the MD5 check on, stores a body that matches its Content-MD5 and refuses one that does not', async () => {
    const md5 = createHash('md5').update('abcd').digest('base64');
    const good = await bodyOver(response(['ab', 'cd'], { 'content-md5': md5 }).answer, { checkMd5: true });
    expect((await good.body.readRest())?.size).toBe(4);
    const bad = await bodyOver(response(['ab', 'ce'], { 'content-md5': md5 }).answer, { checkMd5: true });
    await expect(bad.body.readRest()).rejects.toThrow("the origin's Content-MD5 says");
    expect(await bad.store.head('b', 'k')).toBeUndefined();
  });

  it('without a writer reads, caps and checks the body but stores nothing', async () => {
    const { store, body, settled } = await bodyOver(response(['ab', 'cd']).answer, { writer: undefined });
    expect(await body.readRest()).toBeUndefined();
    expect(body.size).toBe(4);
    expect(await store.head('b', 'k')).toBeUndefined();
    expect(settled).toEqual([{ stored: false }]);
  });

  it('loses to a PUT that landed since the miss began', async () => {
    const { store, body } = await bodyOver(response(['ab']).answer);
    const put = await store.beginWrite('b', 'k');
    await put.write(bytes('user'));
    await put.commit({ userMetadata: {}, acl: 'private' });
    expect(await body.readRest()).toBeUndefined();
    expect((await store.head('b', 'k'))?.size).toBe(4);
  });
});
