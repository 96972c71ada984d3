import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forbiddenAddressReason } from '../core/address-policy.ts';
import { UNREACHABLE, UndiciOriginClient } from './undici-origin-client.ts';

const timeouts = { connectMs: 2000, headersMs: 500, bodyIdleMs: 2000 };
const guarded = new UndiciOriginClient(timeouts, { addressPolicy: forbiddenAddressReason });
const open = new UndiciOriginClient(timeouts);

/** 64 KiB chunks, each filled with its own index, so order and completeness both show in the bytes. */
const CHUNKS = 64;
const CHUNK_BYTES = 64 * 1024;
let server: Server;
let origin = '';
/** Sockets the origin saw closed, counted so a test can tell a released connection from a kept one. */
let closedSockets = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.socket.once('close', () => closedSockets++);
    if (req.url === '/hello') {
      res.writeHead(200, { 'set-cookie': ['a=1', 'b=2'], 'X-Mixed-Case': 'yes' }).end('hello');
      return;
    }
    res.writeHead(200, { 'content-length': String(CHUNKS * CHUNK_BYTES) });
    let index = 0;
    // Written as the socket takes them: a client that never paused would still get every byte, one that
    // never resumed would stall this loop for good.
    const more = () => {
      while (index < CHUNKS) {
        const chunk = Buffer.alloc(CHUNK_BYTES, index++);
        if (!res.write(chunk)) return void res.once('drain', more);
      }
      res.end();
    };
    more();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await Promise.all([guarded.close(), open.close()]);
  server.close();
});

async function failureOf(origin: string): Promise<string> {
  try {
    await guarded.get({ origin, path: '/x', headers: {} });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${origin} answered`);
}

describe('the guarded origin client', () => {
  it.each([
    'http://localhost:1',
    'http://127.0.0.1:1',
    'http://[64:ff9b::a9fe:a9fe]',
    'http://[::ffff:7f00:1]:1',
    'http://no-such-host.invalid',
  ])('says the same of %s as of every unreachable origin, naming no address', async (origin) => {
    const message = await failureOf(origin);
    expect(message).toBe(UNREACHABLE);
    expect(message).not.toMatch(/127\.0\.0\.1|::1|ECONN|ENOTFOUND|resolves/);
  });
});

describe('the origin client', () => {
  it('names headers in lower case and joins a repeated one with commas', async () => {
    const response = await open.get({ origin, path: '/hello', headers: {} });
    expect(response.headers).toMatchObject({ 'set-cookie': 'a=1, b=2', 'x-mixed-case': 'yes' });
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe('hello');
  });

  it('hands over a body larger than its read-ahead whole and in order to a reader slower than the origin', async () => {
    const response = await open.get({ origin, path: '/big', headers: {} });
    // A turn of the event loop between reads lets the origin's bytes pile up past the read-ahead, so
    // the socket is paused and must be resumed for the rest to come.
    const chunks: Buffer[] = [];
    for await (const chunk of response.body) {
      chunks.push(Buffer.from(chunk));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const body = Buffer.concat(chunks);
    expect(body.byteLength).toBe(CHUNKS * CHUNK_BYTES);
    for (let index = 0; index < CHUNKS; index++) {
      expect(body[index * CHUNK_BYTES], `chunk ${index}`).toBe(index);
      expect(body[(index + 1) * CHUNK_BYTES - 1], `chunk ${index}`).toBe(index);
    }
  });

  it('releases the connection when a reader leaves a body early', async () => {
    const closedBefore = closedSockets;
    const response = await open.get({ origin, path: '/big', headers: {} });
    for await (const _chunk of response.body) break;
    // The socket was mid-body, so releasing it means closing it; the next request opens another.
    const again = await open.get({ origin, path: '/hello', headers: {} });
    for await (const _chunk of again.body);
    await new Promise((resolve) => setImmediate(resolve));
    expect(closedSockets).toBeGreaterThan(closedBefore);
  });
});
