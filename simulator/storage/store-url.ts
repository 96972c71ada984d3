// The store a URL names, for `mirrorspec serve --store <url>`:
//
//   memory:                                   the in-memory store (the default)
//   s3://<bucket>[/<prefix>/]?endpoint=<url>&region=<name>
//                                             the gateway store (s3-gateway-store.ts) over that bucket of
//                                             an S3 server; everything it writes is under <prefix>/, and
//                                             reset deletes everything there: give it a bucket or prefix
//                                             of its own. The endpoint defaults to AWS's, the region to
//                                             us-east-1; the bucket is created if missing.
//
// The gateway's keys come from MIRRORSPEC_STORE_ACCESS_KEY_ID and MIRRORSPEC_STORE_SECRET_ACCESS_KEY, or
// else from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN if set): the store's own
// names first, so the keys of the backing store and those of `check`'s target (MIRRORSPEC_ACCESS_KEY_ID)
// never mix.

import { ToolError } from '../../errors/tool-error.ts';
import { MemoryStore } from './memory-store.ts';
import type { ObjectStore } from './object-store.ts';

export const STORE_URL_FORMS = 'memory: or s3://<bucket>[/<prefix>/]?endpoint=<url>&region=<name>';

interface GatewayUrl {
  bucket: string;
  prefix: string;
  endpoint?: string;
  region: string;
}

/** Opens the store `url` names; a ToolError (MS_USAGE, MS_CREDENTIALS, MS_TARGET_UNREACHABLE) if it cannot. */
export async function openStore(
  url: string | undefined,
  env: Record<string, string | undefined> = process.env,
  /** The in-memory store's bound in bytes (--max-memory); its default when undefined. */
  maxMemory?: number,
): Promise<ObjectStore> {
  if (url === undefined || url === '' || url === 'memory:')
    return new MemoryStore(maxMemory === undefined ? {} : { maxBytes: maxMemory });
  const gateway = parseGatewayUrl(url);
  const credentials = gatewayCredentials(env);
  const { openGatewayStore } = await import('./s3-gateway-open.ts');
  return openGatewayStore(gateway, credentials);
}

function parseGatewayUrl(url: string): GatewayUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usage(`'${url}' is not a URL`);
  }
  if (parsed.protocol !== 's3:') throw usage(`'${parsed.protocol}' stores are not known`);
  const bucket = parsed.hostname;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
    throw usage(`'${bucket}' is not an S3 bucket name (3 to 63 of a-z, 0-9, '.', '-')`);
  const path = decodeURIComponent(parsed.pathname.replace(/^\/+/, ''));
  const prefix = path === '' || path.endsWith('/') ? path : `${path}/`;
  const known = new Set(['endpoint', 'region']);
  for (const name of parsed.searchParams.keys())
    if (!known.has(name)) throw usage(`unknown parameter '${name}' (known: endpoint, region)`);
  const endpoint = parsed.searchParams.get('endpoint') ?? undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^/?#]+\/?$/.test(endpoint))
    throw usage(`endpoint must be http(s)://host[:port], got '${endpoint}'`);
  const region = parsed.searchParams.get('region') ?? 'us-east-1';
  if (!/^[a-z0-9-]{1,63}$/.test(region)) throw usage(`region must be a name like us-east-1, got '${region}'`);
  return { bucket, prefix, region, ...(endpoint !== undefined ? { endpoint } : {}) };
}

function gatewayCredentials(env: Record<string, string | undefined>) {
  const own = [env.MIRRORSPEC_STORE_ACCESS_KEY_ID, env.MIRRORSPEC_STORE_SECRET_ACCESS_KEY];
  const aws = [env.AWS_ACCESS_KEY_ID, env.AWS_SECRET_ACCESS_KEY];
  const [accessKeyId, secretAccessKey] = own[0] || own[1] ? own : aws;
  if (!accessKeyId || !secretAccessKey)
    throw new ToolError(
      'MS_CREDENTIALS',
      'an s3:// store needs keys: set MIRRORSPEC_STORE_ACCESS_KEY_ID and MIRRORSPEC_STORE_SECRET_ACCESS_KEY ' +
        '(or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)',
    );
  const sessionToken = own[0] || own[1] ? undefined : env.AWS_SESSION_TOKEN;
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

function usage(problem: string): ToolError {
  return new ToolError('MS_USAGE', `--store: ${problem}; use ${STORE_URL_FORMS}`);
}

export type { GatewayUrl };
