// The simulator as a fetch function: Request in, Response out. This is the composition root: it picks
// the defaults for everything injected (store, origin client, clock, ids) and routes each operation.

import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { loadProfile } from '../spec/profiles.ts';
import { forbiddenAddressReason } from './core/address-policy.ts';
import { splitTarget } from './core/raw-target.ts';
import { BucketOwners, Keyring } from './core/users.ts';
import { BackgroundWork } from './mirror/background-work.ts';
import { Flights } from './mirror/flights.ts';
import { getBucketLocation } from './operations/bucket-location.ts';
import { createBucket, deleteBucket, headBucket, listBuckets } from './operations/buckets.ts';
import type { Context, Settings } from './operations/context.ts';
import { copyObject } from './operations/copy-object.ts';
import { deleteObjects } from './operations/delete-objects.ts';
import { getObject, headObject } from './operations/get-object.ts';
import { listObjectVersions } from './operations/list-object-versions.ts';
import { listObjects, listObjectsV2 } from './operations/list-objects.ts';
import { deleteBucketMirror, getBucketMirror, putBucketMirror } from './operations/mirror-configuration.ts';
import { routeMultipart } from './operations/multipart.ts';
import { nativeMirrorConfiguration } from './operations/native-mirror-configuration.ts';
import { deleteObject, putObject } from './operations/objects.ts';
import { cancelPrepushJob, createPrepushJob, getPrepushJob, listPrepushJobs } from './operations/prepush.ts';
import { LoopMarkingOriginClient, newLoopId } from './origin/loop-header.ts';
import { DEFAULT_ORIGIN_TIMEOUTS, type OriginClient, type OriginTimeouts } from './origin/origin-client.ts';
import { type ListenAddress, SelfEndpoints } from './origin/self-endpoints.ts';
import { UndiciOriginClient } from './origin/undici-origin-client.ts';
import { PrepushJobs } from './prepush/prepush-jobs.ts';
import { withVerifiedPayload } from './protocol/auth/payload-hash.ts';
import { type Authenticated, authenticate, type Credentials } from './protocol/authenticate.ts';
import { checkedAgainstStore, refuseUnhonoured } from './protocol/honoured.ts';
import { refuseOwnLoop } from './protocol/loop-refusal.ts';
import type { Operation } from './protocol/operation.ts';
import { parseRequest } from './protocol/parse-request.ts';
import { renderError } from './protocol/render-error.ts';
import { MemoryStore } from './storage/memory-store.ts';
import type { ObjectStore } from './storage/object-store.ts';
import { PartStore } from './storage/part-store.ts';

export const VERSION = '0.1.0';
const DEFAULT_REGION = 'us-east-1';

export interface SimulatorOptions {
  /**
   * The vendor profile to behave as (spec/vendors/<id>/profile.yaml): neutral (default), oss, ks3, us3,
   * cdnetworks, jdcloud, obs or cos. An unknown id throws a ProfileError naming the known ones.
   */
  profile?: string;
  /** Host names under which `bucket.<domain>` addresses a bucket (virtual-hosted style). */
  virtualHostDomains?: string[];
  maxObjectSize?: number;
  originTimeouts?: Partial<OriginTimeouts>;
  /**
   * Allow origins (and redirect targets) on loopback, private, link-local, unique-local or unspecified
   * addresses. Off by default, so a simulator reachable by others is never an open proxy into its
   * network; tests whose origins run on loopback turn it on.
   */
  allowPrivateOrigins?: boolean;
  /**
   * Replaces the built-in address check: returns why an address is refused. For tests that need an
   * address refused on a machine where everything is loopback.
   */
  originAddressPolicy?: (address: string) => string | undefined;
  /**
   * Turns access control on: every request except the health check must be signed (SigV4) with these
   * keys, or be an anonymous read of an object in a public-read bucket. Without it, anyone may do anything.
   * Several key pairs are several users: a bucket belongs to the user who created it, and the others
   * may not touch it unless it is public-read, which lets them read its objects (core/users.ts).
   */
  credentials?: Credentials | readonly Credentials[];
  /**
   * The region every SigV4 credential scope must name, as a bucket's region is for S3 (others are
   * refused with AuthorizationHeaderMalformed naming this one). Default us-east-1, the AWS SDKs' region
   * for a custom endpoint.
   */
  region?: string;
  store?: ObjectStore;
  originClient?: OriginClient;
  requestId?: () => string;
}

