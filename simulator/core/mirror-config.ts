// The simulator's side of checking a mirror configuration: the spec's checks (spec/rules.ts) with what
// this simulator refuses for reasons of its own (origins at internal addresses, origins that are its own
// buckets), and the configuration as stored, which remembers the vendor API that wrote it.

import type { NativeExtras } from '../../spec/dialects/dialect.ts';
import type { MirrorConfigurationDocument } from '../../spec/model.ts';
import type { Profile } from '../../spec/profiles.ts';
import { type ConfigProblem, configProblems, type MirrorConfiguration } from '../../spec/rules.ts';
import type { DialectId } from '../../spec/vendors/index.ts';
import { ipLiteral } from './address-policy.ts';
import { isNeverSet } from './header-policy.ts';
import { originCycle, type SelfAddress, selfOriginBucket } from './self-origin.ts';

/** A bucket's rules with defaults filled in, as the store keeps them. */
export interface StoredMirrorConfiguration extends MirrorConfiguration {
  /** Written through a vendor's own API: that dialect and the vendor fields that read back unchanged. */
  native?: { dialect: DialectId; extras: NativeExtras };
}

/** The spec's checks of a schema-valid document and the simulator's own. Returns every problem found. */
export function allConfigProblems(
  document: MirrorConfigurationDocument,
  limits: {
    maxRules: number;
    addressPolicy?: (address: string) => string | undefined;
    /** The profile's prefix and https switches; absent, the neutral ones (anything goes). */
    profile?: Pick<Profile, 'id' | 'switches'>;
    /** The bucket being configured and how this simulator is addressed, to refuse origins that loop. */
    self?: SelfAddress & { bucket: string; originsOf: (bucket: string) => readonly string[] };
  },
): ConfigProblem[] {
  const { addressPolicy, self } = limits;
  const problems = configProblems(document, {
    maxRules: limits.maxRules,
    profile: limits.profile,
    neverSet: isNeverSet,
    originProblem: addressPolicy && ((origin) => privateOriginProblem(origin, addressPolicy)),
  });
  if (self) problems.push(...selfOriginProblems(document, self));
  return problems;
}

/**
 * Origins that are the bucket itself, or another bucket of this simulator whose origins lead back to it:
 * every miss would fetch from itself (OBS refuses both [obs-java]).
 */
function selfOriginProblems(
  document: MirrorConfigurationDocument,
  self: SelfAddress & { bucket: string; originsOf: (bucket: string) => readonly string[] },
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  document.rules.forEach((rule, index) => {
    rule.origins.forEach((origin, originIndex) => {
      const target = selfOriginBucket(origin, self);
      if (target === undefined) return;
      const path = `rules/${index}/origins/${originIndex}`;
      if (target === self.bucket) {
        problems.push({
          path,
          message: `'${origin}' is the bucket '${self.bucket}' itself, which cannot be its own origin`,
        });
        return;
      }
      const cycle = originCycle(self.bucket, target, self.originsOf, self);
      if (cycle) {
        problems.push({
          path,
          message: `'${origin}' is the bucket '${target}' of this simulator, whose origins lead back to '${self.bucket}' (${[self.bucket, ...cycle].join(' -> ')}); buckets cannot be each other's origins`,
        });
      }
    });
  });
  return problems;
}

/** Why an origin named by a literal internal address is refused (names are checked when fetching). */
function privateOriginProblem(
  origin: string,
  policy: (address: string) => string | undefined,
): string | undefined {
  const literal = ipLiteral(new URL(origin).hostname);
  const reason = literal === undefined ? undefined : policy(literal);
  return reason
    ? `'${origin}' is refused: ${reason}; start the simulator with --allow-private-origins to allow it`
    : undefined;
}
