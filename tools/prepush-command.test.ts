// `mirrorspec prepush` as a user runs it: the real command in a child process, against a simulator on a
// port and a scripted origin. What is checked is what the user sees: exit status, messages, the summary
// and the result file the summary points to.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type ScriptableOrigin, startOrigin } from '../conformance/origin/scriptable-origin.ts';
import { refusedOrigin } from '../conformance/support/mirror-laws.ts';
import { type RunningSimulator, startSimulator } from '../simulator/index.ts';

const root = new URL('..', import.meta.url).pathname;
const BUCKET = 'prepush-cli';

let origin: ScriptableOrigin;
let simulator: RunningSimulator;
let folder: string;

beforeAll(async () => {
  origin = await startOrigin();
  origin.scriptPrefix('/site/img', { body: 'image bytes' });
  origin.scriptPrefix('/site/broken', { status: 500, body: 'origin trouble' });
  // Slow enough that a job over these keys is still running when the test interrupts it.
  origin.scriptPrefix('/site/slow', { delayBeforeHeadersMs: 20_000, body: 'late' });
  // The scripted origin is on loopback, which a simulator refuses as an origin by default.
  simulator = await startSimulator({ host: '127.0.0.1', port: 0, allowPrivateOrigins: true });
  await send('PUT', `/${BUCKET}`);
  await send(
    'PUT',
    `/_mirrorspec/buckets/${BUCKET}/mirror`,
    JSON.stringify({ rules: [{ id: 'site', origins: [`${origin.url}/site/`] }] }),
  );
  folder = mkdtempSync(join(tmpdir(), 'mirrorspec-prepush-'));
});

