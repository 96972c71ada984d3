// The adapters for real vendor endpoints, run against a simulator started with credentials in the
// vendor's profile: the same code as a real run (the vendor's rule API, its SDK or signature, its bucket
// addressing, the clean-up), only the network address differs.

import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../simulator/index.ts';
import type { DialectId } from '../spec/vendors/index.ts';
import { dialectIds, vendorFor } from '../spec/vendors/index.ts';
import { type ScriptableOrigin, startOrigin } from './origin/scriptable-origin.ts';
import { startVendorTarget } from './targets/vendor-target.ts';

const KEYS = { accessKeyId: 'VENDORKEY', secretAccessKey: 'vendor-secret' };

/** ali-oss resolves `<bucket>.localhost` itself; this sandbox's resolver knows only `localhost`. */
const loopback = new Agent({
  lookup: (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
  },
});

let origin: ScriptableOrigin;
beforeAll(async () => {
  origin = await startOrigin();
});
afterAll(async () => {
  await origin.close();
  loopback.destroy();
});

describe.each(dialectIds)('the %s adapter', (dialect: DialectId) => {
  let simulator: RunningSimulator;
  const { region } = vendorFor(dialect);
  beforeAll(async () => {
    // The adapter signs SigV4 for the vendor's region; the simulator's must be the same.
    const signed =
      region.kind === 'required' ? region.example : region.kind === 'default' ? region.value : undefined;
    simulator = await startSimulator({
      profile: dialect,
      credentials: KEYS,
      allowPrivateOrigins: true,
      ...(signed ? { region: signed } : {}),
    });
  });
  afterAll(() => simulator.close());

  const adapter = (secretAccessKey = KEYS.secretAccessKey) =>
    startVendorTarget(`http://localhost:${simulator.port}`, {
      dialect,
      keys: { ...KEYS, secretAccessKey },
      rulesEndpoint: `http://localhost:${simulator.port}`,
      // A vendor with no default region (COS) is given the example its record names.
      ...(region.kind === 'required' ? { region: region.example } : {}),
      agent: loopback,
    });

  it('configures a rule through the vendor API, mirrors a missing key, and removes what it made', async () => {
    const target = await adapter();
    const bucket = `vendor-${dialect}`;
    origin.scriptPrefix(`/${dialect}`, { body: `from the ${dialect} origin` });
    expect((await target.client.createBucket(bucket)).status).toBe(200);
    const put = await target.rules.put(bucket, [
      { id: 'all', origins: [`${origin.url}/${dialect}`], condition: { keyPrefix: 'img/' } },
    ]);
    expect(put.status, Buffer.from(put.body).toString('utf8')).toBeOneOf([200, 201]);

    const first = await target.client.getObject(bucket, 'img/a.png');
    expect(first.status, Buffer.from(first.body).toString('utf8')).toBe(200);
    expect(Buffer.from(first.body).toString('utf8')).toBe(`from the ${dialect} origin`);
    expect((await target.client.getObject(bucket, 'img/a.png')).status).toBe(200);
    expect(origin.requestsUnder(`/${dialect}`)).toHaveLength(1);
    expect((await target.client.getObject(bucket, 'doc/a.png')).status).toBe(404);

    await target.close();
    const check = await adapter();
    expect((await check.client.listObjects(bucket)).status, 'the bucket is gone').toBe(404);
    await check.close();
  });

  it('is refused with a wrong secret, and changes nothing', async () => {
    const target = await adapter('not-the-secret');
    const bucket = `refused-${dialect}`;
    expect((await target.client.createBucket(bucket)).status).toBe(403);
    const put = await target.rules.put(bucket, [{ id: 'all', origins: [`${origin.url}/x`] }]);
    expect(put.status).toBe(403);
    await target.close();
  });
});
