// Access control: a simulator started with credentials, judged with the real AWS SDK, presigned URLs
// fetched as a browser would, and anonymous requests. A refused request must never reach an origin.

import { spawn } from 'node:child_process';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../simulator/index.ts';
import { type Keys, presignedUrl, signedFetch } from '../client/signed-fetch.ts';
import { originBytes, type ScriptableOrigin, startOrigin } from '../origin/scriptable-origin.ts';
import { behaviour } from '../support/behaviour.ts';
import { sha256 } from '../support/mirror-laws.ts';
import { MIRRORSPEC_BIN } from '../support/mirrorspec-bin.ts';
import { judgePresignedExpires } from '../support/presigned-expires-calls.ts';
import { judgePublicReadBucket, judgePublicWriteBucket } from '../support/public-read-calls.ts';

const KEYS: Keys = { accessKeyId: 'mirrorspec-access', secretAccessKey: 'mirrorspec-secret' };
const root = new URL('../..', import.meta.url).pathname;

let origin: ScriptableOrigin;
let running: RunningSimulator;
let endpoint = '';
const clients: S3Client[] = [];

function client(credentials: Keys, region = 'us-east-1'): S3Client {
  const s3 = new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    credentials,
  });
  clients.push(s3);
  return s3;
}

beforeAll(async () => {
  origin = await startOrigin();
  // The scripted origin is on loopback, which a simulator refuses as an origin by default.
  running = await startSimulator({ allowPrivateOrigins: true, credentials: KEYS });
  endpoint = running.endpoint;
});

afterAll(async () => {
  for (const s3 of clients) s3.destroy();
  await running?.close();
  await origin?.close();
});

/**
 * Sets the bucket's mirror configuration with a signed request: one rule, every key, one origin, its
 * stored copies given `acl` (the rule's default, private, when absent).
 */
