// A mirror must never fetch from itself: every miss would be another miss, and a key rewrite that
// lengthens the key turns one GET into a thousand connections. These laws start simulators of their own,
// on loopback, with private origins allowed as the rest of the suite has them: what refuses the loop is
// the simulator's knowledge of itself, not its address policy.

import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { keyArb } from '../arbitraries/keys.ts';
import { errorCode } from '../client/http-client.ts';
import { createPrepush, parseResultCsv, waitForJob } from '../client/prepush-calls.ts';
import { behaviour } from '../support/behaviour.ts';
import { expectMirrorFailed, rule } from '../support/mirror-laws.ts';
import { startSimulatorTarget } from '../targets/simulator-target.ts';
import type { Target } from '../targets/target.ts';

/** A plain HTTP forwarder on loopback in front of a target: a port forward no address check sees. */
interface Forwarder {
  url: string;
  /** Requests it has forwarded, as `METHOD path`. */
  seen: string[];
  close(): Promise<void>;
}

async function startForwarder(to: string): Promise<Forwarder> {
  const target = new URL(to);
  const seen: string[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    seen.push(`${incoming.method} ${incoming.url}`);
    const forwarded = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let first: Target;
let second: Target;
let toFirst: Forwarder;

beforeAll(async () => {
  [first, second] = await Promise.all([startSimulatorTarget(), startSimulatorTarget()]);
  toFirst = await startForwarder(first.endpoint);
});
afterAll(async () => {
  await Promise.all([first?.close(), second?.close(), toFirst?.close()]);
});

async function bucketOn(target: Target): Promise<string> {
  const name = `self-${Math.random().toString(36).slice(2, 10)}`;
  expect((await target.client.createBucket(name)).status).toBe(200);
  return name;
}

/** A rule that asks the origin for `x<key>`: a loop through it never asks for the same key twice. */
const lengthening = (id: string, origin: string) =>
  rule(id, [origin], { keyRewrite: { replaceKeyWith: 'x${key}' } });

async function putRules(target: Target, bucket: string, rules: unknown[]) {
  return target.client.putMirror(bucket, { rules });
}

describe('the simulator knows itself', () => {
  behaviour(
    'ssrf.self-address-refused',
    'a rule naming the simulator by another of its addresses or names is refused, and a name that resolves to it fails without a connection',
    async () => {
      const port = new URL(first.endpoint).port;
      const aliasArb = fc.constantFrom(
        '0.0.0.0',
        '[::]',
        '[::ffff:127.0.0.1]',
        '[::ffff:7f00:1]',
        '[0:0:0:0:0:ffff:127.0.0.1]',
        hostname(),
      );
      await fc.assert(
        fc.asyncProperty(aliasArb, fc.constantFrom('/', '/b/', 'own'), async (alias, path) => {
          const bucket = await bucketOn(first);
          const kept = { rules: [rule('public', ['http://origin.invalid/'])] };
          expect((await first.client.putMirror(bucket, kept)).status).toBe(200);
          const before = Buffer.from((await first.client.getMirror(bucket)).body).toString();
          const origin = `http://${alias}:${port}${path === 'own' ? `/${bucket}/` : path}`;
          const refused = await putRules(first, bucket, [lengthening('self', origin)]);
          expect(refused.status, origin).toBe(400);
          expect(errorCode(refused)).toBe('InvalidMirrorConfiguration');
          expect(Buffer.from(refused.body).toString()).toContain('is this simulator itself');
          expect(Buffer.from((await first.client.getMirror(bucket)).body).toString()).toBe(before);
        }),
        { numRuns: 30 },
      );

      // localhost at the root names no bucket, so the rule is written; every fetch through it is refused.
      await fc.assert(
        fc.asyncProperty(keyArb, async (key) => {
          const bucket = await bucketOn(first);
          const origin = `http://localhost:${port}/`;
          expect((await putRules(first, bucket, [lengthening('root', origin)])).status).toBe(200);
          const result = await first.client.getObject(bucket, key);
          expectMirrorFailed(result);
          expect(Buffer.from(result.body).toString()).toContain('is this simulator itself');
        }),
        { numRuns: 20 },
      );
    },
  );

  behaviour(
    'ssrf.loop-refused',
    'a mirror fetch that comes back through a forwarder or another simulator is refused on arrival: one request goes round',
    async () => {
      await fc.assert(
        fc.asyncProperty(keyArb, fc.constantFrom('get', 'prepush', 'ring'), async (key, way) => {
          const bucket = await bucketOn(first);
          const seenBefore = toFirst.seen.length;
          if (way === 'ring') {
            // first -> second -> (forwarder) -> first: the request back names both simulators.
            const other = await bucketOn(second);
            const back = [rule('back', [`${toFirst.url}/${bucket}/`])];
            expect((await putRules(second, other, back)).status).toBe(200);
            const on = [lengthening('on', `${second.endpoint}/${other}/`)];
            expect((await putRules(first, bucket, on)).status).toBe(200);
          } else {
            const round = [lengthening('round', `${toFirst.url}/${bucket}/`)];
            expect((await putRules(first, bucket, round)).status).toBe(200);
          }
          if (way === 'prepush') {
            // A template line is one key: a plain one, whatever the property's key holds.
            const created = await createPrepush(first.client.http, bucket, 'looping-entry\n');
            expect(created.status, Buffer.from(created.body).toString()).toBe(202);
            const { id } = JSON.parse(Buffer.from(created.body).toString()) as { id: string };
            const job = await waitForJob(first.client.http, bucket, id);
            const result = await first.client.getObject(bucket, job.resultKey);
            const outcomes = parseResultCsv(Buffer.from(result.body).toString()).map((row) => row[3]);
            expect(outcomes).toEqual(['failed']);
          } else {
            expectMirrorFailed(await first.client.getObject(bucket, key));
          }
          // Exactly one request went round, through the forwarder back to the first simulator.
          expect(toFirst.seen.length - seenBefore).toBe(1);
        }),
        { numRuns: 20 },
      );
    },
  );
});
