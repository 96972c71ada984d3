// What the fuzzer throws bytes at, and what counts as a crash. Every parser of untrusted input either
// answers or refuses with its own error type (S3Error for requests, DialectError for vendor rule bodies);
// any other exception, an in-process simulator answering 500, or one input taking longer than
// SLOW_INPUT_MS is a finding. Inputs start from the shapes each parser expects (subresources, signature
// schemes, the vendors' own fixtures) and are then bent, so the runs reach past the first check.

import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { BucketOwners, Keyring } from '../../simulator/core/users.ts';
import { S3Error } from '../../simulator/errors/s3-error.ts';
import { createSimulator, MemoryStore, profileIds, type Simulator } from '../../simulator/index.ts';
import { parseCopySource } from '../../simulator/operations/copy-source.ts';
import { NodeSha256 } from '../../simulator/protocol/auth/node-sha256.ts';
import { authenticate } from '../../simulator/protocol/authenticate.ts';
import { BucketPolicies } from '../../simulator/protocol/bucket-policy.ts';
import { parseRequest } from '../../simulator/protocol/parse-request.ts';
import { DialectError } from '../../spec/dialects/dialect.ts';
import { dialectFor, dialectIds } from '../../spec/vendors/index.ts';
import {
  fixturesOf,
  headersArb,
  headerValueArb,
  hostArb,
  methodArb,
  mutatedArb,
  pathPieceArb,
  queryArb,
  targetArb,
} from './fuzz-inputs.ts';

/** An input slower than this is a finding (a parser of one request must not take seconds). */
const SLOW_INPUT_MS = 2000;

export interface FuzzTarget {
  name: string;
  /** What the target covers, for the run's output. */
  covers: string;
  property(): fc.IAsyncPropertyWithHooks<unknown[]> | fc.IPropertyWithHooks<unknown[]>;
}

/** Runs `body`; a thrown error that is not `expected` (or a slow input) fails the property. */
async function expectOnly(expected: (error: unknown) => boolean, body: () => unknown): Promise<void> {
  const started = performance.now();
  try {
    await body();
  } catch (error) {
    if (!expected(error)) throw error;
  }
  const took = performance.now() - started;
  if (took > SLOW_INPUT_MS) throw new Error(`the input took ${Math.round(took)} ms`);
}

const isS3Error = (error: unknown) => error instanceof S3Error;

// ---------------------------------------------------------------------------------------------------
// Targets

const requestTarget: FuzzTarget = {
  name: 'request-target',
  covers: 'simulator/protocol/parse-request.ts (routing of method, raw target and Host, every profile)',
  property: () =>
    fc.asyncProperty(
      methodArb,
      targetArb,
      hostArb,
      fc.constantFrom(...profileIds()),
      (method, target, host, profile) =>
        expectOnly(isS3Error, () => parseRequest({ method, target, host }, ['localhost'], profile)),
    ),
};

const credentials = { accessKeyId: 'AKID', secretAccessKey: 'secret' };
/** The verifiers' view of that one key pair: its key ring, its buckets, the default region. */
const access = {
  keys: new Keyring([credentials]),
  owners: new BucketOwners(credentials.accessKeyId),
  policies: new BucketPolicies(),
  region: 'us-east-1',
};
const store = new MemoryStore();
await store.createBucket('b');

const signatures: FuzzTarget = {
  name: 'signatures',
  covers:
    'simulator/protocol/authenticate.ts and auth/ (SigV4 header and presigned, the V4 family, the HMAC-SHA1 V2 family)',
  property: () =>
    fc.asyncProperty(
      methodArb,
      targetArb,
      hostArb,
      headersArb,
      fc.constantFrom(...profileIds()),
      (method, target, host, headers, profile) =>
        expectOnly(isS3Error, () =>
          authenticate(
            { method, target, host, headers },
            {
              ...access,
              store,
              virtualHostDomains: ['localhost'],
              profile,
              now: () => Date.UTC(2013, 4, 24),
            },
          ),
        ),
    ),
};

/** A request signed with the simulator's keys (SigV4 header or presigned), then bent in one place. */
const signedSigV4: FuzzTarget = {
  name: 'signed-sigv4',
  covers: 'simulator/protocol/auth/sigv4.ts past the parsing: valid signatures bent in one piece',
  property: () =>
    fc.asyncProperty(
      fc.constantFrom('GET', 'PUT', 'DELETE'),
      fc.array(pathPieceArb, { minLength: 1, maxLength: 4 }),
      fc.boolean(),
      fc.constantFrom('none', 'path', 'header', 'authorization', 'query', 'date'),
      fc.string({ maxLength: 6 }).map((text) => text.replace(/[\0\r\n]/g, '')),
      async (method, segments, presign, bend, piece) => {
        const signer = new SignatureV4({
          credentials,
          region: 'us-east-1',
          service: 's3',
          sha256: NodeSha256,
          uriEscapePath: false,
          applyChecksum: false,
        });
        const path = `/b/${segments.join('/')}`;
        const unsigned = {
          method,
          protocol: 'http:',
          hostname: 'localhost',
          path,
          query: {},
          headers: { host: 'localhost', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
        };
        const signingDate = new Date(Date.UTC(2013, 4, 24));
        const signed = presign
          ? await signer.presign(unsigned, { signingDate, expiresIn: 300 })
          : await signer.sign(unsigned, { signingDate });
        const query = new URLSearchParams(signed.query as Record<string, string>).toString();
        let target = `${path}${query ? `?${query}` : ''}`;
        const headers = new Headers(signed.headers as Record<string, string>);
        if (bend === 'path') target = target.replace(/^\/b/, `/b${piece}`);
        if (bend === 'query') target = `${target}${query ? '&' : '?'}${piece}`;
        if (bend === 'header') headers.set('x-amz-meta-bent', piece);
        if (bend === 'date') headers.set('x-amz-date', piece);
        if (bend === 'authorization' && headers.has('authorization')) {
          headers.set('authorization', `${headers.get('authorization')}${piece}`);
        }
        await expectOnly(isS3Error, () =>
          authenticate(
            { method, target, host: 'localhost', headers },
            { ...access, store, virtualHostDomains: ['localhost'], now: () => signingDate.getTime() },
          ),
        );
      },
    ),
};

const dialects: FuzzTarget = {
  name: 'dialects',
  covers: `every vendor rule dialect's parse (spec/vendors/{${dialectIds.join(',')}})`,
  property: () =>
    fc.asyncProperty(
      fc.constantFrom(...dialectIds).chain((id) => {
        const seeds = fixturesOf(id);
        const bodies =
          seeds.length > 0 ? fc.oneof(mutatedArb(seeds), fc.string({ maxLength: 200 })) : fc.string();
        return fc.tuple(
          fc.constant(id),
          fc.oneof(
            bodies,
            fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? ''),
          ),
        );
      }),
      ([id, body]) =>
        expectOnly(
          (error) => error instanceof DialectError,
          () => dialectFor(id).parse(body),
        ),
    ),
};

