// Where the scriptable origin listens: loopback only, IPv4 or IPv6.

import { createServer } from 'node:http';
import { request } from 'undici';
import { expect, test } from 'vitest';
import { startOrigin } from './scriptable-origin.ts';

test('startOrigin refuses a host outside loopback and says why', async () => {
  await expect(startOrigin({ host: '0.0.0.0' })).rejects.toThrow(/only listens on loopback/);
  await expect(startOrigin({ host: '10.1.2.3' })).rejects.toThrow(/127\.0\.0\.0\/8 or ::1/);
  await expect(startOrigin({ host: 'example.com' })).rejects.toThrow(/loopback/);
});

// Some containers run without an IPv6 loopback; there is nothing to test there.
const hasIpv6Loopback = await new Promise<boolean>((resolve) => {
  const probe = createServer();
  probe.once('error', () => resolve(false));
  probe.listen(0, '::1', () => probe.close(() => resolve(true)));
});

test.runIf(hasIpv6Loopback)('startOrigin listens on ::1 and brackets it in the url', async () => {
  const v6 = await startOrigin({ host: '::1' });
  try {
    v6.script('/six', { body: 'over ipv6' });
    const res = await request(`${v6.url}/six`);

    expect(v6.url).toBe(`http://[::1]:${v6.port}`);
    expect(await res.body.text()).toBe('over ipv6');
  } finally {
    await v6.close();
  }
});
