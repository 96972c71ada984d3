// Vendor profiles: what differs between vendors, as data (spec/vendors/<id>/profile.yaml, and the neutral
// model's spec/neutral-profile.yaml). The simulator honours a profile (`mirrorspec serve --profile <id>`)
// and the suite reads the same file to know what to expect. A profile's id is its vendor's folder name.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isVendorId, vendorIds } from './vendors/index.ts';

export interface Profile {
  id: string;
  vendor: string;
  sources: string[];
  limits: {
    /** Rules a mirror configuration may hold. */
    maxRules: number;
    /** Largest object a mirror fetch stores; a larger announced Content-Length fails. */
    maxObjectSize: number;
  };
  switches: {
    /** Whether a HEAD on a missing key triggers a fetch: never, always (US3), or when the rule opts in. */
    headTrigger: 'never' | 'always' | 'opt-in';
    /** With redirect following off, an origin 3xx is relayed to the client, or fails the fetch (KS3). */
    followOff: 'relay' | 'fail';
    /** A chunked origin answer (no Content-Length) is relayed, or fails the fetch (OBS). */
    chunkedOrigin: 'relay' | 'fail';
    /** A ranged GET on a missing key: the whole object, or the range answered and the object copied (COS). */
    rangeOnMiss: 'full-object' | 'range-and-copy';
    /** Which origin failures move a miss on to the next origin. */
    failover: 'any-failure' | '5xx-or-timeout';
    /** Prefix conditions of different rules: anything, distinct (US3), or not nested (OBS). */
    prefixRules: 'any' | 'unique' | 'non-overlapping';
    /** Whether https:// origins are accepted. */
    httpsOrigins: 'allowed' | 'refused';
    /** Origin response headers kept on the stored object. */
    storedHeaders: string[];
    /** Prefixes of origin headers kept as user metadata (COS keeps its own meta headers; its profile.yaml lists the prefix). */
    storedMetaPrefixes: string[];
    /** Rule modes the vendor offers. */
    modes: ('mirror' | 'redirect-async' | 'redirect')[];
  };
}

/** The neutral model's profile: the spec's own defaults. It is no vendor, so it has no folder. */
const NEUTRAL = 'neutral';

function profileFile(id: string): URL {
  return id === NEUTRAL
    ? new URL('./neutral-profile.yaml', import.meta.url)
    : new URL(`./vendors/${id}/profile.yaml`, import.meta.url);
}

function profilePath(id: string): string {
  return id === NEUTRAL ? 'spec/neutral-profile.yaml' : `spec/vendors/${id}/profile.yaml`;
}

const choices = {
  headTrigger: ['never', 'always', 'opt-in'],
  followOff: ['relay', 'fail'],
  chunkedOrigin: ['relay', 'fail'],
  rangeOnMiss: ['full-object', 'range-and-copy'],
  failover: ['any-failure', '5xx-or-timeout'],
  prefixRules: ['any', 'unique', 'non-overlapping'],
  httpsOrigins: ['allowed', 'refused'],
} as const;

export class ProfileError extends Error {
  override name = 'ProfileError';
}

export function profileIds(): string[] {
  return [NEUTRAL, ...vendorIds].sort();
}

export function loadProfile(id: string): Profile {
  if (id !== NEUTRAL && !isVendorId(id)) {
    throw new ProfileError(`unknown profile '${id}': use one of ${profileIds().join(', ')}`);
  }
  // The package's build writes each profile.yaml also as JSON beside it (tools/build/build.ts), so that
  // `mirrorspec serve` starts without loading the YAML parser; a clone reads the YAML itself.
  const file = profileFile(id);
  const prebuilt = new URL(file.href.replace(/\.yaml$/, '.json'));
  if (existsSync(prebuilt)) return checkProfile(JSON.parse(readFileSync(prebuilt, 'utf8')), id);
  return parseProfile(readFileSync(file, 'utf8'), id);
}

/** yaml, loaded when a profile is read from YAML (its 70-odd modules are a large part of a start). */
function parseYaml(text: string): unknown {
  return (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text);
}

/**
 * Checks a profile document strictly: a typo in a switch must not silently become a default. The id is
 * the one the file was found by, never written in it.
 */
export function parseProfile(text: string, id: string): Profile {
  return checkProfile(parseYaml(text), id);
}

function checkProfile(parsed: unknown, id: string): Profile {
  const fail = (message: string): never => {
    throw new ProfileError(`${profilePath(id)}: ${message}`);
  };
  const document = parsed as Record<string, unknown> | null;
  if (typeof document !== 'object' || document === null) return fail('not a YAML mapping');
  const known = (object: Record<string, unknown>, keys: string[], where: string) => {
    for (const key of Object.keys(object)) if (!keys.includes(key)) fail(`unknown field '${where}${key}'`);
  };
  known(document, ['vendor', 'sources', 'limits', 'switches'], '');
  if (typeof document.vendor !== 'string') fail('vendor must be a string');
  const sources = document.sources;
  if (!Array.isArray(sources) || !sources.every((s) => typeof s === 'string'))
    fail('sources must be a list of strings');
  const limits = document.limits as Record<string, unknown>;
  if (typeof limits !== 'object' || limits === null) return fail('limits is missing');
  known(limits, ['maxRules', 'maxObjectSize'], 'limits.');
  for (const key of ['maxRules', 'maxObjectSize']) {
    const value = limits[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
      fail(`limits.${key} must be a positive integer`);
  }
  const switches = document.switches as Record<string, unknown>;
  if (typeof switches !== 'object' || switches === null) return fail('switches is missing');
  known(switches, [...Object.keys(choices), 'storedHeaders', 'storedMetaPrefixes', 'modes'], 'switches.');
  for (const [key, allowed] of Object.entries(choices)) {
    if (!(allowed as readonly unknown[]).includes(switches[key])) {
      fail(`switches.${key} must be one of ${allowed.join(', ')}, got '${String(switches[key])}'`);
    }
  }
  for (const key of ['storedHeaders', 'storedMetaPrefixes', 'modes']) {
    const value = switches[key];
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
      fail(`switches.${key} must be a list of strings`);
  }
  const modes = switches.modes as string[];
  if (modes.length === 0 || !modes.every((mode) => ['mirror', 'redirect-async', 'redirect'].includes(mode))) {
    fail('switches.modes must list some of mirror, redirect-async, redirect');
  }
  return { id, ...document } as unknown as Profile;
}
