// Streams an origin body to the client while it is written back. Nothing is buffered whole: the client's
// reads pull chunks through the one write loop (origin-body.ts), which checks and writes each on its way.

import type { BackgroundWork } from './background-work.ts';
import type { OriginBody } from './origin-body.ts';

/**
 * The most a body is read before the client is answered, and the largest declared body read whole first.
 * A body that ends within it is known to be whole before the status line goes out, so a small truncated
 * object gets a clean 424 instead of a cut connection. A larger body with a Content-Length is answered as
 * soon as its first chunk is in: a short one then ends in a cut connection, which the Content-Length
 * makes visible to the client, and the held-back last chunk (below) does the same for a reset or a
 * wrong MD5. A body of no declared length keeps the whole hold, since its size is unknown.
 */
const PREBUFFER_BYTES = 64 * 1024;

/**
 * How far the relay reads the origin ahead of the client: while the client's socket is full, the origin's
 * next chunks are read, checked and written back instead of waiting. Bounded, so a slow client holds at
 * most this much of a body in memory (beside the held-back chunk).
 */
const READ_AHEAD_BYTES = 1024 * 1024;

/**
 * The client's body: a stream, or the chunks themselves when the whole body ended (verified, and written
 * back) within the hold, so the answer is written as a stored object's is. Throws, once the body has
 * failed, when it fails before the client is answered.
 */
export async function startRelay(
  origin: OriginBody,
  background: BackgroundWork,
): Promise<ReadableStream<Uint8Array> | Uint8Array[]> {
  const early: Uint8Array[] = [];
  const declared = origin.declaredSize;
  const answerAtFirstChunk = declared !== undefined && declared > PREBUFFER_BYTES;
  try {
    let buffered = 0;
    while (!origin.done && buffered < PREBUFFER_BYTES && !(answerAtFirstChunk && early.length > 0)) {
      const chunk = await origin.next();
      if (chunk !== null) {
        early.push(chunk);
        buffered += chunk.byteLength;
      }
    }
  } catch (error) {
    throw origin.fail(error);
  }
  if (origin.done) return early;

  return new ReadableStream<Uint8Array>(
    {
      // One chunk is held back until the next one (or the verified end of the body) has arrived: when
      // the body then fails (short, reset, idle, MD5 mismatch), the client is missing bytes and sees a
      // cut connection, never a complete-looking wrong object. While fewer bytes than the declared
      // Content-Length are in, nothing sent can look complete, and the chunk goes out at once (so the
      // status line does too, and a failure after it is a cut, not a connection closed unanswered).
      async pull(controller) {
        try {
          const incomplete = () => declared !== undefined && origin.size < declared;
          while (early.length < 2 && !origin.done && !(early.length === 1 && incomplete())) {
            const chunk = await origin.next();
            if (chunk !== null) early.push(chunk);
          }
        } catch (error) {
          controller.error(origin.fail(error));
          return;
        }
        const ready = early.shift();
        if (ready === undefined) controller.close();
        else controller.enqueue(ready);
      },
      // The client went away: finish the copy anyway, as a CDN fill does, so its cost is not wasted.
      cancel() {
        background.track(origin.readRest());
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: READ_AHEAD_BYTES }),
  );
}
