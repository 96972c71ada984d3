// The real AWS SDK against `npx mirrorspec serve`, started as a user would start it: a miss through the
// SDK relays the origin's object and stores it.

import { type ChildProcess, spawn } from 'node:child_process';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { originBytes, type ScriptableOrigin, startOrigin } from '../origin/scriptable-origin.ts';
import { behaviour } from '../support/behaviour.ts';
import { sha256 } from '../support/mirror-laws.ts';
import { MIRRORSPEC_BIN } from '../support/mirrorspec-bin.ts';
import { runConfig } from '../support/run-config.ts';

let server: ChildProcess | undefined;
let endpoint = '';
let origin: ScriptableOrigin;
let s3: S3Client;

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

beforeAll(async () => {
  origin = await startOrigin();
  ({ child: server, endpoint } = await startServe());
  s3 = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'mirrorspec', secretAccessKey: 'mirrorspec' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}, 60_000);

afterAll(async () => {
  s3?.destroy();
  // The whole process group: npx, and the node process it started.
  if (server?.pid !== undefined) process.kill(-server.pid, 'SIGTERM');
  await origin?.close();
});

describe('@aws-sdk/client-s3 against mirrorspec serve', () => {
  behaviour(
    'origin.ok-relayed-and-stored',
    "the AWS SDK's GET of a missing key under a mirror rule returns the origin's bytes",
    async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'sdk-mirror' }));
      const put = await fetch(`${endpoint}/_mirrorspec/buckets/sdk-mirror/mirror`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          rules: [{ id: 'images', condition: { keyPrefix: 'img/' }, origins: [`${origin.url}/site/`] }],
        }),
      });
      expect(put.status).toBe(200);
      origin.script('/site/img/logo.png', {
        body: { size: 100_000, seed: 42 },
        headers: { 'content-type': 'image/png' },
      });

      const got = await s3.send(new GetObjectCommand({ Bucket: 'sdk-mirror', Key: 'img/logo.png' }));
      const bytes = await got.Body?.transformToByteArray();
      expect(sha256(bytes ?? new Uint8Array())).toBe(sha256(originBytes(100_000, 42)));
      expect(got.ContentType).toBe('image/png');
      expect(origin.requestsFor('/site/img/logo.png')).toHaveLength(1);

      const again = await s3.send(new GetObjectCommand({ Bucket: 'sdk-mirror', Key: 'img/logo.png' }));
      expect((await again.Body?.transformToByteArray())?.byteLength).toBe(100_000);
      expect(origin.requestsFor('/site/img/logo.png')).toHaveLength(1);
    },
  );
});
