// Access control for a simulator started with credentials: which operation a request may run, or the
// S3 error that refuses it. Runs before routing, so a refused request never reaches an operation (and a
// refused GET never reaches an origin).
//
// The word that opens the Authorization header names the signature scheme (auth/): the HMAC-SHA1
// header signatures (AWS Signature Version 2 and the vendors' V1 kin) in auth/header-signature.ts, the
// vendors' Signature Version 4 kin (JD Cloud's OpenAPI, TOS) in auth/v4-signature.ts, both by the vendor
// records' schemes. Any other request is AWS Signature Version 4, in the Authorization header or in a
// presigned URL (auth/sigv4.ts); a request with no Authorization header may also be an AWS V2 presigned
// URL (auth/presigned-v2.ts).
//
// A valid signature names a user, one of the simulator's key pairs; what that user may do with a bucket
// is core/users.ts's decision.

import { type BucketOwners, bucketAccessDenial, type Keyring } from '../core/users.ts';
import { S3Error } from '../errors/s3-error.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import {
  headerSignatureSchemes,
  isHeaderSignatureScheme,
  verifyHeaderSignature,
} from './auth/header-signature.ts';
import { isPresignedV2, verifyPresignedV2 } from './auth/presigned-v2.ts';
import type { Credentials, Signer } from './auth/signature-text.ts';
import { SIGV4_ALGORITHM, verifySigV4 } from './auth/sigv4.ts';
import { v4Algorithms, v4SchemeOf, verifyV4Signature } from './auth/v4-signature.ts';
import { type BucketPolicies, evaluatePolicy } from './bucket-policy.ts';
import { checkedAgainstStore, noSuchBucket } from './honoured.ts';
import type { Operation } from './operation.ts';
import { parseRequest, type RawRequest } from './parse-request.ts';
import { policyRequestOf } from './policy-request.ts';

export type { Credentials };

interface Access {
  keys: Keyring;
  owners: BucketOwners;
  policies: BucketPolicies;
  /** The region every SigV4 credential scope must name. */
  region: string;
  store: ObjectStore;
  virtualHostDomains: readonly string[];
  /** The profile the simulator runs: native rule calls are routed by it. */
  profile?: string;
  /** Milliseconds since the epoch; Date.now by default. */
  now?: () => number;
}

/** The operation a request may run, and who signed it (absent for an anonymous request). */
export interface Authenticated {
  operation: Operation;
  signer?: Signer;
}

/**
 * The operation the request may run. The health check is open to all; a request without a signature
 * may only do what the ACLs open to anyone (openToAnyone); any other request must carry a valid
 * signature, by a user the bucket it names lets in.
 */
export async function authenticate(
  request: RawRequest & { headers: Headers },
  access: Access,
): Promise<Authenticated> {
  let operation: Operation | undefined;
  let parseError: unknown;
  try {
    operation = await checkedAgainstStore(
      (bucketExists) => parseRequest(request, access.virtualHostDomains, access.profile, bucketExists),
      (bucket) => access.store.hasBucket(bucket),
    );
  } catch (error) {
    parseError = error;
  }
  if (operation?.name === 'GetHealth') return { operation };
  if (request.method.toUpperCase() === 'OPTIONS') throw preflightRefusal(request.headers);
  const signer = await verifySignature(request, access, (access.now ?? Date.now)());
  const verdict = operation && policyVerdict(operation, signer?.accessKeyId, access.policies);
  // An anonymous request learns nothing beyond "denied", not even why its request was malformed.
  if (signer === undefined) {
    if (operation !== undefined && verdict !== 'deny') {
      if (verdict === 'allow' || (await openToAnyone(operation, access.store))) return { operation };
    }
    // A browser form carries its signature in its fields: post-object.ts judges it there.
    if (operation?.name === 'PostObject') return { operation };
    // As S3 answers it: a bucket that does not exist is 404 to anyone, signed or not.
    if (operation !== undefined && 'bucket' in operation && operation.name !== 'CreateBucket') {
      if (!(await access.store.hasBucket(operation.bucket))) throw noSuchBucket(operation.bucket);
    }
    throw new S3Error(
      'AccessDenied',
      'anonymous requests may only list a public-read bucket and read public-read objects (or mirror a missing key of a public-read bucket): sign the request with the simulator credentials',
    );
  }
  if (operation === undefined) throw parseError;
  if ('bucket' in operation) {
    const { bucket } = operation;
    // An explicit Deny wins over everything, the owner's own rights included [s3-bucket-policies].
    if (verdict === 'deny') throw deniedByPolicy(bucket);
    const denial = bucketAccessDenial(operation, signer.accessKeyId, {
      exists: await access.store.hasBucket(bucket),
      owner: access.owners.ownerOf(bucket),
      // What anyone may do, or the bucket's policy allows, any user may do too.
      open: verdict === 'allow' || (await openToAnyone(operation, access.store)),
    });
    if (denial) throw new S3Error(denial.code, denial.message, { bucket });
  }
  return { operation, signer };
}

