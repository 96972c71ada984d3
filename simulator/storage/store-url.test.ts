import { describe, expect, it } from 'vitest';
import { isToolError } from '../../errors/tool-error.ts';
import { MemoryStore } from './memory-store.ts';
import { openStore } from './store-url.ts';

const keys = { MIRRORSPEC_STORE_ACCESS_KEY_ID: 'id', MIRRORSPEC_STORE_SECRET_ACCESS_KEY: 'secret' };

async function refusal(url: string, env: Record<string, string | undefined> = keys) {
  try {
    await openStore(url, env);
  } catch (error) {
    if (isToolError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error(`${url} was opened`);
}

describe('openStore', () => {
  it('opens the memory store for memory: and when no URL is given', async () => {
    expect(await openStore(undefined, {})).toBeInstanceOf(MemoryStore);
    expect(await openStore('memory:', {})).toBeInstanceOf(MemoryStore);
  });

  it.each([
    ['not a url', 'is not a URL'],
    ['file:///tmp/x', "'file:' stores are not known"],
    ['s3://No_Such/?endpoint=http://127.0.0.1:1', 'is not an S3 bucket name'],
    ['s3://bucket?endpoint=http://127.0.0.1:1&colour=red', "unknown parameter 'colour'"],
    ['s3://bucket?endpoint=127.0.0.1:1', 'endpoint must be http(s)://host[:port]'],
    ['s3://bucket?endpoint=http://127.0.0.1:1&region=Mars!', 'region must be a name'],
  ])('refuses %s with a usage error that says what is wrong and the forms it takes', async (url, problem) => {
    const refused = await refusal(url);
    expect(refused.code).toBe('MS_USAGE');
    expect(refused.message).toContain(problem);
    expect(refused.message).toContain('s3://<bucket>');
  });

  it('refuses an s3:// store without keys, naming the variables to set', async () => {
    const refused = await refusal('s3://bucket?endpoint=http://127.0.0.1:1', {});
    expect(refused.code).toBe('MS_CREDENTIALS');
    expect(refused.message).toContain('MIRRORSPEC_STORE_ACCESS_KEY_ID');
    expect(refused.message).toContain('AWS_ACCESS_KEY_ID');
  });

  it('says a store that does not answer does not answer', async () => {
    // Port 1 on loopback: nothing listens there.
    const refused = await refusal('s3://bucket?endpoint=http://127.0.0.1:1');
    expect(refused.code).toBe('MS_TARGET_UNREACHABLE');
    expect(refused.message).toContain('does not answer');
  });
});
