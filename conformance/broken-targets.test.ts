// The suite judges itself: run against deliberately unsafe targets, the laws that guard each broken
// promise must fail, with a shrunk counterexample. A suite that passed these would prove nothing.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

/** Runs some laws in a child vitest against `target`; returns its exit status and output. */
function runLaws(target: string, files: string[], pattern: string) {
  const run = spawnSync('npx', ['vitest', 'run', '--project', 'conformance', ...files, '-t', pattern], {
    cwd: root,
    env: {
      ...process.env,
      MIRRORSPEC_TARGET: target,
      MIRRORSPEC_RUNS: '100',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
    },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

describe('the suite catches unsafe targets', () => {
  it('a target that forwards Authorization to the origin fails the credential law with a counterexample', () => {
    const { status, output } = runLaws(
      'broken:forwards-authorization',
      ['conformance/laws/origin.request.test.ts'],
      'never',
    );
    expect(status).not.toBe(0);
    expect(output).toMatch(/× \[origin\.credentials-never-forwarded\]/);
    expect(output).toMatch(/× \[origin\.headers-never-forwarded\]/);
    expect(output).toMatch(/Counterexample: .*authorization/);
    expect(output).toMatch(/seed: \d+, path: "[\d:]+"/);
  });

  it('a target that stores truncated bodies fails the write-back laws with a counterexample', () => {
    const { status, output } = runLaws(
      'broken:stores-truncated',
      ['conformance/laws/origin.response.test.ts', 'conformance/laws/writeback.test.ts'],
      'failure-424|writeback.atomic',
    );
    expect(status).not.toBe(0);
    expect(output).toMatch(/× \[origin\.failure-424\]/);
    expect(output).toMatch(/× \[writeback\.atomic\]/);
    expect(output).toMatch(/Counterexample: /);
  });
});
