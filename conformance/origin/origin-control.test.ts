import { request } from 'undici';
import { expect, test } from 'vitest';
import { originPerTest } from './origin-per-test.ts';
import type { OriginRequest } from './scriptable-origin.ts';

const origin = originPerTest();

/** Calls the control API the way another process would: plain HTTP, JSON in and out. */
async function control(
  method: 'GET' | 'PUT' | 'DELETE' | 'POST',
  target: string,
  body?: unknown,
): Promise<{ status: number; headers: Record<string, unknown>; json: unknown }> {
  const res = await request(`${origin.url}/_origin/${target}`, {
    method,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, json: text === '' ? undefined : JSON.parse(text) };
}

function scriptsFor(path: string): string {
  return `scripts?path=${encodeURIComponent(path)}`;
}

test('a script PUT through the control API answers the next request at that raw path', async () => {
  const put = await control('PUT', scriptsFor('/base/a%20b.txt'), {
    status: 200,
    headers: { 'content-type': 'text/plain' },
    body: 'from another process',
    contentMd5: 'right',
  });
  expect(put.status).toBe(204);

  const res = await request(`${origin.url}/base/a%20b.txt`);

  expect(res.headers['content-type']).toBe('text/plain');
  expect(res.headers['content-md5']).toBeDefined();
  expect(await res.body.text()).toBe('from another process');
});

test('a { size, seed } body can be scripted through the control API', async () => {
  await control('PUT', scriptsFor('/gen'), { body: { size: 100_000, seed: 4 } });

  const res = await request(`${origin.url}/gen`);

  expect((await res.body.arrayBuffer()).byteLength).toBe(100_000);
});

test('changing validators and ranges can be scripted through the control API', async () => {
  await control('PUT', scriptsFor('/v'), { body: 'abcdef', validators: 'changing', ranges: true });

  const first = await request(`${origin.url}/v`, { headers: { range: 'bytes=1-2' } });
  const second = await request(`${origin.url}/v`);

  expect(first.statusCode).toBe(206);
  expect(await first.body.text()).toBe('bc');
  expect(await second.body.text()).toBe('abcdef');
  expect(second.headers.etag).not.toBe(first.headers.etag);
  expect((await control('PUT', scriptsFor('/v'), { validators: 'always' })).status).toBe(400);
});

test('GET /_origin/requests returns the log, control requests excluded, and DELETE clears it', async () => {
  await (await request(`${origin.url}/seen?x=1`, { headers: { 'x-probe': 'yes' } })).body.dump();
  await (await request(`${origin.url}/also-seen`)).body.dump();

  const log = await control('GET', 'requests');
  const filtered = await control('GET', `requests?path=${encodeURIComponent('/seen')}`);
  const cleared = await control('DELETE', 'requests');
  const after = await control('GET', 'requests');

  expect(log.status).toBe(200);
  expect(log.headers['content-type']).toMatch(/^application\/json/);
  expect(log.json).toMatchObject([
    { method: 'GET', path: '/seen', query: 'x=1', headers: { 'x-probe': 'yes' } },
    { method: 'GET', path: '/also-seen', query: '' },
  ]);
  expect((filtered.json as OriginRequest[]).map((r) => r.path)).toEqual(['/seen']);
  expect(cleared.status).toBe(204);
  expect(after.json).toEqual([]);
  expect(origin.requests()).toEqual([]);
});

test('DELETE /_origin/scripts forgets one path with ?path, or every script and the default without', async () => {
  origin.script('/one', { body: 'one' });
  origin.script('/two', { body: 'two' });
  await control('PUT', 'default', { status: 200, body: 'default' });

  await control('DELETE', scriptsFor('/one'));
  const one = await request(`${origin.url}/one`);
  expect(await one.body.text()).toBe('default');

  await control('DELETE', 'scripts');
  const two = await request(`${origin.url}/two`);
  await two.body.dump();
  expect(two.statusCode).toBe(404);
});

test('DELETE /_origin/default restores the built-in 404', async () => {
  await control('PUT', 'default', { status: 200 });
  await control('DELETE', 'default');

  const res = await request(`${origin.url}/anything`);
  await res.body.dump();

  expect(res.statusCode).toBe(404);
});

test('a script that is not JSON is refused with 400 and says so', async () => {
  const res = await control('PUT', scriptsFor('/x'), '{ status: 200');

  expect(res.status).toBe(400);
  expect(res.json).toMatchObject({ error: expect.stringMatching(/not valid JSON/) });
});

test('an invalid script is refused with 400 naming the field, and changes nothing', async () => {
  const cases: [unknown, RegExp][] = [
    [[], /script must be an object/],
    [{ status: '200' }, /script\.status/],
    [{ body: { size: 10 } }, /script\.body\.seed/],
    [{ body: { size: 1.5, seed: 1 } }, /script\.body\.size/],
    [{ redirect: { location: '/x', status: 300 } }, /script\.redirect\.status must be one of/],
    [{ contentMd5: 'maybe' }, /script\.contentMd5/],
    [{ delayBeforeHeadersMs: -1 }, /script\.delayBeforeHeadersMs/],
    [{ headers: { etag: 1 } }, /script\.headers\["etag"\] must be a string/],
    [{ chunk: true }, /script\.chunk is not a script field/],
    // Gates are functions, so they can only be set in the origin's own process.
    [{ gate: true }, /script\.gate must be a function/],
    [{ gateMidBody: true }, /script\.gateMidBody must be a function/],
  ];
  for (const [script, message] of cases) {
    const res = await control('PUT', scriptsFor('/x'), script);
    expect(res.status, JSON.stringify(script)).toBe(400);
    expect(res.json, JSON.stringify(script)).toMatchObject({ error: expect.stringMatching(message) });
  }

  const res = await request(`${origin.url}/x`);
  await res.body.dump();
  expect(res.statusCode).toBe(404);
});

test('PUT /_origin/scripts without a usable path is refused with 400', async () => {
  const missing = await control('PUT', 'scripts', {});
  const relative = await control('PUT', 'scripts?path=relative', {});
  const reserved = await control('PUT', scriptsFor('/_origin/requests'), {});

  expect([missing.status, relative.status, reserved.status]).toEqual([400, 400, 400]);
  expect(missing.json).toMatchObject({ error: expect.stringMatching(/\?path=/) });
});

test('an unknown control resource is a 404 and an unsupported method a 405 with Allow', async () => {
  const unknown = await control('GET', 'nope');
  const wrongMethod = await control('POST', 'requests');

  expect(unknown.status).toBe(404);
  expect(wrongMethod.status).toBe(405);
  expect(wrongMethod.headers.allow).toBe('GET, DELETE');
  expect(origin.requests()).toEqual([]);
});

test('a script over 1 MiB of JSON is refused with 413', async () => {
  const res = await control('PUT', scriptsFor('/x'), { body: 'x'.repeat(1024 * 1024 + 1) });

  expect(res.status).toBe(413);
  expect(res.json).toMatchObject({ error: expect.stringMatching(/\{ size, seed \}/) });
});
