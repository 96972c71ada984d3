import { describe, expect, it } from 'vitest';
import { carryLoopHeader, LoopMarkingOriginClient, loopIds } from './loop-header.ts';
import type { OriginClient, OriginRequest } from './origin-client.ts';

function recording(): { client: OriginClient; sent: OriginRequest[] } {
  const sent: OriginRequest[] = [];
  const client: OriginClient = {
    get: async (request) => {
      sent.push(request);
      return { status: 404, headers: {}, body: (async function* () {})(), discard: () => undefined };
    },
    close: async () => undefined,
  };
  return { client, sent };
}

describe('the hop header', () => {
  it('is added to every origin request, after the ids the request carried', async () => {
    const { client, sent } = recording();
    const marking = new LoopMarkingOriginClient(client, 'mirrorspec-b');
    await marking.get({ origin: 'http://o.test', path: '/k', headers: {} });
    await marking.get({ origin: 'http://o.test', path: '/k', headers: { 'CDN-Loop': 'cdn-a; v=1' } });
    expect(sent.map((request) => request.headers['cdn-loop'])).toEqual([
      'mirrorspec-b',
      'cdn-a; v=1, mirrorspec-b',
    ]);
  });

  it('keeps the client ids whatever the header policy passes', () => {
    expect(carryLoopHeader({}, [['cdn-loop', 'mirrorspec-a']])).toEqual({ 'cdn-loop': 'mirrorspec-a' });
    expect(carryLoopHeader({ 'cdn-loop': 'mirrorspec-a' }, [['CDN-Loop', 'mirrorspec-a']])).toEqual({
      'cdn-loop': 'mirrorspec-a',
    });
    expect(carryLoopHeader({ x: '1' }, [['accept', '*/*']])).toEqual({ x: '1' });
  });

  it('names its ids without parameters', () => {
    expect(loopIds('Foo; a=b , mirrorspec-1,')).toEqual(['foo', 'mirrorspec-1']);
    expect(loopIds(null)).toEqual([]);
  });
});
