// The disk store keeps the store contract, each case over a fresh temporary directory, reopened over the
// same directory for the persistence laws.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskStore } from './disk-store.ts';
import type { ObjectStore } from './object-store.ts';
import { storeContract } from './store-contract.ts';

storeContract('DiskStore', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mirrorspec-disk-contract-'));
  let current: ObjectStore = await DiskStore.open(dir);
  return {
    get store() {
      return current;
    },
    reopen: async () => {
      await current.close();
      current = await DiskStore.open(dir);
      return current;
    },
    cleanup: async () => {
      await current.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
