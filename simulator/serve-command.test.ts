import { afterEach, describe, expect, it, vi } from 'vitest';
import { serveCommand } from './serve-command.ts';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** What serveCommand writes to stderr and its exit status, for arguments that stop it before it listens. */
async function refused(argv: string[]): Promise<{ status: number; stderr: string }> {
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const status = await serveCommand(argv);
  return { status, stderr };
}

describe('mirrorspec serve --store', () => {
  it('refuses a store URL it cannot use with a usage error naming the forms it takes, before listening', async () => {
    const { status, stderr } = await refused(['--port', '0', '--store', 's3://x']);
    expect(status).toBe(2);
    expect(stderr).toContain("mirrorspec serve: MS_USAGE: --store: 'x' is not an S3 bucket name");
    expect(stderr).toContain('s3://<bucket>');
  });

  it('refuses an s3:// store without keys, naming the variables to set', async () => {
    for (const name of [
      'MIRRORSPEC_STORE_ACCESS_KEY_ID',
      'MIRRORSPEC_STORE_SECRET_ACCESS_KEY',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
    ])
      vi.stubEnv(name, undefined);
    const { status, stderr } = await refused([
      '--port',
      '0',
      '--store',
      's3://bucket?endpoint=http://127.0.0.1:1',
    ]);
    expect(status).toBe(2);
    expect(stderr).toContain('MS_CREDENTIALS');
    expect(stderr).toContain('MIRRORSPEC_STORE_ACCESS_KEY_ID');
  });
});
