// A fault test's target: the simulator on a loopback port behind a wrapper that plants a fault in the
// requests it lets through, with an SDK client and a bucket `fault` made. Closed after each test.

import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterEach } from 'vitest';
import { createSimulator, type RequestInfo, serveFetch } from '../../simulator/index.ts';
import { sdkClient } from './sdk-client.ts';

/** Rewrites a request on its way in, or returns undefined to let it through untouched. */
type PlantFault = (request: Request) => { request: Request; info?: RequestInfo } | undefined;

/**
 * Registers the file's clean-up and returns a function that starts a faulty simulator: each call
 * serves one, makes its bucket `fault` and answers the SDK client pointed at it.
 */
export function faultyServe(): (plant?: PlantFault) => Promise<S3Client> {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });
  return async (plant) => {
    const simulator = createSimulator({});
    const running = await serveFetch(
      (request, info) => {
        const planted = plant?.(request);
        return planted
          ? simulator.fetch(planted.request, planted.info ?? info)
          : simulator.fetch(request, info);
      },
      { host: '127.0.0.1', port: 0 },
    );
    const s3 = sdkClient(`http://127.0.0.1:${running.port}`);
    closers.push(async () => {
      s3.destroy();
      await running.close();
      await simulator.close();
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'fault' }));
    return s3;
  };
}