afterAll(async () => {
  await simulator?.close();
  await origin?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

async function send(method: 'GET' | 'PUT', path: string, body?: string) {
  const response = await request(`${simulator.endpoint}${path}`, {
    method,
    ...(body !== undefined ? { body, headers: { 'content-type': 'application/json' } } : {}),
  });
  return { status: response.statusCode, text: await response.body.text() };
}

function template(name: string, lines: string[]): string {
  const path = join(folder, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `mirrorspec prepush` without blocking this process: the simulator it talks to lives here.
 * `whenStarted` is called once the command has printed that the job started.
 */
function prepush(args: string[], whenStarted?: (child: ReturnType<typeof spawn>) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/mirrorspec.mjs', 'prepush', ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let told = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (!told && whenStarted && /started on bucket/.test(stdout)) {
        told = true;
        whenStarted(child);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function resultUrl(stdout: string): string {
  const url = /result file: (\S+)/.exec(stdout)?.[1] ?? /results so far: (\S+)/.exec(stdout)?.[1];
  if (url === undefined) throw new Error(`no result file in the output:\n${stdout}`);
  return url;
}

test('prepush --wait pulls every listed key, prints a summary and exits 0 when no entry failed', async () => {
  const list = template('good.txt', [
    '# the landing page images',
    'img/logo.png',
    '',
    'img/hero.jpg',
    `${origin.url}/site/img/banner.gif,img/banner.gif`,
    'missing/gone.txt',
  ]);

  const run = await prepush([list, '--endpoint', simulator.endpoint, '--bucket', BUCKET, '--wait']);

  expect(run.stderr).toBe('');
  expect(run.code, run.stdout).toBe(0);
  expect(run.stdout).toMatch(/pre-push pp-\S+ started on bucket prepush-cli/);
  expect(run.stdout).toMatch(/pre-push pp-\S+ succeeded in \d+\.\d+ s/);
  expect(run.stdout).toContain('entries 4, processed 4: stored 3, origin 404 1, failed 0');
  const stored = await send('GET', `/${BUCKET}/img/hero.jpg`);
  expect(stored).toEqual({ status: 200, text: 'image bytes' });
  const result = await request(resultUrl(run.stdout));
  expect(result.statusCode).toBe(200);
  expect((await result.body.text()).split(/\r?\n/)[0]).toBe('line,source,key,outcome,detail');
});

test('prepush --wait exits 1 and counts the entry when an origin fails', async () => {
  const list = template('broken.txt', ['img/ok.png', 'broken/a.png']);

  const run = await prepush([list, '--endpoint', simulator.endpoint, '--bucket', BUCKET, '--wait']);

  expect(run.code, run.stdout + run.stderr).toBe(1);
  expect(run.stdout).toContain('stored 1, origin 404 0, failed 1');
  expect((await request(resultUrl(run.stdout))).statusCode).toBe(200);
});

test('a template of many chunks is pushed whole: every line becomes exactly one entry', async () => {
  // About 40 KiB: the file, the upload and the store's copy of it all cross several 16 KiB chunks.
  const keys = Array.from({ length: 2_000 }, (_, i) => `img/many/${String(i).padStart(5, '0')}.png`);
  const list = template('many.txt', keys);

  const run = await prepush([list, '--endpoint', simulator.endpoint, '--bucket', BUCKET, '--wait']);

  expect(run.code, run.stdout + run.stderr).toBe(0);
  expect(run.stdout).toContain('entries 2,000, processed 2,000: stored 2,000,');
});

test('prepush without --wait prints the job id and where to follow it, and exits 0', async () => {
  const list = template('nowait.txt', ['img/later.png']);

  const run = await prepush([list, '--endpoint', simulator.endpoint, '--bucket', BUCKET]);

  expect(run.code).toBe(0);
  const id = /pre-push (pp-\S+) started/.exec(run.stdout)?.[1];
  expect(id).toBeDefined();
  expect(run.stdout).toContain(`curl ${simulator.endpoint}/_mirrorspec/buckets/${BUCKET}/prepush/${id}`);
});

test('Ctrl-C while waiting cancels the job and exits 130', async () => {
  const list = template('slow.txt', ['slow/1.bin', 'slow/2.bin', 'slow/3.bin']);

  const run = await prepush([list, '--endpoint', simulator.endpoint, '--bucket', BUCKET, '--wait'], (child) =>
    child.kill('SIGINT'),
  );

  expect(run.code).toBe(130);
  const id = /pre-push (pp-\S+) cancelled/.exec(run.stdout)?.[1];
  expect(id, run.stdout + run.stderr).toBeDefined();
  const job = await send('GET', `/_mirrorspec/buckets/${BUCKET}/prepush/${id}`);
  expect(JSON.parse(job.text)).toMatchObject({ state: 'cancelled' });
});

test('a bucket the store lacks is reported with the store error code and exits 1', async () => {
  const list = template('nobucket.txt', ['img/logo.png']);

  const run = await prepush([list, '--endpoint', simulator.endpoint, '--bucket', 'no-such-bucket']);

  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/^mirrorspec prepush: NoSuchBucket: /);
});

test('a missing --bucket is a usage error: exit 2 with what to add', async () => {
  const list = template('usage.txt', ['img/logo.png']);

  const run = await prepush([list, '--endpoint', simulator.endpoint]);

  expect(run.code).toBe(2);
  expect(run.stderr).toContain('mirrorspec prepush: MS_USAGE: --bucket is required');
  expect(run.stderr).toContain('see mirrorspec prepush --help');
  expect(run.stderr).not.toContain('usage: mirrorspec prepush <file>');
});

test('a template file that does not exist is named in a one-line message and exits 1', async () => {
  const run = await prepush([
    join(folder, 'absent.txt'),
    '--endpoint',
    simulator.endpoint,
    '--bucket',
    BUCKET,
  ]);

  expect(run.code).toBe(1);
  expect(run.stderr).toBe(
    `mirrorspec prepush: MS_TEMPLATE: cannot read the template ${join(folder, 'absent.txt')}: no such file: check the path\n`,
  );
});

test('an endpoint where nothing listens is reported in one line saying what to fix, exit 1', async () => {
  const list = template('refused.txt', ['img/logo.png']);
  const endpoint = await refusedOrigin();

  const run = await prepush([list, '--endpoint', endpoint, '--bucket', BUCKET]);

  expect(run.code).toBe(1);
  expect(run.stderr).toBe(
    `mirrorspec prepush: MS_TARGET_UNREACHABLE: nothing answers at ${endpoint} (connection refused): ` +
      'start the store (mirrorspec serve) or fix --endpoint\n',
  );
});
