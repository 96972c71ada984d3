// `mirrorspec check` knows a URL target before judging it: a target without a mirror rule API has its S3
// baseline judged and every mirror behaviour reported absent, never failed; keys are used or refused,
// never silently ignored; a run that checked nothing, or could not reach its target, fails and says so;
// and `--fail-on should` turns a should failure into exit 1.

import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../simulator/index.ts';
import { refusedOrigin } from './support/mirror-laws.ts';
import { runCheck } from './support/run-check.ts';

const check = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCheck([...args, '--runs', '10'], env);

const KEYS = { accessKeyId: 'PROBEKEY', secretAccessKey: 'probe-secret' };
const KEY_ENV = {
  MIRRORSPEC_ACCESS_KEY_ID: KEYS.accessKeyId,
  MIRRORSPEC_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
};

interface Front {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * A front for the simulator that passes every request on. `noRuleApi` makes it a plain S3 server: the
 * spec's own API (`/_mirrorspec/...`) answers 404 NoSuchBucket, as Ceph RGW answers it. `wrongEtags`
 * breaks a should behaviour: every ETag the simulator sends is replaced by one that is no MD5.
 */
async function front(behind: string, options: { noRuleApi?: boolean; wrongEtags?: boolean }): Promise<Front> {
  const target = new URL(behind);
  const server: Server = createServer((req, res) => {
    if (options.noRuleApi && req.url?.startsWith('/_mirrorspec')) {
      req.resume();
      res.writeHead(404, { 'content-type': 'application/xml' });
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchBucket</Code><BucketName>_mirrorspec</BucketName></Error>',
      );
      return;
    }
    const forwarded = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const headers = { ...answer.headers };
        if (options.wrongEtags && headers.etag !== undefined) headers.etag = '"not-an-md5"';
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('mirrorspec check against a plain S3 server', () => {
  let simulator: RunningSimulator;
  let plain: Front;
  beforeAll(async () => {
    simulator = await startSimulator({ allowPrivateOrigins: true });
    plain = await front(simulator.endpoint, { noRuleApi: true });
  });
  afterAll(async () => {
    await plain.close();
    await simulator.close();
  });

  it('judges its S3 baseline and reports every behaviour that needs a rule API absent, with the reason', async () => {
    const run = await check([
      '--target',
      plain.endpoint,
      '--only',
      's3.range-get,s3.invalid-names,hit.*,miss.*',
    ]);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(
      /probe: neutral rule API: absent \(PUT \/_mirrorspec\/buckets\/\S+\/mirror answered 404 NoSuchBucket\)/,
    );
    expect(run.output).toMatch(
      /probe: S3 basics: create bucket, PUT, GET, HEAD, list and DELETE answer as S3 does/,
    );
    expect(run.output).toMatch(/probe: cleanup: removed bucket/);
    expect(run.result('s3.range-get')?.status).toBe('passed');
    // It writes a rule where the target has an API for one; the names it checks need none.
    expect(run.result('s3.invalid-names')?.status).toBe('passed');
    for (const id of ['hit.no-origin', 'miss.no-rule', 'miss.single-flight', 'miss.copy-source']) {
      expect(run.result(id)?.status, id).toBe('absent');
      expect(run.result(id)?.note, id).toMatch(
        /^the target has no mirror rule API: PUT \/_mirrorspec\/buckets\/\S+\/mirror answered 404 NoSuchBucket$/,
      );
    }
    expect(run.report().probe?.length).toBeGreaterThan(3);
    expect(run.output).toMatch(/hit\.no-origin\s+absent/);
    expect(run.output).toMatch(/2 passed, 0 failed, .*4 absent/);
    const junit = readFileSync(join(run.out, 'junit.xml'), 'utf8');
    expect(junit).toMatch(
      /name="hit\.no-origin"[^>]*>\s*<skipped message="absent: the target has no mirror rule API/,
    );
    expect(readFileSync(join(run.out, 'summary.md'), 'utf8')).toMatch(
      /## Not judged[\s\S]*\| hit\.no-origin \| neutral \| absent \| the target has no mirror rule API/,
    );
    expect(readFileSync(join(run.out, 'index.html'), 'utf8')).toMatch(/class="cell absent"/);
  });

  it('asked for the S3 baseline alone, runs only the s3.* behaviours', async () => {
    const run = await check([
      '--target',
      plain.endpoint,
      '--baseline',
      '--only',
      's3.range-get,hit.no-origin',
    ]);
    expect(run.status, run.output).toBe(0);
    expect(run.report().selected).toEqual(['s3.range-get']);
    expect(run.result('s3.range-get')?.status).toBe('passed');
    expect(run.output).toMatch(/probe: rule API: not probed \(--baseline/);
  });

  it('fails a run in which nothing could be checked, and says so', async () => {
    const run = await check(['--target', plain.endpoint, '--only', 'hit.no-origin']);
    expect(run.status, run.output).toBe(1);
    expect(run.result('hit.no-origin')?.status).toBe('absent');
    expect(run.output).toMatch(/nothing could be checked: every selected behaviour was absent or not run/);
    expect(run.report().results.neutral?.errors.join('\n')).toMatch(/nothing could be checked/);
  });
});

describe('keys', () => {
  it('set for the simulator, are an error that says what to do', async () => {
    const run = await check(['--target', 'simulator', '--only', 'hit.no-origin'], KEY_ENV);
    expect(run.status, run.output).toBe(2);
    expect(run.output).toMatch(
      /MS_CREDENTIALS: .*--target simulator signs nothing, so the keys would go unused: unset them/,
    );
  });

  it('set for a target that does not check signatures, are an error that says what to do', async () => {
    const simulator = await startSimulator({ allowPrivateOrigins: true });
    try {
      const run = await check(['--target', simulator.endpoint, '--only', 'hit.no-origin'], KEY_ENV);
      expect(run.status, run.output).toBe(2);
      expect(run.output).toMatch(
        /MS_CREDENTIALS: the keys would be unused: the target does not check signatures \(GET \/\S+ signed with a wrong secret answered 200\): unset MIRRORSPEC_ACCESS_KEY_ID and MIRRORSPEC_SECRET_ACCESS_KEY/,
      );
    } finally {
      await simulator.close();
    }
  });

  it('sign every request to a target that checks signatures (SigV4), and wrong keys are an error', async () => {
    const simulator = await startSimulator({ allowPrivateOrigins: true, credentials: KEYS });
    try {
      const run = await check(
        ['--target', simulator.endpoint, '--only', 'hit.no-origin,s3.range-get'],
        KEY_ENV,
      );
      expect(run.status, run.output).toBe(0);
      expect(run.output).toMatch(
        /probe: signatures: SigV4 with the given keys works; a wrong secret is refused \(403 SignatureDoesNotMatch\); unsigned requests are refused \(403 AccessDenied\)/,
      );
      expect(run.output).toMatch(/probe: neutral rule API: present/);
      expect(run.result('hit.no-origin')?.status).toBe('passed');
      expect(run.result('s3.range-get')?.status).toBe('passed');

      const wrong = await check(['--target', simulator.endpoint, '--only', 'hit.no-origin'], {
        ...KEY_ENV,
        MIRRORSPEC_SECRET_ACCESS_KEY: 'not-the-secret',
      });
      expect(wrong.status, wrong.output).toBe(2);
      expect(wrong.output).toMatch(
        /MS_CREDENTIALS: the target refuses requests signed with the given keys \(SigV4\)/,
      );

      const none = await check(['--target', simulator.endpoint, '--only', 'hit.no-origin']);
      expect(none.status, none.output).toBe(2);
      expect(none.output).toMatch(
        /MS_CREDENTIALS: the target refuses unsigned requests .*: set MIRRORSPEC_ACCESS_KEY_ID/,
      );
    } finally {
      await simulator.close();
    }
  });
});

describe('exit status', () => {
  it('is 1 for a should failure under --fail-on should, and 0 under the default --fail-on must', async () => {
    const simulator = await startSimulator({ allowPrivateOrigins: true });
    const broken = await front(simulator.endpoint, { wrongEtags: true });
    try {
      const must = await check(['--target', broken.endpoint, '--only', 'stored.etag-md5']);
      expect(must.result('stored.etag-md5')?.status, must.output).toBe('failed');
      expect(must.result('stored.etag-md5')?.level).toBe('should');
      expect(must.status, must.output).toBe(0);
      const should = await check([
        '--target',
        broken.endpoint,
        '--only',
        'stored.etag-md5',
        '--fail-on',
        'should',
      ]);
      expect(should.result('stored.etag-md5')?.status, should.output).toBe('failed');
      expect(should.status, should.output).toBe(1);
      expect(should.report().failOn).toBe('should');
      expect(should.result('stored.etag-md5')?.replay).toMatch(/--fail-on should/);
    } finally {
      await broken.close();
      await simulator.close();
    }
  });

  it('is 1 for a target nothing answers at, with an error in the output and the report', async () => {
    const unreachable = await refusedOrigin();
    const run = await check(['--target', unreachable, '--only', 'hit.no-origin']);
    expect(run.status, run.output).toBe(1);
    expect(run.output).toMatch(/MS_TARGET_UNREACHABLE: nothing answers at http:\/\/127\.0\.0\.1:\d+/);
    expect(run.report().exitCode).toBe(1);
    expect(run.report().results.neutral?.errors.join('\n')).toMatch(
      /the suite could not run: MS_TARGET_UNREACHABLE/,
    );
  });

  it('refuses a --fail-on that is neither must nor should', async () => {
    const run = await check(['--fail-on', 'may']);
    expect(run.status).toBe(2);
    expect(run.output).toMatch(/--fail-on takes must or should, got 'may'/);
  });
});
