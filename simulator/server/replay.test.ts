import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeSha256 } from '../protocol/auth/node-sha256.ts';
import { createSimulator, type Simulator } from '../simulator.ts';
import { DiskStore } from '../storage/disk-store.ts';
import { type RunningServer, serve } from './node-adapter.ts';
import type { ReplaySource } from './replay.ts';

// The law of replayed answers: a server that replays reads answers every request as the fetch function
// alone would answer it at that moment. Checked against a second simulator that gets the same requests in
// process, where nothing is ever replayed, after any sequence of writes, deletes, ACL changes and bucket
// changes, with anonymous and signed reads repeated so that replays happen.

const KEYS = { accessKeyId: 'AKIDREPLAY', secretAccessKey: 'replay-secret' };
const signer = new SignatureV4({
  credentials: KEYS,
  region: 'us-east-1',
  service: 's3',
  sha256: NodeSha256,
  uriEscapePath: false,
});

interface Sent {
  readonly method: string;
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signed: boolean;
}

/** A served simulator with its handler's calls counted, beside the same simulator in process. */
interface Pair {
  served: RunningServer;
  simulator: Simulator;
  reference: Simulator;
  calls: number;
}

async function pair(replay: (simulator: Simulator) => ReplaySource): Promise<Pair> {
  const simulator = createSimulator({ credentials: KEYS });
  const reference = createSimulator({ credentials: KEYS });
  const handle: Pair = { served: undefined as unknown as RunningServer, simulator, reference, calls: 0 };
  handle.served = await serve(
    (request, info) => {
      handle.calls++;
      return simulator.fetch(request, info);
    },
    { host: '127.0.0.1', port: 0, replay: replay(simulator) },
  );
  return handle;
}

async function close(handle: Pair): Promise<void> {
  await handle.served.close();
  await handle.simulator.close();
  await handle.reference.close();
}

/** The request's headers, signed for this host when it is a signed one. */
async function headersOf(sent: Sent, host: string): Promise<Record<string, string>> {
  const headers = { host, ...sent.headers };
  if (!sent.signed) return headers;
  const signed = await signer.sign({
    method: sent.method,
    protocol: 'http:',
    hostname: host.split(':')[0] as string,
    port: Number(host.split(':')[1]),
    path: sent.path,
    query: sent.query ?? {},
    headers: { ...headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  });
  return signed.headers;
}

/** What must be the same in both answers: everything but the request id, the date and the body's framing. */
async function observed(response: Response) {
  const body = await response.text();
  return {
    status: response.status,
    // An error's body names its request id; its code is what the client reads.
    body: response.ok ? body : /<Code>([^<]*)<\/Code>/.exec(body)?.[1],
    etag: response.headers.get('etag'),
    type: response.headers.get('content-type'),
    length: response.ok ? response.headers.get('content-length') : null,
    range: response.headers.get('content-range'),
  };
}

async function sendBoth(handle: Pair, sent: Sent) {
  const host = `127.0.0.1:${handle.served.port}`;
  const target = `${sent.path}${sent.query ? `?${new URLSearchParams(sent.query)}` : ''}`;
  const headers = await headersOf(sent, host);
  const init = { method: sent.method, headers, ...(sent.body === undefined ? {} : { body: sent.body }) };
  const served = await fetch(`http://${host}${target}`, init);
  const reference = await handle.reference.fetch(new Request(`http://${host}${target}`, init), { target });
  return {
    served: await observed(served),
    reference: await observed(reference),
    requestId: served.headers.get('x-amz-request-id'),
  };
}

const key = fc.constantFrom('a', 'b', 'c');
const acl = fc.constantFrom('private', 'public-read');
const change: fc.Arbitrary<readonly Sent[]> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record({ key, body: fc.string({ maxLength: 12 }), acl })
      .map(({ key, body, acl }) => [
        { method: 'PUT', path: `/bkt/${key}`, headers: { 'x-amz-acl': acl }, body, signed: true },
      ]),
  },
  { weight: 2, arbitrary: key.map((key) => [{ method: 'DELETE', path: `/bkt/${key}`, signed: true }]) },
  {
    weight: 1,
    arbitrary: acl.map((acl) => [
      { method: 'PUT', path: '/bkt', query: { acl: '' }, headers: { 'x-amz-acl': acl }, signed: true },
    ]),
  },
  {
    weight: 1,
    arbitrary: fc.constant([
      { method: 'DELETE', path: '/bkt', signed: true },
      { method: 'PUT', path: '/bkt', signed: true },
    ]),
  },
);
/** A read, repeated so that the later ones may be replays. */
const read: fc.Arbitrary<readonly Sent[]> = fc
  .record({
    key,
    method: fc.constantFrom('GET', 'HEAD'),
    signed: fc.boolean(),
    headers: fc.constantFrom<Record<string, string>>({}, { range: 'bytes=1-3' }, { 'if-none-match': '*' }),
    times: fc.integer({ min: 1, max: 3 }),
  })
  .map(({ key, method, signed, headers, times }) =>
    Array.from({ length: times }, () => ({ method, path: `/bkt/${key}`, headers, signed })),
  );
