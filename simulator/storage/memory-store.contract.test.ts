// The in-memory store keeps the store contract, each case over a fresh store. It is not persistent, so
// the reopen laws are skipped for it, with that reason.

import { MemoryStore } from './memory-store.ts';
import { storeContract } from './store-contract.ts';

storeContract('MemoryStore', async () => {
  const store = new MemoryStore();
  return { store, cleanup: () => store.close() };
});
