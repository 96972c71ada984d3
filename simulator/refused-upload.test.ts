// A served simulator that refuses an upload on its headers stays up: on Node 20 the body stream made by
// Readable.toWeb took the socket's next chunk after the refusal had cancelled it, and the uncaught
// ERR_INVALID_STATE ended the process (seen with `check --target` against `mirrorspec serve`).

import { request } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from './index.ts';

let running: RunningSimulator;
beforeAll(async () => {
  running = await startSimulator();
});
afterAll(async () => {
  await running.close();
});

it('a PUT refused for a Content-MD5 that is not 16 bytes leaves the server serving the next requests', async () => {
  await (await request(`${running.endpoint}/refusals`, { method: 'PUT' })).body.text();
  for (let i = 0; i < 3; i++) {
    const refused = await request(`${running.endpoint}/refusals/k${i}`, {
      method: 'PUT',
      body: Buffer.alloc(200_000 * i + 5, 1),
      headers: { 'content-md5': 'bm90IGFuIG1kNQ==' },
    });
    expect(refused.statusCode).toBe(400);
    expect(await refused.body.text()).toContain('InvalidDigest');
  }
  const listed = await request(`${running.endpoint}/refusals?list-type=2`);
  expect(listed.statusCode).toBe(200);
  expect(await listed.body.text()).not.toContain('<Key>');
});
