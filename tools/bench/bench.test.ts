import { describe, expect, it } from 'vitest';
import { type Figure, roundOrder } from './figures.ts';
import { parseWrk } from './load.ts';
import { checksOf, render } from './report.ts';

const WRK_OUTPUT = `Running 2s test @ http://127.0.0.1:27690/bench/hit-1024
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.52ms    0.90ms  20.00ms   90.00%
    Req/Sec    10.20k     1.00k   11.00k    80.00%
  Latency Distribution
     50%    1.40ms
     75%    1.80ms
     90%    2.20ms
     99%  850.00us
  20400 requests in 2.00s, 24.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:  10200.50
Transfer/sec:     12.00MB
`;

describe('the bench', () => {
  it("reads wrk's rate, request count, p99 in milliseconds and every error it reports", () => {
    expect(parseWrk(WRK_OUTPUT)).toEqual({
      requestsPerSecond: 10200.5,
      requests: 20400,
      p99Ms: 0.85,
      errors: 7,
    });
    expect(parseWrk(WRK_OUTPUT.replace('850.00us', '1.20s')).p99Ms).toBe(1200);
  });

  it('refuses wrk output without figures rather than reading zeros', () => {
    expect(() => parseWrk('unable to connect to 127.0.0.1:27690 Connection refused')).toThrow(/no figures/);
  });

  it('turns the order of the targets by one place each round, so each runs first in turn', () => {
    expect([0, 1, 2, 3].map((round) => roundOrder(['a', 'b', 'c'], round).join(''))).toEqual([
      'abc',
      'bca',
      'cab',
      'abc',
    ]);
  });

  it('gives each ratio of medians its ratio within every round, and in how many rounds its target was met', () => {
    const penalty: Figure = {
      id: 'miss-penalty',
      title: 'miss penalty',
      unit: 'ms',
      better: 'lower',
      // proxy_store's third round was slow: that round meets the target, the ratio of medians and the
      // other two rounds do not.
      rounds: { mirrorspec: [0.4, 0.42, 0.41], nginxStore: [0.2, 0.25, 0.4] },
      load: [1, 1],
      notes: [],
    };
    const [check] = checksOf([penalty]);
    expect(check?.ratio).toBeCloseTo(0.41 / 0.25);
    expect(check?.rounds?.map((value) => Number(value.toFixed(3)))).toEqual([2, 1.68, 1.025]);
    expect(check?.met).toBe(false);
    expect(check?.metRounds).toBe(1);
    expect(render([], checksOf([penalty]))).toContain(
      'target at most 1.5: NOT met (met in 1 of 3 rounds)  rounds: 2.00 1.68 1.02',
    );
  });
});
