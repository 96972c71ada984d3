// Several users: a simulator with two key pairs, each user judged with its own AWS SDK client, as a test
// suite with a second user (s3-tests' alt user) would. A bucket belongs to the user who created it. Each
// law also runs against a gateway that signs everything as the first user (resigning-gateway.ts), where
// it must fail.

import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../simulator/index.ts';
import { expectLawFailure, type Gateway, startResigningGateway } from '../client/resigning-gateway.ts';
import { type Keys, signedFetch } from '../client/signed-fetch.ts';
import { behaviour } from '../support/behaviour.ts';
import { MIRRORSPEC_BIN } from '../support/mirrorspec-bin.ts';

const ALICE: Keys = { accessKeyId: 'alice-access', secretAccessKey: 'alice-secret' };
const BOB: Keys = { accessKeyId: 'bob-access', secretAccessKey: 'bob-secret' };
const root = new URL('../..', import.meta.url).pathname;

let running: RunningSimulator;
let gateway: Gateway;
const clients: S3Client[] = [];

beforeAll(async () => {
  running = await startSimulator({ credentials: [ALICE, BOB] });
  gateway = await startResigningGateway(running.endpoint, ALICE, 'us-east-1');
});

afterAll(async () => {
  for (const s3 of clients) s3.destroy();
  await gateway?.close();
  await running?.close();
});

function client(endpoint: string, credentials: Keys): S3Client {
  const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
  clients.push(s3);
  return s3;
}

/** 'ok', or the status and S3 error code; a HEAD's refusal has no body, so no code, only its status. */
async function outcome(promise: Promise<unknown>, head = false): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (!(error instanceof S3ServiceException)) throw error;
    const status = String(error.$metadata.httpStatusCode);
    return head ? status : `${status} ${error.name}`;
  }
}

const rulesPath = (bucket: string) => `/_mirrorspec/buckets/${bucket}/mirror`;
const RULES = JSON.stringify({ rules: [{ id: 'all', origins: ['http://origin.test/'] }] });

/** What another user may do to a bucket: [operation, outcome] for every call tried. */
async function whatBobMayDo(endpoint: string, bucket: string): Promise<Record<string, string>> {
  const bob = client(endpoint, BOB);
  const rules = (method: 'GET' | 'PUT' | 'DELETE') =>
    signedFetch(endpoint, BOB, {
      method,
      path: rulesPath(bucket),
      ...(method === 'PUT' ? { headers: { 'content-type': 'application/json' }, body: RULES } : {}),
    }).then((response) => String(response.status));
  return {
    GetObject: await outcome(bob.send(new GetObjectCommand({ Bucket: bucket, Key: 'doc.txt' }))),
    HeadObject: await outcome(bob.send(new HeadObjectCommand({ Bucket: bucket, Key: 'doc.txt' })), true),
    GetPublicObject: await outcome(bob.send(new GetObjectCommand({ Bucket: bucket, Key: 'open.txt' }))),
    PutObject: await outcome(bob.send(new PutObjectCommand({ Bucket: bucket, Key: 'doc.txt', Body: 'bob' }))),
    DeleteObject: await outcome(bob.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'doc.txt' }))),
    ListObjectsV2: await outcome(bob.send(new ListObjectsV2Command({ Bucket: bucket }))),
    HeadBucket: await outcome(bob.send(new HeadBucketCommand({ Bucket: bucket })), true),
    DeleteBucket: await outcome(bob.send(new DeleteBucketCommand({ Bucket: bucket }))),
    CreateBucket: await outcome(bob.send(new CreateBucketCommand({ Bucket: bucket }))),
    GetBucketMirror: await rules('GET'),
    PutBucketMirror: await rules('PUT'),
    DeleteBucketMirror: await rules('DELETE'),
  };
}

/** Alice's bucket, `acl` as asked, with one rule and two objects: doc.txt private, open.txt public-read. */
async function alicesBucket(endpoint: string, bucket: string, acl: 'private' | 'public-read'): Promise<void> {
  const alice = client(endpoint, ALICE);
  await alice.send(new CreateBucketCommand({ Bucket: bucket, ACL: acl }));
  await alice.send(new PutObjectCommand({ Bucket: bucket, Key: 'doc.txt', Body: 'alice' }));
  await alice.send(
    new PutObjectCommand({ Bucket: bucket, Key: 'open.txt', Body: 'open', ACL: 'public-read' }),
  );
  const put = await signedFetch(endpoint, ALICE, {
    method: 'PUT',
    path: rulesPath(bucket),
    headers: { 'content-type': 'application/json' },
    body: RULES,
  });
  expect(put.status, await put.text()).toBe(200);
}

