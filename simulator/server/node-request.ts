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
 * The request's body as a web stream, read as the handler pulls. Not Readable.toWeb: on Node 20 a body
 * cancelled by the handler (a request refused before its body was read) still got the socket's next
 * chunks pushed into its closed controller, an uncaught ERR_INVALID_STATE that ended the process. Here a
 * cancelled body is drained and dropped; the adapter closes the connection after the answer.
 */
function bodyOf(req: IncomingMessage): ReadableStream<Uint8Array> {
  let done = false;
  const finish = (end: () => void) => {
    if (done) return;
    done = true;
    end();
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Buffer) => {
        if (done) return;
        controller.enqueue(chunk);
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.once('end', () => finish(() => controller.close()));
      req.once('error', (error) => finish(() => controller.error(error)));
      req.once('close', () => {
        if (!req.complete)
          finish(() => controller.error(new Error('the client went away before the body ended')));
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      done = true;
      req.resume();
    },
  });
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
