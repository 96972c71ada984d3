// Which client headers reach an origin. By default none (OSS, JD, COS: [oss-put][jd-guide][cos-get]).
// Some never do, whatever the rule says: credentials, framing and the bucket's own Host, as OSS and JD
// document for pass-all [oss-put][jd-guide]; we add Cookie unless passed by name (proposed). Every
// vendor's own headers (its signature, security token and switches: the prefixes in its record,
// spec/vendors/<id>/vendor.ts) belong to the bucket and never reach an origin either.

import type { HeaderPolicy } from '../../spec/rules.ts';
import { vendorHeaderPrefixes } from '../../spec/vendors/index.ts';

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
/** S3's own headers, then every vendor's. */
const NEVER_FORWARDED_PREFIXES = ['x-amz-', ...vendorHeaderPrefixes()];
/** The prefixes a rule may not set either: S3's, and those of vendors that refuse them in rules. */
const NEVER_SET_PREFIXES = ['x-amz-', ...vendorHeaderPrefixes('unsettable')];

/** Whether a client header never reaches an origin, whatever the rule says. */
function isNeverForwarded(name: string): boolean {
  const lower = name.toLowerCase();
  return NEVER_FORWARDED.has(lower) || NEVER_FORWARDED_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/** Whether a rule may not set the header for the origin request. */
export function isNeverSet(name: string): boolean {
  const lower = name.toLowerCase();
  return NEVER_FORWARDED.has(lower) || NEVER_SET_PREFIXES.some((prefix) => lower.startsWith(prefix));
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
