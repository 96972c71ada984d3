// The fetch origin client against a real origin on loopback: what it reports, how it streams and when it
// gives up.

import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchOriginClient } from './fetch-origin-client.ts';
import type { OriginResponse } from './origin-client.ts';

type Route = (req: IncomingMessage, res: ServerResponse) => void;

const routes: Record<string, Route> = {
  '/hello.txt': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] }).end('hello');
  },
  '/echo-headers': (req, res) => res.writeHead(200).end(JSON.stringify(req.headers)),
  '/moved': (_req, res) => res.writeHead(302, { location: '/hello.txt' }).end(),
  // The second chunk waits until the client has the first: a client that buffered the body would hang.
  '/gated': (_req, res) => {
    res.writeHead(200);
    res.write('first chunk,');
    void firstChunkArrived.then(() => res.end('second chunk'));
  },
  '/short': (_req, res) => {
    res.writeHead(200, { 'content-length': '100' });
    res.write('only 20 bytes here..');
    setTimeout(() => res.socket?.destroy(), 20);
  },
  '/stalls': (_req, res) => {
    res.writeHead(200);
    res.write('first chunk');
  },
  '/no-headers': () => undefined,
  '/gzip': (_req, res) => {
    res.writeHead(200, { 'content-encoding': 'gzip', 'content-md5': 'x' }).end(gzipSync('unzipped'));
  },
  '/endless': (req, res) => {
    res.writeHead(200);
    const timer = setInterval(() => res.write(Buffer.alloc(1024)), 5);
    req.socket.on('close', () => {
      clearInterval(timer);
      closedEndless.push(Date.now());
    });
  },
};

const closedEndless: number[] = [];
let firstChunkRead = () => {};
const firstChunkArrived = new Promise<void>((resolve) => {
  firstChunkRead = resolve;
});
let server: Server;
let origin = '';
const client = new FetchOriginClient({ headersMs: 300, bodyIdleMs: 300 });

beforeAll(async () => {
  server = createServer((req, res) => {
    const route = routes[req.url ?? ''];
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await client.close();
  server.closeAllConnections();
  server.close();
});

const get = (path: string, headers: Record<string, string> = {}) => client.get({ origin, path, headers });

async function text(response: OriginResponse): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.body) chunks.push(chunk);
  return Buffer.concat(chunks).toString();
}

describe('FetchOriginClient', () => {
  it('reports the status, the headers in lower case (repeated ones joined) and the body', async () => {
    const response = await get('/hello.txt');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain');
    expect(response.headers['set-cookie']).toBe('a=1, b=2');
    expect(await text(response)).toBe('hello');
  });

  it('reports a 404 as an answer, not an error', async () => {
    const response = await get('/missing');
    expect(response.status).toBe(404);
    response.discard();
  });

  it('sends the given headers and asks for an unencoded body', async () => {
    const sent = JSON.parse(await text(await get('/echo-headers', { 'x-from-rule': 'yes' })));
    expect(sent['x-from-rule']).toBe('yes');
    expect(sent['accept-encoding']).toBe('identity');
  });

  it('hands a redirect over without following it', async () => {
    const response = await get('/moved');
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('/hello.txt');
    response.discard();
  });

  it('streams the body chunk by chunk as the origin sends it', async () => {
    const response = await get('/gated');
    const chunks: string[] = [];
    for await (const chunk of response.body) {
      chunks.push(Buffer.from(chunk).toString());
      firstChunkRead();
    }
    expect(chunks.join('')).toBe('first chunk,second chunk');
  });

  it('rejects a body shorter than its Content-Length', async () => {
    await expect(text(await get('/short'))).rejects.toThrow(/other side closed/);
  });

  it('rejects a body that goes idle for longer than bodyIdleMs', async () => {
    const started = Date.now();
    await expect(text(await get('/stalls'))).rejects.toThrow('the origin sent no body data for 300 ms');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('rejects when no response headers come within headersMs', async () => {
    await expect(get('/no-headers')).rejects.toThrow('the origin sent no response headers within 300 ms');
  });

  it('rejects with the reason when the origin cannot be reached', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await expect(client.get({ origin: `http://127.0.0.1:${port}`, path: '/', headers: {} })).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });

  it('refuses a path fetch would change rather than ask for another object', async () => {
    await expect(get('/a/../hello.txt')).rejects.toThrow(/removes dot segments/);
  });

  it('describes the decoded body when the origin encodes it anyway', async () => {
    const response = await get('/gzip');
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.headers['content-md5']).toBeUndefined();
    expect(await text(response)).toBe('unzipped');
  });

  it('stops reading and closes the connection on discard', async () => {
    const response = await get('/endless');
    const iterator = response.body[Symbol.asyncIterator]();
    await iterator.next();
    const count = closedEndless.length;
    response.discard();
    await expect(iterator.next()).rejects.toThrow();
    await expect.poll(() => closedEndless.length).toBe(count + 1);
  });

  it('closes the connection when the reader leaves early', async () => {
    const response = await get('/endless');
    const count = closedEndless.length;
    for await (const _chunk of response.body) break;
    await expect.poll(() => closedEndless.length).toBe(count + 1);
  });

  it('aborts with the request signal', async () => {
    const controller = new AbortController();
    const response = await client.get({ origin, path: '/stalls', headers: {}, signal: controller.signal });
    const reading = text(response);
    controller.abort();
    await expect(reading).rejects.toThrow(/abort/i);
  });

  it('refuses requests once closed, and closes what is open', async () => {
    const closing = new FetchOriginClient();
    const response = await closing.get({ origin, path: '/stalls', headers: {} });
    const reading = text(response);
    await closing.close();
    await expect(reading).rejects.toThrow(/abort/i);
    await expect(closing.get({ origin, path: '/hello.txt', headers: {} })).rejects.toThrow('closed');
  });
});
