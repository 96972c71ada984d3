// What a SigV4 signature covers: the payload hash it was made over must be the body's, and its scope must
// name the simulator's region. Judged with the real AWS SDK; each law is also run against a gateway that
// trusts whatever it is sent (resigning-gateway.ts), where it must fail.

import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../simulator/index.ts';
import { expectLawFailure, type Gateway, startResigningGateway } from '../client/resigning-gateway.ts';
import { type Keys, presignedUrl } from '../client/signed-fetch.ts';
import { behaviour } from '../support/behaviour.ts';
import { sha256 } from '../support/mirror-laws.ts';

const KEYS: Keys = { accessKeyId: 'payload-access', secretAccessKey: 'payload-secret' };
const RUNS = 12;

let running: RunningSimulator;
let westward: RunningSimulator;
let gateway: Gateway;
const clients: S3Client[] = [];

beforeAll(async () => {
  running = await startSimulator({ credentials: KEYS });
  westward = await startSimulator({ credentials: KEYS, region: 'eu-west-3' });
  gateway = await startResigningGateway(running.endpoint, KEYS, 'us-east-1');
});

afterAll(async () => {
  for (const s3 of clients) s3.destroy();
  await gateway?.close();
  await running?.close();
  await westward?.close();
});

function client(endpoint: string, region = 'us-east-1'): S3Client {
  const s3 = new S3Client({ endpoint, region, forcePathStyle: true, credentials: KEYS });
  clients.push(s3);
  return s3;
}

/** A client whose every request claims `claimed` as its payload hash; the SDK signs that claim. */
function lyingClient(endpoint: string, claimed: () => string): S3Client {
  const s3 = client(endpoint);
  s3.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers: Record<string, string> };
      request.headers['x-amz-content-sha256'] = claimed();
      return next(args);
    },
    { step: 'build', name: 'claimOtherPayloadHash' },
  );
  return s3;
}

async function refusal(
  promise: Promise<unknown>,
): Promise<{ name: string; status?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof S3ServiceException) {
      return { name: error.name, status: error.$metadata.httpStatusCode, message: error.message };
    }
    throw error;
  }
  return { name: 'accepted', message: 'the request was accepted' };
}

async function bodyOf(s3: S3Client, bucket: string, key: string): Promise<Uint8Array | undefined> {
  try {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await got.Body?.transformToByteArray();
  } catch (error) {
    if (error instanceof S3ServiceException && error.name === 'NoSuchKey') return undefined;
    throw error;
  }
}

const bytesArb = fc.uint8Array({ minLength: 0, maxLength: 4096 });

/** Law: a PUT whose signed payload hash is another body's is 400 XAmzContentSHA256Mismatch, and the key keeps its bytes. */
async function mismatchedPutIsRefused(endpoint: string, bucket: string): Promise<void> {
  const honest = client(endpoint);
  await honest.send(new CreateBucketCommand({ Bucket: bucket })).catch(() => undefined);
  await fc.assert(
    fc.asyncProperty(bytesArb, bytesArb, async (sent, claimedBytes) => {
      fc.pre(sha256(sent) !== sha256(claimedBytes));
      await honest.send(new PutObjectCommand({ Bucket: bucket, Key: 'kept', Body: 'before' }));
      const liar = lyingClient(endpoint, () => sha256(claimedBytes));
      const put = await refusal(liar.send(new PutObjectCommand({ Bucket: bucket, Key: 'kept', Body: sent })));
      expect(put).toMatchObject({ name: 'XAmzContentSHA256Mismatch', status: 400 });
      expect(Buffer.from((await bodyOf(honest, bucket, 'kept')) ?? []).toString()).toBe('before');
    }),
    { numRuns: RUNS },
  );
}

