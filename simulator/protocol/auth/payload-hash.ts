// The body a SigV4 signature covers. The signature covers x-amz-content-sha256; when that is a SHA-256
// (not UNSIGNED-PAYLOAD or a STREAMING-* payload, whose chunks are signed on their own), it must be the
// SHA-256 of the body, or the signature authorised other bytes than those sent [sig-v4-header-auth].
// S3 refuses such a request with 400 XAmzContentSHA256Mismatch [s3-error-responses].
//
// Bodies stream: the hash is computed as the operation reads the body, and the body's stream ends in
// that error instead of its end when the hash differs. Every operation that reads a body reads it to the
// end before it changes anything (an upload commits only after its last byte), so a mismatched body
// stores nothing, not even part of an object.

import { createHash } from 'node:crypto';
import { S3Error } from '../../errors/s3-error.ts';

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

/** A lower-case or upper-case hex SHA-256, as clients send it. */
export function isSha256Hex(value: string): boolean {
  return /^[0-9a-fA-F]{64}$/.test(value);
}

function mismatch(expected: string, computed: string): S3Error {
  return new S3Error(
    'XAmzContentSHA256Mismatch',
    `the SHA-256 of the body the simulator received (${computed}) is not the payload hash the request was signed with in x-amz-content-sha256 (${expected}): sign the bytes you send`,
  );
}

/**
 * The request with a body that errors with XAmzContentSHA256Mismatch at its end unless its bytes hash
 * to `expected`; a request with no body is checked at once against the empty string's hash.
 */
export function withVerifiedPayload(request: Request, expected: string): Request {
  const wanted = expected.toLowerCase();
  if (request.body === null) {
    if (wanted !== EMPTY_SHA256) throw mismatch(expected, EMPTY_SHA256);
    return request;
  }
  const hash = createHash('sha256');
  const check = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      hash.update(chunk);
      controller.enqueue(chunk);
    },
    flush(controller) {
      const computed = hash.digest('hex');
      if (computed !== wanted) controller.error(mismatch(expected, computed));
    },
  });
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body.pipeThrough(check),
    signal: request.signal,
    duplex: 'half',
  } as RequestInit);
}
