// The suite judges profiles, not just the neutral model: a target that behaves as the neutral profile
// while claiming a vendor's must fail that vendor's distinctive laws, with a counterexample, and the
// simulator running the vendor's profile must pass them. Otherwise the profile switches would be
// decoration.

import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const LAWS = [
  'conformance/laws/origin.profile.test.ts',
  'conformance/laws/head.test.ts',
  'conformance/laws/range.test.ts',
  'conformance/laws/stored.test.ts',
];

/** Runs the laws matching `pattern` in a child vitest; the simulator runs `profile`, the suite expects `expected`. */
function runLaws(profile: string, expected: string, pattern: string) {
  return new Promise<{ status: number | null; output: string }>((resolve, reject) => {
    // The embedded simulator, whatever target the parent run judges.
    const env = { ...process.env };
    delete env.MIRRORSPEC_TARGET;
    const child = spawn('npx', ['vitest', 'run', '--project', 'conformance', ...LAWS, '-t', pattern], {
      cwd: root,
      env: {
        ...env,
        MIRRORSPEC_PROFILE: profile,
        MIRRORSPEC_EXPECT_PROFILE: expected,
        MIRRORSPEC_RUNS: '30',
        NO_COLOR: '1',
        FORCE_COLOR: '0',
      },
      timeout: 240_000,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
  });
}

/** Each vendor profile's distinctive fetch-time switches, and the laws that must tell them apart. */
const distinctive: { profile: string; what: string; ids: string[] }[] = [
  { profile: 'us3', what: 'a HEAD on a missing key fetches', ids: ['head.trigger'] },
  { profile: 'ks3', what: 'an unfollowed redirect fails', ids: ['origin.follow-off-fails'] },
  { profile: 'obs', what: 'a chunked origin fails', ids: ['origin.chunked-fails'] },
  { profile: 'oss', what: 'only a 5xx or a timeout moves on', ids: ['origin.failover-policy'] },
  {
    profile: 'cos',
    what: 'standby origins on 5xx, range-and-copy and x-cos-meta-*',
    ids: ['origin.failover-policy', 'range.on-miss', 'stored.headers-kept'],
  },
];

const escaped = (id: string) => id.replace(/[.]/g, '\\.');

describe('profiles are really checked', () => {
  for (const { profile, what, ids } of distinctive) {
    it(`a neutral target claiming ${profile} fails where ${what}, and the ${profile} simulator passes`, async () => {
      const pattern = ids.map(escaped).join('|');
      const [mismatched, matched] = await Promise.all([
        runLaws('neutral', profile, pattern),
        runLaws(profile, profile, pattern),
      ]);

      expect(mismatched.status, mismatched.output).not.toBe(0);
      for (const id of ids) expect(mismatched.output).toMatch(new RegExp(`× \\[${escaped(id)}\\]`));
      expect(mismatched.output).toMatch(/Counterexample: /);

      expect(matched.status, matched.output).toBe(0);
      expect(matched.output).toMatch(new RegExp(`Tests\\s+${ids.length} passed`));
    }, 240_000);
  }
});
