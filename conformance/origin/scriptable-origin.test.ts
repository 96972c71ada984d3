import { createHash } from 'node:crypto';
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { request } from 'undici';
import { expect, test } from 'vitest';
import { originPerTest } from './origin-per-test.ts';
import { originBytes, originDigest, startOrigin } from './scriptable-origin.ts';

const origin = originPerTest();

/** A GET through node:http, which sends the path exactly as given: no normalisation, no re-encoding. */
function rawGet(path: string, headers: OutgoingHttpHeaders = {}): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: origin.port, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Reads a body until it ends or fails, counting bytes, so a cut connection can be measured. */
async function drain(body: AsyncIterable<Uint8Array>): Promise<{ bytes: number; error: unknown }> {
  let bytes = 0;
  try {
    for await (const chunk of body) bytes += chunk.length;
    return { bytes, error: undefined };
  } catch (error) {
    return { bytes, error };
  }
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

test('a scripted path is answered with its status, headers and body', async () => {
  origin.script('/base/a.txt', {
    status: 203,
    headers: { 'content-type': 'text/plain', 'cache-control': 'max-age=60', etag: '"v1"' },
    body: 'hello, mirror',
  });

  const res = await request(`${origin.url}/base/a.txt`);

  expect(res.statusCode).toBe(203);
  expect(res.headers['content-type']).toBe('text/plain');
  expect(res.headers['cache-control']).toBe('max-age=60');
  expect(res.headers.etag).toBe('"v1"');
  expect(res.headers['content-length']).toBe('13');
  expect(await res.body.text()).toBe('hello, mirror');
});

test('an empty script answers 200 with an empty body and Content-Length 0', async () => {
  origin.script('/empty', {});

  const res = await request(`${origin.url}/empty`);

  expect(res.statusCode).toBe(200);
  expect(res.headers['content-length']).toBe('0');
  expect(await res.body.text()).toBe('');
});

test('a byte body is sent as is', async () => {
  const bytes = new Uint8Array([0, 1, 2, 254, 255]);
  origin.script('/bin', { body: bytes });

  const res = await request(`${origin.url}/bin`);

  expect(new Uint8Array(await res.body.arrayBuffer())).toEqual(bytes);
});

test('a { size, seed } body has that length and the bytes originBytes and originDigest predict', async () => {
  const size = 1_000_003;
  origin.script('/big', { body: { size, seed: 7 } });

  const res = await request(`${origin.url}/big`);
  const body = new Uint8Array(await res.body.arrayBuffer());

  expect(res.headers['content-length']).toBe(String(size));
  expect(body.length).toBe(size);
  // Buffer.equals rather than toEqual: a deep diff of a megabyte takes seconds.
  expect(Buffer.from(body).equals(originBytes(size, 7))).toBe(true);
  expect(createHash('sha256').update(body).digest('hex')).toBe(originDigest({ size, seed: 7 }));
});

test('a generated body is a prefix of a longer one with the same seed and differs under another seed', () => {
  const long = originBytes(200_000, 42);

  expect(Buffer.from(originBytes(70_001, 42)).equals(long.subarray(0, 70_001))).toBe(true);
  expect(originBytes(1000, 43)).not.toEqual(long.subarray(0, 1000));
  expect(originBytes(0, 42).length).toBe(0);
});

test('originDigest of a string or bytes body is the sha256 of its UTF-8 bytes', () => {
  const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

  expect(originDigest('héllo')).toBe(sha256(Buffer.from('héllo', 'utf8')));
  expect(originDigest(new Uint8Array([1, 2, 3]))).toBe(sha256(new Uint8Array([1, 2, 3])));
  expect(originDigest(undefined)).toBe(sha256(''));
});

test('a chunked answer has no Content-Length and is sent with Transfer-Encoding: chunked', async () => {
  origin.script('/chunked', { chunked: true, body: { size: 300_000, seed: 1 } });

  const res = await request(`${origin.url}/chunked`);
  const body = new Uint8Array(await res.body.arrayBuffer());

  expect(res.headers['content-length']).toBeUndefined();
  expect(res.headers['transfer-encoding']).toBe('chunked');
  expect(Buffer.from(body).equals(originBytes(300_000, 1))).toBe(true);
});

test('a Content-Length longer than the body makes the client see a premature close', async () => {
  origin.script('/short', { body: 'hello', contentLength: 10 });

  const res = await request(`${origin.url}/short`);

  expect(res.headers['content-length']).toBe('10');
  const { bytes, error } = await drain(res.body);
  expect(bytes).toBe(5);
  expect(error).toBeInstanceOf(Error);
});

test('after a Content-Length shorter than the body the connection is closed, not reused', async () => {
  origin.script('/long', { body: 'hello', contentLength: 3 });
  origin.script('/next', { body: 'next' });

  const res = await request(`${origin.url}/long`);
  const body = await res.body.text();
  // The same pooled client again: leftover bytes on a reused connection would garble this answer.
  const next = await request(`${origin.url}/next`);

  expect(body).toBe('hel');
  expect(await next.body.text()).toBe('next');
});

test('resetAfterBytes closes the connection after exactly that many body bytes', async () => {
  origin.script('/cut', { body: { size: 500_000, seed: 3 }, resetAfterBytes: 100_000 });

  const res = await request(`${origin.url}/cut`);

  expect(res.headers['content-length']).toBe('500000');
  const { bytes, error } = await drain(res.body);
  expect(bytes).toBe(100_000);
  expect(error).toBeInstanceOf(Error);
});

test('resetAfterBytes 0 sends the headers and closes before any body byte', async () => {
  origin.script('/cut0', { body: 'never sent', resetAfterBytes: 0 });

  const res = await request(`${origin.url}/cut0`);

  expect(res.statusCode).toBe(200);
  const { bytes, error } = await drain(res.body);
  expect(bytes).toBe(0);
  expect(error).toBeInstanceOf(Error);
});

test('delayBeforeHeadersMs holds the status line back for at least that long', async () => {
  origin.script('/slow', { delayBeforeHeadersMs: 300, body: 'late' });

  const started = performance.now();
  const res = await request(`${origin.url}/slow`);
  const waited = performance.now() - started;

  // Timers may fire a millisecond early; there is no upper bound on a loaded machine.
  expect(waited).toBeGreaterThanOrEqual(290);
  expect(await res.body.text()).toBe('late');
});

test('a gate holds each answer back until the test opens it, after the request is logged', async () => {
  const opens: (() => void)[] = [];
  origin.script('/gated', {
    body: 'let through',
    gate: () => new Promise<void>((resolve) => opens.push(resolve)),
  });

  let answered = false;
  const pending = request(`${origin.url}/gated`).then(async (res) => {
    answered = true;
    return { status: res.statusCode, body: await res.body.text() };
  });
  await until(() => opens.length === 1);
  await new Promise((resolve) => setTimeout(resolve, 50));

  expect(origin.requestsFor('/gated')).toHaveLength(1);
  expect(answered).toBe(false);
  opens[0]?.();
  expect(await pending).toEqual({ status: 200, body: 'let through' });
});

test('a gate that rejects resets the connection', async () => {
  origin.script('/refused', { body: 'never sent', gate: () => Promise.reject(new Error('closed')) });

  const outcome = await request(`${origin.url}/refused`).then(
    () => 'answered',
    () => 'failed',
  );

  expect(outcome).toBe('failed');
});

test('delayMidBodyMs pauses after half of the body', async () => {
  origin.script('/stall', { delayMidBodyMs: 300, body: { size: 200_000, seed: 5 } });

  // From before the request: a loaded machine that hands over the headers late cannot shorten the pause.
  const started = performance.now();
  const res = await request(`${origin.url}/stall`);
  let bytes = 0;
  let halfAt = 0;
  for await (const chunk of res.body) {
    bytes += chunk.length;
    if (halfAt === 0 && bytes >= 100_000) halfAt = performance.now();
  }
  const ended = performance.now();

  expect(bytes).toBe(200_000);
  expect(ended - started).toBeGreaterThanOrEqual(290);
  // The first half arrives before the pause, not after it: the pause lies between the halves.
  expect(ended - halfAt).toBeGreaterThan(halfAt - started);
});

test('a redirect sends its status, 302 unless told otherwise, and Location', async () => {
  origin.script('/moved', { redirect: { location: '/there' } });
  origin.script('/gone-for-good', { redirect: { location: `${origin.url}/elsewhere`, status: 301 } });

  const found = await request(`${origin.url}/moved`);
  const permanent = await request(`${origin.url}/gone-for-good`);
  await found.body.dump();
  await permanent.body.dump();

  expect(found.statusCode).toBe(302);
  expect(found.headers.location).toBe('/there');
  expect(permanent.statusCode).toBe(301);
  expect(permanent.headers.location).toBe(`${origin.url}/elsewhere`);
});

test('redirects can be chained into a loop', async () => {
  origin.script('/loop/a', { redirect: { location: '/loop/b' } });
  origin.script('/loop/b', { redirect: { location: '/loop/a' } });

  for (const [from, to] of [
    ['/loop/a', '/loop/b'],
    ['/loop/b', '/loop/a'],
  ] as const) {
    const res = await request(`${origin.url}${from}`);
    await res.body.dump();
    expect(res.headers.location).toBe(to);
  }
});

test('contentMd5 right sends the base64 md5 of the body and wrong sends a different well-formed one', async () => {
  const body = { size: 150_000, seed: 9 };
  const md5 = createHash('md5').update(originBytes(body.size, body.seed)).digest('base64');
  origin.script('/md5/right', { body, contentMd5: 'right' });
  origin.script('/md5/wrong', { body, contentMd5: 'wrong' });

  const right = await request(`${origin.url}/md5/right`);
  const wrong = await request(`${origin.url}/md5/wrong`);
  await right.body.dump();
  await wrong.body.dump();

  expect(right.headers['content-md5']).toBe(md5);
  expect(wrong.headers['content-md5']).not.toBe(md5);
  expect(Buffer.from(String(wrong.headers['content-md5']), 'base64')).toHaveLength(16);
});

test('an unscripted path gets a 404 until a default is scripted, and unscript falls back to it', async () => {
  const unscripted = await request(`${origin.url}/nothing-here`);
  expect(unscripted.statusCode).toBe(404);
  expect((await unscripted.body.text()).length).toBeGreaterThan(0);

  origin.scriptDefault({ status: 200, body: 'default' });
  origin.script('/special', { body: 'special' });
  origin.unscript('/special');
  const special = await request(`${origin.url}/special`);
  expect(await special.body.text()).toBe('default');

  origin.scriptDefault(undefined);
  const again = await request(`${origin.url}/special`);
  await again.body.dump();
  expect(again.statusCode).toBe(404);
});

test('a HEAD request gets the headers, with the full Content-Length, and no body', async () => {
  origin.script('/huge', { body: { size: 5 * 1024 ** 3, seed: 1 }, headers: { etag: '"h"' } });

  const res = await request(`${origin.url}/huge`, { method: 'HEAD' });

  expect(res.statusCode).toBe(200);
  expect(res.headers['content-length']).toBe(String(5 * 1024 ** 3));
  expect(res.headers.etag).toBe('"h"');
  expect(await res.body.text()).toBe('');
});

test('the log keeps the raw path as sent, percent-encoding and dot segments included, and the raw query', async () => {
  origin.script('/a%20b/%2E%2E/c', { body: 'matched raw' });

  const res = await rawGet('/a%20b/%2E%2E/c?x=1%2F2&y&x=3');

  expect(res.body.toString()).toBe('matched raw');
  expect(origin.requests()).toMatchObject([
    { method: 'GET', path: '/a%20b/%2E%2E/c', query: 'x=1%2F2&y&x=3' },
  ]);
});

test('the log records headers with lower-case names and repeated headers joined with ", "', async () => {
  await rawGet('/h', { 'X-Amz-Meta-Color': 'blue', 'X-Twice': ['one', 'two'], Range: 'bytes=0-9' });

  const [logged] = origin.requestsFor('/h');

  expect(logged?.headers['x-amz-meta-color']).toBe('blue');
  expect(logged?.headers['x-twice']).toBe('one, two');
  expect(logged?.headers.range).toBe('bytes=0-9');
  expect(logged?.headers.host).toBe(`127.0.0.1:${origin.port}`);
});

test('every request is logged in order on arrival, before its delay, default answers included', async () => {
  origin.script('/waits', { delayBeforeHeadersMs: 10_000 });
  const before = Date.now();

  const pending = request(`${origin.url}/waits`).catch((error: unknown) => error);
  await until(() => origin.requestsFor('/waits').length === 1);
  const other = await request(`${origin.url}/unscripted?q=1`, { method: 'DELETE' });
  await other.body.dump();

  expect(origin.requests().map((r) => [r.method, r.path, r.query])).toEqual([
    ['GET', '/waits', ''],
    ['DELETE', '/unscripted', 'q=1'],
  ]);
  expect(origin.requests()[0]?.at).toBeGreaterThanOrEqual(before);
  await origin.close();
  await pending;
});

test('requests() returns a copy that later requests and edits do not change', async () => {
  await (await request(`${origin.url}/one`)).body.dump();
  const log = origin.requests();
  const first = log[0];
  if (first) first.headers.host = 'edited';

  await (await request(`${origin.url}/two`)).body.dump();

  expect(log).toHaveLength(1);
  expect(origin.requests()).toHaveLength(2);
  expect(origin.requests()[0]?.headers.host).toBe(`127.0.0.1:${origin.port}`);
});

test('clearLog empties the log and reset also forgets scripts and the default', async () => {
  origin.script('/s', { body: 'scripted' });
  origin.scriptDefault({ status: 200 });
  await (await request(`${origin.url}/s`)).body.dump();

  origin.clearLog();
  expect(origin.requests()).toEqual([]);

  origin.reset();
  const scripted = await request(`${origin.url}/s`);
  const other = await request(`${origin.url}/other`);
  await scripted.body.dump();
  await other.body.dump();
  expect([scripted.statusCode, other.statusCode]).toEqual([404, 404]);
  expect(origin.requests()).toHaveLength(2);
});

test('close() resolves promptly while a delayed response is still pending', async () => {
  origin.script('/hang', { delayBeforeHeadersMs: 60_000 });
  const pending = request(`${origin.url}/hang`).then(
    () => 'answered',
    () => 'failed',
  );
  await until(() => origin.requestsFor('/hang').length === 1);

  const started = performance.now();
  await origin.close();

  expect(performance.now() - started).toBeLessThan(1000);
  expect(await pending).toBe('failed');
});

test('a client that goes away during a delay leaves the origin serving', async () => {
  origin.script('/abandoned', {
    delayBeforeHeadersMs: 100,
    delayMidBodyMs: 100,
    body: { size: 100_000, seed: 1 },
  });
  const controller = new AbortController();
  const abandoned = request(`${origin.url}/abandoned`, { signal: controller.signal }).catch(() => 'aborted');
  await until(() => origin.requestsFor('/abandoned').length === 1);
  controller.abort();
  await abandoned;
  await new Promise((resolve) => setTimeout(resolve, 250));

  const res = await request(`${origin.url}/abandoned`);
  const { bytes } = await drain(res.body);

  expect(bytes).toBe(100_000);
});

test('a 64 MiB generated body is produced only as fast as the client reads it', async () => {
  const size = 64 * 1024 * 1024;
  origin.script('/stream', { body: { size, seed: 11 } });
  // Warm up the connection and code paths with a small body, so their buffers do not count.
  origin.script('/warm-up', { body: { size: 1024 * 1024, seed: 11 } });
  await drain((await request(`${origin.url}/warm-up`)).body);

  // ArrayBuffer memory rather than RSS: RSS also counts chunks already sent and awaiting garbage
  // collection (tens of MiB on a cold run), which says nothing about whether the origin streams.
  // While the client stalls, every chunk produced is still held by a socket, so the growth here is
  // what the origin ran ahead by: a few socket buffers when it honours backpressure, the whole
  // body when it materialises it or ignores 'drain'.
  const before = process.memoryUsage().arrayBuffers;
  const res = await request(`${origin.url}/stream`);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const aheadBy = process.memoryUsage().arrayBuffers - before;
  const hash = createHash('sha256');
  for await (const chunk of res.body) hash.update(chunk);

  expect(aheadBy).toBeLessThan(32 * 1024 * 1024);
  expect(hash.digest('hex')).toBe(originDigest({ size, seed: 11 }));
});

test('an invalid script is refused when it is set, with a message naming the field', () => {
  expect(() => origin.script('/x', { body: { size: -1, seed: 1 } })).toThrow(/script\.body\.size/);
  expect(() => origin.script('/x', { headers: { 'bad name': 'v' } })).toThrow(/header name/);
  expect(() => origin.script('/x', { headers: { ok: 'line\r\nbreak' } })).toThrow(/header value/);
  expect(() => origin.script('/x', { status: 99 })).toThrow(/script\.status/);
  expect(() => origin.script('/x', { colour: 'red' } as never)).toThrow(
    /script\.colour is not a script field/,
  );
  expect(() => origin.script('/_origin/x', {})).toThrow(/reserved/);
  expect(() => origin.script('/x', { validators: 'sometimes' } as never)).toThrow(/script\.validators/);
  expect(() => origin.script('/x', { ranges: 'yes' } as never)).toThrow(/script\.ranges/);
});

test('a script is copied when set, so editing the object afterwards changes nothing', async () => {
  const script = { status: 200, headers: { etag: '"a"' }, body: 'first' };
  origin.script('/copy', script);
  script.body = 'second';
  script.headers.etag = '"b"';

  const res = await request(`${origin.url}/copy`);

  expect(res.headers.etag).toBe('"a"');
  expect(await res.body.text()).toBe('first');
});

test('a prefix script answers every path at or under the prefix, segment-wise, and exact scripts win', async () => {
  const origin = await startOrigin();
  try {
    origin.scriptPrefix('/site', { body: 'prefix' });
    origin.scriptPrefix('/site/deep', { body: 'longer prefix' });
    origin.script('/site/exact', { body: 'exact' });
    const text = async (path: string) => (await request(`${origin.url}${path}`)).body.text();
    expect(await text('/site')).toBe('prefix');
    expect(await text('/site/a%20b/c')).toBe('prefix');
    expect(await text('/site/deep/x')).toBe('longer prefix');
    expect(await text('/site/exact')).toBe('exact');
    expect((await request(`${origin.url}/siteX`)).statusCode).toBe(404);
    expect(origin.requestsUnder('/site').map((r) => r.path)).toEqual([
      '/site',
      '/site/a%20b/c',
      '/site/deep/x',
      '/site/exact',
    ]);
    expect(origin.requestsUnder('/site/deep/').map((r) => r.path)).toEqual(['/site/deep/x']);
  } finally {
    await origin.close();
  }
});
