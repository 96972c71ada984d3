// Conditional writes [s3-conditional-writes]: If-None-Match: * and If-Match on PutObject and
// CompleteMultipartUpload, on stored objects, and with a write landing while the conditional body is
// still arriving (stored.conditional-write.test.ts: on objects a mirror fetch stored).

import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { errorCode, type HttpResult } from '../client/http-client.ts';
import { encodeKey } from '../client/s3-client.ts';
import { sigV4Headers } from '../client/signed-fetch.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { MultipartCalls } from '../support/multipart-calls.ts';
import { NotApplicable } from '../support/not-applicable.ts';
import { runConfig } from '../support/run-config.ts';
import { keysOf } from '../targets/url-target.ts';

const fixture = useLawFixture();
const calls = () => new MultipartCalls(fixture.target.client.http);

type Condition = 'if-none-match *' | 'if-match its etag' | 'if-match another etag';
const OTHER_ETAG = '"00000000000000000000000000000000"';

function conditionHeaders(condition: Condition, etag: string | undefined): Record<string, string> {
  if (condition === 'if-none-match *') return { 'if-none-match': '*' };
  return { 'if-match': condition === 'if-match its etag' ? (etag ?? OTHER_ETAG) : OTHER_ETAG };
}

/** What S3 answers a conditional write of a key the bucket holds (`held`) or not. */
function expectedWrite(condition: Condition, held: boolean): { status: number; code?: string } {
  if (condition === 'if-none-match *')
    return held ? { status: 412, code: 'PreconditionFailed' } : { status: 200 };
  if (!held) return { status: 404, code: 'NoSuchKey' };
  return condition === 'if-match its etag' ? { status: 200 } : { status: 412, code: 'PreconditionFailed' };
}

/** A one-part multipart upload of `body`, completed with `headers`. */
async function multipartWrite(bucket: string, key: string, body: string, headers: Record<string, string>) {
  const uploadId = await calls().start(bucket, key);
  const part = await calls().uploadPart(bucket, key, uploadId, 1, Buffer.from(body));
  expect(part.status).toBe(200);
  const xml = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${part.headers.etag ?? ''}</ETag></Part></CompleteMultipartUpload>`;
  const result = await fixture.target.client.http.send({
    method: 'POST',
    path: `/${bucket}/${encodeKey(key)}?uploadId=${encodeURIComponent(uploadId)}`,
    headers: { 'content-type': 'application/xml', ...headers },
    body: xml,
  });
  if (result.status !== 200) await calls().abort(bucket, key, uploadId);
  return result;
}

function expectAnswer(result: HttpResult, expected: { status: number; code?: string }, what: string) {
  expect(result.status, `${what}: ${Buffer.from(result.body).toString('utf8')}`).toBe(expected.status);
  if (expected.code !== undefined) expect(errorCode(result), what).toBe(expected.code);
}

/**
 * The headers of a PUT whose body is held back: as they are on an unsigned target, signed with SigV4 and
 * an unsigned payload on a signed S3 endpoint; a vendor's own signature is not spoken here.
 */
async function heldBackHeaders(
  path: string,
  headers: Record<string, string>,
): Promise<Record<string, string>> {
  if (!fixture.target.signed) return headers;
  const config = runConfig();
  const keys = keysOf(config);
  if (keys === undefined || config.dialect !== undefined) {
    throw new NotApplicable('it holds a request body back on its own socket, signed with SigV4 only');
  }
  const unsigned = { ...headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
  const url = new URL(path, fixture.target.endpoint).href;
  return {
    ...unsigned,
    ...(await sigV4Headers({ method: 'PUT', url, headers: unsigned }, keys, 'us-east-1')),
  };
}

/** A PUT whose headers and first bytes go out now and whose last bytes go out when `finish` is called. */
function slowPut(path: string, headers: Record<string, string>, first: string, rest: string) {
  const url = new URL(path, fixture.target.endpoint);
  let answer: (result: { status: number; body: string }) => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
    answer = resolve;
    fail = reject;
  });
  const request = httpRequest(url, {
    method: 'PUT',
    headers: { ...headers, 'content-length': String(Buffer.byteLength(first + rest)) },
  });
  request.on('response', (response) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () =>
      answer({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
    );
  });
  request.on('error', fail);
  request.write(first);
  return {
    finish() {
      request.end(rest);
      return answered;
    },
  };
}

describe('conditional writes', () => {
  behaviour(
    's3.conditional-write',
    'If-None-Match: * and If-Match on PUT and CompleteMultipartUpload store or refuse exactly as S3 does, and a refusal changes nothing',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom<Condition>('if-none-match *', 'if-match its etag', 'if-match another etag'),
          fc.boolean(),
          fc.constantFrom('PUT', 'CompleteMultipartUpload'),
          async (condition, held, how) => {
            const bucket = await fixture.bucket();
            const key = 'conditional/object';
            const before = held
              ? await fixture.target.client.putObject(bucket, key, 'the old bytes')
              : undefined;
            const headers = conditionHeaders(condition, before?.headers.etag);
            const result =
              how === 'PUT'
                ? await fixture.target.client.putObject(bucket, key, 'the new bytes', headers)
                : await multipartWrite(bucket, key, 'the new bytes', headers);
            const expected = expectedWrite(condition, held);
            expectAnswer(result, expected, `${how} ${JSON.stringify(headers)}`);
            const now = await fixture.target.client.getObject(bucket, key);
            const stored = now.status === 200 ? Buffer.from(now.body).toString('utf8') : undefined;
            const wanted = expected.status === 200 ? 'the new bytes' : held ? 'the old bytes' : undefined;
            expect(stored, 'what the bucket holds afterwards').toBe(wanted);
          },
        ),
        { numRuns: 30 },
      );
    },
  );

  behaviour(
    's3.conditional-write-conflict',
    'a conditional PUT whose key is written while its body arrives is 409 ConditionalRequestConflict, and the other write stays',
    async () => {
      const bucket = await fixture.bucket();
      const outcomes: number[] = [];
      // The other write must land after the conditional PUT's headers were read: waits of growing length.
      for (const wait of [200, 800, 2000]) {
        const key = `conflict-${wait}`;
        const path = `/${bucket}/${key}`;
        const length = String(Buffer.byteLength('slow bytes'));
        const headers = await heldBackHeaders(path, { 'if-none-match': '*', 'content-length': length });
        const slow = slowPut(path, headers, 'slow ', 'bytes');
        await sleep(wait);
        expect((await fixture.target.client.putObject(bucket, key, 'the other write')).status).toBe(200);
        const result = await slow.finish();
        outcomes.push(result.status);
        expect(result.status, `the conditional PUT never overwrites: ${result.body}`).not.toBe(200);
        const now = await fixture.target.client.getObject(bucket, key);
        expect(Buffer.from(now.body).toString('utf8'), 'the other write stays').toBe('the other write');
        if (result.status === 409) {
          expect(result.body).toContain('<Code>ConditionalRequestConflict</Code>');
          return;
        }
        // 412: the other write landed before the condition was checked; try again with a longer wait.
        expect(result.status).toBe(412);
      }
      throw new Error(`no conditional PUT was answered 409 (answers: ${outcomes.join(', ')})`);
    },
  );
});
