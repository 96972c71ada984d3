// The simulator as a fetch function: Request in, Response out. This is the composition root: it picks
// the defaults for everything injected (store, origin client, clock, ids) and answers each request,
// handing the parsed operation to route.ts.

import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { loadProfile } from '../spec/profiles.ts';
import { forbiddenAddressReason } from './core/address-policy.ts';
import { splitTarget } from './core/raw-target.ts';
import { BucketOwners, bucketAccessDenial, Keyring } from './core/users.ts';
import { S3Error } from './errors/s3-error.ts';
import { BackgroundWork } from './mirror/background-work.ts';
import { Flights } from './mirror/flights.ts';
import type { Context, Settings } from './operations/context.ts';
import { BucketLifecycles } from './operations/lifecycle-rules.ts';
import type { PostAccess } from './operations/post-object.ts';
import { LoopMarkingOriginClient, newLoopId } from './origin/loop-header.ts';
import { DEFAULT_ORIGIN_TIMEOUTS, type OriginClient, type OriginTimeouts } from './origin/origin-client.ts';
import { type ListenAddress, SelfEndpoints } from './origin/self-endpoints.ts';
import { UndiciOriginClient } from './origin/undici-origin-client.ts';
import { PrepushJobs } from './prepush/prepush-jobs.ts';
import { withVerifiedPayload } from './protocol/auth/payload-hash.ts';
import {
  type Authenticated,
  authenticate,
  type Credentials,
  deniedByPolicy,
} from './protocol/authenticate.ts';
import { BucketPolicies, evaluatePolicy } from './protocol/bucket-policy.ts';
import { checkedAgainstStore, refuseUnhonoured } from './protocol/honoured.ts';
import { refuseOwnLoop } from './protocol/loop-refusal.ts';
import type { Operation } from './protocol/operation.ts';
import { parseRequest } from './protocol/parse-request.ts';
import { postPolicyRequest } from './protocol/policy-request.ts';
import { renderError } from './protocol/render-error.ts';
import { route } from './route.ts';
import { type ReplaySource, unmarkReplayable } from './server/replay.ts';
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
  /**
   * The most bytes of objects the default in-memory store holds at once (those being written included);
   * a write past it is 507 InsufficientStorage. Default a quarter of the machine's memory, at most 2 GiB.
   * Ignored with `store`.
   */
  maxMemory?: number;
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
  /**
   * The simulator's clock for what it counts in days: multipart uploads are initiated by it, and
   * lifecycle rules abort them by it. Default the machine's; tests move it to see a rule act.
   */
  clock?: () => Date;
  requestId?: () => string;
  /**
   * Called with the number of pre-push lists being spooled or run whenever it changes, 0 once the last
   * has ended. `mirrorspec serve` keeps V8's heap growth low while any runs (serve-command.ts).
   */
  onPrepushJobs?: (running: number) => void;
}

/** What the node adapter knows that a Request cannot carry: the request target exactly as received. */
export interface RequestInfo {
  target?: string;
  /** The address and port the server that received the request listens on. */
  listening?: ListenAddress;
}

