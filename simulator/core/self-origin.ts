// Which bucket of this very simulator an origin URL names, if any. A rule whose origin is its own bucket,
// or a ring of buckets that are each other's origins, would fetch from itself on every miss; OBS refuses
// both when the rules are written [obs-java], and so does the simulator.

import { bucketNameProblem } from './names.ts';
import { splitBucketPath } from './raw-target.ts';

/** Where the simulator is being addressed: the configuring request's Host and the virtual-host domains. */
export interface SelfAddress {
  /** The Host of the request that writes the configuration, e.g. `127.0.0.1:9000`. */
  host: string;
  /** Domains under which `bucket.<domain>` names a bucket (virtual-hosted style). */
  virtualHostDomains: readonly string[];
  /** The scheme the configuring request came in on, for the default port of `host`; default http. */
  protocol?: string;
}

/** Names every loopback host is known by: `localhost:9000` and `127.0.0.1:9000` are one server. */
function isLoopbackName(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

function splitHost(host: string, protocol: string): { name: string; port: string } {
  const match = /^(.*?)(?::(\d+))?$/.exec(host.toLowerCase());
  const name = match?.[1] ?? host.toLowerCase();
  const port = match?.[2] ?? (protocol === 'https:' ? '443' : '80');
  return { name, port };
}

function sameServer(a: { name: string; port: string }, b: { name: string; port: string }): boolean {
  if (a.port !== b.port) return false;
  return a.name === b.name || (isLoopbackName(a.name) && isLoopbackName(b.name));
}

/**
 * The bucket of this simulator that `origin` fetches from, or undefined when it points elsewhere: path
 * style (same server, first path segment a bucket name) or virtual-hosted (`bucket.<domain>` on the same
 * port, the domain one of the simulator's or the request's own host name).
 */
export function selfOriginBucket(origin: string, self: SelfAddress): string | undefined {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return undefined;
  }
  const own = splitHost(self.host, self.protocol ?? 'http:');
  const target = {
    name: url.hostname.toLowerCase(),
    port: url.port || (url.protocol === 'https:' ? '443' : '80'),
  };
  if (sameServer(own, target)) {
    const first = splitBucketPath(url.pathname).bucket;
    let bucket = first;
    try {
      bucket = decodeURIComponent(first);
    } catch {
      return undefined;
    }
    return bucket !== '' && bucketNameProblem(bucket) === undefined ? bucket : undefined;
  }
  if (target.port !== own.port) return undefined;
  for (const domain of [...self.virtualHostDomains, own.name]) {
    const suffix = `.${domain.toLowerCase()}`;
    if (!target.name.endsWith(suffix)) continue;
    const bucket = target.name.slice(0, -suffix.length);
    if (bucket !== '' && bucketNameProblem(bucket) === undefined) return bucket;
  }
  return undefined;
}

/**
 * The buckets met when following origins from `start` through this simulator's stored configurations,
 * in order, ending at `bucket` if the chain comes back to it; undefined when it never does.
 */
export function originCycle(
  bucket: string,
  start: string,
  originsOf: (bucket: string) => readonly string[],
  self: SelfAddress,
): string[] | undefined {
  const seen = new Set<string>();
  const walk = (current: string, path: string[]): string[] | undefined => {
    if (current === bucket) return path;
    if (seen.has(current)) return undefined;
    seen.add(current);
    for (const origin of originsOf(current)) {
      const next = selfOriginBucket(origin, self);
      if (next === undefined) continue;
      const found = walk(next, [...path, next]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(start, [start]);
}
