// Responses whose body the node adapter writes to the socket directly, with no stream read per chunk: a
// list of chunks already in memory (a stored object), or a source of chunks pulled one at a time (a miss
// relayed from its origin). Every other caller of the fetch function sees a Response that reads like any
// other (body, text, arrayBuffer, clone…).
//
// The body is made only when someone asks for it: undici's Response builds a ReadableStream for any body
// it is given (a ReadableStream, a Uint8Array, a Blob), and on a hit that stream, never read, cost more
// than the rest of the answer; a relayed miss paid for a stream and its first reads before its status
// line went out. So the Response here is made with no body, and the first use of one turns the chunks or
// the source into a real Response (`#real`) that every body method then reads.

/**
 * A body read chunk by chunk by one reader: `next` gives the next chunk, or null at the end, and throws
 * when the body has failed; `cancel` says the reader has gone (called at most once, never after a throw).
 */
export interface ChunkSource {
  next(): Promise<Uint8Array | null>;
  cancel(): void;
  /**
   * How many bytes a reader may hold unsent (taken from `next` while its client is slow) before it waits:
   * reading ahead lets the source do the work each chunk costs it while the client catches up.
   */
  readonly readAhead: number;
}

type Body = readonly Uint8Array[] | ChunkSource;

class DirectResponse extends Response {
  readonly #body: Body;
  #real: Response | undefined;

  constructor(body: Body, init: ResponseInit) {
    super(null, init);
    this.#body = body;
  }

  /** The chunks or the source, while no body has been made of them. */
  get unread(): Body | undefined {
    if (this.#real === undefined) return this.#body;
    // A source's stream reads ahead as soon as it is made: what it took is the stream's now.
    if (!isChunks(this.#body)) return undefined;
    return this.#real.bodyUsed || this.#real.body?.locked ? undefined : this.#body;
  }

  #made(): Response {
    this.#real ??= new Response(streamOf(this.#body), {
      status: this.status,
      statusText: this.statusText,
      headers: this.headers,
    });
    return this.#real;
  }

  override get body(): Response['body'] {
    return this.#made().body;
  }
  override get bodyUsed(): boolean {
    return this.#real?.bodyUsed ?? false;
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.#made().arrayBuffer();
  }
  override blob(): Promise<Blob> {
    return this.#made().blob();
  }
  override formData(): Promise<FormData> {
    return this.#made().formData();
  }
  // biome-ignore lint/suspicious/noExplicitAny: Response.json's own declared type.
  override json(): Promise<any> {
    return this.#made().json();
  }
  override text(): Promise<string> {
    return this.#made().text();
  }
  override clone(): Response {
    const init = { status: this.status, statusText: this.statusText, headers: new Headers(this.headers) };
    // Unread chunks are simply shared; a source has one reader, so its body is made and teed as any
    // Response's is (and a used one throws the TypeError any used body's clone throws).
    if (this.#real === undefined && isChunks(this.#body)) return new DirectResponse(this.#body, init);
    return new Response(this.#made().clone().body, init);
  }
}

function isChunks(body: Body): body is readonly Uint8Array[] {
  return Array.isArray(body);
}

/** The chunks or the source as a stream, pulled one chunk at a time, and only once someone reads. */
function streamOf(body: Body): ReadableStream<Uint8Array> {
  if (!isChunks(body)) return sourceStream(body);
  let index = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const chunk = body[index++];
        if (chunk === undefined) controller.close();
        else controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
}

/** A source as a stream that reads ahead of its reader by the source's `readAhead` bytes. */
export function sourceStream(source: ChunkSource): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // A failing source errors the stream, and is not cancelled after.
        const chunk = await source.next();
        if (chunk === null) controller.close();
        else controller.enqueue(chunk);
      },
      cancel() {
        source.cancel();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: source.readAhead }),
  );
}

export function chunksResponse(chunks: readonly Uint8Array[], init: ResponseInit): Response {
  return new DirectResponse(chunks, init);
}

export function sourceResponse(source: ChunkSource, init: ResponseInit): Response {
  return new DirectResponse(source, init);
}

/** The chunks of a Response made by chunksResponse whose body nobody has started to read. */
export function unreadChunks(response: Response): readonly Uint8Array[] | undefined {
  if (!(response instanceof DirectResponse)) return undefined;
  const body = response.unread;
  return body !== undefined && isChunks(body) ? body : undefined;
}

/** The source of a Response made by sourceResponse whose body nobody has started to read. */
export function unreadSource(response: Response): ChunkSource | undefined {
  if (!(response instanceof DirectResponse)) return undefined;
  const body = response.unread;
  return body !== undefined && !isChunks(body) ? body : undefined;
}