/** What the bucket's policy says of the request: 'allow', 'deny', or undefined (no policy, no say). */
function policyVerdict(operation: Operation, principal: string | undefined, policies: BucketPolicies) {
  const asked = policyRequestOf(operation, principal);
  const policy = 'bucket' in operation ? policies.get(operation.bucket) : undefined;
  return asked && policy && evaluatePolicy(policy, asked);
}

export function deniedByPolicy(bucket: string): S3Error {
  return new S3Error('AccessDenied', `the bucket policy of '${bucket}' denies this request`, { bucket });
}

/**
 * An OPTIONS request is a CORS preflight, answered before any signature as S3 answers it: without an
 * Origin it says too little (400); with one it is refused, as no bucket here has a CORS configuration.
 */
function preflightRefusal(headers: Headers): S3Error {
  if (!headers.has('origin')) {
    return new S3Error('InvalidRequest', 'Insufficient information. Origin request header needed.');
  }
  return new S3Error('AccessDenied', 'CORSResponse: CORS is not enabled for this bucket.');
}

/** The operations a public-read bucket opens to anyone: S3's READ grant on a bucket lets anyone list it. */
const BUCKET_READS = new Set(['ListObjects', 'ListObjectsV2', 'ListObjectVersions', 'HeadBucket']);
/**
 * What a public-read-write bucket also opens: S3's WRITE grant on a bucket lets the grantee create,
 * overwrite and delete its objects (multipart uploads included); browser forms are judged in
 * post-object.ts.
 */
const OBJECT_WRITES = new Set([
  ...['PutObject', 'DeleteObject', 'DeleteObjects', 'CreateMultipartUpload', 'UploadPart'],
  ...['CompleteMultipartUpload', 'AbortMultipartUpload', 'ListParts', 'ListMultipartUploads'],
]);

/**
 * Whether anyone may run the request, as S3's ACLs decide [s3-acl-overview]: a bucket's ACL covers the
 * bucket and an object's ACL the object. So a public-read bucket may be listed by anyone, a
 * public-read-write one written to as well (OBJECT_WRITES); a stored
 * object may be read by anyone when it was written public-read, whatever its bucket's ACL; and a GET of
 * a key missing from a public-read bucket is open too (S3 answers it 404 rather than 403 to a caller who
 * may list), which is where a mirror rule fetches it (law auth.public-read-mirrors).
 */
async function openToAnyone(operation: Operation, store: ObjectStore): Promise<boolean> {
  const acl = 'bucket' in operation ? await store.bucketAcl(operation.bucket) : undefined;
  if (BUCKET_READS.has(operation.name)) return acl === 'public-read' || acl === 'public-read-write';
  if (OBJECT_WRITES.has(operation.name)) return acl === 'public-read-write';
  if (operation.name !== 'GetObject' && operation.name !== 'HeadObject') return false;
  const stored = await store.head(operation.bucket, operation.key);
  if (stored !== undefined) return stored.acl === 'public-read';
  return acl === 'public-read' || acl === 'public-read-write';
}

/** Undefined for an anonymous request, the signer of a valid signature; throws for any other signature. */
async function verifySignature(
  request: RawRequest & { headers: Headers },
  access: Access,
  now: number,
): Promise<Signer | undefined> {
  const scheme = /^\S+/.exec(request.headers.get('authorization')?.trim() ?? '')?.[0] ?? '';
  if (isHeaderSignatureScheme(scheme)) {
    return verifyHeaderSignature(request, access.keys, now, access.virtualHostDomains);
  }
  const v4 = v4SchemeOf(scheme);
  if (v4 !== undefined) return verifyV4Signature(v4, request, access.keys, now);
  if (scheme !== '' && scheme !== SIGV4_ALGORITHM) {
    throw new S3Error(
      'InvalidArgument',
      `unsupported Authorization type '${scheme}': sign with ${SIGV4_ALGORITHM} (SigV4), ${knownSchemes()}`,
    );
  }
  if (isPresignedV2(request.target)) {
    return verifyPresignedV2(request, access.keys, now, access.virtualHostDomains);
  }
  return verifySigV4(request, access.keys, access.region, now);
}

function knownSchemes(): string {
  const names = [
    ...headerSignatureSchemes().map((name) => (name === 'AWS' ? 'AWS (V2)' : name)),
    ...v4Algorithms(),
  ];
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}
