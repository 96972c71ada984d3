// Which requests the msw handlers hand to the simulator, and how.

import { getResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { mirrorspecHandlers } from './msw-handlers.ts';
import { createSimulator } from './simulator.ts';

const endpoint = 'http://s3.mirrorspec.test';
const simulator = createSimulator({ virtualHostDomains: ['s3.mirrorspec.test'] });
const handlers = mirrorspecHandlers(simulator, { endpoint });
const send = (url: string, init: RequestInit = {}) => getResponse(handlers, new Request(url, init));

describe('mirrorspecHandlers', () => {
  it('answers path-style requests under the endpoint from the simulator', async () => {
    expect((await send(`${endpoint}/photos`, { method: 'PUT' }))?.status).toBe(200);
    expect((await send(`${endpoint}/photos/a.txt`, { method: 'PUT', body: 'hello' }))?.status).toBe(200);
    const read = await send(`${endpoint}/photos/a.txt`);
    expect(read?.status).toBe(200);
    expect(read?.headers.get('x-amz-request-id')).toBeTruthy();
    expect(await read?.text()).toBe('hello');
  });

  it('answers virtual-hosted requests on a subdomain of the endpoint', async () => {
    await send(`${endpoint}/virtual`, { method: 'PUT' });
    await send('http://virtual.s3.mirrorspec.test/b.txt', { method: 'PUT', body: 'by host' });
    expect(await (await send(`${endpoint}/virtual/b.txt`))?.text()).toBe('by host');
  });

  it('passes the query to the simulator as sent', async () => {
    await send(`${endpoint}/listed`, { method: 'PUT' });
    await send(`${endpoint}/listed/x/1.txt`, { method: 'PUT', body: '1' });
    const list = await send(`${endpoint}/listed?list-type=2&prefix=x%2F`);
    expect(await list?.text()).toContain('<Key>x/1.txt</Key>');
  });

  it('leaves requests to other hosts, ports and schemes alone', async () => {
    expect(await send('http://s3.mirrorspec.test.example/photos/a.txt')).toBeUndefined();
    expect(await send('http://s3.mirrorspec.test:8080/photos/a.txt')).toBeUndefined();
    expect(await send('https://s3.mirrorspec.test/photos/a.txt')).toBeUndefined();
    expect(await send('http://mirrorspec.test/photos/a.txt')).toBeUndefined();
  });

  it('refuses an endpoint with a path', () => {
    expect(() => mirrorspecHandlers(simulator, { endpoint: `${endpoint}/s3` })).toThrow(
      'the endpoint must be a scheme and a host without a path',
    );
  });
});
