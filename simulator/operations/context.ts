import type { Profile } from '../../spec/profiles.ts';
import type { BackgroundWork } from '../mirror/background-work.ts';
import type { Flights } from '../mirror/flights.ts';
import type { OriginClient } from '../origin/origin-client.ts';
import type { SelfEndpoints } from '../origin/self-endpoints.ts';
import type { PrepushJobs } from '../prepush/prepush-jobs.ts';
import type { Credentials } from '../protocol/auth/signature-text.ts';
import type { BucketPolicies } from '../protocol/bucket-policy.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { PartStore } from '../storage/part-store.ts';
import type { BucketLifecycles } from './lifecycle-rules.ts';

export interface Settings {
  /** The vendor profile the simulator behaves as. */
  profile: Profile;
  version: string;
  /** The region the simulator is in: signatures must be scoped to it, GetBucketLocation names it. */
  region: string;
  /** Largest object a mirror fetch will store (KS3 documents 50 GB [ks3-sync]). */
  maxObjectSize: number;
  maxRules: number;
  /** Host names under which `bucket.<domain>` addresses a bucket; also how a rule can name its own bucket. */
  virtualHostDomains: readonly string[];
  /** Where this simulator listens: an origin there is refused, under whatever name. */
  self?: SelfEndpoints;
  /** Why an origin address is refused; absent when every address is allowed (tests, local use). */
  addressPolicy?: (address: string) => string | undefined;
  /** The keys requests are signed with, when access control is on: streamed chunk signatures are checked. */
  credentials?: Credentials;
}

/** What every operation may use. Built once per request by the simulator. */
export interface Context {
  store: ObjectStore;
  /** The parts of multipart uploads not yet completed. */
  parts: PartStore;
  /** The buckets' policies (protocol/authenticate.ts evaluates them). */
  policies: BucketPolicies;
  /** The buckets' lifecycle rules (operations/bucket-lifecycle.ts carries them out). */
  lifecycles: BucketLifecycles;
  /** The simulator's clock: multipart uploads are initiated and lifecycle rules count days by it. */
  now: () => Date;
  origin: OriginClient;
  background: BackgroundWork;
  prepush: PrepushJobs;
  flights: Flights;
  settings: Settings;
  requestId: string;
  /** Aborted when the simulator is reset or closed: cancels origin fetches still in flight. */
  signal: AbortSignal;
}
