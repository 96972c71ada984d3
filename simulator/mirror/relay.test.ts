// When a miss answers its client: at the first chunk of a large declared body, after the whole of a small
// one. Over a scripted body and the in-memory store (no network).

import { describe, expect, it } from 'vitest';
import type { OriginResponse } from '../origin/origin-client.ts';
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
  it('answers a body declared larger than the hold once its first chunk is in, before the rest', async () => {
    const { answer, release } = gatedOrigin(1 << 20, 1000);
    const origin = await bodyOver(answer);
    const body = await startRelay(origin, new BackgroundWork());
    // Answered while the origin still holds the rest back.
    expect(origin.size).toBe(1000);
    release();
    expect(Array.isArray(body)).toBe(false);
    // The body then proves short of its Content-Length: the client's stream fails (a cut connection).
    await expect(new Response(body as ReadableStream<Uint8Array>).arrayBuffer()).rejects.toThrow();
  });

  it('reads a small declared body whole first, so a short one fails before the client is answered', async () => {
    const { answer, release } = gatedOrigin(5000, 1000);
    const origin = await bodyOver(answer);
    release();
    await expect(startRelay(origin, new BackgroundWork())).rejects.toThrow();
  });

  it('hands over a small body read whole and verified as its chunks, with no stream', async () => {
    const { answer, release } = gatedOrigin(5000, 5000);
    const origin = await bodyOver(answer);
    release();
    const body = await startRelay(origin, new BackgroundWork());
    expect(origin.done).toBe(true);
    expect(Array.isArray(body) && Buffer.concat(body).equals(Buffer.alloc(5000, 7))).toBe(true);
  });
});
