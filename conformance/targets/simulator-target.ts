// The default target: a real simulator server on an ephemeral loopback port, started through the
// simulator's public entry only.

import { loadProfile, startSimulator } from '../../simulator/index.ts';
import type { DialectId } from '../../spec/vendors/index.ts';
import { dialectIds, isDialectId } from '../../spec/vendors/index.ts';
import { S3Client } from '../client/s3-client.ts';
import { runConfig } from '../support/run-config.ts';
import { nativeRuleWriter, neutralRuleWriter } from './rule-writer.ts';
import type { Target } from './target.ts';

/**
 * The origin timeouts of the suite's own simulators. Only the headers timeout is judged (the timeout laws
 * script an origin that answers late, relative to it), so it is short enough to keep those laws quick,
 * yet far above a loopback origin's answer on a loaded machine: at 1 s, four test workers on two busy
 * cores made pre-push fetches and redirect hops time out, and clean laws failed once and never on
 * replay. Connecting and body pauses are never judged against a timeout: they keep the simulator's own
 * 10 s (spec/mirror.openapi.yaml, after OSS), so a law's deliberate pause or a stalled worker never
 * becomes a failed fetch.
 */
export const SUITE_ORIGIN_TIMEOUTS = {
  connectMs: 10_000,
  headersMs: 3_000,
  bodyIdleMs: 10_000,
} as const;

/**
 * The size cap the suite's simulators run with: small, so the size-cap laws can send objects of cap - 1,
 * cap and cap + 1 bytes (chunked too) in a run, and above the largest object any other law sends (2 MB).
 */
export const SIZE_CAP_BYTES = 4 * 1024 * 1024;

interface SimulatorTargetOptions {
  /** The profile the simulator runs as; default MIRRORSPEC_PROFILE, else neutral. */
  profile?: string;
  /**
   * The profile the suite expects; default MIRRORSPEC_EXPECT_PROFILE, else the one the simulator runs.
   * Differing on purpose shows that a profile's distinctive behaviours are really checked.
   */
  expectProfile?: string;
  /**
   * How the simulator judges origin addresses. Default: every address allowed, because the suite's
   * origins run on loopback, which a simulator refuses by default. `'default'` keeps the simulator's own
   * protection; a function replaces it (to refuse some loopback addresses and allow others).
   */
  originAddresses?: 'allow-all' | 'default' | ((address: string) => string | undefined);
  /**
   * Put rules through this vendor's own API instead of the neutral one (`check --dialect`); default
   * MIRRORSPEC_DIALECT. The simulator then runs that vendor's profile unless told otherwise.
   */
  dialect?: string;
}

export async function startSimulatorTarget(options: SimulatorTargetOptions = {}): Promise<Target> {
  const addresses = options.originAddresses ?? 'allow-all';
  const config = runConfig();
  const dialect = options.dialect ?? config.dialect;
  const profile = loadProfile(options.profile ?? config.profile ?? dialect ?? 'neutral');
  const expected = loadProfile(options.expectProfile ?? config.expectProfile ?? profile.id);
  const running = await startSimulator({
    profile: profile.id,
    host: '127.0.0.1',
    port: 0,
    maxObjectSize: SIZE_CAP_BYTES,
    ...(addresses === 'allow-all' ? { allowPrivateOrigins: true } : {}),
    ...(typeof addresses === 'function' ? { originAddressPolicy: addresses } : {}),
    originTimeouts: SUITE_ORIGIN_TIMEOUTS,
  });
  const client = new S3Client(running.endpoint);
  return {
    name: `simulator (${profile.id}${dialect ? `, ${dialect} API` : ''})`,
    endpoint: running.endpoint,
    client,
    rules: dialect ? nativeRuleWriter(client.http, checkedDialect(dialect)) : neutralRuleWriter(client),
    capabilities: {
      settle: true,
      profile: expected,
      maxObjectSize: SIZE_CAP_BYTES,
      originTimeoutMs: SUITE_ORIGIN_TIMEOUTS.headersMs,
    },
    async settle(timeoutMs) {
      return client.settle(timeoutMs);
    },
    async close() {
      await client.close();
      await running.close();
    },
  };
}

export function checkedDialect(name: string): DialectId {
  if (isDialectId(name)) return name;
  throw new Error(`'${name}' is not a dialect: use one of ${dialectIds.join(', ')}`);
}
