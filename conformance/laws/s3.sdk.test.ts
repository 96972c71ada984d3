// The real AWS SDK against `npx mirrorspec serve`, started as a user would start it.

import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { type ScriptableOrigin, startOrigin } from '../origin/scriptable-origin.ts';
import { behaviour } from '../support/behaviour.ts';
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
    's3.object-basics',
    'the AWS SDK creates a bucket, puts, gets, heads, lists and deletes objects',
    async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'sdk-basics' }));
      const body = 'hello from the sdk ✓';
      await s3.send(
        new PutObjectCommand({
          Bucket: 'sdk-basics',
          Key: 'dir/a b+c.txt',
          Body: body,
          ContentType: 'text/plain',
        }),
      );
      const got = await s3.send(new GetObjectCommand({ Bucket: 'sdk-basics', Key: 'dir/a b+c.txt' }));
      expect(await got.Body?.transformToString()).toBe(body);
      expect(got.ContentType).toBe('text/plain');
      const head = await s3.send(new HeadObjectCommand({ Bucket: 'sdk-basics', Key: 'dir/a b+c.txt' }));
      expect(head.ContentLength).toBe(Buffer.byteLength(body));
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'sdk-basics' }));
      expect(listed.Contents?.map((object) => object.Key)).toEqual(['dir/a b+c.txt']);
      await s3.send(new DeleteObjectCommand({ Bucket: 'sdk-basics', Key: 'dir/a b+c.txt' }));
      await expect(
        s3.send(new GetObjectCommand({ Bucket: 'sdk-basics', Key: 'dir/a b+c.txt' })),
      ).rejects.toBeInstanceOf(NoSuchKey);
      await s3.send(new DeleteBucketCommand({ Bucket: 'sdk-basics' }));
    },
  );

  behaviour(
    's3.copy-object',
    'the AWS SDK copies an object server-side, and the copy has the source bytes by hash',
    async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'sdk-copy' }));
      const body = Buffer.alloc(200_000, 'copy me ✓');
      const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
      await s3.send(new PutObjectCommand({ Bucket: 'sdk-copy', Key: 'src/a b.bin', Body: body }));
      const copied = await s3.send(
        new CopyObjectCommand({ Bucket: 'sdk-copy', Key: 'dst/c.bin', CopySource: 'sdk-copy/src/a%20b.bin' }),
      );
      expect(copied.CopyObjectResult?.ETag).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
      const got = await s3.send(new GetObjectCommand({ Bucket: 'sdk-copy', Key: 'dst/c.bin' }));
      expect(sha(await (got.Body?.transformToByteArray() ?? Promise.resolve(new Uint8Array())))).toBe(
        sha(body),
      );
    },
  );
});
