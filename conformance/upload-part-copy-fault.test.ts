// s3.upload-part-copy can fail: its judgement, run against simulators with a planted fault (a copy that
// ignores x-amz-copy-source-range, one that ignores the copy source conditions), must reject; against the
// simulator as it is, it passes.

import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulator, serveFetch } from '../simulator/index.ts';
import { judgeUploadPartCopy, sdkClient } from './support/upload-part-copy-calls.ts';

const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A simulator whose UploadPart copies lose the named request headers on the way in. */
async function simulatorDropping(dropped: readonly string[]) {
  const simulator = createSimulator({});
  const running = await serveFetch(
    (request, info) => {
      const isPartCopy = request.headers.has('x-amz-copy-source') && request.url.includes('partNumber=');
      if (!isPartCopy || dropped.length === 0) return simulator.fetch(request, info);
      const headers = new Headers(request.headers);
      for (const name of dropped) headers.delete(name);
      return simulator.fetch(new Request(request, { headers }), info);
    },
    { host: '127.0.0.1', port: 0 },
  );
  const s3 = sdkClient(`http://127.0.0.1:${running.port}`);
  await s3.send(new CreateBucketCommand({ Bucket: 'fault' }));
  closers.push(async () => {
    s3.destroy();
    await running.close();
    await simulator.close();
  });
  return s3;
}

const sample = { extra: 1000, offset: 500, last: { start: 10, end: 99 } };

describe('the UploadPartCopy law catches planted faults', () => {
  it('passes against the simulator as it is', async () => {
    await judgeUploadPartCopy(await simulatorDropping([]), 'fault', sample);
  });

  it('fails when the copy ignores x-amz-copy-source-range (the part is the whole source)', async () => {
    const s3 = await simulatorDropping(['x-amz-copy-source-range']);
    await expect(judgeUploadPartCopy(s3, 'fault', sample)).rejects.toThrow(
      /the ranged part is the MD5 of those bytes/,
    );
  });

  it('fails when the copy ignores its x-amz-copy-source-if-* conditions', async () => {
    const s3 = await simulatorDropping(['x-amz-copy-source-if-match']);
    await expect(judgeUploadPartCopy(s3, 'fault', sample)).rejects.toThrow(/an if-match that fails/);
  });
});
