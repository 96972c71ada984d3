// What the suite judges. It never knows more of a target than this: an endpoint spoken to over HTTP, a
// way to configure mirror rules, and what the target can do.

import type { Profile } from '../../spec/profiles.ts';
import type { S3Client } from '../client/s3-client.ts';
import type { RuleWriter } from './rule-writer.ts';
import type { FixedRules } from './static-rules.ts';

interface Capabilities {
  /** The vendor profile the target claims to follow: the suite expects what it says. */
  profile: Profile;
  /** The target can report when background work has settled. */
  settle: boolean;
  /** The largest object the target mirrors; a larger announced Content-Length must fail. */
  maxObjectSize: number;
  /** How long the target waits for an origin's headers before failing the fetch. */
  originTimeoutMs: number;
}

export interface Target {
  readonly name: string;
  readonly endpoint: string;
  readonly client: S3Client;
  /** How rules reach the target: the neutral API, or a vendor's own. */
  readonly rules: RuleWriter;
  /**
   * Every request carries a vendor's signature (a vendor endpoint): a law cannot send its own
   * Authorization or Date, nor requests past the client, and the spec's own API (pre-push) is not there.
   */
  readonly signed?: boolean;
  /**
   * The target has no mirror rule API (the probe of `mirrorspec check` found none): why. Its rule writer
   * then makes every law that writes rules absent; a law may still check what needs no rules.
   */
  readonly ruleApiAbsent?: string;
  /** Rules fixed out of band (`check --static-rules`): one bucket, a folder per property run. */
  readonly fixed?: FixedRules;
  readonly capabilities: Capabilities;
  /** Waits until background work is done; false if `timeoutMs` passed first. */
  settle(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}
