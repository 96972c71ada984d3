// The real AWS SDK against `npx mirrorspec serve`, started as a user would start it: the setup the SDK
// law files share, so the serve command, its endpoint and the client's settings are written once.

import { type ChildProcess, spawn } from 'node:child_process';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll } from 'vitest';
import { type ScriptableOrigin, startOrigin } from '../origin/scriptable-origin.ts';
import { MIRRORSPEC_BIN } from './mirrorspec-bin.ts';
import { runConfig } from './run-config.ts';
import { sdkClient } from './sdk-client.ts';

/** What a law file reaches once `beforeAll` has run: the serve endpoint, an origin on loopback, the SDK. */
interface SdkAgainstServe {
  readonly endpoint: string;
  readonly origin: ScriptableOrigin;
  readonly s3: S3Client;
}

/**
 * Starts `mirrorspec serve --port 0 --allow-private-origins` (the origin is on loopback), as the
 * profile the run is for (`mirrorspec check` runs every profile), so the SDK works against each of them.
 */
async function startServe(): Promise<{ child: ChildProcess; endpoint: string }> {
  const profile = runConfig().profile ?? 'neutral';
  const args = [MIRRORSPEC_BIN, 'serve', '--port', '0', '--allow-private-origins', '--profile', profile];
  const child = spawn(process.execPath, args, {
    cwd: new URL('../..', import.meta.url).pathname,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`mirrorspec serve printed no endpoint in 30 s:\n${output}`)),
      30_000,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`mirrorspec serve exited with ${code}:\n${output}`)));
  });
  return { child, endpoint };
}

/**
 * Registers the file's `beforeAll` (an origin, `mirrorspec serve`, an SDK client pointed at it) and its
 * `afterAll`; the returned value's fields are read inside the tests, after `beforeAll` has set them.
 */
export function sdkAgainstServe(): SdkAgainstServe {
  let server: ChildProcess | undefined;
  let origin: ScriptableOrigin | undefined;
  let s3: S3Client | undefined;
  let endpoint = '';
  beforeAll(async () => {
    origin = await startOrigin();
    ({ child: server, endpoint } = await startServe());
    s3 = sdkClient(endpoint);
  }, 60_000);

  afterAll(async () => {
    s3?.destroy();
    // The whole process group: serve and anything it started.
    if (server?.pid !== undefined) process.kill(-server.pid, 'SIGTERM');
    await origin?.close();
  });

  const started = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`${name} is read before beforeAll has started it`);
    return value;
  };
  return {
    get endpoint() {
      return started(endpoint === '' ? undefined : endpoint, 'the serve endpoint');
    },
    get origin() {
      return started(origin, 'the origin');
    },
    get s3() {
      return started(s3, 'the SDK client');
    },
  };
}
