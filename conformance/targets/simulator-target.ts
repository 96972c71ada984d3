// The default target: a real simulator server on an ephemeral loopback port, started through the
// simulator's public entry only.

import { DEFAULT_MAX_OBJECT_SIZE, startSimulator } from '../../simulator/index.ts';
import { S3Client } from '../client/s3-client.ts';
import type { Target } from './target.ts';

/** Short, so failure laws run quickly; still far above a loopback origin's answer time. */
const ORIGIN_TIMEOUT_MS = 500;

export async function startSimulatorTarget(): Promise<Target> {
  const running = await startSimulator({
    host: '127.0.0.1',
    port: 0,
    // The suite's origins run on loopback, which a simulator refuses by default.
    allowPrivateOrigins: true,
    originTimeouts: {
      connectMs: ORIGIN_TIMEOUT_MS,
      headersMs: ORIGIN_TIMEOUT_MS,
      bodyIdleMs: ORIGIN_TIMEOUT_MS,
    },
  });
  const client = new S3Client(running.endpoint);
  return {
    name: 'simulator',
    endpoint: running.endpoint,
    client,
    capabilities: {
      settle: true,
      maxObjectSize: DEFAULT_MAX_OBJECT_SIZE,
      originTimeoutMs: ORIGIN_TIMEOUT_MS,
    },
    async settle(timeoutMs) {
      const result = await client.http.send({
        method: 'POST',
        path: `/_mirrorspec/settle?timeoutMs=${timeoutMs}`,
      });
      return (JSON.parse(Buffer.from(result.body).toString('utf8')) as { settled: boolean }).settled;
    },
    async close() {
      await client.close();
      await running.close();
    },
  };
}