const copySource: FuzzTarget = {
  name: 'copy-source',
  covers: 'simulator/operations/copy-source.ts (the x-amz-copy-source header)',
  property: () =>
    fc.asyncProperty(
      fc.oneof(
        headerValueArb,
        fc
          .tuple(
            fc.constantFrom('', '/'),
            pathPieceArb,
            fc.array(pathPieceArb, { maxLength: 4 }),
            fc.option(queryArb),
          )
          .map(
            ([lead, bucket, key, query]) =>
              `${lead}${bucket}/${key.join('/')}${query === null ? '' : `?${query}`}`,
          ),
      ),
      (header) => expectOnly(isS3Error, () => parseCopySource(header)),
    ),
};

const COMPLETE_SEEDS = [
  '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"e"</ETag></Part></CompleteMultipartUpload>',
  '<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Part><ETag>"a"</ETag><PartNumber>2</PartNumber><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>',
  '<CompleteMultipartUpload><Part><PartNumber>10001</PartNumber><ETag></ETag></Part><Part/></CompleteMultipartUpload>',
];

let simulator: Simulator | undefined;
let uploadId = '';

/** One in-process simulator with a bucket and an open upload, shared by the runs. */
async function inProcess(): Promise<Simulator> {
  if (simulator !== undefined) return simulator;
  simulator = createSimulator({
    originClient: { get: () => Promise.reject(new Error('no origin')), close: async () => undefined },
  });
  await simulator.fetch(new Request('http://localhost/b', { method: 'PUT' }));
  const created = await simulator.fetch(new Request('http://localhost/b/k?uploads', { method: 'POST' }));
  uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(await created.text())?.[1] ?? '';
  await simulator.fetch(
    new Request(`http://localhost/b/k?partNumber=1&uploadId=${uploadId}`, { method: 'PUT', body: 'x' }),
  );
  await simulator.fetch(new Request('http://localhost/b/source', { method: 'PUT', body: 'source' }));
  return simulator;
}

/** Closes the shared in-process simulator. */
export async function closeFuzzTargets(): Promise<void> {
  await simulator?.close();
  simulator = undefined;
}

async function expectNo500(response: Promise<Response>): Promise<void> {
  const started = performance.now();
  const answer = await response;
  const text = await answer.text();
  if (answer.status >= 500 && answer.status !== 501) throw new Error(`answered ${answer.status}: ${text}`);
  const took = performance.now() - started;
  if (took > SLOW_INPUT_MS) throw new Error(`the input took ${Math.round(took)} ms`);
}

const multipartXml: FuzzTarget = {
  name: 'multipart-copy-xml',
  covers: 'CompleteMultipartUpload XML bodies and CopyObject requests, through an in-process simulator',
  property: () =>
    fc.asyncProperty(
      fc.oneof(mutatedArb(COMPLETE_SEEDS), fc.string({ maxLength: 300 })),
      fc.option(headerValueArb),
      async (body, copyHeader) => {
        const running = await inProcess();
        await expectNo500(
          running.fetch(new Request(`http://localhost/b/k?uploadId=${uploadId}`, { method: 'POST', body })),
        );
        if (copyHeader === null) return;
        const headers = new Headers({ 'x-amz-copy-source': String(copyHeader) || '/b/source' });
        await expectNo500(
          running.fetch(new Request('http://localhost/b/copy', { method: 'PUT', headers, body })),
        );
      },
    ),
};

const rawRequests: FuzzTarget = {
  name: 'raw-requests',
  covers: 'the whole request pipeline of an in-process simulator (parse, honoured headers, operations)',
  property: () =>
    fc.asyncProperty(
      fc.constantFrom('GET', 'HEAD', 'PUT', 'POST', 'DELETE'),
      targetArb,
      headersArb,
      fc.option(fc.string({ maxLength: 100 })),
      async (method, target, headers, body) => {
        const running = await inProcess();
        const withBody = body !== null && method !== 'GET' && method !== 'HEAD';
        const request = new Request('http://localhost/', {
          method,
          headers,
          ...(withBody ? { body: String(body) } : {}),
        });
        await expectNo500(running.fetch(request, { target }));
      },
    ),
};

export const FUZZ_TARGETS: readonly FuzzTarget[] = [
  requestTarget,
  signatures,
  signedSigV4,
  dialects,
  copySource,
  multipartXml,
  rawRequests,
];
