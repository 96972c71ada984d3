// `mirrorspec check --target container:<kind>` as CI runs it: each target started through
// testcontainers by the command itself, judged, and stopped. Runs per property come from
// MIRRORSPEC_CONTAINER_RUNS (default 10), to bound CI's time.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const runs = process.env.MIRRORSPEC_CONTAINER_RUNS ?? '10';

interface Report {
  exitCode: number;
  results: Record<
    string,
    { errors: string[]; behaviours: Record<string, { status: string; note?: string }> }
  >;
}

async function check(args: string[]): Promise<{ status: number | null; output: string; report?: Report }> {
  const out = mkdtempSync(join(tmpdir(), 'mirrorspec-container-check-'));
  const env = { ...process.env };
  delete env.MIRRORSPEC_ACCESS_KEY_ID;
  delete env.MIRRORSPEC_SECRET_ACCESS_KEY;
  const child = spawn('node', ['bin/mirrorspec.mjs', 'check', ...args, '--out', out], { cwd: root, env });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    process.stdout.write(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
  try {
    return { status, output, report: JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Report };
  } catch {
    return { status, output };
  }
}

const statuses = (report: Report | undefined) =>
  Object.values(report?.results ?? {}).flatMap((run) => Object.entries(run.behaviours));

it('judges the simulator image as the in-process simulator: every behaviour it is asked passes', async () => {
  const { status, output, report } = await check([
    '--target',
    'container:mirrorspec',
    '--profile',
    'neutral',
    '--runs',
    runs,
  ]);
  expect(status, output).toBe(0);
  expect(output).toMatch(/container:mirrorspec is .*answering at http:\/\/127\.0\.0\.1:\d+/);
  const failed = statuses(report).filter(([, result]) => !['passed', 'not-run'].includes(result.status));
  expect(failed, output).toEqual([]);
  // The image has the rule API and settle: nothing is absent, and mirror laws ran.
  expect(
    statuses(report).filter(([id, result]) => id.startsWith('miss.') && result.status === 'passed').length,
  ).toBeGreaterThan(0);
});

it('judges Ceph RGW in its image as a plain S3 server: the S3 baseline passes, mirror behaviours absent', async () => {
  const { status, output, report } = await check([
    '--target',
    'container:rgw',
    '--expect',
    'docs/peers/rgw-expected.yaml',
    '--runs',
    runs,
  ]);
  expect(status, output).toBe(0);
  const all = statuses(report);
  const baseline = all.filter(([id]) => id.startsWith('s3.'));
  expect(baseline.length).toBeGreaterThan(0);
  expect(
    baseline.filter(([, r]) => !['passed', 'expected-failure', 'not-run'].includes(r.status)),
    output,
  ).toEqual([]);
  const mirror = all.filter(([id, r]) => !id.startsWith('s3.') && r.status !== 'not-run');
  expect(mirror.length).toBeGreaterThan(0);
  expect(mirror.filter(([, r]) => r.status !== 'absent')).toEqual([]);
});

it('judges MinIO through @testcontainers/minio where an image can be had, and says why not otherwise', async (context) => {
  const { status, output, report } = await check([
    '--target',
    'container:minio',
    '--baseline',
    '--runs',
    runs,
  ]);
  if (status === 1 && report === undefined && /no MinIO image can be had here/.test(output)) {
    context.skip(`container:minio: ${output.trim().split('\n').at(-1)}`);
  }
  expect(status, output).toBe(0);
  expect(statuses(report).filter(([, r]) => r.status === 'failed')).toEqual([]);
});
