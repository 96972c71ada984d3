// The vendors, one line each: the only list of them. A vendor's folder is named by its key here, and
// holds its profile (profile.yaml), its record (vendor.ts) and, with a rule API, its dialect, fixtures
// and README. Everything that differs by vendor is derived from these records.

import type { Dialect } from '../dialects/dialect.ts';
import { cdnetworks } from './cdnetworks/vendor.ts';
import { cosDialect } from './cos/dialect.ts';
import { cos } from './cos/vendor.ts';
import { jdcloudDialect } from './jdcloud/dialect.ts';
import { jdcloud } from './jdcloud/vendor.ts';
import { ks3Dialect } from './ks3/dialect.ts';
import { ks3 } from './ks3/vendor.ts';
import { obsDialect } from './obs/dialect.ts';
import { obs } from './obs/vendor.ts';
import { ossDialect } from './oss/dialect.ts';
import { oss } from './oss/vendor.ts';
import { tosDialect } from './tos/dialect.ts';
import { tos } from './tos/vendor.ts';
import { us3 } from './us3/vendor.ts';
import type { RuleApi, RuleApiAddress, Vendor } from './vendor.ts';

const VENDORS = {
  oss,
  ks3,
  obs,
  cos,
  jdcloud,
  us3,
  cdnetworks,
  tos,
} satisfies Record<string, Vendor>;

type Registry = typeof VENDORS;
type VendorId = keyof Registry;
/** The vendors with a rule API the suite and the simulator speak. */
export type DialectId = { [K in VendorId]: Registry[K] extends { ruleApi: RuleApi } ? K : never }[VendorId];

// Each rule API's dialect, bound here rather than in the record, so a dialect may read its own record
// (the address it words its advice with) without an import cycle.
const DIALECTS: Record<DialectId, Dialect> = {
  oss: ossDialect,
  ks3: ks3Dialect,
  obs: obsDialect,
  cos: cosDialect,
  jdcloud: jdcloudDialect,
  tos: tosDialect,
};

export const vendorIds = Object.keys(VENDORS) as VendorId[];
export const dialectIds = vendorIds.filter((id): id is DialectId => vendorFor(id).ruleApi !== undefined);

export function vendorFor(id: VendorId): Vendor {
  return VENDORS[id];
}

export function isVendorId(value: string): value is VendorId {
  return Object.hasOwn(VENDORS, value);
}

export function isDialectId(value: string): value is DialectId {
  return (dialectIds as readonly string[]).includes(value);
}

/** The rule API of a vendor that has one, with the dialect it speaks. */
export function ruleApiFor(id: DialectId): RuleApi & { readonly dialect: Dialect } {
  const api = vendorFor(id).ruleApi;
  if (api === undefined) throw new Error(`${id} has no rule API`);
  return { ...api, dialect: DIALECTS[id] };
}

export function dialectFor(id: DialectId): Dialect {
  return DIALECTS[id];
}

/**
 * Every vendor's own header prefixes and security-token headers, lower-cased; with `unsettable`, only
 * those of vendors whose rules may not set them.
 */
export function vendorHeaderPrefixes(which: 'all' | 'unsettable' = 'all'): string[] {
  return vendorIds
    .filter((id) => which === 'all' || !vendorFor(id).rulesMaySetPrefixedHeaders)
    .flatMap((id) => {
      const vendor = vendorFor(id);
      return [...vendor.headerPrefixes, ...(vendor.securityTokenHeader ? [vendor.securityTokenHeader] : [])];
    })
    .map((name) => name.toLowerCase());
}

/** Every vendor's presigned-URL query parameters, lower-cased. */
export function vendorPresignedParameters(): readonly string[] {
  presignedParameters ??= vendorIds
    .flatMap((id) => vendorFor(id).presignedParameters)
    .map((name) => name.toLowerCase());
  return presignedParameters;
}

// The vendor records are constants: what routing asks of them on every request is worked out once.
let presignedParameters: readonly string[] | undefined;
let subresources: readonly string[] | undefined;
let compiledAddresses: readonly { id: DialectId; address: RuleApiAddress; pattern?: RegExp }[] | undefined;

function ruleApiAddresses(): readonly { id: DialectId; address: RuleApiAddress; pattern?: RegExp }[] {
  compiledAddresses ??= dialectIds.map((id) => {
    const address = ruleApiFor(id).address;
    return address.kind === 'path'
      ? { id, address, pattern: templatePattern(address.template) }
      : { id, address };
  });
  return compiledAddresses;
}

/** A path template's pattern: `{name}` is one non-empty segment, captured by name. */
function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{[a-z]+\})/)
    .map((part) =>
      /^\{[a-z]+\}$/.test(part)
        ? `(?<${part.slice(1, -1)}>[^/]+)`
        : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`);
}

/** The request path of a vendor's rule call on a bucket: `/<bucket>?<name>`, or its path template filled in. */
export function ruleApiPath(address: RuleApiAddress, bucket: string, region: string): string {
  if (address.kind === 'subresource') return `/${bucket}?${address.name}`;
  return address.template.replace('{region}', region).replace('{bucket}', bucket);
}

/** A native rule call's target, as routing sees it: a bucket with a subresource, or a raw path. */
type RuleCallTarget = { kind: 'subresource'; names: readonly string[] } | { kind: 'path'; rawPath: string };

/**
 * The vendors whose rule API this call addresses, the running profile's first: two vendors may share an
 * address (KS3 and TOS share a subresource), and the simulator answers in the profile it runs. For a path
 * address, also the bucket the path names, still percent-encoded.
 */
export function ruleApiMatches(
  target: RuleCallTarget,
  profile: string,
): { id: DialectId; bucket?: string }[] {
  const matches: { id: DialectId; bucket?: string }[] = [];
  for (const { id, address, pattern } of ruleApiAddresses()) {
    if (
      target.kind === 'subresource' &&
      address.kind === 'subresource' &&
      target.names.includes(address.name)
    ) {
      matches.push({ id });
    }
    if (target.kind === 'path' && pattern !== undefined) {
      const bucket = pattern.exec(target.rawPath)?.groups?.bucket;
      if (bucket !== undefined) matches.push({ id, bucket });
    }
  }
  if (matches.length < 2) return matches;
  return matches.sort((a, b) => Number(b.id === profile) - Number(a.id === profile));
}

/** The vendors whose rule API has the same address as this one's, itself first. */
export function dialectsSharingAddress(id: DialectId): DialectId[] {
  const address = JSON.stringify(ruleApiFor(id).address);
  return [
    id,
    ...dialectIds.filter((other) => other !== id && JSON.stringify(ruleApiFor(other).address) === address),
  ];
}

/** Every subresource name some vendor's rule API uses. */
export function ruleApiSubresources(): readonly string[] {
  subresources ??= ruleApiAddresses().flatMap(({ address }) =>
    address.kind === 'subresource' ? [address.name] : [],
  );
  return subresources;
}
