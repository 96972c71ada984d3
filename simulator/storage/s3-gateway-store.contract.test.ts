// The gateway store keeps the store contract, each case over a fresh prefix of a bucket of a real S3
// server on loopback (CI: Ceph RGW). Given by MIRRORSPEC_TEST_S3_ENDPOINT and its keys, as in
// s3-gateway-store.test.ts; without an endpoint the file is skipped, and says so. The reopen laws run
// too: a second store over the same prefix must find everything the first one committed.

import { randomBytes } from 'node:crypto';
import { describe, it } from 'vitest';
import type { ObjectStore } from './object-store.ts';
import { storeContract } from './store-contract.ts';
import { openStore } from './store-url.ts';

const endpoint = process.env.MIRRORSPEC_TEST_S3_ENDPOINT;

async function open(prefix: string): Promise<ObjectStore> {
  return openStore(`s3://mirrorspec-contract/${prefix}/?endpoint=${endpoint}`, {
    MIRRORSPEC_STORE_ACCESS_KEY_ID: process.env.MIRRORSPEC_TEST_S3_ACCESS_KEY,
    MIRRORSPEC_STORE_SECRET_ACCESS_KEY: process.env.MIRRORSPEC_TEST_S3_SECRET_KEY,
  });
}

if (endpoint === undefined) {
  describe('the store contract over the gateway store', () => {
    it.skip('needs MIRRORSPEC_TEST_S3_ENDPOINT: no S3 server to run it against (CI sets it to Ceph RGW on loopback)', () => {});
  });
} else {
  storeContract('S3GatewayStore', async () => {
    const prefix = `c${randomBytes(6).toString('hex')}`;
    let store = await open(prefix);
    return {
      store,
      reopen: async () => {
        await store.close();
        store = await open(prefix);
        return store;
      },
      cleanup: async () => {
        await store.reset();
        await store.close();
      },
    };
  });
}