/** What the node adapter knows that a Request cannot carry: the request target exactly as received. */
export interface RequestInfo {
  target?: string;
  /** The address and port the server that received the request listens on. */
  listening?: ListenAddress;
}

export interface Simulator {
  fetch(request: Request, info?: RequestInfo): Promise<Response>;
  /** Deletes every bucket, object and configuration, and cancels background work. */
  reset(): Promise<void>;
  /** Resolves true once no background work is pending, false if `timeoutMs` passes first. */
  settle(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Request ids: 16 upper-case hex digits, a random prefix drawn once per simulator and a counter, unique
 * without drawing random bytes for every request.
 */
function requestIds(): () => string {
  const prefix = randomBytes(4).toString('hex').toUpperCase();
  let counter = 0;
  return () => {
    counter = (counter + 1) % 2 ** 32;
    return `${prefix}${counter.toString(16).toUpperCase().padStart(8, '0')}`;
  };
}

/** Aborted on reset and close. Every origin fetch in flight listens to it, so it has no listener cap. */
function newLifetime(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

/** The keys, owners and region of a simulator with access control, or undefined without it. */
function accessControl(options: SimulatorOptions) {
  if (options.credentials === undefined) return undefined;
  const pairs = Array.isArray(options.credentials) ? options.credentials : [options.credentials];
  const keys = new Keyring(pairs as readonly Credentials[]);
  return { keys, owners: new BucketOwners(keys.primary), region: options.region ?? DEFAULT_REGION };
}

/** A created bucket belongs to its creator; a deleted one to nobody. */
function recordOwnership(owners: BucketOwners, operation: Operation, user: string): void {
  if (operation.name === 'CreateBucket') owners.claim(operation.bucket, user);
  if (operation.name === 'DeleteBucket') owners.release(operation.bucket);
}

export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const store = options.store ?? new MemoryStore();
  const addressPolicy =
    options.originAddressPolicy ?? (options.allowPrivateOrigins ? undefined : forbiddenAddressReason);
  // Where the simulator listens, learnt from each request's adapter, so it never fetches from itself.
  const self = new SelfEndpoints();
  const loopId = newLoopId();
  const origin = new LoopMarkingOriginClient(
    options.originClient ??
      new UndiciOriginClient(
        { ...DEFAULT_ORIGIN_TIMEOUTS, ...options.originTimeouts },
        addressPolicy ? { addressPolicy, self } : { self },
      ),
    loopId,
  );
  const profile = loadProfile(options.profile ?? 'neutral');
  const settings: Settings = {
    profile,
    version: VERSION,
    region: options.region ?? DEFAULT_REGION,
    maxObjectSize: options.maxObjectSize ?? profile.limits.maxObjectSize,
    maxRules: profile.limits.maxRules,
    virtualHostDomains: options.virtualHostDomains ?? ['localhost'],
    self,
    ...(addressPolicy ? { addressPolicy } : {}),
  };
  const parts = new PartStore();
  const domains = settings.virtualHostDomains;
  const access = accessControl(options);
  const nextRequestId = options.requestId ?? requestIds();
  let background = new BackgroundWork();
  let lifetime = newLifetime();
  const flights = new Flights();
  const prepush = new PrepushJobs({
    store,
    origin,
    background: () => background,
    maxObjectSize: settings.maxObjectSize,
    switches: profile.switches,
  });

  const hasBucket = (bucket: string) => store.hasBucket(bucket);

  const reset = async () => {
    lifetime.abort();
    lifetime = newLifetime();
    background = new BackgroundWork();
    prepush.reset();
    flights.reset();
    parts.reset();
    access?.owners.reset();
    await store.reset();
  };

  async function route(
    operation: Operation,
    request: Request,
    context: Context,
    user?: string,
  ): Promise<Response> {
    switch (operation.name) {
      case 'ListBuckets':
        return listBuckets(context, access && ((bucket) => access.owners.ownerOf(bucket) === user));
      case 'CreateBucket':
        return createBucket(context, request, operation.bucket);
      case 'HeadBucket':
        return headBucket(context, operation.bucket);
      case 'DeleteBucket':
        return deleteBucket(context, operation.bucket);
      case 'ListObjects':
        return listObjects(context, operation.bucket, operation.query);
      case 'ListObjectsV2':
        return listObjectsV2(context, operation.bucket, operation.query);
      case 'DeleteObjects':
        return deleteObjects(context, request, operation.bucket);
      case 'GetBucketLocation':
        return getBucketLocation(context, operation.bucket);
      case 'ListObjectVersions':
        return listObjectVersions(context, operation.bucket, operation.query);
      case 'PutObject':
        // CopyObject shares PutObject's address; the copy-source header tells them apart.
        if (request.headers.has('x-amz-copy-source'))
          return copyObject(context, request, operation.bucket, operation.key);
        return putObject(context, request, operation.bucket, operation.key);
      case 'GetObject':
        return getObject(context, request, operation.bucket, operation.key, operation.rawQuery);
      case 'HeadObject':
        return headObject(context, request, operation.bucket, operation.key);
      case 'DeleteObject':
        return deleteObject(context, operation.bucket, operation.key);
      case 'GetBucketMirror':
        return getBucketMirror(context, operation.bucket);
      case 'PutBucketMirror':
        return putBucketMirror(context, request, operation.bucket);
      case 'DeleteBucketMirror':
        return deleteBucketMirror(context, operation.bucket);
      case 'CreatePrepushJob':
        return createPrepushJob(context, request, operation.bucket, operation.query);
      case 'ListPrepushJobs':
        return listPrepushJobs(context, operation.bucket);
      case 'GetPrepushJob':
        return getPrepushJob(context, operation.bucket, operation.jobId);
      case 'CancelPrepushJob':
        return cancelPrepushJob(context, operation.bucket, operation.jobId);
      case 'GetHealth':
        return Response.json({ status: 'ok', version: settings.version, profile: settings.profile.id });
      case 'ResetSimulator':
        await reset();
        return new Response(null, { status: 204 });
      case 'NativeMirrorConfiguration':
        return nativeMirrorConfiguration(context, request, operation);
      case 'CreateMultipartUpload':
      case 'UploadPart':
      case 'CompleteMultipartUpload':
      case 'AbortMultipartUpload':
      case 'ListParts':
      case 'ListMultipartUploads':
        return routeMultipart(context, request, operation);
      case 'WaitForSettle': {
        const settled = await context.background.settle(operation.timeoutMs);
        return Response.json({ settled, pending: context.background.size });
      }
    }
  }

  return {
    async fetch(request, info = {}) {
      // The node adapter passes the target as received; only a Request from elsewhere has its URL parsed.
      const url = info.target === undefined ? new URL(request.url) : undefined;
      const target = info.target ?? `${url?.pathname}${url?.search}`;
      const requestId = nextRequestId();
      const context: Context = {
        store,
        parts,
        origin,
        background,
        prepush,
        flights,
        settings,
        requestId,
        signal: lifetime.signal,
      };
      try {
        if (info.listening) self.add(info.listening);
        refuseOwnLoop(request.headers, loopId);
        const raw = {
          method: request.method,
          target,
          host: request.headers.get('host') ?? new URL(request.url).host,
        };
        // Access control comes before routing: a refused GET never reaches an origin.
        const { operation, signer }: Authenticated = access
          ? await authenticate(
              { ...raw, headers: request.headers },
              { ...access, store, virtualHostDomains: domains, profile: settings.profile.id },
            )
          : {
              operation: await checkedAgainstStore(
                (bucketExists) => parseRequest(raw, domains, settings.profile.id, bucketExists),
                hasBucket,
              ),
            };
        const query = new URLSearchParams(splitTarget(target).query);
        await checkedAgainstStore(
          (bucketExists) => refuseUnhonoured(operation, request.headers, query, bucketExists),
          hasBucket,
        );
        // The signer's keys check a streamed body's chunk signatures; its payload hash, the body.
        const signed = signer?.payloadSha256 ? withVerifiedPayload(request, signer.payloadSha256) : request;
        const { accessKeyId, secretAccessKey } = signer ?? {};
        const asSigner =
          accessKeyId && secretAccessKey
            ? { ...context, settings: { ...settings, credentials: { accessKeyId, secretAccessKey } } }
            : context;
        const response = await route(operation, signed, asSigner, accessKeyId);
        if (access && accessKeyId && response.ok) recordOwnership(access.owners, operation, accessKeyId);
        response.headers.set('x-amz-request-id', requestId);
        return response;
      } catch (error) {
        return renderError(error, {
          requestId,
          method: request.method,
          resource: splitTarget(target).path,
        });
      }
    },
    reset,
    settle: (timeoutMs = 10_000) => background.settle(timeoutMs),
    async close() {
      lifetime.abort();
      await prepush.close();
      await origin.close();
      await store.close();
    },
  };
}
