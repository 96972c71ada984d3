// Repeated reads answered the way they were answered last time, without building a Request or calling
// the fetch function again, while nothing the answer depends on can have changed. A hit costs the fetch
// function about three times what node's own server costs to answer the same bytes (docs/performance.md):
// the Request and its AbortSignal, the parse, the access and header checks, the Response and its Headers.
// For a read of a stored object none of that can come out differently until the state changes, so the
// adapter keeps the answer (status, headers and the stored chunks, which are never written to) under the
// request's exact bytes, and replays it with a fresh request id.
//
// What makes this safe is the version: a number the simulator changes with every change to what answers
// depend on (its store's changes, every request that is not a read, a reset). An answer is kept only when
// the version was the same before and after the fetch function made it, and only the fetch function
// decides which answers may be kept at all (markReplayable: a stored object read by an unsigned request,
// operations/get-object.ts); a version that differs from the one the answers were kept at drops them all.

import type { IncomingMessage } from 'node:http';

/** What a fetch function offers a server in front of it so that repeated reads can be replayed. */
export interface ReplaySource {
  /**
   * A number that changes whenever any answer may change; undefined when answers may change without it
   * (a store other processes write to), and then nothing is replayed.
   */
  version(): number | undefined;
  /** The request id a replayed answer carries, as the fetch function would have given it. */
  requestId(): string;
}

/** The header every answer carries its own value of; a replay gets a fresh one. */
const REQUEST_ID = 'x-amz-request-id';
/** The most bytes of body one kept answer, and all of them together, may hold. */
const MAX_ANSWER_BYTES = 1024 * 1024;
const MAX_KEPT_BYTES = 32 * 1024 * 1024;
const MAX_ANSWERS = 4096;

const replayable = new WeakSet<Response>();

/** Lets a server replay this answer to the same request while the version stays the same. */
export function markReplayable(response: Response): Response {
  replayable.add(response);
  return response;
}

/** Takes the mark back: the answer depends on more than the state (a signed request's validity). */
export function unmarkReplayable(response: Response): void {
  replayable.delete(response);
}

export interface KeptAnswer {
  status: number;
  /** Name, value, name, value…, ending with the request id's name and a value to replace. */
  headers: readonly string[];
  chunks: readonly Uint8Array[];
}

export class Replays {
  readonly #source: ReplaySource;
  readonly #answers = new Map<string, KeptAnswer>();
  /** The version the kept answers were made at. */
  #version: number | undefined;
  #bytes = 0;

  constructor(source: ReplaySource) {
    this.#source = source;
  }

  /**
   * The request's exact method, target and headers, as the key of its kept answer; undefined for what is
   * never replayed: a request other than GET or HEAD, or one with a body.
   */
  keyOf(req: IncomingMessage): string | undefined {
    const method = req.method;
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    const raw = req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i] as string;
      // Compared by length first: lower-casing every header name cost a hit more than the rest of this.
      if (name.length !== 14 && name.length !== 17) continue;
      const lower = name.toLowerCase();
      if (lower === 'content-length' || lower === 'transfer-encoding') return undefined;
    }
    return `${method} ${req.url}\n${raw.join('\n')}`;
  }

  /** The version now; the kept answers are dropped when it is not theirs. */
  version(): number | undefined {
    const version = this.#source.version();
    if (version !== this.#version) {
      this.#answers.clear();
      this.#bytes = 0;
      this.#version = version;
    }
    return version;
  }

  /**
   * The answer kept for the key, if it is still current; else the version now, which `keep` is given
   * once the fetch function has answered.
   */
  find(key: string): { kept: KeptAnswer } | { kept: undefined; before: number | undefined } {
    const before = this.version();
    const kept = before === undefined ? undefined : this.#answers.get(key);
    return kept === undefined ? { kept, before } : { kept };
  }

  /**
   * Keeps the answer the fetch function made for the key, if it marked it replayable and the version
   * before it began (`before`) is the version now: a change while it was made may or may not show in it.
   */
  keep(
    key: string,
    before: number | undefined,
    response: Response,
    headers: readonly string[],
    chunks: readonly Uint8Array[] | undefined,
  ): void {
    if (before === undefined || !replayable.has(response) || this.version() !== before) return;
    const bytes = (chunks ?? []).reduce((sum, chunk) => sum + chunk.byteLength, 0);
    if (bytes > MAX_ANSWER_BYTES) return;
    if (this.#bytes + bytes > MAX_KEPT_BYTES || this.#answers.size >= MAX_ANSWERS) {
      this.#answers.clear();
      this.#bytes = 0;
    }
    const kept: string[] = [];
    for (let i = 0; i < headers.length; i += 2) {
      if (headers[i] !== REQUEST_ID) kept.push(headers[i] as string, headers[i + 1] as string);
    }
    // The last value is the request id's, filled in for each replay.
    kept.push(REQUEST_ID, '');
    this.#answers.set(key, { status: response.status, headers: kept, chunks: chunks ?? [] });
    this.#bytes += bytes;
  }

  /** The kept answer's headers with a fresh request id. */
  headersOf(answer: KeptAnswer): string[] {
    const headers = answer.headers.slice();
    headers[headers.length - 1] = this.#source.requestId();
    return headers;
  }
}
