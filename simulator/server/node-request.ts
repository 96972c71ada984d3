// The Request the fetch function gets for one of node's IncomingMessages. A real Request, built at once:
// a stand-in that builds it lazily (as @hono/node-server does) was measured and left out, because a
// fetch wrapper that writes `new Request(request, init)` fails on it (undici reads the internal state of a
// real Request) and the bench showed no gain beyond its noise.

import type { IncomingMessage } from 'node:http';

export function nodeRequest(req: IncomingMessage, requestTarget: string): Request {
  const method = req.method ?? 'GET';
  const headers = new Headers();
  const raw = req.rawHeaders;
  // The host read off the raw list: node's req.headers is an object it builds on first use.
  let host: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    headers.append(name, raw[i + 1] as string);
    if (host === undefined && name.length === 4 && name.toLowerCase() === 'host') host = raw[i + 1];
  }
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const init = { method, headers, ...(hasBody ? { body: bodyOf(req), duplex: 'half' } : {}) } as RequestInit;
  // The Request parses its URL itself (once: no URL.canParse before it); a target that does not parse
  // falls back to a plainer form.
  for (const url of [`http://${host ?? 'localhost'}${requestTarget}`, `http://localhost${requestTarget}`]) {
    try {
      return new Request(url, init);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
    }
  }
  return new Request('http://localhost/', init);
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
