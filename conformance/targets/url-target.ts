// The target an http(s):// URL names, as the run configuration describes it: a vendor endpoint through
// its own rule API and signature (`--dialect`), or an endpoint speaking the neutral API, signed with
// SigV4 when keys are set. One starter for the law fixture and for the probe of `mirrorspec check`, so
// both speak to the target the same way.

import { ToolError } from '../../errors/tool-error.ts';
import type { Keys } from '../client/signed-fetch.ts';
import { ruleApiAbsent } from '../support/not-applicable.ts';
import type { RunConfig } from '../support/run-config.ts';
import { startEndpointTarget } from './endpoint-target.ts';
import { checkedDialect } from './simulator-target.ts';
import type { Target } from './target.ts';
import { startVendorTarget, type VendorTargetOptions } from './vendor-target.ts';

/** The keys of the run configuration, if both are set. */
export function keysOf(config: RunConfig): Keys | undefined {
  const { accessKeyId, secretAccessKey } = config;
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;
}

/**
 * Starts the URL target of `config` (its `target`). `keys` overrides the configured keys: the probe
 * signs with a wrong secret to learn whether the target checks signatures at all.
 */
export async function startUrlTarget(config: RunConfig, keys = keysOf(config)): Promise<Target> {
  const endpoint = config.target;
  const target = config.dialect
    ? await startVendorTarget(endpoint, vendorTargetOptions(config, keys))
    : await startEndpointTarget(endpoint, {
        profile: config.expectProfile ?? config.profile ?? 'neutral',
        ...(config.originTimeoutMs ? { originTimeoutMs: config.originTimeoutMs } : {}),
        ...(config.settleWaitMs ? { settleWaitMs: config.settleWaitMs } : {}),
        ...(keys !== undefined ? { keys } : {}),
        ...(config.region ? { region: config.region } : {}),
      });
  return config.ruleApiAbsent === undefined ? target : withoutRuleApi(target, config.ruleApiAbsent);
}

/** The target as one without a rule API: a law that writes rules there is absent, with `why`. */
function withoutRuleApi(target: Target, why: string): Target {
  return {
    ...target,
    ruleApiAbsent: why,
    rules: {
      api: target.rules.api,
      put: () => ruleApiAbsent(why),
      delete: () => ruleApiAbsent(why),
    },
    settle: (timeoutMs) => target.settle(timeoutMs),
    close: () => target.close(),
  };
}

/** A vendor endpoint's adapter, from the environment `mirrorspec check` sets (see docs/vendors/). */
function vendorTargetOptions(config: RunConfig, keys: Keys | undefined): VendorTargetOptions {
  const dialect = checkedDialect(config.dialect ?? '');
  if (keys === undefined) {
    throw new ToolError(
      'MS_CREDENTIALS',
      `the ${dialect} adapter signs every request: set MIRRORSPEC_ACCESS_KEY_ID and MIRRORSPEC_SECRET_ACCESS_KEY`,
    );
  }
  return {
    dialect,
    keys,
    ...(config.region ? { region: config.region } : {}),
    ...(config.rulesEndpoint ? { rulesEndpoint: config.rulesEndpoint } : {}),
    ...(config.addressing ? { addressing: config.addressing } : {}),
    ...(config.expectProfile ? { profile: config.expectProfile } : {}),
    ...(config.originTimeoutMs ? { originTimeoutMs: config.originTimeoutMs } : {}),
    ...(config.settleWaitMs ? { settleWaitMs: config.settleWaitMs } : {}),
  };
}