describe('a SigV4 signature covers its body', () => {
  behaviour(
    'auth.payload-hash',
    'a PUT signed over another body’s SHA-256 is 400 XAmzContentSHA256Mismatch and the key keeps its bytes',
    () => mismatchedPutIsRefused(running.endpoint, 'payload-put'),
  );

  behaviour(
    'auth.payload-hash',
    'a 3 MiB body with a wrong hash stores nothing, not even part of the object, and no part of an upload',
    async () => {
      const honest = client(running.endpoint);
      await honest.send(new CreateBucketCommand({ Bucket: 'payload-big' }));
      const big = new Uint8Array(3 * 1024 * 1024).fill(7);
      const liar = lyingClient(running.endpoint, () => sha256(new Uint8Array([1])));
      const put = await refusal(
        liar.send(new PutObjectCommand({ Bucket: 'payload-big', Key: 'big', Body: big })),
      );
      expect(put).toMatchObject({ name: 'XAmzContentSHA256Mismatch', status: 400 });
      const head = await refusal(honest.send(new HeadObjectCommand({ Bucket: 'payload-big', Key: 'big' })));
      expect(head.status).toBe(404);

      const { UploadId } = await honest.send(
        new CreateMultipartUploadCommand({ Bucket: 'payload-big', Key: 'parts' }),
      );
      const part = await refusal(
        liar.send(
          new UploadPartCommand({ Bucket: 'payload-big', Key: 'parts', UploadId, PartNumber: 1, Body: big }),
        ),
      );
      expect(part).toMatchObject({ name: 'XAmzContentSHA256Mismatch', status: 400 });
      const parts = await honest.send(
        new ListPartsCommand({ Bucket: 'payload-big', Key: 'parts', UploadId }),
      );
      expect(parts.Parts ?? []).toEqual([]);
    },
  );

  behaviour(
    'auth.payload-hash',
    'the same bodies signed over their own SHA-256, or as UNSIGNED-PAYLOAD, are stored',
    async () => {
      const honest = client(running.endpoint);
      await honest.send(new CreateBucketCommand({ Bucket: 'payload-honest' }));
      const unsigned = lyingClient(running.endpoint, () => 'UNSIGNED-PAYLOAD');
      await fc.assert(
        fc.asyncProperty(bytesArb, fc.boolean(), async (sent, asUnsigned) => {
          const s3 = asUnsigned ? unsigned : honest;
          await s3.send(new PutObjectCommand({ Bucket: 'payload-honest', Key: 'k', Body: sent }));
          expect(sha256((await bodyOf(honest, 'payload-honest', 'k')) ?? new Uint8Array())).toBe(
            sha256(sent),
          );
        }),
        { numRuns: RUNS },
      );
    },
  );
});

/** Law: every region but the simulator's is refused, naming the one expected, and creates nothing. */
async function otherRegionsAreRefused(endpoint: string, expected: string): Promise<void> {
  const regions = ['us-east-1', 'us-west-2', 'eu-west-3', 'ap-southeast-1', 'cn-north-1'].filter(
    (region) => region !== expected,
  );
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...regions), async (region) => {
      const bucket = `region-${region}`;
      const created = await refusal(
        client(endpoint, region).send(new CreateBucketCommand({ Bucket: bucket })),
      );
      expect(created).toMatchObject({ name: 'AuthorizationHeaderMalformed', status: 400 });
      expect(created.message).toContain(`the region '${region}' is wrong; expecting '${expected}'`);
      const listed = await client(endpoint, expected).send(new ListBucketsCommand({}));
      expect(listed.Buckets?.map(({ Name }) => Name) ?? []).not.toContain(bucket);

      const url = await presignedUrl(endpoint, KEYS, '/', { region });
      const presigned = await fetch(url);
      expect(presigned.status).toBe(400);
      const text = (await presigned.text()).replaceAll('&#39;', "'");
      expect(text).toContain('<Code>AuthorizationQueryParametersError</Code>');
      expect(text).toContain(`expecting '${expected}'`);
      // Clients such as s3cmd retry in the region this element names.
      expect(text).toContain(`<Region>${expected}</Region>`);
    }),
    { numRuns: RUNS },
  );
}

describe('a SigV4 scope names the simulator’s region', () => {
  behaviour(
    'auth.region',
    'a scope of another region than us-east-1 is 400 AuthorizationHeaderMalformed (header) or AuthorizationQueryParametersError (presigned URL)',
    () => otherRegionsAreRefused(running.endpoint, 'us-east-1'),
  );

  behaviour('auth.region', 'a simulator given a region takes that one and refuses the others', async () => {
    await client(westward.endpoint, 'eu-west-3').send(new CreateBucketCommand({ Bucket: 'westward' }));
    await otherRegionsAreRefused(westward.endpoint, 'eu-west-3');
  });
});

describe('the laws catch a gateway that trusts what it is sent', () => {
  it('the payload-hash law fails against it, with a counterexample', async () => {
    await expectLawFailure(mismatchedPutIsRefused(gateway.endpoint, 'gateway-put'), /'accepted'/);
  });

  it('the region law fails against it, with a counterexample', async () => {
    await expectLawFailure(otherRegionsAreRefused(gateway.endpoint, 'us-east-1'), /'accepted'/);
  });
});
