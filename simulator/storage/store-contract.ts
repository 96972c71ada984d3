// One contract every object store passes, in the manner of hono's router `common.case.test.ts`: a store's
// test file calls `storeContract(name, open)` and gets every law as a test case, each over a fresh store.
// The laws themselves are plain functions (store-contract-checks.ts, store-contract-properties.ts), so
// store-contract.test.ts can run them against deliberately broken stores and show that each can fail.

import { describe, it } from 'vitest';
import type { ObjectStore } from './object-store.ts';
import {
  aclAndConfigurationLaw,
  bucketsLaw,
  commitAtomicityLaw,
  concurrentWritersLaw,
  etagOptionLaw,
  generationsLaw,
  ifGenerationLaw,
  metadataLaw,
  resetLaw,
  type StoreLaw,
} from './store-contract-checks.ts';
import {
  awkwardKeysLaw,
  generationsAcrossReopenLaw,
  listOrderLaw,
  rangesLaw,
  survivesReopenLaw,
} from './store-contract-properties.ts';

/** A store under test, opened afresh for each law over empty data. */
export interface StoreUnderTest {
  store: ObjectStore;
  /** For a persistent store: closes it and opens it again over the same data. */
  reopen?: () => Promise<ObjectStore>;
  /** Closes what is open and removes the data. */
  cleanup(): Promise<void>;
}

/** Every store's laws, by the sentence each test case is titled with. */
export const STORE_LAWS: readonly [string, StoreLaw][] = [
  ['a bucket is created once, listed in name order, and deleted only when empty', bucketsLaw],
  ['bucket ACLs and mirror configurations read back as set', aclAndConfigurationLaw],
  ['nothing is visible before commit, and an abort leaves nothing', commitAtomicityLaw],
  ['of two concurrent writers of a key, the last commit wins whole', concurrentWritersLaw],
  ["a key's generation changes on every write and delete, and only then", generationsLaw],
  ['a commit with ifGeneration is refused after a PUT or DELETE in between', ifGenerationLaw],
  ['the etag option replaces the MD5 (a multipart -N ETag)', etagOptionLaw],
  ['every metadata field reads back as committed, with a lastModified of the commit', metadataLaw],
  ['reset deletes everything, and a write begun before it commits nothing', resetLaw],
  ['objects of any size read back whole and in any range', rangesLaw],
  ['list answers the live keys in UTF-8 byte order, by prefix, startAfter and limit', listOrderLaw],
  ['keys of any characters round-trip without escaping the store', awkwardKeysLaw],
];

/** The laws of a persistent store (one whose StoreUnderTest has `reopen`). */
export const PERSISTENT_LAWS: readonly [string, StoreLaw][] = [
  [
    'buckets, configurations, objects and generations survive a reopen; uncommitted writes do not',
    survivesReopenLaw,
  ],
  ['a generation handed out before a reopen is never handed out again', generationsAcrossReopenLaw],
];

async function withStore(open: () => Promise<StoreUnderTest>, law: StoreLaw): Promise<void> {
  const subject = await open();
  try {
    await law(subject);
  } finally {
    await subject.cleanup();
  }
}

/** Registers the store contract's test cases for the store that `open` opens afresh for each case. */
export function storeContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`${name} keeps the store contract`, () => {
    for (const [title, law] of STORE_LAWS) it(title, () => withStore(open, law));
    for (const [title, law] of PERSISTENT_LAWS) {
      it(`${title} (persistent stores)`, async (context) => {
        const subject = await open();
        try {
          if (subject.reopen === undefined) {
            context.skip(`${name} is not persistent: its StoreUnderTest has no reopen`);
            return;
          }
          await law(subject);
        } finally {
          await subject.cleanup();
        }
      });
    }
  });
}
