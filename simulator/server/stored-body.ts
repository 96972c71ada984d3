// A Response whose body is a list of chunks already in memory (a stored object). Every caller of the
// fetch function sees a Response that reads like any other (body, text, arrayBuffer, clone…); the node
// adapter alone recognises it and writes the chunks to the socket directly, with no stream read per chunk.
//
// The body is made only when someone asks for it: undici's Response builds a ReadableStream for any body
// it is given (a ReadableStream, a Uint8Array, a Blob), and on a hit that stream, never read, cost more
// than the rest of the answer. So the Response here is made with no body, and the first use of one turns
// the chunks into a real Response (`#real`) that every body method then reads.

class StoredResponse extends Response {
  readonly #chunks: readonly Uint8Array[];
  #real: Response | undefined;

  constructor(chunks: readonly Uint8Array[], init: ResponseInit) {
    super(null, init);
    this.#chunks = chunks;
  }

  /** The chunks, while no body has been made of them. */
  get unread(): readonly Uint8Array[] | undefined {
    if (this.#real === undefined) return this.#chunks;
    return this.#real.bodyUsed || this.#real.body?.locked ? undefined : this.#chunks;
  }

  #body(): Response {
    this.#real ??= new Response(streamOf(this.#chunks), {
      status: this.status,
      statusText: this.statusText,
      headers: this.headers,
    });
    return this.#real;
  }

  override get body(): Response['body'] {
    return this.#body().body;
  }
  override get bodyUsed(): boolean {
    return this.#real?.bodyUsed ?? false;
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.#body().arrayBuffer();
  }
  override blob(): Promise<Blob> {
    return this.#body().blob();
  }
  override formData(): Promise<FormData> {
    return this.#body().formData();
  }
  // biome-ignore lint/suspicious/noExplicitAny: Response.json's own declared type.
  override json(): Promise<any> {
    return this.#body().json();
  }
  override text(): Promise<string> {
    return this.#body().text();
  }
  override clone(): Response {
    const init = { status: this.status, statusText: this.statusText, headers: new Headers(this.headers) };
    // A body already made is teed as any Response's is (and a used one throws the TypeError any used
    // body's clone throws); unread chunks are simply shared.
    if (this.#real !== undefined) {
      const copy = this.#real.clone();
      return new Response(copy.body, init);
    }
    return new StoredResponse(this.#chunks, init);
  }
}

/** The chunks as a stream, pulled one at a time, and only once someone reads. */
function streamOf(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const chunk = chunks[index++];
        if (chunk === undefined) controller.close();
        else controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
}

export function chunksResponse(chunks: readonly Uint8Array[], init: ResponseInit): Response {
  return new StoredResponse(chunks, init);
}

/** The chunks of a Response made by chunksResponse whose body nobody has started to read. */
export function unreadChunks(response: Response): readonly Uint8Array[] | undefined {
  return response instanceof StoredResponse ? response.unread : undefined;
}
