import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChunkSource, chunksResponse, sourceResponse, unreadChunks } from './direct-body.ts';
import { type FetchHandler, type RunningServer, serve } from './node-adapter.ts';

let running: RunningServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(handler: FetchHandler): Promise<string> {
  running = await serve(handler, { host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${running.port}`;
}

/** Resolves once `condition` holds, checking every 10 ms for at most 5 s. */
async function eventually(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

describe('the Request the fetch function is handed', () => {
  it('is a Request whose method, URL and headers are what the client sent', async () => {
    let seen: { isRequest: boolean; method: string; url: string; accept: string | null } | undefined;
    const endpoint = await start(async (request) => {
      seen = {
        isRequest: request instanceof Request,
        method: request.method,
        url: request.url,
        accept: request.headers.get('x-accept'),
      };
      return new Response('ok');
    });
    const response = await fetch(`${endpoint}/bucket/a%20key?list-type=2`, {
      headers: { 'x-accept': 'a, b' },
    });
    expect(await response.text()).toBe('ok');
    expect(seen).toEqual({
      isRequest: true,
      method: 'GET',
      url: `${endpoint}/bucket/a%20key?list-type=2`,
      accept: 'a, b',
    });
  });

  it('passes the request target exactly as received, and reads a body, a clone and a signal', async () => {
    let seen: { target?: string; text: string; cloned: string; signal: boolean } | undefined;
    const endpoint = await start(async (request, info) => {
      const copy = request.clone();
      seen = {
        ...(info.target !== undefined ? { target: info.target } : {}),
        text: await request.text(),
        cloned: await copy.text(),
        signal: request.signal instanceof AbortSignal,
      };
      return new Response(null, { status: 204 });
    });
    const response = await fetch(`${endpoint}/b/k//x?uploads`, { method: 'PUT', body: 'payload' });
    expect(response.status).toBe(204);
    expect(seen).toEqual({ target: '/b/k//x?uploads', text: 'payload', cloned: 'payload', signal: true });
  });
});

