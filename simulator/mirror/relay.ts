// Streams an origin body to the client while it is written back. Nothing is buffered whole: the client's
// reads pull chunks through the one write loop (origin-body.ts), which checks and writes each on its way.

import type { ChunkSource } from '../server/direct-body.ts';
import type { BackgroundWork } from './background-work.ts';
import type { OriginBody } from './origin-body.ts';

/**
 * When the client is answered. A body with a Content-Length is answered as soon as its first chunk is in,
 * whatever its size: waiting for more costs every small miss the rest of its download (on a wide-area
 * origin, a round trip or more of TCP's slow start for each 15 KB or so). A body of at most this many
 * bytes whose first chunk holds all of it is read to its end first, which is at hand: it is verified (the
 * MD5 check) and stored before the status line, so the client gets its stored ETag, or a clean 424. A body that fails after its first
 * chunk (short, reset, idle, a wrong MD5) ends in a cut connection instead, which its Content-Length makes
 * visible to every client, and the held-back last chunk (below) makes visible before the end. A body of
 * no declared length is read up to this many bytes first, since nothing tells its client where it ends
 * but its last chunk: one that ends within them gets its clean 424 or its whole answer.
 */
const PREBUFFER_BYTES = 64 * 1024;

/**
 * How far the relay reads the origin ahead of the client: while the client's socket is full, the origin's
 * next chunks are read, checked and written back instead of waiting. Bounded, so a slow client holds at
 * most this much of a body in memory (beside the held-back chunk).
 */
const READ_AHEAD_BYTES = 1024 * 1024;

/**
 * The client's body: a source of chunks pulled as the client takes them, or the chunks themselves when the
 * whole body ended (verified, and written back) within the hold, so the answer is written as a stored
 * object's is. Throws, once the body has failed, when it fails before the client is answered.
 */
export async function startRelay(
  origin: OriginBody,
  background: BackgroundWork,
): Promise<ChunkSource | Uint8Array[]> {
  const early: Uint8Array[] = [];
  const declared = origin.declaredSize;
  // Answered now: a declared body with a first chunk in and more of it to come.
  const answerNow = () => declared !== undefined && early.length > 0 && origin.size < declared;
  try {
    let buffered = 0;
    while (!origin.done && buffered < PREBUFFER_BYTES && !answerNow()) {
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
  return new Relay(origin, background, early);
}

/**
 * The rest of a relayed body. One chunk is held back until the next one (or the verified end of the body)
 * has arrived: when the body then fails (short, reset, idle, MD5 mismatch), the client is missing bytes and
 * sees a cut connection, never a complete-looking wrong object. While fewer bytes than the declared
 * Content-Length are in, nothing sent can look complete, and the chunk goes out at once (so the status
 * line does too, and a failure after it is a cut, not a connection closed unanswered).
 */
class Relay implements ChunkSource {
  readonly readAhead = READ_AHEAD_BYTES;
  /** The read under way, settled either way: a cancel waits for it before reading the rest. */
  #reading: Promise<unknown> = Promise.resolve();
  #failed = false;
  #cancelled = false;

  constructor(
    private readonly origin: OriginBody,
    private readonly background: BackgroundWork,
    private readonly early: Uint8Array[],
  ) {}

  next(): Promise<Uint8Array | null> {
    const reading = this.#read();
    this.#reading = reading.catch(() => undefined);
    return reading;
  }

  async #read(): Promise<Uint8Array | null> {
    const origin = this.origin;
    const early = this.early;
    const declared = origin.declaredSize;
    try {
      const incomplete = () => declared !== undefined && origin.size < declared;
      while (early.length < 2 && !origin.done && !(early.length === 1 && incomplete())) {
        const chunk = await origin.next();
        if (chunk !== null) early.push(chunk);
      }
    } catch (error) {
      this.#failed = true;
      throw origin.fail(error);
    }
    return early.shift() ?? null;
  }

  // The client went away: finish the copy anyway, as a CDN fill does, so its cost is not wasted.
  // A body that failed has nothing left to copy, even when it failed in the read the client left during.
  cancel(): void {
    if (this.#cancelled || this.#failed) return;
    this.#cancelled = true;
    this.background.track(this.#reading.then(() => (this.#failed ? undefined : this.origin.readRest())));
  }
}
