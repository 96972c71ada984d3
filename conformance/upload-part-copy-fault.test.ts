// s3.upload-part-copy can fail: its judgement, run against simulators with a planted fault (a copy that
// ignores x-amz-copy-source-range, one that ignores the copy source conditions), must reject; against the
// simulator as it is, it passes.

import { describe, expect, it } from 'vitest';
import { faultyServe } from './support/faulty-serve.ts';
import { judgeUploadPartCopy } from './support/upload-part-copy-calls.ts';

const serveWith = faultyServe();

/** UploadPart copies lose the named request headers on the way in. */
const dropping = (dropped: readonly string[]) => (request: Request) => {
  const isPartCopy = request.headers.has('x-amz-copy-source') && request.url.includes('partNumber=');
  if (!isPartCopy) return undefined;
  const headers = new Headers(request.headers);
  for (const name of dropped) headers.delete(name);
  return { request: new Request(request, { headers }) };
};

const sample = { extra: 1000, offset: 500, last: { start: 10, end: 99 } };

describe('the UploadPartCopy law catches planted faults', () => {
  it('passes against the simulator as it is', async () => {
    await judgeUploadPartCopy(await serveWith(), 'fault', sample);
  });

  it('fails when the copy ignores x-amz-copy-source-range (the part is the whole source)', async () => {
    const s3 = await serveWith(dropping(['x-amz-copy-source-range']));
    await expect(judgeUploadPartCopy(s3, 'fault', sample)).rejects.toThrow(
      /the ranged part is the MD5 of those bytes/,
    );
  });

  it('fails when the copy ignores its x-amz-copy-source-if-* conditions', async () => {
    const s3 = await serveWith(dropping(['x-amz-copy-source-if-match']));
    await expect(judgeUploadPartCopy(s3, 'fault', sample)).rejects.toThrow(/an if-match that fails/);
  });
});
