// Serves a fetch function on node:http. The only file that knows about sockets.

import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { RequestInfo } from '../simulator.ts';

export type FetchHandler = (request: Request, info: RequestInfo) => Promise<Response>;

export interface RunningServer {
  server: Server;
  host: string;
  port: number;
  close(): Promise<void>;
}

export async function serve(
  handler: FetchHandler,
  options: { host: string; port: number },
): Promise<RunningServer> {
  let listening: AddressInfo | undefined;
  const server = createServer((req, res) => {
    handle(handler, req, res, listening).catch(() => res.destroy());
  });
  // Idle connections are closed by clients first (undici after 4 s, most SDKs within a minute): a server
  // closing them at Node's default 5 s races a client reusing one, which then sees ECONNRESET.
  server.keepAliveTimeout = 65_000;
  server.listen(options.port, options.host);
  await once(server, 'listening');
  listening = server.address() as AddressInfo;
  const { port } = listening;
  return {
    server,
    host: options.host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  handler: FetchHandler,
  req: IncomingMessage,
  res: ServerResponse,
  listening: AddressInfo | undefined,
): Promise<void> {
  const method = req.method ?? 'GET';
  const target = req.url ?? '/';
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
  }
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const request = new Request(requestUrl(req.headers.host, target), {
    method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
  const response = await handler(request, {
    target,
    ...(listening ? { listening: { address: listening.address, port: listening.port } } : {}),
  });

  res.statusCode = response.status;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  // A request answered before its body was read (too large, refused early): close the connection after
  // the answer rather than read the rest, which may be endless.
  if (hasBody && !req.complete) res.setHeader('connection', 'close');
  if (response.body === null || method === 'HEAD') {
    await response.body?.cancel();
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const closed = once(res, 'close').then(() => 'closed' as const);
  try {
    for (;;) {
      const { done, value } = await Promise.race([
        reader.read(),
        closed.then(() => ({ done: true, value: undefined })),
      ]);
      if (res.destroyed || res.writableEnded) break;
      if (done) {
        res.end();
        return;
      }
      if (!res.write(value)) {
        if ((await Promise.race([once(res, 'drain').then(() => 'drain' as const), closed])) === 'closed')
          break;
      }
    }
    // The client went away: tell the body, which may finish its own work (a write-back) regardless.
    await reader.cancel().catch(() => undefined);
  } catch {
    // The body failed after the status line went out: cut the connection so the client sees a short
    // response instead of a complete-looking one.
    res.destroy();
  }
}

function requestUrl(host: string | undefined, target: string): string {
  for (const candidate of [`http://${host ?? 'localhost'}${target}`, `http://localhost${target}`]) {
    try {
      return new URL(candidate).href;
    } catch {
      // Try the next form.
    }
  }
  return 'http://localhost/';
}
