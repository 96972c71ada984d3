// The simulator in-process, through its fetch function, with a tiny origin on loopback.

import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from './index.ts';

let origin: Server;
let originUrl = '';
let simulator: Simulator;

beforeAll(async () => {
  origin = createServer((req, res) => {
    if (req.url?.startsWith('/chunked/')) {
      // 3 chunks of 40 bytes, no Content-Length: over a 100-byte cap only once the body is flowing.
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      for (let i = 0; i < 3; i++) res.write(Buffer.alloc(40, i));
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`origin copy of ${req.url}`);
  });
  origin.listen(0, '127.0.0.1');
  await once(origin, 'listening');
  originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
  simulator = createSimulator({ maxObjectSize: 100, allowPrivateOrigins: true });
});

afterAll(async () => {
  await simulator.close();
  origin.close();
});

const call = (method: string, url: string, init: RequestInit = {}) =>
  simulator.fetch(new Request(`http://127.0.0.1:9000${url}`, { method, ...init }));

async function bucketWithRule(bucket: string, rule: object) {
  expect((await call('PUT', `/${bucket}`)).status).toBe(200);
  const put = await call('PUT', `/_mirrorspec/buckets/${bucket}/mirror`, {
    body: JSON.stringify({ rules: [{ id: 'all', origins: [originUrl], ...rule }] }),
  });
  expect(put.status).toBe(200);
}

describe('the simulator in-process', () => {
  it('addresses a bucket by virtual host as well as by path', async () => {
    await bucketWithRule('virtual', {});
    const put = await simulator.fetch(
      new Request('http://virtual.localhost:9000/a.txt', { method: 'PUT', body: 'hello' }),
    );
    expect(put.status).toBe(200);
    expect(await (await call('GET', '/virtual/a.txt')).text()).toBe('hello');
  });

  it('stops a chunked origin body at the configured size cap and stores nothing', async () => {
    await bucketWithRule('capped', {});
    const miss = await call('GET', '/capped/chunked/big');
    expect(miss.status).toBe(424);
    expect(await miss.text()).toContain('size cap of 100 bytes');
    expect((await call('HEAD', '/capped/chunked/big')).status).toBe(404);
  });

  it('answers 302 to the origin URL in redirect mode and stores nothing', async () => {
    await bucketWithRule('redirects', { mode: 'redirect' });
    const miss = await call('GET', '/redirects/a%20b.txt');
    expect(miss.status).toBe(302);
    expect(miss.headers.get('location')).toBe(`${originUrl}/a%20b.txt`);
    expect((await call('HEAD', '/redirects/a%20b.txt')).status).toBe(404);
  });

  it('answers 302 in redirect-async mode and has the object once background work settles', async () => {
    await bucketWithRule('later', { mode: 'redirect-async' });
    expect((await call('GET', '/later/x.txt')).status).toBe(302);
    expect(await simulator.settle(5000)).toBe(true);
    const stored = await call('GET', '/later/x.txt');
    expect(stored.status).toBe(200);
    expect(await stored.text()).toBe('origin copy of /x.txt');
  });

  it('reset removes every bucket', async () => {
    await bucketWithRule('gone', {});
    await simulator.reset();
    expect((await call('HEAD', '/gone')).status).toBe(404);
  });
});

describe('mirror configuration errors say what to fix', () => {
  it.each([
    ['{"rules": [', 'MalformedJSON', 'not valid JSON'],
    ['{"rules": [], "extra": 1}', 'InvalidMirrorConfiguration', "unknown field 'extra'"],
    ['{"rules": [{"id": "a"}]}', 'InvalidMirrorConfiguration', "missing required field 'origins'"],
    [
      '{"rules": [{"id": "a", "origins": ["ftp://x/"]}]}',
      'InvalidMirrorConfiguration',
      'must start with http:// or https://',
    ],
    [
      '{"rules": [{"id": "a", "origins": ["http://x/"]}, {"id": "a", "origins": ["http://y/"]}]}',
      'InvalidMirrorConfiguration',
      "rule id 'a' is already used by rules/0",
    ],
    [
      '{"rules": [{"id": "a", "origins": ["http://x/"], "headers": {"set": [{"name": "x-a", "value": "v\\r\\nx-b: 1"}]}}]}',
      'InvalidMirrorConfiguration',
      'rules/0/headers/set/0/value',
    ],
  ])('%s is %s: %s', async (body, code, message) => {
    await bucketWithRule(`errors-${code.length}-${message.length}`, {});
    const bucket = `errors-${code.length}-${message.length}`;
    const before = await (await call('GET', `/_mirrorspec/buckets/${bucket}/mirror`)).text();
    const response = await call('PUT', `/_mirrorspec/buckets/${bucket}/mirror`, { body });
    expect(response.status).toBe(400);
    const text = (await response.text()).replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)));
    expect(text).toContain(`<Code>${code}</Code>`);
    expect(text).toContain(message);
    expect(await (await call('GET', `/_mirrorspec/buckets/${bucket}/mirror`)).text()).toBe(before);
  });
});
