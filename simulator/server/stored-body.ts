// A Response whose body is a list of chunks already in memory. Every caller of the fetch function sees
// a plain Response with a ReadableStream body; the node adapter alone recognises it and writes the
// chunks to the socket directly, with no stream read per chunk.

const chunksOf = new WeakMap<Response, readonly Uint8Array[]>();

export function chunksResponse(chunks: readonly Uint8Array[], init: ResponseInit): Response {
  let index = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const chunk = chunks[index++];
        if (chunk === undefined) controller.close();
        else controller.enqueue(chunk);
      },
    },
    // Nothing is pulled until someone reads: the adapter never does.
    { highWaterMark: 0 },
  );
  const response = new Response(body, init);
  chunksOf.set(response, chunks);
  return response;
}

/** The chunks of a Response made by chunksResponse whose body nobody has started to read. */
export function unreadChunks(response: Response): readonly Uint8Array[] | undefined {
  const chunks = chunksOf.get(response);
  if (chunks === undefined || response.bodyUsed || response.body?.locked) return undefined;
  return chunks;
}
