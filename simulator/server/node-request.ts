// The Request the fetch function gets for one of node's IncomingMessages. A real Request, built at once:
// a stand-in that builds it lazily (as @hono/node-server does) was measured and left out, because a
// fetch wrapper that writes `new Request(request, init)` fails on it (undici reads the internal state of a
// real Request) and the bench showed no gain beyond its noise.

import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

export function nodeRequest(req: IncomingMessage, requestTarget: string): Request {
  const method = req.method ?? 'GET';
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(requestUrl(req.headers.host, requestTarget), {
    method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
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
