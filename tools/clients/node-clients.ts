// The two npm clients, each with its defaults but the endpoint: `@aws-sdk/client-s3` (+ lib-storage and
// the presigner) and `minio` (no region given, so it asks the bucket's location first). Each step is a
// function that throws when the call or its check fails; run-clients.ts runs them in order.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import * as Minio from 'minio';

export interface ClientContext {
  endpoint: string;
  bucket: string;
  work: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** A step: run it, or `absent` with why the tool has no such call. */
export type Step = (() => Promise<void>) | { absent: string };

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function expectSame(context: ClientContext, file: string, bytes: Uint8Array): Promise<void> {
  if (sha256(bytes) !== sha256(await readFile(join(context.work, file)))) {
    throw new Error(`the bytes read back differ from ${file}`);
  }
}

async function fetchBytes(url: string, init?: RequestInit): Promise<Uint8Array> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

export function awsSdkSteps(context: ClientContext): Record<string, Step> {
  const { bucket } = context;
  const s3 = new S3Client({
    endpoint: context.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: context.accessKeyId, secretAccessKey: context.secretAccessKey },
  });
  const get = async (key: string) =>
    (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToByteArray() ??
    new Uint8Array();
  const small = () => readFile(join(context.work, 'small.txt'));
  return {
    'make-bucket': async () => void (await s3.send(new CreateBucketCommand({ Bucket: bucket }))),
    put: async () =>
      void (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'small.txt', Body: await small() }))),
    get: async () => expectSame(context, 'small.txt', await get('small.txt')),
    list: async () => {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      if (!listed.Contents?.some((object) => object.Key === 'small.txt'))
        throw new Error('small.txt is not listed');
    },
    'upload-20mb': async () => {
      const body = await readFile(join(context.work, 'big.bin'));
      await new Upload({ client: s3, params: { Bucket: bucket, Key: 'big.bin', Body: body } }).done();
      await expectSame(context, 'big.bin', await get('big.bin'));
    },
    'sync-twice': { absent: 'the SDK has no sync' },
    copy: async () => {
      await s3.send(
        new CopyObjectCommand({ Bucket: bucket, Key: 'copy.txt', CopySource: `${bucket}/small.txt` }),
      );
      await expectSame(context, 'small.txt', await get('copy.txt'));
    },
    'batch-delete': async () => {
      const keys = ['tree/a.txt', 'tree/b.txt'];
      for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }));
      const answer = await s3.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }),
      );
      const left = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'tree/' }));
      if (answer.Deleted?.length !== 2 || (left.KeyCount ?? 0) > 0)
        throw new Error('not every key was deleted');
    },
    'presigned-get': async () => {
      const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: 'small.txt' }));
      await expectSame(context, 'small.txt', await fetchBytes(url));
    },
    'presigned-put': async () => {
      const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: 'presigned.txt' }));
      await fetchBytes(url, { method: 'PUT', body: await small() });
      await expectSame(context, 'small.txt', await get('presigned.txt'));
    },
    delete: async () => {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'small.txt' }));
      const left = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'small.txt' }));
      if ((left.KeyCount ?? 0) > 0) throw new Error('small.txt is still listed');
    },
  };
}

export function minioSteps(context: ClientContext): Record<string, Step> {
  const { bucket } = context;
  const url = new URL(context.endpoint);
  const minio = new Minio.Client({
    endPoint: url.hostname,
    port: Number(url.port),
    useSSL: false,
    accessKey: context.accessKeyId,
    secretKey: context.secretAccessKey,
  });
  const get = async (key: string) => {
    const chunks: Buffer[] = [];
    for await (const chunk of await minio.getObject(bucket, key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const keys = async (prefix: string) => {
    const found: string[] = [];
    for await (const item of minio.listObjectsV2(bucket, prefix, true)) if (item.name) found.push(item.name);
    return found;
  };
  return {
    'make-bucket': () => minio.makeBucket(bucket),
    put: async () => void (await minio.fPutObject(bucket, 'small.txt', join(context.work, 'small.txt'))),
    get: async () => expectSame(context, 'small.txt', await get('small.txt')),
    list: async () => {
      if (!(await keys('')).includes('small.txt')) throw new Error('small.txt is not listed');
    },
    'upload-20mb': async () => {
      await minio.fPutObject(bucket, 'big.bin', join(context.work, 'big.bin'));
      await expectSame(context, 'big.bin', await get('big.bin'));
    },
    'sync-twice': { absent: 'the minio client has no sync' },
    copy: async () => {
      await minio.copyObject(bucket, 'copy.txt', `/${bucket}/small.txt`, new Minio.CopyConditions());
      await expectSame(context, 'small.txt', await get('copy.txt'));
    },
    'batch-delete': async () => {
      const names = ['tree/a.txt', 'tree/b.txt'];
      for (const name of names) await minio.putObject(bucket, name, Buffer.from('x'));
      await minio.removeObjects(bucket, names);
      if ((await keys('tree/')).length > 0) throw new Error('not every key was deleted');
    },
    'presigned-get': async () =>
      expectSame(context, 'small.txt', await fetchBytes(await minio.presignedGetObject(bucket, 'small.txt'))),
    'presigned-put': async () => {
      const target = await minio.presignedPutObject(bucket, 'presigned.txt');
      await fetchBytes(target, { method: 'PUT', body: await readFile(join(context.work, 'small.txt')) });
      await expectSame(context, 'small.txt', await get('presigned.txt'));
    },
    delete: async () => {
      await minio.removeObject(bucket, 'small.txt');
      if ((await keys('small.txt')).length > 0) throw new Error('small.txt is still listed');
    },
  };
}