export interface Simulator {
  fetch(request: Request, info?: RequestInfo): Promise<Response>;
  /**
   * For a server in front of `fetch`: the version of everything answers depend on, so that it may answer
   * a repeated read as it was answered while the version stays (server/replay.ts). Its version is
   * undefined, and nothing is replayed, over a store that does not count its changes (one other
   * processes may write to).
   */
  readonly replay: ReplaySource;
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

/** How a browser form's signature and its signer's right to the bucket are judged (post-object.ts). */
function postAccessOf(
  access: NonNullable<ReturnType<typeof accessControl>>,
  store: ObjectStore,
  policies: BucketPolicies,
): PostAccess {
  return {
    secretFor: (accessKeyId) => access.keys.secretFor(accessKeyId),
    now: Date.now,
    denial: async (bucket, key, user) => {
      const policy = policies.get(bucket);
      const verdict = policy && evaluatePolicy(policy, postPolicyRequest(bucket, key, user));
      if (verdict === 'deny') return deniedByPolicy(bucket);
      const publicWrite = (await store.bucketAcl(bucket)) === 'public-read-write';
      if (user === undefined) {
        if (verdict === 'allow' || publicWrite) return undefined;
        return new S3Error('AccessDenied', 'Access Denied: an unsigned form may not write to this bucket', {
          bucket,
        });
      }
      const exists = await store.hasBucket(bucket);
      const owner = access.owners.ownerOf(bucket);
      const open = verdict === 'allow' || publicWrite;
      const denial = bucketAccessDenial({ name: 'PutObject', bucket }, user, { exists, owner, open });
      return denial && new S3Error(denial.code, denial.message, { bucket });
    },
  };
}

/**
 * The simulator's version for replays (Simulator.replay): the store's own count of its changes plus the
 * changes it does not see (a policy, an owner, a reset), counted by `changed`; undefined over a store
 * that does not count.
 */
function changeCounter(store: ObjectStore) {
  let changes = 0;
  const storeChanges = store.changeCount?.bind(store);
  return {
    changed: () => {
      changes++;
    },
    version: () => (storeChanges === undefined ? undefined : storeChanges() + changes),
  };
}

/** A created bucket belongs to its creator; a deleted one to nobody. */
function recordOwnership(owners: BucketOwners, operation: Operation, user: string): void {
  if (operation.name === 'CreateBucket') owners.claim(operation.bucket, user);
  if (operation.name === 'DeleteBucket') owners.release(operation.bucket);
}

/** The parts a simulator keeps for its whole life, made from its options. */
function lifelongParts(options: SimulatorOptions) {
  const store =
    options.store ?? new MemoryStore(options.maxMemory === undefined ? {} : { maxBytes: options.maxMemory });
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
  return { store, self, loopId, origin, settings };
}

/** What answering a request needs of the simulator it reaches. */
interface Answering {
  store: ObjectStore;
  self: SelfEndpoints;
  loopId: string;
  settings: Settings;
  access: ReturnType<typeof accessControl>;
  postAccess: PostAccess | undefined;
  policies: BucketPolicies;
  nextRequestId: () => string;
  /** Counts a change the store does not see (a policy, an owner, a reset): see Simulator.replay. */
  changed(): void;
  /** The context of one request, with the background work and lifetime current at its arrival. */
  context(requestId: string): Context;
  reset(): Promise<void>;
}

/**
 * One request, start to end: loop refusal, access control or plain parsing, the headers and
 * sub-resources not honoured, then the operation; any error rendered as S3 renders it.
 */
async function answer(request: Request, info: RequestInfo, sim: Answering): Promise<Response> {
  const { store, settings, access } = sim;
  // The node adapter passes the target as received; only a Request from elsewhere has its URL parsed.
  const url = info.target === undefined ? new URL(request.url) : undefined;
  const target = info.target ?? `${url?.pathname}${url?.search}`;
  const requestId = sim.nextRequestId();
  const context = sim.context(requestId);
  const domains = settings.virtualHostDomains;
  const hasBucket = (bucket: string) => store.hasBucket(bucket);
  // Anything but a read may change what later answers say; counted before and after it, so an answer
  // made while it runs is never kept (server/replay.ts).
  const changing = request.method !== 'GET' && request.method !== 'HEAD';
  if (changing) sim.changed();
  try {
    if (info.listening) sim.self.add(info.listening);
    refuseOwnLoop(request.headers, sim.loopId);
    const raw = {
      method: request.method,
      target,
      host: request.headers.get('host') ?? new URL(request.url).host,
    };
    // Access control comes before routing: a refused GET never reaches an origin.
    const { operation, signer }: Authenticated = access
      ? await authenticate(
          { ...raw, headers: request.headers },
          {
            ...access,
            store,
            policies: sim.policies,
            virtualHostDomains: domains,
            profile: settings.profile.id,
          },
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
    const response = await route(operation, signed, asSigner, {
      reset: sim.reset,
      ...(access ? { listed: (bucket: string) => access.owners.ownerOf(bucket) === accessKeyId } : {}),
      ...(sim.postAccess ? { postAccess: sim.postAccess } : {}),
    });
    if (access && accessKeyId && response.ok) recordOwnership(access.owners, operation, accessKeyId);
    // A signed request's answer depends on its signature's validity at this moment, not the state alone.
    if (signer !== undefined) unmarkReplayable(response);
    response.headers.set('x-amz-request-id', requestId);
    return response;
  } catch (error) {
    return renderError(error, { requestId, method: request.method, resource: splitTarget(target).path });
  } finally {
    if (changing) sim.changed();
  }
}

export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const { store, self, loopId, origin, settings } = lifelongParts(options);
  const clock = options.clock ?? (() => new Date());
  const parts = new PartStore({ now: clock });
  const policies = new BucketPolicies();
  const lifecycles = new BucketLifecycles();
  const access = accessControl(options);
  let background = new BackgroundWork();
  let lifetime = newLifetime();
  const flights = new Flights();
  const changes = changeCounter(store);
  const prepush = new PrepushJobs({
    store,
    origin,
    background: () => background,
    maxObjectSize: settings.maxObjectSize,
    switches: settings.profile.switches,
    ...(options.onPrepushJobs ? { onRunning: options.onPrepushJobs } : {}),
  });

  const reset = async () => {
    changes.changed();
    lifetime.abort();
    lifetime = newLifetime();
    background = new BackgroundWork();
    prepush.reset();
    flights.reset();
    parts.reset();
    policies.reset();
    lifecycles.reset();
    access?.owners.reset();
    await store.reset();
  };

  const sim: Answering = {
    store,
    self,
    loopId,
    settings,
    access,
    postAccess: access && postAccessOf(access, store, policies),
    policies,
    nextRequestId: options.requestId ?? requestIds(),
    changed: changes.changed,
    reset,
    context: (requestId) => ({
      store,
      parts,
      policies,
      lifecycles,
      now: clock,
      origin,
      background,
      prepush,
      flights,
      settings,
      requestId,
      signal: lifetime.signal,
    }),
  };

  return {
    fetch: (request, info = {}) => answer(request, info, sim),
    replay: { version: changes.version, requestId: sim.nextRequestId },
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
