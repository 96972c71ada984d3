// Heap per object of the in-memory store: 100,000 objects of 1 KiB written through the store's own
// interface, heap measured after a full collection before and after. A measurement, printed, not a test
// with a bound on time. Run: `node --expose-gc --import tsx tools/bench/memory-per-object.ts`.

import { MemoryStore } from '../../simulator/storage/memory-store.ts';

const OBJECTS = 100_000;
const SIZE = 1024;

function collected(): NodeJS.MemoryUsage {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  for (let round = 0; round < 3; round++) gc();
  return process.memoryUsage();
}

const store = new MemoryStore();
await store.createBucket('b');
const body = new Uint8Array(SIZE).fill(7);
const before = collected();
for (let index = 0; index < OBJECTS; index++) {
  const writer = await store.beginWrite('b', `objects/${index.toString().padStart(6, '0')}.bin`, {
    expectedSize: SIZE,
  });
  await writer.write(body);
  await writer.commit({ contentType: 'application/octet-stream', userMetadata: {}, acl: 'private' });
}
const after = collected();
const perObject = (field: 'heapUsed' | 'external' | 'arrayBuffers') =>
  Math.round((after[field] - before[field]) / OBJECTS);
process.stdout.write(
  `${OBJECTS} objects of ${SIZE} bytes: heapUsed ${perObject('heapUsed')} B/object, ` +
    `external ${perObject('external')} B/object (arrayBuffers ${perObject('arrayBuffers')}), ` +
    `heap + external ${perObject('heapUsed') + perObject('external')} B/object\n`,
);
// Keeps the store reachable until after the measurement.
if ((await store.head('b', 'objects/000000.bin')) === undefined) throw new Error('nothing was stored');