async function mirrorEverything(bucket: string, originBase: string, acl?: 'public-read'): Promise<void> {
  const rule = { id: 'all', origins: [`${originBase}/`], ...(acl ? { acl } : {}) };
  const response = await signedFetch(endpoint, KEYS, {
    method: 'PUT',
    path: `/_mirrorspec/buckets/${bucket}/mirror`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rules: [rule] }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

async function errorCode(response: Response): Promise<string | undefined> {
  return /<Code>([^<]*)<\/Code>/.exec(await response.text())?.[1];
}

describe('a simulator with credentials', () => {
  behaviour(
    'auth.sigv4',
    'the AWS SDK with the right keys creates a bucket, puts, gets, heads, lists and deletes',
    async () => {
      const s3 = client(KEYS);
      await s3.send(new CreateBucketCommand({ Bucket: 'auth-basics' }));
      await s3.send(new PutObjectCommand({ Bucket: 'auth-basics', Key: 'dir/a b+c.txt', Body: 'signed ✓' }));
      const got = await s3.send(new GetObjectCommand({ Bucket: 'auth-basics', Key: 'dir/a b+c.txt' }));
      expect(await got.Body?.transformToString()).toBe('signed ✓');
      const head = await s3.send(new HeadObjectCommand({ Bucket: 'auth-basics', Key: 'dir/a b+c.txt' }));
      expect(head.ContentLength).toBe(Buffer.byteLength('signed ✓'));
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'auth-basics', Prefix: 'dir/' }));
      expect(listed.Contents?.map((object) => object.Key)).toEqual(['dir/a b+c.txt']);
      const buckets = await s3.send(new ListBucketsCommand({}));
      expect(buckets.Buckets?.map((bucket) => bucket.Name)).toContain('auth-basics');
      await s3.send(new DeleteObjectCommand({ Bucket: 'auth-basics', Key: 'dir/a b+c.txt' }));
      await expect(
        s3.send(new GetObjectCommand({ Bucket: 'auth-basics', Key: 'dir/a b+c.txt' })),
      ).rejects.toBeInstanceOf(NoSuchKey);
      await s3.send(new DeleteBucketCommand({ Bucket: 'auth-basics' }));
    },
  );

  behaviour(
    'auth.sigv4',
    "a signed GET of a missing key under a mirror rule returns the origin's bytes",
    async () => {
      const s3 = client(KEYS);
      await s3.send(new CreateBucketCommand({ Bucket: 'auth-mirror' }));
      await mirrorEverything('auth-mirror', `${origin.url}/auth-mirror`);
      origin.scriptPrefix('/auth-mirror', { body: { size: 70_000, seed: 7 } });

      const got = await s3.send(new GetObjectCommand({ Bucket: 'auth-mirror', Key: 'img/logo.png' }));
      const bytes = await got.Body?.transformToByteArray();
      expect(sha256(bytes ?? new Uint8Array())).toBe(sha256(originBytes(70_000, 7)));
      expect(origin.requestsUnder('/auth-mirror')).toHaveLength(1);
    },
  );

  behaviour(
    'auth.sigv4',
    'a signature made with another secret is 403 SignatureDoesNotMatch and changes nothing',
    async () => {
      const wrong = client({ accessKeyId: KEYS.accessKeyId, secretAccessKey: 'not-the-secret' });
      await expect(wrong.send(new CreateBucketCommand({ Bucket: 'auth-wrong' }))).rejects.toMatchObject({
        name: 'SignatureDoesNotMatch',
        $metadata: { httpStatusCode: 403 },
      });
      await expect(client(KEYS).send(new HeadBucketCommand({ Bucket: 'auth-wrong' }))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 404 },
      });

      const admin = await signedFetch(
        endpoint,
        { ...KEYS, secretAccessKey: 'not-the-secret' },
        { method: 'POST', path: '/_mirrorspec/reset' },
      );
      expect(admin.status).toBe(403);
      expect(await errorCode(admin)).toBe('SignatureDoesNotMatch');
    },
  );

  behaviour('auth.sigv4', 'an access key the simulator does not know is 403 InvalidAccessKeyId', async () => {
    const stranger = client({ accessKeyId: 'someone-else', secretAccessKey: KEYS.secretAccessKey });
    await expect(stranger.send(new ListBucketsCommand({}))).rejects.toMatchObject({
      name: 'InvalidAccessKeyId',
      $metadata: { httpStatusCode: 403 },
    });
  });

  behaviour('auth.sigv4', 'a request signed more than 15 minutes ago is 403 AccessDenied', async () => {
    const response = await signedFetch(endpoint, KEYS, {
      method: 'GET',
      path: '/',
      signingDate: new Date(Date.now() - 20 * 60 * 1000),
    });
    expect(response.status).toBe(403);
    const text = await response.text();
    expect(text).toContain('<Code>AccessDenied</Code>');
    expect(text).toMatch(/15 minutes/);
  });

  behaviour(
    'auth.sigv4',
    'a presigned GET URL works with plain fetch; tampered or expired, it is refused',
    async () => {
      const s3 = client(KEYS);
      await s3.send(new CreateBucketCommand({ Bucket: 'auth-presign' }));
      await s3.send(
        new PutObjectCommand({ Bucket: 'auth-presign', Key: 'report v1.txt', Body: 'presigned' }),
      );
      await s3.send(new PutObjectCommand({ Bucket: 'auth-presign', Key: 'other.txt', Body: 'other' }));

      const url = await presignedUrl(endpoint, KEYS, '/auth-presign/report%20v1.txt');
      const ok = await fetch(url);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toBe('presigned');

      const tampered = [
        url.replace('report%20v1.txt', 'other.txt'),
        url.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=604800'),
        url.replace(
          /X-Amz-Signature=([0-9a-f])/,
          (_, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`,
        ),
        `${url}&response-content-type=text%2Fhtml`,
      ];
      for (const bad of tampered) {
        const response = await fetch(bad);
        expect(response.status, bad).toBe(403);
        expect(await errorCode(response), bad).toBe('SignatureDoesNotMatch');
      }

      const wrongSecret = await presignedUrl(
        endpoint,
        { ...KEYS, secretAccessKey: 'not-the-secret' },
        '/auth-presign/report%20v1.txt',
      );
      expect(await errorCode(await fetch(wrongSecret))).toBe('SignatureDoesNotMatch');

      const expired = await presignedUrl(endpoint, KEYS, '/auth-presign/report%20v1.txt', {
        expiresIn: 60,
        signingDate: new Date(Date.now() - 2 * 60 * 60 * 1000),
      });
      const late = await fetch(expired);
      expect(late.status).toBe(403);
      const text = await late.text();
      expect(text).toContain('<Code>AccessDenied</Code>');
      expect(text).toMatch(/expired/);
    },
  );

  behaviour(
    'auth.presigned-expires-range',
    'a presigned URL whose X-Amz-Expires is out of range is 400 AuthorizationQueryParametersError; one of 0 seconds has expired',
    async () => {
      const s3 = client(KEYS);
      await s3.send(new CreateBucketCommand({ Bucket: 'auth-expires' }));
      await s3.send(new PutObjectCommand({ Bucket: 'auth-expires', Key: 'doc.txt', Body: 'doc' }));
      await judgePresignedExpires(endpoint, KEYS, '/auth-expires/doc.txt');
    },
  );

  behaviour(
    'auth.anonymous-private-denied',
    'an anonymous GET on a private bucket is 403 AccessDenied and the origin sees no request',
    async () => {
      const s3 = client(KEYS);
      await s3.send(new CreateBucketCommand({ Bucket: 'auth-private' }));
      await mirrorEverything('auth-private', `${origin.url}/auth-private`);
      origin.scriptPrefix('/auth-private', { body: 'secret bytes' });

      const get = await fetch(`${endpoint}/auth-private/doc.txt`);
      expect(get.status).toBe(403);
      expect(await errorCode(get)).toBe('AccessDenied');
      const head = await fetch(`${endpoint}/auth-private/doc.txt`, { method: 'HEAD' });
      expect(head.status).toBe(403);
      // fetch would replace the Host header; undici's request sends it as given.
      const virtualHosted = await request(`${endpoint}/doc.txt`, {
        headers: { host: `auth-private.localhost:${running.port}` },
      });
      expect(virtualHosted.statusCode).toBe(403);
      expect(await virtualHosted.body.text()).toContain('<Code>AccessDenied</Code>');
      await running.simulator.settle();
      expect(origin.requestsUnder('/auth-private')).toEqual([]);

      // Nothing else is open to anonymous callers either, the simulator's own endpoints included.
      const anonymous: [string, string][] = [
        ['GET', '/'],
        ['PUT', '/auth-anonymous-bucket'],
        ['GET', '/auth-private?list-type=2'],
        ['PUT', '/auth-private/doc.txt'],
        ['DELETE', '/auth-private'],
        ['GET', '/_mirrorspec/buckets/auth-private/mirror'],
        ['DELETE', '/_mirrorspec/buckets/auth-private/mirror'],
        ['POST', '/_mirrorspec/reset'],
        ['POST', '/_mirrorspec/settle'],
        ['GET', '/_mirrorspec/nowhere'],
        ['GET', '/auth-private/doc.txt?acl'],
      ];
      for (const [method, path] of anonymous) {
        const response = await fetch(`${endpoint}${path}`, {
          method,
          ...(method === 'PUT' ? { body: 'x' } : {}),
        });
        expect(response.status, `${method} ${path}`).toBe(403);
        expect(await errorCode(response), `${method} ${path}`).toBe('AccessDenied');
      }
      expect((await fetch(`${endpoint}/_mirrorspec/health`)).status).toBe(200);

      // The rule itself works: the same GET, signed, mirrors.
      const signed = await s3.send(new GetObjectCommand({ Bucket: 'auth-private', Key: 'doc.txt' }));
      expect(await signed.Body?.transformToString()).toBe('secret bytes');
      expect(origin.requestsUnder('/auth-private')).toHaveLength(1);
    },
  );

  behaviour(
    'auth.anonymous-private-denied',
    'in a private bucket an anonymous read is 403 unless the object was written public-read; a missing bucket is 404 NoSuchBucket; OPTIONS is a preflight',
    async () => {
      const s3 = client(KEYS);
      await s3.send(new CreateBucketCommand({ Bucket: 'auth-object-acl' }));
      await s3.send(
        new PutObjectCommand({
          Bucket: 'auth-object-acl',
          Key: 'open',
          Body: 'open bytes',
          ACL: 'public-read',
        }),
      );
      await s3.send(new PutObjectCommand({ Bucket: 'auth-object-acl', Key: 'closed', Body: 'closed bytes' }));
      await s3.send(
        new CopyObjectCommand({
          Bucket: 'auth-object-acl',
          Key: 'copied-open',
          CopySource: 'auth-object-acl/closed',
          ACL: 'public-read',
        }),
      );
      // A copy takes the ACL its request asks for, never the source's.
      await s3.send(
        new CopyObjectCommand({
          Bucket: 'auth-object-acl',
          Key: 'copied-closed',
          CopySource: 'auth-object-acl/open',
        }),
      );

      const open = await fetch(`${endpoint}/auth-object-acl/open`);
      expect(open.status).toBe(200);
      expect(await open.text()).toBe('open bytes');
      expect((await fetch(`${endpoint}/auth-object-acl/open`, { method: 'HEAD' })).status).toBe(200);
      expect(await (await fetch(`${endpoint}/auth-object-acl/copied-open`)).text()).toBe('closed bytes');
      for (const key of ['closed', 'copied-closed']) {
        const denied = await fetch(`${endpoint}/auth-object-acl/${key}`);
        expect(denied.status, key).toBe(403);
        expect(await errorCode(denied), key).toBe('AccessDenied');
      }
      // Reading is all a public-read object opens.
      const overwrite = await fetch(`${endpoint}/auth-object-acl/open`, { method: 'PUT', body: 'x' });
      expect(overwrite.status).toBe(403);
      expect(await (await fetch(`${endpoint}/auth-object-acl/open`)).text()).toBe('open bytes');

      const gone = await fetch(`${endpoint}/auth-no-such-bucket/key`);
      expect(gone.status).toBe(404);
      expect(await errorCode(gone)).toBe('NoSuchBucket');
      const preflight = await fetch(`${endpoint}/auth-object-acl/open`, { method: 'OPTIONS' });
      expect(preflight.status, 'a preflight without Origin').toBe(400);
      const cors = await fetch(`${endpoint}/auth-object-acl/open`, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example.test', 'access-control-request-method': 'GET' },
      });
      expect(cors.status, 'a preflight on a bucket without CORS').toBe(403);
    },
  );

  behaviour(
    'auth.public-read-mirrors',
    'on a public-read bucket an anonymous GET mirrors as configured, its copy stored with the ACL the rule gives, and only reads are open',
    async () => {
      const s3 = client(KEYS);
      await s3.send(new CreateBucketCommand({ Bucket: 'auth-public', ACL: 'public-read' }));
      await mirrorEverything('auth-public', `${origin.url}/auth-public`, 'public-read');
      origin.scriptPrefix('/auth-public', {
        body: { size: 100_000, seed: 11 },
        headers: { 'content-type': 'image/png' },
      });

      const first = await fetch(`${endpoint}/auth-public/img/logo.png`);
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toBe('image/png');
      expect(sha256(new Uint8Array(await first.arrayBuffer()))).toBe(sha256(originBytes(100_000, 11)));
      await running.simulator.settle();
      expect(origin.requestsUnder('/auth-public')).toHaveLength(1);

      // The rule stores its copies public-read: anyone reads the stored copy, and no origin is asked.
      const again = await fetch(`${endpoint}/auth-public/img/logo.png`);
      expect((await again.arrayBuffer()).byteLength).toBe(100_000);
      const head = await fetch(`${endpoint}/auth-public/img/logo.png`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-length')).toBe('100000');
      expect(origin.requestsUnder('/auth-public')).toHaveLength(1);

      for (const [method, path] of [
        ['PUT', '/auth-public/img/logo.png'],
        ['DELETE', '/auth-public/img/logo.png'],
        ['GET', '/_mirrorspec/buckets/auth-public/mirror'],
      ] as const) {
        const response = await fetch(`${endpoint}${path}`, {
          method,
          ...(method === 'PUT' ? { body: 'x' } : {}),
        });
        expect(response.status, `${method} ${path}`).toBe(403);
      }
      const stored = await s3.send(new GetObjectCommand({ Bucket: 'auth-public', Key: 'img/logo.png' }));
      expect((await stored.Body?.transformToByteArray())?.byteLength).toBe(100_000);

      // A rule that stores private copies mirrors for anyone, but its stored copy is the owner's.
      await s3.send(new CreateBucketCommand({ Bucket: 'auth-public-kept', ACL: 'public-read' }));
      await mirrorEverything('auth-public-kept', `${origin.url}/auth-public`);
      expect((await fetch(`${endpoint}/auth-public-kept/img/logo.png`)).status).toBe(200);
      await running.simulator.settle();
      expect((await fetch(`${endpoint}/auth-public-kept/img/logo.png`)).status).toBe(403);
    },
  );

  behaviour(
    'auth.public-read-bucket',
    'anyone lists a public-read bucket and reads its public-read objects, not the objects written private there',
    () => judgePublicReadBucket(endpoint, KEYS, 'auth-listed'),
  );

  behaviour(
    'auth.public-read-write-bucket',
    'anyone lists a public-read-write bucket and writes objects into it; reads still follow each object ACL',
    () => judgePublicWriteBucket(endpoint, KEYS, 'auth-dropbox'),
  );
});

interface Run {
  code: number | null;
  output: string;
}

/** `mirrorspec serve` with `args`; stopped with SIGTERM once `until` matches what it printed. */
function serve(
  args: string[],
  until?: RegExp,
  whenMatched?: (output: string) => Promise<void>,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MIRRORSPEC_BIN, 'serve', ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let matched = false;
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (until && !matched && until.test(output)) {
        matched = true;
        (whenMatched?.(output) ?? Promise.resolve()).then(
          () => child.kill('SIGTERM'),
          (error: unknown) => {
            child.kill('SIGTERM');
            reject(error);
          },
        );
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('mirrorspec serve with keys', () => {
  behaviour('auth.sigv4', '--access-key without --secret-key is a usage error (exit 2)', async () => {
    const run = await serve(['--port', '0', '--access-key', 'a']);
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/--access-key and --secret-key go together/);
  });

  behaviour(
    'auth.sigv4',
    'with both keys it says access control is on and refuses anonymous requests',
    async () => {
      let anonymous = 0;
      let health = 0;
      const run = await serve(
        ['--port', '0', '--access-key', 'cli-key', '--secret-key', 'cli-secret'],
        /listening on (http:\/\/\S+)/,
        async (output) => {
          const url = /listening on (http:\/\/\S+)/.exec(output)?.[1] ?? '';
          anonymous = (await fetch(`${url}/`)).status;
          health = (await fetch(`${url}/_mirrorspec/health`)).status;
        },
      );
      expect(run.output).toMatch(/access control on/);
      expect(anonymous).toBe(403);
      expect(health).toBe(200);
    },
  );
});
