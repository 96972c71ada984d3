// Any endpoint that speaks the spec's neutral API: S3 object calls, and mirror rules written with
// `PUT /_mirrorspec/buckets/{bucket}/mirror`. The suite knows only what the endpoint answers, so what it
// cannot ask (the origin timeout, whether background work is done) comes from the caller. Given keys,
// every request is signed with AWS Signature Version 4, as an S3 SDK signs (a real S3 server such as
// Ceph RGW refuses anything else).

import { setTimeout as sleep } from 'node:timers/promises';
import { ToolError } from '../../errors/tool-error.ts';
import { loadProfile } from '../../spec/profiles.ts';
import { S3Client } from '../client/s3-client.ts';
import { type Keys, sigV4Headers } from '../client/signed-fetch.ts';
import { neutralRuleWriter } from './rule-writer.ts';
import type { Target } from './target.ts';

interface EndpointTargetOptions {
  /** The profile the endpoint claims to follow; default neutral. */
  profile?: string;
  /** How long the endpoint waits for an origin's headers; default 10 s. */
  originTimeoutMs?: number;
  /**
   * Without `POST /_mirrorspec/settle`, how long to wait for background work (async copies, write-backs)
   * before looking at its effects; default 2 s. Each wait is also capped by the law's own bound.
   */
  settleWaitMs?: number;
  /** Sign every request with these keys (SigV4). */
  keys?: Keys;
  /** SigV4's region; default us-east-1, as the AWS SDK's for a custom endpoint. */
  region?: string;
}

/** An S3 client for `endpoint`, signing every request with SigV4 when given keys. */
function endpointClient(endpoint: string, keys?: Keys, region = 'us-east-1'): S3Client {
  if (keys === undefined) return new S3Client(endpoint);
  const origin = new URL(endpoint).origin;
  return new S3Client(endpoint, {
    prepare: async (request) => ({
      ...request,
      headers: {
        ...request.headers,
        ...(await sigV4Headers(
          {
            method: request.method,
            url: `${origin}${request.path}`,
            headers: request.headers ?? {},
            ...(request.body !== undefined ? { body: request.body } : {}),
          },
          keys,
          region,
        )),
      },
    }),
  });
}

export async function startEndpointTarget(
  endpoint: string,
  options: EndpointTargetOptions = {},
): Promise<Target> {
  const profile = loadProfile(options.profile ?? 'neutral');
  const settleWaitMs = options.settleWaitMs ?? 2000;
  const client = endpointClient(endpoint, options.keys, options.region);
  let canSettle: boolean;
  try {
    canSettle = await probeSettle(client);
  } catch (error) {
    await client.close();
    throw new ToolError(
      'MS_TARGET_UNREACHABLE',
      `cannot reach the target at ${endpoint} (${(error as Error).message}): check the URL and that it is running`,
    );
  }
  return {
    name: endpoint,
    endpoint,
    client,
    rules: neutralRuleWriter(client),
    // A signed request cannot carry a law's own Authorization or Date, nor go past the client.
    ...(options.keys !== undefined ? { signed: true } : {}),
    capabilities: {
      profile,
      settle: canSettle,
      maxObjectSize: profile.limits.maxObjectSize,
      originTimeoutMs: options.originTimeoutMs ?? 10_000,
    },
    async settle(timeoutMs) {
      if (!canSettle) {
        // Nothing to ask: wait a bounded while and let the law look at what happened by then.
        await sleep(Math.min(timeoutMs, settleWaitMs));
        return true;
      }
      return client.settle(timeoutMs);
    },
    async close() {
      await client.close();
    },
  };
}

/** Whether the endpoint offers the spec's settle call: a 200 with `{ settled }`. */
async function probeSettle(client: S3Client): Promise<boolean> {
  const result = await client.http.send({ method: 'POST', path: '/_mirrorspec/settle?timeoutMs=0' });
  if (result.status !== 200) return false;
  try {
    return (
      typeof (JSON.parse(Buffer.from(result.body).toString('utf8')) as { settled?: unknown }).settled ===
      'boolean'
    );
  } catch {
    return false;
  }
}
