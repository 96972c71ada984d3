// The signatures of a streamed SigV4 upload (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]): every chunk
// is signed over the previous chunk's signature, the first over the Authorization header's, and the
// trailer over the last chunk's, so no chunk can be dropped, reordered or altered
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html,
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html).
// The header signature itself is checked before routing (sigv4.ts); this file only continues its chain.

import { createHash, createHmac } from 'node:crypto';
import { S3Error } from '../../errors/s3-error.ts';
import { type Credentials, sameSignature } from './signature-text.ts';
import { SIGV4_ALGORITHM } from './sigv4.ts';

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

/** Checks a streamed upload's signatures in order; each call moves the chain one link on. */
export interface ChunkSignatureChain {
  /** Throws SignatureDoesNotMatch unless `signature` signs the chunk whose SHA-256 is `chunkSha256`. */
  verifyChunk(signature: string, chunkSha256: string): void;
  /** Throws SignatureDoesNotMatch unless `signature` signs the trailer lines (`name:value\n` each). */
  verifyTrailer(signature: string, trailerText: string): void;
}

/**
 * The chain of a request whose Authorization header the simulator has verified with `credentials`, or
 * undefined when the request carries no SigV4 header (the simulator then has nothing to check against).
 */
export function chunkSignatureChain(
  headers: Headers,
  credentials: Credentials,
): ChunkSignatureChain | undefined {
  const authorization = headers.get('authorization')?.trim() ?? '';
  if (!authorization.startsWith(`${SIGV4_ALGORITHM} `)) return undefined;
  const credential = /Credential=([^,\s]+)/.exec(authorization)?.[1] ?? '';
  let previous = /Signature=([0-9a-f]+)/.exec(authorization)?.[1] ?? '';
  const amzDate = headers.get('x-amz-date') ?? '';
  // <access key id>/<yyyymmdd>/<region>/s3/aws4_request; the key id may itself contain '/'.
  const scopeParts = credential.split('/').slice(-4);
  const [day = '', region = '', service = ''] = scopeParts;
  const scope = scopeParts.join('/');
  let key: Buffer = Buffer.from(`AWS4${credentials.secretAccessKey}`);
  for (const part of [day, region, service, 'aws4_request']) key = hmac(key, part);

  const step = (kind: 'PAYLOAD' | 'TRAILER', signature: string, hashes: string[]) => {
    const text = [`${SIGV4_ALGORITHM}-${kind}`, amzDate, scope, previous, ...hashes].join('\n');
    const expected = hmac(key, text).toString('hex');
    if (!sameSignature(expected, signature)) {
      throw new S3Error(
        'SignatureDoesNotMatch',
        `the ${kind === 'PAYLOAD' ? 'chunk' : 'trailer'} signature the simulator calculated does not match the one provided: the streamed body was altered or signed with another key`,
      );
    }
    previous = signature;
  };
  return {
    verifyChunk: (signature, chunkSha256) => step('PAYLOAD', signature, [EMPTY_SHA256, chunkSha256]),
    verifyTrailer: (signature, trailerText) =>
      step('TRAILER', signature, [createHash('sha256').update(trailerText).digest('hex')]),
  };
}

function hmac(key: Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}
