// The scriptable origin's validators and ranges: conditional requests and Range as an origin answers
// them.

import { request } from 'undici';
import { expect, test } from 'vitest';
import { originPerTest } from './origin-per-test.ts';
import { originBytes } from './scriptable-origin.ts';

const origin = originPerTest();

test('fixed validators stay the same for a script, and a matching conditional request is 304', async () => {
  origin.script('/v', { body: 'same', validators: 'fixed' });
  const first = await request(`${origin.url}/v`);
  await first.body.text();
  const again = await request(`${origin.url}/v`);
  expect(await again.body.text()).toBe('same');
  const etag = String(first.headers.etag);
  const lastModified = String(first.headers['last-modified']);
  expect(etag).toMatch(/^"[^"]+"$/);
  expect(again.headers.etag).toBe(etag);
  expect(again.headers['last-modified']).toBe(lastModified);

  const matched = await request(`${origin.url}/v`, { headers: { 'if-none-match': `W/${etag}` } });
  expect(matched.statusCode).toBe(304);
  expect(await matched.body.text()).toBe('');
  const since = await request(`${origin.url}/v`, { headers: { 'if-modified-since': lastModified } });
  expect(since.statusCode).toBe(304);
  await since.body.text();
  // If-None-Match decides when present (RFC 9110 section 13.2.2), so another tag is a full answer.
  const other = await request(`${origin.url}/v`, {
    headers: { 'if-none-match': '"other"', 'if-modified-since': lastModified },
  });
  expect(other.statusCode).toBe(200);
  expect(await other.body.text()).toBe('same');

  // A new script is a new version.
  origin.script('/v', { body: 'same', validators: 'fixed' });
  const replaced = await request(`${origin.url}/v`);
  await replaced.body.text();
  expect(replaced.headers.etag).not.toBe(etag);
});

test('changing validators give every answer a new ETag and a later Last-Modified, so no conditional matches', async () => {
  origin.scriptPrefix('/c', { body: 'rewritten', validators: 'changing' });
  const answers: { headers: Record<string, string | string[] | undefined> }[] = [];
  for (let i = 0; i < 3; i++) {
    const previous = answers.at(-1)?.headers.etag;
    const res = await request(`${origin.url}/c/k`, {
      headers: previous === undefined ? {} : { 'if-none-match': String(previous) },
    });
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toBe('rewritten');
    answers.push({ headers: res.headers });
  }
  const etags = answers.map((res) => res.headers.etag);
  expect(new Set(etags).size).toBe(3);
  const times = answers.map((res) => Date.parse(String(res.headers['last-modified'])));
  expect(times[0]).toBeLessThan(times[1] ?? 0);
  expect(times[1]).toBeLessThan(times[2] ?? 0);
  expect(times[2]).toBeLessThan(Date.now());
});

test('with ranges on, one byte range is answered 206 with exactly those bytes and Content-Range', async () => {
  const bytes = originBytes(200_000, 5);
  origin.script('/r', { body: { size: 200_000, seed: 5 }, ranges: true });
  const cases: [string, number, number][] = [
    ['bytes=0-0', 0, 1],
    ['bytes=70000-140001', 70_000, 140_002],
    ['bytes=199990-', 199_990, 200_000],
    ['bytes=-10', 199_990, 200_000],
    ['bytes=5-999999', 5, 200_000],
  ];
  for (const [range, start, end] of cases) {
    const res = await request(`${origin.url}/r`, { headers: { range } });
    expect(res.statusCode, range).toBe(206);
    expect(res.headers['content-range'], range).toBe(`bytes ${start}-${end - 1}/200000`);
    expect(res.headers['content-length'], range).toBe(String(end - start));
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(
      Buffer.from(await res.body.arrayBuffer()).equals(Buffer.from(bytes.subarray(start, end))),
      range,
    ).toBe(true);
  }
});

test('with ranges on, a range past the end is 416 and several ranges or none get the whole body', async () => {
  origin.script('/r', { body: 'abcdef', ranges: true, chunked: true });
  const past = await request(`${origin.url}/r`, { headers: { range: 'bytes=6-' } });
  expect(past.statusCode).toBe(416);
  expect(past.headers['content-range']).toBe('bytes */6');
  await past.body.text();
  for (const range of ['bytes=0-1,3-4', 'items=0-1', undefined]) {
    const res = await request(`${origin.url}/r`, range === undefined ? {} : { headers: { range } });
    expect(res.statusCode, range).toBe(200);
    expect(await res.body.text(), range).toBe('abcdef');
  }
  const chunkedSlice = await request(`${origin.url}/r`, { headers: { range: 'bytes=2-3' } });
  expect(chunkedSlice.statusCode).toBe(206);
  expect(chunkedSlice.headers['content-length']).toBeUndefined();
  expect(await chunkedSlice.body.text()).toBe('cd');
  // Without ranges on, the Range header is ignored (and logged).
  origin.script('/plain', { body: 'abcdef' });
  const plain = await request(`${origin.url}/plain`, { headers: { range: 'bytes=0-1' } });
  expect(plain.statusCode).toBe(200);
  expect(plain.headers['accept-ranges']).toBeUndefined();
  expect(await plain.body.text()).toBe('abcdef');
});
