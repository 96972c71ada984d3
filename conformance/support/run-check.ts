// `mirrorspec check` run as a user runs it, for the tests of the command itself: asynchronously, so a
// target in the test's own process can answer it.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BehaviourResult, CheckReport } from '../check/check-report.ts';

const root = new URL('../..', import.meta.url).pathname;

interface CheckRun {
  status: number | null;
  /** What the command printed, stdout and stderr together. */
  output: string;
  /** The report folder. */
  out: string;
  report(): CheckReport;
  result(id: string, profile?: string): BehaviourResult | undefined;
}

/** `env`: variables to add (a value of undefined removes one), e.g. the keys of a signed target. */
export async function runCheck(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<CheckRun> {
  const out = mkdtempSync(join(tmpdir(), 'mirrorspec-check-'));
  const child = spawn(process.execPath, ['bin/mirrorspec.mjs', 'check', ...args, '--out', out], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const report = (): CheckReport =>
    JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as CheckReport;
  return {
    status,
    output,
    out,
    report,
    result: (id, profile = 'neutral') => report().results[profile]?.behaviours[id],
  };
}