/** Alice still has what she had: the object's bytes and the rule. */
async function unchanged(endpoint: string, bucket: string): Promise<void> {
  const alice = client(endpoint, ALICE);
  const got = await alice.send(new GetObjectCommand({ Bucket: bucket, Key: 'doc.txt' }));
  expect(await got.Body?.transformToString()).toBe('alice');
  const rules = await signedFetch(endpoint, ALICE, { method: 'GET', path: rulesPath(bucket) });
  expect(await rules.text()).toContain('origin.test');
}

const DENIED = '403 AccessDenied';
const bucketArb = fc.stringMatching(/^[a-z0-9]{3,12}$/);

/**
 * Law: another user is denied everything on a private bucket but reading an object written public-read
 * (an object's ACL is the object's own, as in S3), changes nothing, and cannot take its name.
 */
async function privateBucketsAreTheOwners(endpoint: string): Promise<void> {
  await fc.assert(
    fc.asyncProperty(bucketArb, async (name) => {
      const bucket = `own-${name}`;
      fc.pre(!(await bucketExists(endpoint, bucket)));
      await alicesBucket(endpoint, bucket, 'private');
      expect(await whatBobMayDo(endpoint, bucket)).toEqual({
        GetObject: DENIED,
        HeadObject: '403',
        GetPublicObject: 'ok',
        PutObject: DENIED,
        DeleteObject: DENIED,
        ListObjectsV2: DENIED,
        HeadBucket: '403',
        DeleteBucket: DENIED,
        CreateBucket: '409 BucketAlreadyExists',
        GetBucketMirror: '403',
        PutBucketMirror: '403',
        DeleteBucketMirror: '403',
      });
      await unchanged(endpoint, bucket);
      const names = async (keys: Keys) =>
        ((await client(endpoint, keys).send(new ListBucketsCommand({}))).Buckets ?? []).map(
          ({ Name }) => Name,
        );
      expect(await names(ALICE)).toContain(bucket);
      expect(await names(BOB)).not.toContain(bucket);
    }),
    { numRuns: 5 },
  );
}

/**
 * Law: on a public-read bucket another user may list it and read its public-read objects, as anyone may,
 * and nothing more: its private objects, writes, deletes and rules stay the owner's.
 */
async function publicReadBucketsAreListed(endpoint: string): Promise<void> {
  await fc.assert(
    fc.asyncProperty(bucketArb, async (name) => {
      const bucket = `pub-${name}`;
      fc.pre(!(await bucketExists(endpoint, bucket)));
      await alicesBucket(endpoint, bucket, 'public-read');
      expect(await whatBobMayDo(endpoint, bucket)).toEqual({
        GetObject: DENIED,
        HeadObject: '403',
        GetPublicObject: 'ok',
        PutObject: DENIED,
        DeleteObject: DENIED,
        ListObjectsV2: 'ok',
        HeadBucket: 'ok',
        DeleteBucket: DENIED,
        CreateBucket: '409 BucketAlreadyExists',
        GetBucketMirror: '403',
        PutBucketMirror: '403',
        DeleteBucketMirror: '403',
      });
      await unchanged(endpoint, bucket);
    }),
    { numRuns: 3 },
  );
}

/**
 * Law: an upload names the user who initiated it, as Initiator and Owner, in ListMultipartUploads and
 * ListParts, whoever lists it: here Alice's and Bob's uploads into Alice's public-read-write bucket.
 */
