import { afterAll, describe, expect, it } from 'vitest';
import { forbiddenAddressReason } from '../core/address-policy.ts';
import { UNREACHABLE, UndiciOriginClient } from './undici-origin-client.ts';

const timeouts = { connectMs: 2000, headersMs: 500, bodyIdleMs: 2000 };
const guarded = new UndiciOriginClient(timeouts, { addressPolicy: forbiddenAddressReason });

afterAll(() => guarded.close());

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
