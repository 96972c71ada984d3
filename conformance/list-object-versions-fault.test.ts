// s3.list-object-versions can fail: its judgement, run against a simulator whose listings lose their
// key-marker (every page is the first), must reject; against the simulator as it is, it passes.

import { describe, expect, it } from 'vitest';
import { faultyServe } from './support/faulty-serve.ts';
import { judgeListObjectVersions } from './support/list-object-versions-calls.ts';

const serveWith = faultyServe();

/** Version listings lose their markers on the way in. */
function droppingMarker(request: Request) {
  const url = new URL(request.url);
  if (!url.searchParams.has('versions')) return undefined;
  url.searchParams.delete('key-marker');
  url.searchParams.delete('version-id-marker');
  return { request: new Request(url, request), info: { target: `${url.pathname}${url.search}` } };
}

const sample = { keys: ['a', 'b/a', 'b/b', 'c', 'ca'], maxKeys: 2, delimiter: true };

describe('the ListObjectVersions law catches a planted fault', () => {
  it('passes against the simulator as it is', async () => {
    await judgeListObjectVersions(await serveWith(), 'fault', sample);
  });

  it('fails when the listing ignores key-marker', async () => {
    const s3 = await serveWith(droppingMarker);
    await expect(judgeListObjectVersions(s3, 'fault', sample)).rejects.toThrow(
      /every key and common prefix once/,
    );
  });
});
