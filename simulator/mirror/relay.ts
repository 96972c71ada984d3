// Streams an origin body to the client while it is written back. Nothing is buffered whole: the client's
// reads pull chunks through the one write loop (origin-body.ts), which checks and writes each on its way.

import type { BackgroundWork } from './background-work.ts';
import type { OriginBody } from './origin-body.ts';

/**
 * Bytes read before the client is answered. A body that ends within it is known to be whole before the
 * status line goes out, so a small truncated object gets a clean 424 instead of a cut connection.
 */
const PREBUFFER_BYTES = 64 * 1024;

/** The client's body. Throws, once the body has failed, when it fails before the client is answered. */
export async function startRelay(
  origin: OriginBody,
  background: BackgroundWork,
): Promise<ReadableStream<Uint8Array>> {
  const early: Uint8Array[] = [];
  try {
    let buffered = 0;
    while (!origin.done && buffered < PREBUFFER_BYTES) {
      const chunk = await origin.next();
      if (chunk !== null) {
        early.push(chunk);
        buffered += chunk.byteLength;
      }
    }
  } catch (error) {
    throw origin.fail(error);
  }

  return new ReadableStream<Uint8Array>(
    {
      // One chunk is always held back until the next one (or the verified end of the body) has
      // arrived: when the body then fails (short, reset, idle, MD5 mismatch), the client is missing
      // bytes and sees a cut connection, never a complete-looking wrong object.
      async pull(controller) {
        try {
          while (early.length < 2 && !origin.done) {
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
    { highWaterMark: 0 },
  );
}
