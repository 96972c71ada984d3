// Any endpoint that speaks the spec's neutral API: S3 object calls, and mirror rules written with
// `PUT /_mirrorspec/buckets/{bucket}/mirror`. The suite knows only what the endpoint answers, so what it
// cannot ask (the origin timeout, whether background work is done) comes from the caller.

import { setTimeout as sleep } from 'node:timers/promises';
import { ToolError } from '../../errors/tool-error.ts';
import { loadProfile } from '../../spec/profiles.ts';
import { S3Client } from '../client/s3-client.ts';
import { neutralRuleWriter } from './rule-writer.ts';
import type { Target } from './target.ts';

export interface EndpointTargetOptions {
  /** The profile the endpoint claims to follow; default neutral. */
  profile?: string;
  /** How long the endpoint waits for an origin's headers; default 10 s. */
  originTimeoutMs?: number;
  /**
   * Without `POST /_mirrorspec/settle`, how long to wait for background work (async copies, write-backs)
   * before looking at its effects; default 2 s. Each wait is also capped by the law's own bound.
   */
  settleWaitMs?: number;
}

export async function startEndpointTarget(
  endpoint: string,
  options: EndpointTargetOptions = {},
): Promise<Target> {
  const profile = loadProfile(options.profile ?? 'neutral');
  const settleWaitMs = options.settleWaitMs ?? 2000;
  const client = new S3Client(endpoint);
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
