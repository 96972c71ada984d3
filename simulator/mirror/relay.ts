// Streams an origin body to the client while writing it back. Nothing is buffered whole: the client's
// reads pull chunks from the origin, and each chunk goes to the store's writer on its way. The object
// becomes visible only when the body has ended complete; a short body, a reset or an idle origin aborts
// the write, so no partial object is ever stored.

import type { OriginResponse } from '../origin/origin-client.ts';
import type { NewObjectMeta, ObjectMeta, ObjectWriter } from '../storage/object-store.ts';
import type { BackgroundWork } from './background-work.ts';
import type { BodyCheck } from './body-check.ts';

/**
 * Bytes read before the client is answered. A body that ends within it is known to be whole before the
 * status line goes out, so a small truncated object gets a clean 424 instead of a cut connection.
 */
export const PREBUFFER_BYTES = 64 * 1024;

export interface RelayOptions {
  response: OriginResponse;
  maxObjectSize: number;
  /** Absent when the rule does not write back. */
  writer?: ObjectWriter;
  meta: NewObjectMeta;
  /** The key's generation when the miss began: a PUT or DELETE since then wins over this write. */
  ifGeneration: number;
  background: BackgroundWork;
  check: BodyCheck;
  /**
   * Called once: with what was stored when the body ended complete (undefined when nothing was stored,
   * because writing back is off or a PUT or DELETE won), or with the error when the body failed.
   */
  onSettled?: (stored: ObjectMeta | undefined, error?: Error) => void;
}

export type RelayStart =
  | { ok: true; body: ReadableStream<Uint8Array>; stored?: ObjectMeta; complete: boolean }
  | { ok: false; reason: string };

export async function startRelay(options: RelayOptions): Promise<RelayStart> {
  const { response, writer, maxObjectSize } = options;
  const iterator = response.body[Symbol.asyncIterator]();
  let received = 0;
  let done = false;
  let stored: ObjectMeta | undefined;
  let settled = false;
  const settle = (result: ObjectMeta | undefined, error?: Error) => {
    if (settled) return;
    settled = true;
    options.onSettled?.(result, error);
  };

  const fail = (error: unknown): Error => {
    const failure = error instanceof Error ? error : new Error(String(error));
    writer?.abort();
    response.discard();
    settle(undefined, failure);
    return failure;
  };

  /** The next chunk, already written back; null at the end of a complete body. */
  const next = async (): Promise<Uint8Array | null> => {
    const result = await iterator.next();
    if (result.done) {
      options.check.verify();
      done = true;
      stored = writer?.commit(options.meta, { ifGeneration: options.ifGeneration });
      settle(stored);
      return null;
    }
    const chunk = result.value;
    received += chunk.byteLength;
    if (received > maxObjectSize) {
      throw new Error(`the origin sent more than the size cap of ${maxObjectSize} bytes`);
    }
    options.check.update(chunk);
    writer?.write(chunk);
    return chunk;
  };

  const early: Uint8Array[] = [];
  try {
    let buffered = 0;
    while (!done && buffered < PREBUFFER_BYTES) {
      const chunk = await next();
      if (chunk !== null) {
        early.push(chunk);
        buffered += chunk.byteLength;
      }
    }
  } catch (error) {
    return { ok: false, reason: `reading the origin body failed: ${fail(error).message}` };
  }

  const drain = async () => {
    try {
      while (!done) await next();
    } catch (error) {
      fail(error);
    }
  };

  const body = new ReadableStream<Uint8Array>(
    {
      // One chunk is always held back until the next one (or the verified end of the body) has
      // arrived: when the body then fails (short, reset, idle, MD5 mismatch), the client is missing
      // bytes and sees a cut connection, never a complete-looking wrong object.
      async pull(controller) {
        try {
          while (early.length < 2 && !done) {
            const chunk = await next();
            if (chunk !== null) early.push(chunk);
          }
        } catch (error) {
          controller.error(fail(error));
          return;
        }
        const ready = early.shift();
        if (ready === undefined) controller.close();
        else controller.enqueue(ready);
      },
      // The client went away: finish the copy anyway, as a CDN fill does, so its cost is not wasted.
      cancel() {
        options.background.track(drain());
      },
    },
    { highWaterMark: 0 },
  );
  const start: RelayStart = { ok: true, body, complete: done };
  if (stored !== undefined) start.stored = stored;
  return start;
}
