// When a miss answers its client: at the first chunk of a declared body with more to come, after the whole
// of one that came in one chunk, after the first 64 KiB of one of no declared length. Over a scripted body
// and the in-memory store (no network).

import { describe, expect, it } from 'vitest';
import type { OriginResponse } from '../origin/origin-client.ts';
import { type ChunkSource, sourceStream } from '../server/direct-body.ts';
import { MemoryStore } from '../storage/memory-store.ts';
import { BackgroundWork } from './background-work.ts';
import { OriginBody } from './origin-body.ts';
import { startRelay } from './relay.ts';

/**
 * An origin answer declaring `declared` bytes that sends `first` bytes, then waits for `release()`,
 * then ends, failing as short when `declared` is more than `first`.
 */
function gatedOrigin(declared: number, first: number) {
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const answer: OriginResponse = {
    status: 200,
    headers: { 'content-length': String(declared) },
    body: (async function* () {
      yield new Uint8Array(first).fill(7);
      await gate;
      // As the origin client does: a body that ends before its Content-Length rejects.
      if (declared > first) throw new Error(`the body ended at ${first} of ${declared} bytes`);
    })(),
    discard: () => {},
  };
  return { answer, release };
}

async function bodyOver(answer: OriginResponse): Promise<OriginBody> {
  const store = new MemoryStore();
  await store.createBucket('b');
  return new OriginBody({
    response: answer,
    writer: await store.beginWrite('b', 'k'),
    meta: { userMetadata: {}, acl: 'private' },
    ifGeneration: await store.generation('b', 'k'),
    maxObjectSize: 1 << 30,
    checkMd5: false,
  });
}

describe('the relay of a miss', () => {
  for (const declared of [5000, 1 << 20]) {
    it(`answers a body declared as ${declared} bytes once its first chunk is in, before the rest`, async () => {
      const { answer, release } = gatedOrigin(declared, 1000);
      const origin = await bodyOver(answer);
      const body = await startRelay(origin, new BackgroundWork());
      // Answered while the origin still holds the rest back.
      expect(origin.size).toBe(1000);
      release();
      expect(Array.isArray(body)).toBe(false);
      // The body then proves short of its Content-Length: the client's stream fails (a cut connection).
      await expect(new Response(sourceStream(body as ChunkSource)).arrayBuffer()).rejects.toThrow();
    });
  }

  it('reads a small body of no declared length whole first, so one that fails does before the answer', async () => {
    const answer: OriginResponse = {
      status: 200,
      headers: {},
      // A reset after the first chunk.
      body: (async function* () {
        yield new Uint8Array(1000);
        throw new Error('reset by the origin');
      })(),
      discard: () => {},
    };
    await expect(startRelay(await bodyOver(answer), new BackgroundWork())).rejects.toThrow(
      'reset by the origin',
    );
  });

  it('hands over a small body read whole and verified as its chunks, with no stream', async () => {
    const { answer, release } = gatedOrigin(5000, 5000);
    const origin = await bodyOver(answer);
    release();
    const body = await startRelay(origin, new BackgroundWork());
    expect(origin.done).toBe(true);
    expect(Array.isArray(body) && Buffer.concat(body).equals(Buffer.alloc(5000, 7))).toBe(true);
  });

  it('reads nothing more of a body that fails in the read its client left during', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let failed = false;
    let readsAfterFailure = 0;
    let reads = 0;
    const answer: OriginResponse = {
      status: 200,
      headers: { 'content-length': String(1 << 20) },
      body: {
        [Symbol.asyncIterator]: () => ({
          async next(): Promise<IteratorResult<Uint8Array>> {
            if (failed) {
              readsAfterFailure++;
              return { done: true, value: undefined };
            }
            if (reads++ === 0) return { done: false, value: new Uint8Array(1000) };
            await gate;
            failed = true;
            throw new Error('reset by the origin');
          },
        }),
      },
      discard: () => {},
    };
    const background = new BackgroundWork();
    const source = (await startRelay(await bodyOver(answer), background)) as ChunkSource;
    expect((await source.next())?.byteLength).toBe(1000);
    const pending = source.next();
    // The client leaves while the read waits on the origin, which then resets.
    source.cancel();
    release();
    await expect(pending).rejects.toThrow('reset by the origin');
    expect(await background.settle(1000)).toBe(true);
    expect(readsAfterFailure).toBe(0);
  });
});