describe('the answer written to the socket', () => {
  it('carries the status, every header and the body chunk by chunk; HEAD gets the headers alone', async () => {
    const endpoint = await start(async (request) => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const part of ['one ', 'two ', 'three']) controller.enqueue(new TextEncoder().encode(part));
          controller.close();
        },
      });
      const headers = new Headers({ 'x-one': '1', 'content-length': '13' });
      headers.append('set-cookie', 'a=1');
      headers.append('set-cookie', 'b=2');
      return new Response(request.method === 'HEAD' ? null : body, { status: 203, headers });
    });
    const got = await fetch(`${endpoint}/x`);
    expect(got.status).toBe(203);
    expect(got.headers.get('x-one')).toBe('1');
    expect(got.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await got.text()).toBe('one two three');
    const head = await fetch(`${endpoint}/x`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe('13');
    expect(await head.text()).toBe('');
  });

  it('writes a stored body (chunks in memory) whole and in order, past a full socket; any other caller reads it as a stream', async () => {
    const chunks = Array.from({ length: 64 }, (_, i) => new Uint8Array(64 * 1024).fill(i));
    const whole = Buffer.concat(chunks);
    const endpoint = await start(async () => chunksResponse(chunks, { status: 200 }));
    const got = Buffer.from(await (await fetch(`${endpoint}/x`)).arrayBuffer());
    expect(got.equals(whole)).toBe(true);
    const read = Buffer.from(await chunksResponse(chunks, { status: 200 }).arrayBuffer());
    expect(read.equals(whole)).toBe(true);
    const started = chunksResponse(chunks, { status: 200 });
    await started.body?.getReader().read();
    expect(unreadChunks(started)).toBeUndefined();
  });

  it('gives any other caller of a stored answer a Response that reads, clones and reports its use as any other', async () => {
    const chunks = [new TextEncoder().encode('{"a":'), new TextEncoder().encode('1}')];
    const answer = chunksResponse(chunks, { status: 200, headers: { 'content-type': 'application/json' } });
    expect(answer.headers.get('content-type')).toBe('application/json');
    // Reading the headers makes no body: the adapter would still write the chunks directly.
    expect(unreadChunks(answer)).toBe(chunks);
    const copy = answer.clone();
    expect(await answer.json()).toEqual({ a: 1 });
    expect(answer.bodyUsed).toBe(true);
    expect(unreadChunks(answer)).toBeUndefined();
    expect(() => answer.clone()).toThrow(TypeError);
    expect(await copy.text()).toBe('{"a":1}');
    expect(await new Response(chunksResponse(chunks, { status: 200 }).body).text()).toBe('{"a":1}');
  });

  it('cancels the body when the client goes away before its end', async () => {
    let cancelled = false;
    const endpoint = await start(async () => {
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          controller.enqueue(new Uint8Array(64 * 1024));
        },
        cancel() {
          cancelled = true;
        },
      });
      return new Response(body);
    });
    const controller = new AbortController();
    const response = await fetch(`${endpoint}/endless`, { signal: controller.signal });
    const reader = response.body?.getReader();
    await reader?.read();
    controller.abort();
    await eventually(() => cancelled);
  });

  it('cuts the connection when the body fails after the status line went out', async () => {
    const endpoint = await start(async () => {
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent) controller.error(new Error('origin reset'));
          else controller.enqueue(new TextEncoder().encode('first part'));
          sent = true;
        },
      });
      return new Response(body, { headers: { 'content-length': '100' } });
    });
    // Whether the status line got out before the cut or not, the client never reads a whole answer.
    await expect(fetch(`${endpoint}/broken`).then((response) => response.text())).rejects.toThrow();
  });

  it('writes a pulled body (a source) as it comes, reading ahead of a stalled client by its readAhead and no more', async () => {
    const CHUNK = 64 * 1024;
    let taken = 0;
    let cancels = 0;
    const source: ChunkSource = {
      readAhead: 256 * 1024,
      next: async () => (taken++ < 1000 ? new Uint8Array(CHUNK).fill(taken % 256) : null),
      cancel: () => {
        cancels++;
      },
    };
    const endpoint = await start(async () => sourceResponse(source, { status: 200 }));
    const { port } = new URL(endpoint);
    // A client that sends its request and then reads nothing.
    const socket = connect(Number(port), '127.0.0.1');
    socket.pause();
    socket.write('GET /slow HTTP/1.1\r\nhost: x\r\n\r\n');
    await eventually(() => taken > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The kernel's socket buffers take some megabytes first; what the adapter itself holds is bounded.
    const held = taken;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(taken).toBe(held);
    expect(taken).toBeLessThan(1000);
    socket.destroy();
    await eventually(() => cancels === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(cancels).toBe(1);
  });

  it('writes every chunk of a source in order and ends; a failing source cuts the connection and is not cancelled', async () => {
    const parts = ['one ', 'two ', 'three'];
    let cancels = 0;
    const sourceOf = (fail: boolean): ChunkSource => {
      let index = 0;
      return {
        readAhead: 1024,
        next: async () => {
          const part = parts[index++];
          if (part === undefined && fail) throw new Error('origin reset');
          return part === undefined ? null : new TextEncoder().encode(part);
        },
        cancel: () => {
          cancels++;
        },
      };
    };
    const endpoint = await start(async (request) =>
      request.url.endsWith('/broken')
        ? sourceResponse(sourceOf(true), { headers: { 'content-length': '100' } })
        : sourceResponse(sourceOf(false), { status: 200 }),
    );
    expect(await (await fetch(`${endpoint}/x`)).text()).toBe('one two three');
    await expect(fetch(`${endpoint}/broken`).then((response) => response.text())).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(cancels).toBe(0);
    // Any other caller reads it as a stream; a HEAD cancels it unread.
    expect(await sourceResponse(sourceOf(false), {}).text()).toBe('one two three');
    const head = await fetch(`${endpoint}/x`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(cancels).toBe(1);
  });

  it('closes the connection after answering a request whose body it did not read', async () => {
    const endpoint = await start(async () => new Response('too large', { status: 413 }));
    const { port } = new URL(endpoint);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1');
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString('latin1');
      });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
      // Declares a megabyte and sends ten bytes of it.
      socket.write('PUT /b/k HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1048576\r\n\r\n0123456789');
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.toLowerCase()).toContain('connection: close');
  });
});

describe('a request body the fetch function gives up on', () => {
  it('is dropped while the client still sends it, and the server goes on serving', async () => {
    const endpoint = await start(async (request) => {
      if (request.method !== 'PUT') return new Response('alive');
      const reader = (request.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      // Chunks pile up in the socket's buffer meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await reader.cancel();
      return new Response('refused', { status: 400 });
    });
    const { port } = new URL(endpoint);
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (data) => {
      answer += data;
    });
    socket.on('error', () => undefined);
    socket.write('PUT /b/k HTTP/1.1\r\nhost: x\r\ncontent-length: 400000\r\n\r\n');
    // The body keeps coming after the handler cancelled it: 40 chunks, 5 ms apart.
    for (let i = 0; i < 40 && !socket.destroyed; i++) {
      socket.write(Buffer.alloc(10_000, 97));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await eventually(() => answer.includes('refused'));
    socket.destroy();
    expect(await (await fetch(`${endpoint}/b/k`)).text()).toBe('alive');
  });
});
