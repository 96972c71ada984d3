// The Request the fetch function gets for one of node's IncomingMessages. A real Request, built at once:
// a stand-in that builds it lazily (as @hono/node-server does) was measured and left out, because a
// fetch wrapper that writes `new Request(request, init)` fails on it (undici reads the internal state of a
// real Request) and the bench showed no gain beyond its noise.

import type { IncomingMessage } from 'node:http';

export function nodeRequest(req: IncomingMessage, requestTarget: string): Request {
  const method = req.method ?? 'GET';
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(requestUrl(req.headers.host, requestTarget), {
    method,
    headers,
    ...(hasBody ? { body: bodyOf(req), duplex: 'half' } : {}),
  } as RequestInit);
}

/**
 * The body as a web stream pulled chunk by chunk. Not Readable.toWeb: once its stream is cancelled, a
 * 'data' event already on its way still enqueues into it and throws uncaught ("Controller is already
 * closed", nodejs/node#64529), which every body refused before it is read (a 412, a 507) can trigger.
 * Cancelling ends the iteration, which destroys the request as toWeb's cancel does.
 */
function bodyOf(req: IncomingMessage): ReadableStream<Uint8Array> {
  const chunks: AsyncIterator<Uint8Array> = req[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await chunks.next();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          controller.error(error);
        }
      },
      async cancel() {
        await chunks.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

/** The absolute URL of a request target, with a fallback host when the Host header does not parse. */
function requestUrl(host: string | undefined, requestTarget: string): string {
  for (const candidate of [
    `http://${host ?? 'localhost'}${requestTarget}`,
    `http://localhost${requestTarget}`,
  ]) {
    try {
      return new URL(candidate).href;
    } catch {
      // Try the next form.
    }
  }
  return 'http://localhost/';
}
