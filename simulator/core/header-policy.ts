// Which client headers reach an origin. By default none (OSS, JD, COS: [oss-put][jd-guide][cos-get]).
// Some never do, whatever the rule says: credentials, framing and the bucket's own Host, as OSS and JD
// document for pass-all [oss-put][jd-guide]; we add Cookie unless passed by name (proposed).

import type { HeaderPolicy } from '../../spec/rules.ts';

const NEVER_FORWARDED = new Set([
  'authorization',
  'authorization2',
  'proxy-authorization',
  'range',
  'date',
  'content-length',
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'http2-settings',
]);
const NEVER_FORWARDED_PREFIXES = ['x-amz-', 'x-oss-', 'oss-', 'x-drs-'];

export function isNeverForwarded(name: string): boolean {
  const lower = name.toLowerCase();
  return NEVER_FORWARDED.has(lower) || NEVER_FORWARDED_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/** The headers to send to the origin. Precedence: set > remove > pass-all / pass. */
export function originRequestHeaders(
  policy: HeaderPolicy | undefined,
  clientHeaders: Iterable<[string, string]>,
): Record<string, string> {
  const out: Record<string, string> = {};
  const pass = new Set((policy?.pass ?? []).map((name) => name.toLowerCase()));
  const remove = new Set((policy?.remove ?? []).map((name) => name.toLowerCase()));
  for (const [name, value] of clientHeaders) {
    const lower = name.toLowerCase();
    if (isNeverForwarded(lower) || remove.has(lower)) continue;
    if (lower === 'cookie' ? pass.has(lower) : policy?.passAll === true || pass.has(lower))
      out[lower] = value;
  }
  for (const { name, value } of policy?.set ?? []) out[name.toLowerCase()] = value;
  return out;
}
