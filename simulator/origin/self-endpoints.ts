// The addresses at which this simulator answers, so that it never fetches from itself. A rule whose origin
// is the simulator under some other name (`0.0.0.0`, `[::ffff:127.0.0.1]`, the host's own name or one of
// its interface addresses) would turn every miss into another miss: with a key rewrite that lengthens the
// key, one GET opened over a thousand connections to itself (proposed: vendors refuse their own bucket
// domains as origins [ks3-sync], none documents how it recognises itself).

import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';

/** An address and port a server listens on, as `server.address()` gives it. */
export interface ListenAddress {
  address: string;
  port: number;
}

/**
 * The address as one canonical text: IPv6 compressed and lower-case, an IPv4-mapped IPv6 address
 * (`::ffff:127.0.0.1`, `::ffff:7f00:1`) as the IPv4 address it is. Undefined when it is no IP address.
 */
export function canonicalAddress(address: string): string | undefined {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return undefined;
  if (family === 4) return bare;
  const compressed = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(compressed);
  if (mapped === null) return compressed;
  const high = Number.parseInt(mapped[1] ?? '0', 16);
  const low = Number.parseInt(mapped[2] ?? '0', 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

function isUnspecified(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

function isLoopback(address: string): boolean {
  return address === '::1' || /^127\./.test(address);
}

/** Every address of this host's interfaces, canonical; read each time, as interfaces come and go. */
function interfaceAddresses(): Set<string> {
  const found = new Set<string>();
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      const canonical = canonicalAddress(entry.address);
      if (canonical !== undefined) found.add(canonical);
    }
  }
  return found;
}

/** The ports and addresses this simulator listens on, learnt from the server that serves it. */
export class SelfEndpoints {
  private readonly listening = new Map<string, ListenAddress>();

  /** Records a listening address; cheap to call on every request. */
  add(listen: ListenAddress): void {
    const key = `${listen.address}|${listen.port}`;
    if (!this.listening.has(key)) this.listening.set(key, listen);
  }

  /** Whether a connection to `address` and `port` would reach this simulator. */
  includes(address: string, port: number): boolean {
    const target = canonicalAddress(address);
    if (target === undefined) return false;
    for (const listen of this.listening.values()) {
      if (listen.port !== port) continue;
      const own = canonicalAddress(listen.address);
      if (own === undefined) continue;
      // Connecting to 0.0.0.0 or :: reaches the local host, whatever it listens on.
      if (target === own || isUnspecified(target)) return true;
      // A server on 0.0.0.0 or :: answers at every address of the host, loopback included.
      if (isUnspecified(own) && (isLoopback(target) || interfaceAddresses().has(target))) return true;
    }
    return false;
  }

  /** Why `address:port` is refused as an origin, or undefined when it is not this simulator. */
  problem(address: string, port: number): string | undefined {
    if (!this.includes(address, port)) return undefined;
    return `${address} port ${port} is this simulator itself: a mirror fetch from it would fetch again on every miss`;
  }

  /**
   * Why an origin URL names this simulator under another name than its loopback endpoint, or undefined.
   * Loopback names as written (127.*, localhost, [::1]) are judged by the bucket-loop check of the
   * configuration; any other
   * name of this host, or an address it listens on, is refused when the rule is written. Names that merely
   * resolve to this host are refused when fetched (the lookup checks each address).
   */
  originProblem(origin: string): string | undefined {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return undefined;
    }
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const name = url.hostname.toLowerCase();
    // The names the bucket-loop check already counts as this host (self-origin.ts).
    if (name === 'localhost' || name === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(name)) return undefined;
    const literal = canonicalAddress(name);
    const self =
      literal === undefined
        ? ownHostNames().has(name) && [...this.listening.values()].some((listen) => listen.port === port)
        : this.includes(literal, port);
    if (!self) return undefined;
    return `'${origin}' is this simulator itself (${name} port ${port} is where it listens): an origin at this simulator would fetch from itself on every miss`;
  }
}

/** The host's own names: its host name, and its first label when that is a full domain name. */
function ownHostNames(): Set<string> {
  const name = hostname().toLowerCase();
  return new Set([name, name.split('.')[0] ?? name].filter((entry) => entry !== '' && entry !== 'localhost'));
}
