// Serves a fetch function on node:http. The only file that knows about sockets.

import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestInfo } from '../simulator.ts';
import { nodeRequest } from './node-request.ts';
import { unreadChunks } from './stored-body.ts';

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
  const target = req.url ?? '/';
  const response = await handler(nodeRequest(req, target), {
    target,
    ...(listening ? { listening: { address: listening.address, port: listening.port } } : {}),
  });
  const method = req.method ?? 'GET';
  // The headers go out in one writeHead, as the flat list node takes without looking at each again.
  const headers: string[] = [];
  for (const [name, value] of response.headers) headers.push(name, value);
  // A request answered before its body was read (too large, refused early): close the connection after
  // the answer rather than read the rest, which may be endless.
  if (method !== 'GET' && method !== 'HEAD' && !req.complete) headers.push('connection', 'close');
  res.writeHead(response.status, headers);
  if (response.body === null || method === 'HEAD') {
    await response.body?.cancel();
    res.end();
    return;
  }
  const chunks = unreadChunks(response);
  if (chunks !== undefined) await writeChunks(chunks, res);
  else await writeBody(response.body, res);
}

/** Writes chunks already in memory (a stored object), corked, waiting only when the socket is full. */
async function writeChunks(chunks: readonly Uint8Array[], res: ServerResponse): Promise<void> {
  res.cork();
  for (const chunk of chunks) {
    if (res.destroyed) return;
    if (!res.write(chunk)) {
      res.uncork();
      await drained(res);
      res.cork();
    }
  }
  res.end();
  res.uncork();
}

/**
 * Copies the body to the socket chunk by chunk, each Uint8Array written as it is, waiting only when the
 * socket says it is full. A client that goes away cancels the body, which ends the read under way; the
 * body may finish its own work (a write-back) regardless.
 */
async function writeBody(body: ReadableStream<Uint8Array>, res: ServerResponse): Promise<void> {
  const reader = body.getReader();
  const gone = () => {
    if (!res.writableFinished) reader.cancel().catch(() => undefined);
  };
  res.once('close', gone);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (res.destroyed) {
        await reader.cancel().catch(() => undefined);
        return;
      }
      if (done) break;
      if (!res.write(value)) await drained(res);
    }
    res.end();
  } catch {
    // The body failed after the status line went out: cut the connection so the client sees a short
    // response instead of a complete-looking one.
    res.destroy();
  } finally {
    res.off('close', gone);
  }
}

/** Resolves when the socket takes writes again, or is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
