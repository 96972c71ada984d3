import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dumpTotal, splitAnnotated } from './callgrind.ts';
import { countTarget, least, perRequest, type Settings } from './instructions.ts';

const HAS_VALGRIND = !spawnSync('valgrind', ['--version']).error;

// A server answering every GET with 64 KiB after `burn` turns of a loop: work per request, added on demand.
const BURNING_SERVER = `
const [port, burn] = process.argv.slice(1).map(Number);
const body = Buffer.alloc(64 * 1024, 'x');
let sink = 0;
require('node:http').createServer((req, res) => {
  let x = 0;
  for (let i = 0; i < burn; i++) x = (x * 31 + i) | 0;
  sink ^= x;
  res.end(body);
}).listen(port, '127.0.0.1');
`;

describe('instructions per request', () => {
  it('reads the totals of a callgrind dump, and refuses a dump without them', () => {
    expect(dumpTotal('version: 1\ncmd: node\nsummary: 917706762\ntotals: 917706762\n')).toBe(917706762);
    expect(() => dumpTotal('version: 1\ncmd: node\n')).toThrow(/no totals/);
    const window = {
      requests: 200,
      instructions: 50_000_000,
      gc: 4_000_000,
      compiling: 6_000_000,
      failures: 0,
    };
    expect(perRequest(window)).toBe(200);
    const windows = [250, 180, 300].map((k) => ({
      ...window,
      requests: 10,
      instructions: k * 10_000,
      gc: 0,
      compiling: 0,
    }));
    expect(least({ target: 't', figure: 'hits', windows })).toBe(180);
  });

  it("splits an annotated dump's functions into the collector's, V8's compilers' and the rest", () => {
    const annotated = [
      '1,000,000 (100.0%)  PROGRAM TOTALS',
      '  300,000 (30.0%)  ???:v8::internal::compiler::GraphReducer::ReduceTop() [/usr/bin/node]',
      '  200,000 (20.0%)  ???:heap::base::SlotCallbackResult v8::internal::Scavenger::ScavengeObject<...>(...) [/usr/bin/node]',
      '  100,000 (10.0%)  ???:v8::internal::MarkCompactCollector::MarkLiveObjects() [/usr/bin/node]',
      '  400,000 (40.0%)  ???:Builtins_LoadIC [/usr/bin/node]',
    ].join('\n');
    expect(splitAnnotated(annotated)).toEqual({ instructions: 1_000_000, gc: 300_000, compiling: 300_000 });
    expect(() => splitAnnotated('  400,000 (40.0%)  ???:Builtins_LoadIC')).toThrow(/no PROGRAM TOTALS/);
  });

  // valgrind is a Debian package (.ci/run installs it); without it there is nothing to count with.
  it.skipIf(!HAS_VALGRIND)(
    "counts the server's own work per request: 200,000 turns of a loop added per request add at least 400,000 instructions to each",
    async () => {
      const workDir = mkdtempSync(join(tmpdir(), 'mirrorspec-instructions-test-'));
      const settings: Settings = { warm: 300, requests: 100, run: 'test', workDir };
      const count = async (burn: number, port: number) => {
        const [counted] = await countTarget(
          {
            label: `burn ${burn}`,
            args: ['-e', BURNING_SERVER, String(port), String(burn)],
            figures: ['hits'],
          },
          port,
          0,
          settings,
        );
        expect(counted?.windows.map((window) => window.failures)).toEqual([0, 0, 0]);
        return least(counted as NonNullable<typeof counted>);
      };
      try {
        const plain = await count(0, 27790);
        const burning = await count(200_000, 27791);
        // In thousands: the loop is at least two instructions a turn once optimized.
        expect(burning - plain).toBeGreaterThan(400);
        expect(plain).toBeGreaterThan(0);
      } finally {
        rmSync(workDir, { recursive: true, force: true });
      }
    },
    240_000,
  );
});
