// The real AWS SDK against `npx mirrorspec serve`, started as a user would start it.

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
} from '@aws-sdk/client-s3';
import { describe, expect } from 'vitest';
import { behaviour } from '../support/behaviour.ts';
import { sdkAgainstServe } from '../support/sdk-against-serve.ts';

const sdk = sdkAgainstServe();

describe('@aws-sdk/client-s3 against mirrorspec serve', () => {
  behaviour(
    's3.object-basics',
    'the AWS SDK creates a bucket, puts, gets, heads, lists and deletes objects',
    async () => {
      const { s3 } = sdk;
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
      const { s3 } = sdk;
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
