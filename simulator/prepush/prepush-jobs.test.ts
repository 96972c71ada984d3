// What the simulator tells its host of pre-push jobs running (SimulatorOptions.onPrepushJobs): `serve`
// keeps the heap tight only while one runs, so a count that never returns to 0 would keep it tight for
// good, and one that misses a start would leave a long job's garbage to pile up.

import { afterEach, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../index.ts';

let simulator: Simulator | undefined;

afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function send(sim: Simulator, method: string, path: string, body?: string): Promise<Response> {
  return sim.fetch(new Request(`http://127.0.0.1:9000${path}`, { method, ...(body ? { body } : {}) }));
}

async function settled(sim: Simulator, counts: number[]): Promise<void> {
  expect(await sim.settle(10_000), 'the jobs ended').toBe(true);
  expect(counts.at(-1), `counts heard: ${counts.join(', ')}`).toBe(0);
}

describe('pre-push jobs as the host hears of them', () => {
  it('counts each list from its spooling to the end of its run, and a refused list not at all', async () => {
    const counts: number[] = [];
    const sim = createSimulator({ onPrepushJobs: (running) => counts.push(running) });
    simulator = sim;
    expect((await send(sim, 'PUT', '/jobs')).status).toBe(200);
    // Two lists at once (their entries name no rule, so each ends at once), then a third alone.
    const [first, second] = await Promise.all([
      send(sim, 'POST', '/_mirrorspec/buckets/jobs/prepush', 'a.txt\n'),
      send(sim, 'POST', '/_mirrorspec/buckets/jobs/prepush', 'b.txt\n'),
    ]);
    expect([first.status, second.status]).toEqual([202, 202]);
    await settled(sim, counts);
    expect(Math.max(...counts), 'both counted at once').toBe(2);
    const third = await send(sim, 'POST', '/_mirrorspec/buckets/jobs/prepush', 'c.txt\n');
    expect(third.status).toBe(202);
    await settled(sim, counts);
    // A list refused while it is spooled (no such bucket) is counted and given back.
    const refused = await send(sim, 'POST', '/_mirrorspec/buckets/none/prepush', 'd.txt\n');
    expect(refused.status).toBe(404);
    expect(counts.every((count) => count >= 0 && count <= 2)).toBe(true);
    expect(counts.at(-1)).toBe(0);
    expect(counts.filter((count, i) => count > (counts[i - 1] ?? 0)).length, 'every start heard').toBe(
      counts.filter((count, i) => count < (counts[i - 1] ?? 0)).length,
    );
  });
});
