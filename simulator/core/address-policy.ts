// Which origin addresses a public-facing mirror must never reach: a mirror that fetches any URL a rule
// or a redirect names is otherwise an open proxy into the network it runs in (proposed: no vendor
// documents its checks beyond "no intranet endpoints" [oss-guide][jd-guide]).

import { BlockList, isIP } from 'node:net';

const forbidden = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  forbidden.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  forbidden.addSubnet(network, prefix, 'ipv6');
}
// IPv6 forms that carry an IPv4 address a translator or tunnel may deliver to (on a NAT64 network
// 64:ff9b::a9fe:a9fe is 169.254.169.254 [rfc-6052]), and the deprecated site-local range. Refused whole,
// whatever IPv4 address they embed: an origin has no need of them. (::ffff:0:0/96, the mapped form, is
// judged as the IPv4 address it is, below.)
const embedsIpv4 = new BlockList();
for (const [network, prefix] of [
  ['::', 96], // IPv4-compatible ::a.b.c.d (deprecated)
  ['64:ff9b::', 96], // NAT64 well-known prefix
  ['64:ff9b:1::', 48], // NAT64 local-use prefix
  ['::ffff:0:0:0', 96], // SIIT ::ffff:0:a.b.c.d
  ['2002::', 16], // 6to4
  ['2001::', 32], // Teredo
  ['fec0::', 10], // site-local (deprecated)
  ['100::', 64], // discard-only
] as const) {
  embedsIpv4.addSubnet(network, prefix, 'ipv6');
}

/** Why an IP address may not be an origin, or undefined when it may. */
export function forbiddenAddressReason(address: string): string | undefined {
  const ip = address.replace(/^\[|\]$/g, '');
  const family = isIP(ip);
  if (family === 0) return undefined;
  // An IPv4-mapped address (::ffff:10.0.0.1, ::ffff:a00:1) is judged as the IPv4 address it is: node's
  // BlockList matches IPv4 rules against the mapped form in either notation.
  if (family === 6 && embedsIpv4.check(ip, 'ipv6')) {
    return `${ip} is an IPv6 form that embeds an IPv4 address (IPv4-compatible, NAT64, SIIT, 6to4, Teredo) or a site-local or discard address`;
  }
  return forbidden.check(ip, family === 4 ? 'ipv4' : 'ipv6')
    ? `${ip} is a loopback, private, link-local, unique-local or otherwise internal address`
    : undefined;
}

/** The IP literal of a URL's host, or undefined when the host is a name. */
export function ipLiteral(hostname: string): string | undefined {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return isIP(bare) === 0 ? undefined : bare;
}
