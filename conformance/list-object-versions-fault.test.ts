// s3.list-object-versions can fail: its judgement, run against a simulator whose listings lose their
// key-marker (every page is the first), must reject; against the simulator as it is, it passes.

import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulator, serveFetch } from '../simulator/index.ts';
import { judgeListObjectVersions } from './support/list-object-versions-calls.ts';
import { sdkClient } from './support/upload-part-copy-calls.ts';

const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function simulatorDroppingMarker(drop: boolean) {
  const simulator = createSimulator({});
  const running = await serveFetch(
    (request, info) => {
      const url = new URL(request.url);
      if (!drop || !url.searchParams.has('versions')) return simulator.fetch(request, info);
      url.searchParams.delete('key-marker');
      url.searchParams.delete('version-id-marker');
      const target = `${url.pathname}${url.search}`;
      return simulator.fetch(new Request(url, request), { target });
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

const sample = { keys: ['a', 'b/a', 'b/b', 'c', 'ca'], maxKeys: 2, delimiter: true };

describe('the ListObjectVersions law catches a planted fault', () => {
  it('passes against the simulator as it is', async () => {
    await judgeListObjectVersions(await simulatorDroppingMarker(false), 'fault', sample);
  });

  it('fails when the listing ignores key-marker', async () => {
    const s3 = await simulatorDroppingMarker(true);
    await expect(judgeListObjectVersions(s3, 'fault', sample)).rejects.toThrow(
      /every key and common prefix once/,
    );
  });
});
