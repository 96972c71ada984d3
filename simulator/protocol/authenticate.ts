// Access control for a simulator started with credentials: which operation a request may run, or the
// S3 error that refuses it. Runs before routing, so a refused request never reaches an operation (and a
// refused GET never reaches an origin).
//
// The word that opens the Authorization header names the signature scheme (auth/): the HMAC-SHA1
// header signatures (AWS Signature Version 2 and the vendors' V1 kin) in auth/header-signature.ts, the
// vendors' Signature Version 4 kin (JD Cloud's OpenAPI, TOS) in auth/v4-signature.ts, both by the vendor
// records' schemes. Any other request is AWS Signature Version 4, in the Authorization header or in a
// presigned URL (auth/sigv4.ts).

import { S3Error } from '../errors/s3-error.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import {
  headerSignatureSchemes,
  isHeaderSignatureScheme,
  verifyHeaderSignature,
} from './auth/header-signature.ts';
import type { Credentials } from './auth/signature-text.ts';
import { SIGV4_ALGORITHM, verifySigV4 } from './auth/sigv4.ts';
import { v4Algorithms, v4SchemeOf, verifyV4Signature } from './auth/v4-signature.ts';
import type { Operation } from './operation.ts';
import { parseRequest, type RawRequest } from './parse-request.ts';

export type { Credentials };

interface Access {
  credentials: Credentials;
  store: ObjectStore;
  virtualHostDomains: readonly string[];
  /** The profile the simulator runs: native rule calls are routed by it. */
  profile?: string;
  /** Milliseconds since the epoch; Date.now by default. */
  now?: () => number;
}

/**
 * The operation the request may run. The health check is open to all; a request without a signature
 * may only read objects of a public-read bucket; any other request must carry a valid signature.
 */
export async function authenticate(
  request: RawRequest & { headers: Headers },
  access: Access,
): Promise<Operation> {
  let operation: Operation | undefined;
  let parseError: unknown;
  try {
    operation = parseRequest(request, access.virtualHostDomains, access.profile, (bucket) =>
      access.store.hasBucket(bucket),
    );
  } catch (error) {
    parseError = error;
  }
  if (operation?.name === 'GetHealth') return operation;
  const signed = await verifySignature(request, access, (access.now ?? Date.now)());
  // An anonymous request learns nothing beyond "denied", not even why its request was malformed.
  if (!signed && !(operation !== undefined && anonymousMayRun(operation, access.store))) {
    throw new S3Error(
      'AccessDenied',
      'anonymous requests may only read objects of a public-read bucket: sign the request with the simulator credentials',
    );
  }
  if (operation === undefined) throw parseError;
  return operation;
}

function anonymousMayRun(operation: Operation, store: ObjectStore): boolean {
  return (
    (operation.name === 'GetObject' || operation.name === 'HeadObject') &&
    store.bucketAcl(operation.bucket) === 'public-read'
  );
}

/** False for an anonymous request, true for a valid signature; throws for any other signature. */
async function verifySignature(
  request: RawRequest & { headers: Headers },
  access: Access,
  now: number,
): Promise<boolean> {
  const scheme = /^\S+/.exec(request.headers.get('authorization')?.trim() ?? '')?.[0] ?? '';
  if (isHeaderSignatureScheme(scheme)) {
    verifyHeaderSignature(request, access.credentials, now, access.virtualHostDomains);
    return true;
  }
  const v4 = v4SchemeOf(scheme);
  if (v4 !== undefined) {
    verifyV4Signature(v4, request, access.credentials, now);
    return true;
  }
  if (scheme !== '' && scheme !== SIGV4_ALGORITHM) {
    throw new S3Error(
      'InvalidArgument',
      `unsupported Authorization type '${scheme}': sign with ${SIGV4_ALGORITHM} (SigV4), ${knownSchemes()}`,
    );
  }
  return verifySigV4(request, access.credentials, now);
}

function knownSchemes(): string {
  const names = [
    ...headerSignatureSchemes().map((name) => (name === 'AWS' ? 'AWS (V2)' : name)),
    ...v4Algorithms(),
  ];
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}