/** A change, then reads that may see it. */
const step: fc.Arbitrary<readonly Sent[]> = fc
  .tuple(change, fc.array(read, { minLength: 1, maxLength: 3 }))
  .map(([made, reads]) => [...made, ...reads.flat()]);

/** Runs the law; resolves to fast-check's verdict, with the number of replays seen. */
async function checkLaw(replay: (simulator: Simulator) => ReplaySource, numRuns?: number) {
  let replays = 0;
  const verdict = await fc.check(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
      const handle = await pair(replay);
      try {
        let requests = 0;
        const ids = new Set<string | null>();
        for (const sent of [{ method: 'PUT', path: '/bkt', signed: true }, ...steps.flat()]) {
          const { served, reference, requestId } = await sendBoth(handle, sent);
          requests++;
          expect(served).toEqual(reference);
          // A replayed answer carries its own request id, as every answer does.
          expect(ids.has(requestId)).toBe(false);
          ids.add(requestId);
        }
        replays += requests - handle.calls;
      } finally {
        await close(handle);
      }
    }),
    // The broken source's run stops at its first counterexample: its shrinking would prove nothing more.
    numRuns === undefined ? {} : { numRuns, endOnFailure: true },
  );
  return { verdict, replays };
}

describe('replayed reads', () => {
  let origin: Server;
  let originPort: number;
  let originHits = 0;
  beforeAll(async () => {
    origin = createServer((_req, res) => {
      originHits++;
      res.end(`origin answer ${originHits}`);
    });
    await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
    originPort = (origin.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => origin.close(() => resolve())));

  it('answer every request as the fetch function would answer it then, after any writes, deletes and ACL changes', async () => {
    const { verdict, replays } = await checkLaw((simulator) => simulator.replay);
    expect(verdict.failed, fc.defaultReportMessage(verdict)).toBe(false);
    // Without replays the law would hold of any server.
    expect(replays).toBeGreaterThan(0);
  });

  it('are caught answering stale by the same law when the version misses a change', async () => {
    // A deliberately broken source: it never sees a change, so replays outlive writes and deletes.
    const { verdict } = await checkLaw((simulator) => ({ ...simulator.replay, version: () => 0 }), 50);
    expect(verdict.failed).toBe(true);
  });

  it('never replay a miss: every GET of a key mirrored without write-back reaches the origin', async () => {
    const simulator = createSimulator({ allowPrivateOrigins: true });
    const served = await serve((request, info) => simulator.fetch(request, info), {
      host: '127.0.0.1',
      port: 0,
      replay: simulator.replay,
    });
    try {
      const at = `http://127.0.0.1:${served.port}`;
      await fetch(`${at}/mir`, { method: 'PUT' });
      const origins = [`http://127.0.0.1:${originPort}/`];
      const configured = await fetch(`${at}/_mirrorspec/buckets/mir/mirror`, {
        method: 'PUT',
        body: JSON.stringify({ rules: [{ id: 'all', origins, writeBack: false }] }),
      });
      expect(configured.status).toBe(200);
      const before = originHits;
      const bodies = [];
      for (let i = 0; i < 3; i++) bodies.push(await (await fetch(`${at}/mir/k`)).text());
      expect(originHits - before).toBe(3);
      expect(new Set(bodies).size).toBe(3);
    } finally {
      await served.close();
      await simulator.close();
    }
  });

  it('are never made over a store that does not count its changes (one other processes may write to)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mirrorspec-replay-'));
    const simulator = createSimulator({ store: await DiskStore.open(dir) });
    let calls = 0;
    const served = await serve(
      (request, info) => {
        calls++;
        return simulator.fetch(request, info);
      },
      { host: '127.0.0.1', port: 0, replay: simulator.replay },
    );
    try {
      const at = `http://127.0.0.1:${served.port}`;
      await fetch(`${at}/dsk`, { method: 'PUT' });
      await fetch(`${at}/dsk/k`, { method: 'PUT', body: 'stored' });
      for (let i = 0; i < 3; i++) expect(await (await fetch(`${at}/dsk/k`)).text()).toBe('stored');
      expect(simulator.replay.version()).toBeUndefined();
      expect(calls).toBe(5);
    } finally {
      await served.close();
      await simulator.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
