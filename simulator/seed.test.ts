// Seeding a simulator through its own fetch: what lands, and what a refusal says.

import { describe, expect, it } from 'vitest';
import { seedSimulator } from './seed.ts';
import { createSimulator } from './simulator.ts';

const read = (simulator: ReturnType<typeof createSimulator>, target: string, headers: HeadersInit = {}) =>
  simulator.fetch(new Request(`http://localhost${target}`, { headers }));

describe('seedSimulator', () => {
  it('creates buckets with their rules and objects', async () => {
    const simulator = createSimulator();
    await seedSimulator(simulator, {
      buckets: {
        photos: {
          rules: [{ id: 'old-site', origins: ['https://old-site.example/'] }],
          objects: { 'a/b c.txt': 'text', 'raw.bin': new Uint8Array([0, 255]) },
        },
        empty: {},
      },
    });
    expect(await (await read(simulator, '/photos/a/b%20c.txt')).text()).toBe('text');
    expect(new Uint8Array(await (await read(simulator, '/photos/raw.bin')).arrayBuffer())).toEqual(
      new Uint8Array([0, 255]),
    );
    const rules = await (await read(simulator, '/_mirrorspec/buckets/photos/mirror')).json();
    expect(rules.rules[0]).toMatchObject({ id: 'old-site', origins: ['https://old-site.example/'] });
    expect((await read(simulator, '/empty?list-type=2')).status).toBe(200);
  });

  it("throws with the simulator's message when a step is refused", async () => {
    const simulator = createSimulator();
    await expect(seedSimulator(simulator, { buckets: { Photos_: {} } })).rejects.toThrow(
      /seeding the bucket 'Photos_' was refused \(400\): /,
    );
    await expect(
      seedSimulator(simulator, {
        buckets: { other: { rules: [{ id: 'loop', origins: ['http://127.0.0.1/'] }] } },
      }),
    ).rejects.toThrow(/seeding the rules of 'other' was refused \(400\): rules\/0\/origins\/0: .*loopback/);
  });

  it('refuses a rule whose origin is the simulator itself at the endpoint given', async () => {
    const simulator = createSimulator();
    const seed = {
      endpoint: 'http://s3.mirrorspec.test',
      buckets: { loop: { rules: [{ id: 'self', origins: ['http://s3.mirrorspec.test/loop/'] }] } },
    };
    await expect(seedSimulator(simulator, seed)).rejects.toThrow(/the rules of 'loop' was refused \(400\)/);
  });

  it('signs every step for a simulator with credentials', async () => {
    const credentials = { accessKeyId: 'AKIDSEED', secretAccessKey: 'seed-secret' };
    const simulator = createSimulator({ credentials });
    await expect(seedSimulator(simulator, { buckets: { open: {} } })).rejects.toThrow('(403)');
    await seedSimulator(simulator, {
      credentials,
      buckets: { locked: { objects: { 'k/1.txt': 'signed' } } },
    });
    expect((await read(simulator, '/locked/k/1.txt')).status).toBe(403);
  });
});
