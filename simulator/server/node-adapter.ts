// Serves a fetch function on node:http. The only file that knows about sockets.

import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestInfo } from '../simulator.ts';
import { type ChunkSource, unreadChunks, unreadSource } from './direct-body.ts';
import { nodeRequest } from './node-request.ts';
import { type KeptAnswer, type ReplaySource, Replays } from './replay.ts';

export type FetchHandler = (request: Request, info: RequestInfo) => Promise<Response>;

export interface RunningServer {
  server: Server;
  host: string;
  port: number;
  close(): Promise<void>;
}

export interface ServeOptions {
  host: string;
  port: number;
  /** Lets repeated reads be answered as they were last time while its version stays (server/replay.ts). */
  replay?: ReplaySource;
}

export async function serve(handler: FetchHandler, options: ServeOptions): Promise<RunningServer> {
  let listening: AddressInfo | undefined;
  const replays = options.replay && new Replays(options.replay);
  const server = createServer((req, res) => {
    handle(handler, req, res, listening, replays).catch(() => res.destroy());
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
  replays: Replays | undefined,
): Promise<void> {
  const key = replays?.keyOf(req);
  const found = key === undefined ? undefined : replays?.find(key);
  if (found?.kept !== undefined && replays !== undefined) return replay(found.kept, replays, req, res);
  // The version read with the look-up: the one the answer made now must still have to be kept.
  const before = found && !found.kept ? found.before : undefined;
  const target = req.url ?? '/';
  const response = await handler(nodeRequest(req, target), {
    target,
    ...(listening ? { listening: { address: listening.address, port: listening.port } } : {}),
  });
  const method = req.method ?? 'GET';
  // A write drops the kept answers it makes stale now, not at the next read: they hold stored chunks.
  if (key === undefined) replays?.version();
  // The headers go out in one writeHead, as the flat list node takes without looking at each again.
  const headers: string[] = [];
  for (const [name, value] of response.headers) headers.push(name, value);
  // A request answered before its body was read (too large, refused early): close the connection after
  // the answer rather than read the rest, which may be endless.
  if (method !== 'GET' && method !== 'HEAD' && !req.complete) headers.push('connection', 'close');
  res.writeHead(response.status, headers);
  // Asked before the body is touched: reading `body` of a direct answer would make a stream of it.
  const source = unreadSource(response);
  if (source !== undefined) {
    if (method === 'HEAD') {
      source.cancel();
      res.end();
    } else await writeSource(source, res);
    return;
  }
  const chunks = unreadChunks(response);
  if (key !== undefined && (chunks !== undefined || response.body === null))
    replays?.keep(key, before, response, headers, method === 'HEAD' ? undefined : chunks);
  if (chunks !== undefined) {
    if (method === 'HEAD') res.end();
    else writeChunks(chunks, res);
    return;
  }
  if (response.body === null || method === 'HEAD') {
    await response.body?.cancel();
    res.end();
    return;
  }
  await writeBody(response.body, res);
}

/** A kept answer, written as the first one was, with its own request id. */
function replay(kept: KeptAnswer, replays: Replays, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(kept.status, replays.headersOf(kept));
  if (req.method === 'HEAD' || kept.chunks.length === 0) res.end();
  else writeChunks(kept.chunks, res);
}

/**
 * Writes chunks already in memory (a stored object) in one go, corked, and ends: one writev for the
 * headers and the whole body when the socket takes it. Not paced by the socket's drain as a stream is:
 * the chunks are held by the store whatever happens, and the socket keeps references to them, not copies,
 * so writing them all at once costs no memory a slow client could grow; waiting for drain after every
 * 16 KiB (the socket's high-water mark) cost a 64 KiB hit a second write and an event-loop turn.
 */
function writeChunks(chunks: readonly Uint8Array[], res: ServerResponse): void {
  res.cork();
  for (const chunk of chunks) res.write(chunk);
  // end() uncorks the socket fully; the uncork here balances the cork for the response's own count.
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

/**
 * Writes a source's chunks as it gives them. The socket's own buffer is the read-ahead: chunks are taken
 * while it holds at most the source's `readAhead` bytes unsent, then the loop waits for it to drain. A
 * source that fails cuts the connection, as a failing stream does; a client that goes away cancels it.
 */
async function writeSource(source: ChunkSource, res: ServerResponse): Promise<void> {
  let cancelled = false;
  const cancel = () => {
    if (cancelled) return;
    cancelled = true;
    source.cancel();
  };
  const gone = () => {
    if (!res.writableFinished) cancel();
  };
  res.once('close', gone);
  try {
    for (;;) {
      const chunk = await source.next();
      if (res.destroyed) {
        cancel();
        return;
      }
      if (chunk === null) break;
      if (!res.write(chunk) && res.writableLength > source.readAhead) await drained(res);
    }
    res.end();
  } catch {
    // Failed after the status line went out. A failed source is not cancelled: `gone` is removed below
    // before the socket's close is emitted.
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