async function uploadsNameTheirInitiator(endpoint: string): Promise<void> {
  await fc.assert(
    fc.asyncProperty(bucketArb, async (name) => {
      const bucket = `mpu-${name}`;
      fc.pre(!(await bucketExists(endpoint, bucket)));
      const as = (keys: Keys, method: string, path: string, query: Record<string, string> = {}) =>
        signedFetch(endpoint, keys, { method, path, query }).then((response) => response.text());
      const made = await signedFetch(endpoint, ALICE, {
        method: 'PUT',
        path: `/${bucket}`,
        headers: { 'x-amz-acl': 'public-read-write' },
      });
      expect(made.status).toBe(200);
      const idOf = (xml: string) => /<UploadId>([^<]+)</.exec(xml)?.[1] ?? '';
      const hers = idOf(await as(ALICE, 'POST', `/${bucket}/a.bin`, { uploads: '' }));
      const his = idOf(await as(BOB, 'POST', `/${bucket}/b.bin`, { uploads: '' }));
      const initiators = (xml: string) =>
        [
          ...xml.matchAll(
            /<Key>([^<]+)<\/Key>[\s\S]*?<Initiator><ID>([^<]+)<\/ID>[\s\S]*?<Owner><ID>([^<]+)</g,
          ),
        ].map(([, key, initiator, owner]) => `${key} ${initiator} ${owner}`);
      const expected = ['a.bin alice-access alice-access', 'b.bin bob-access bob-access'];
      for (const keys of [ALICE, BOB]) {
        expect(initiators(await as(keys, 'GET', `/${bucket}`, { uploads: '' }))).toEqual(expected);
      }
      const parts = await as(BOB, 'GET', `/${bucket}/b.bin`, { uploadId: his });
      expect(/<Initiator><ID>([^<]+)</.exec(parts)?.[1], 'ListParts names the initiator').toBe('bob-access');
      await as(ALICE, 'DELETE', `/${bucket}/a.bin`, { uploadId: hers });
      await as(BOB, 'DELETE', `/${bucket}/b.bin`, { uploadId: his });
    }),
    { numRuns: 2 },
  );
}

async function bucketExists(endpoint: string, bucket: string): Promise<boolean> {
  return (await outcome(client(endpoint, ALICE).send(new HeadBucketCommand({ Bucket: bucket })))) === 'ok';
}

describe('several users', () => {
  behaviour(
    'auth.users-own-buckets',
    "another user is 403 AccessDenied on a private bucket, its objects and its rules, changes nothing, and ListBuckets shows each user's own",
    () => privateBucketsAreTheOwners(running.endpoint),
  );

  behaviour(
    'auth.users-public-read',
    'another user lists a public-read bucket and reads its public-read objects, but not its private ones, and may not write, delete or change its rules',
    () => publicReadBucketsAreListed(running.endpoint),
  );

  behaviour(
    'auth.users-upload-initiator',
    'an upload names the user who initiated it as Initiator and Owner, in ListMultipartUploads and ListParts',
    () => uploadsNameTheirInitiator(running.endpoint),
  );

  behaviour(
    'auth.users-own-buckets',
    'mirrorspec serve takes users from repeated --access-key/--secret-key and from a credentials file',
    async () => {
      const folder = await mkdtemp(join(tmpdir(), 'mirrorspec-users-'));
      const file = join(folder, 'credentials');
      await writeFile(
        file,
        `[default]\naws_access_key_id = ${BOB.accessKeyId}\naws_secret_access_key = ${BOB.secretAccessKey}\n`,
      );
      const args = [
        'serve',
        '--port',
        '0',
        '--access-key',
        ALICE.accessKeyId,
        '--secret-key',
        ALICE.secretAccessKey,
      ];
      const child = spawn(process.execPath, [MIRRORSPEC_BIN, ...args, '--credentials-file', file], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        const endpoint = await new Promise<string>((resolve, reject) => {
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => {
            out += chunk.toString();
            const found = /listening on (http:\/\/\S+)/.exec(out)?.[1];
            if (found) resolve(found);
          });
          child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
        });
        await client(endpoint, ALICE).send(new CreateBucketCommand({ Bucket: 'served-alice' }));
        await client(endpoint, BOB).send(new CreateBucketCommand({ Bucket: 'served-bob' }));
        expect(
          await outcome(client(endpoint, BOB).send(new ListObjectsV2Command({ Bucket: 'served-alice' }))),
        ).toBe(DENIED);
      } finally {
        child.kill('SIGTERM');
      }
    },
    30_000,
  );
});

describe('the laws catch a gateway that lets every user act as the first', () => {
  it('the private-bucket law fails against it, with a counterexample', async () => {
    await expectLawFailure(privateBucketsAreTheOwners(gateway.endpoint), /to deeply equal/);
  });

  it("the initiator law fails against it: every upload is the first user's", async () => {
    await expectLawFailure(uploadsNameTheirInitiator(gateway.endpoint), /to deeply equal/);
  });

  it('the public-read law fails against it: the private object of a public-read bucket is read', async () => {
    await expectLawFailure(publicReadBucketsAreListed(gateway.endpoint), /to deeply equal/);
  });
});
