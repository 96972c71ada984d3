// Real S3 clients against `mirrorspec serve`, each with its default settings: the everyday calls of a
// tool (put, get, list, delete, a 20 MB upload, sync twice, server-side copy verified by hash, batch
// delete, presigned GET and PUT). The shell clients (AWS CLI, s3cmd, rclone) and boto3 run as child
// processes speaking lib.sh's step protocol; the npm clients run in this process.
//
//   npm run clients                  # every client found on this machine; the others are reported missing
//   npm run clients -- --require-all # CI: a missing client is a failure
//   npm run clients -- --known-failures tools/clients/known-failures.yaml
//                                    # steps that fail for a stated reason are reported, not counted; one
//                                    # of them that passes is an unexpected pass, counted as a failure
//
// Ends with `N passed, N failed` (steps, known failures apart); exit 1 on any failure.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { createSimulator, serveFetch } from '../../simulator/index.ts';
import { awsSdkSteps, type ClientContext, minioSteps, type Step } from './node-clients.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const STEPS = [
  'make-bucket',
  'put',
  'get',
  'list',
  'upload-20mb',
  'sync-twice',
  'copy',
  'batch-delete',
  'presigned-get',
  'presigned-put',
  'delete',
] as const;
// A backstop: each shell step has its own limit (lib.sh), the npm clients their SDK timeouts.
const CLIENT_TIMEOUT_MS = 900_000;
const keys = { accessKeyId: 'MSCLIENTSKEY', secretAccessKey: 'mirrorspec-clients-secret' };

type Outcome = { status: 'ok' } | { status: 'not ok' | 'absent'; why: string };
interface Client {
  name: string;
  /** Why it cannot run here, or undefined. */
  missing(): string | undefined;
  run(context: ClientContext, env: NodeJS.ProcessEnv): Promise<Map<string, Outcome>>;
}

function shellClient(name: string, command: string, args: string[], needs: string, install: string): Client {
  return {
    name,
    missing: () => (existsSync(needs) ? undefined : `${needs} not found (${install})`),
    run: (_context, env) => runProtocol(command, args, env),
  };
}

function npmClient(name: string, steps: (context: ClientContext) => Record<string, Step>): Client {
  return {
    name,
    missing: () => undefined,
    async run(context) {
      const outcomes = new Map<string, Outcome>();
      for (const [step, run] of Object.entries(steps(context))) {
        if ('absent' in run) outcomes.set(step, { status: 'absent', why: run.absent });
        else outcomes.set(step, await run().then(ok, (error: Error) => notOk(error.message)));
      }
      return outcomes;
    },
  };
}

const ok = (): Outcome => ({ status: 'ok' });
const notOk = (why: string): Outcome => ({ status: 'not ok', why: why.slice(0, 300) });

const clients: Client[] = [
  shellClient('aws-cli', 'bash', [join(here, 'aws-cli.sh')], '/usr/bin/aws', 'apt-get install awscli'),
  shellClient('s3cmd', 'bash', [join(here, 's3cmd.sh')], '/usr/bin/s3cmd', 'apt-get install s3cmd'),
  shellClient('rclone', 'bash', [join(here, 'rclone.sh')], '/usr/bin/rclone', 'apt-get install rclone'),
  shellClient(
    'boto3',
    '/usr/bin/python3',
    [join(here, 'boto3-client.py')],
    '/usr/lib/python3/dist-packages/boto3',
    'apt-get install python3-boto3',
  ),
  npmClient('aws-sdk', awsSdkSteps),
  npmClient('minio', minioSteps),
];

/** Runs a child speaking the step protocol; a step it never reported is a failure. */
function runProtocol(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Map<string, Outcome>> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), CLIENT_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      const outcomes = new Map<string, Outcome>();
      for (const line of stdout.split('\n')) {
        const match = /^(ok|not ok|absent) (\S+) ?(.*)$/.exec(line);
        if (match === null) continue;
        const [, status, step, why] = match as unknown as [string, Outcome['status'], string, string];
        outcomes.set(step, status === 'ok' ? ok() : { status, why });
      }
      for (const step of STEPS) {
        if (!outcomes.has(step))
          outcomes.set(step, notOk(`never reported (exit ${code}): ${stderr.slice(-200)}`));
      }
      resolve(outcomes);
    });
  });
}

async function makeWork(): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), 'mirrorspec-clients-'));
  await mkdir(join(work, 'tree', 'sub'), { recursive: true });
  await writeFile(join(work, 'small.txt'), 'the small object of every client\n');
  await writeFile(join(work, 'big.bin'), randomBytes(20 * 1024 * 1024));
  for (const name of ['a.txt', 'b.txt', 'sub/c.txt'])
    await writeFile(join(work, 'tree', name), `tree ${name}\n`);
  return work;
}

/** The simulator on loopback, counting each bucket's writes at `/_clients/writes/<bucket>` for sync-twice. */
async function startCounted() {
  const simulator = createSimulator({ credentials: keys });
  const writes = new Map<string, number>();
  const server = await serveFetch(
    (request, info) => {
      const path = new URL(request.url).pathname;
      const counter = /^\/_clients\/writes\/([^/]+)$/.exec(path);
      if (counter !== null) return Promise.resolve(new Response(String(writes.get(counter[1] ?? '') ?? 0)));
      if (request.method === 'PUT' || request.method === 'POST') {
        const bucket = path.split('/')[1] ?? '';
        writes.set(bucket, (writes.get(bucket) ?? 0) + 1);
      }
      return simulator.fetch(request, info);
    },
    { host: '127.0.0.1', port: 0 },
  );
  return {
    endpoint: `http://127.0.0.1:${server.port}`,
    async close() {
      await server.close();
      await simulator.close();
    },
  };
}

/** `client step` → why it fails today, from a known-failures file (a YAML list of client, step, reason). */
type KnownFailures = Map<string, string>;

async function loadKnownFailures(file: string | undefined): Promise<KnownFailures> {
  const known: KnownFailures = new Map();
  if (file === undefined) return known;
  const entries = parse(await readFile(file, 'utf8')) as unknown;
  if (!Array.isArray(entries)) throw new Error(`${file}: expected a list of { client, step, reason }`);
  for (const entry of entries as Record<string, unknown>[]) {
    const { client, step, reason } = entry;
    if (
      typeof client !== 'string' ||
      typeof step !== 'string' ||
      typeof reason !== 'string' ||
      reason === ''
    ) {
      throw new Error(`${file}: every entry names a client, a step and a reason: ${JSON.stringify(entry)}`);
    }
    if (!(STEPS as readonly string[]).includes(step)) throw new Error(`${file}: no step '${step}'`);
    known.set(`${client} ${step}`, reason);
  }
  return known;
}

function printTable(
  results: Map<string, Map<string, Outcome> | string>,
  known: KnownFailures,
): { passed: number; failed: number } {
  let passed = 0;
  let failed = 0;
  const cell = (outcome: Outcome | undefined) =>
    outcome?.status === 'ok' ? 'ok' : outcome?.status === 'absent' ? '—' : 'FAIL';
  console.log(`\n| step | ${[...results.keys()].join(' | ')} |`);
  console.log(`|---|${[...results.keys()].map(() => '---').join('|')}|`);
  for (const step of STEPS) {
    const row = [...results].map(([client, outcomes]) =>
      typeof outcomes === 'string'
        ? 'missing'
        : known.has(`${client} ${step}`) && outcomes.get(step)?.status === 'not ok'
          ? 'known'
          : cell(outcomes.get(step)),
    );
    console.log(`| ${step} | ${row.join(' | ')} |`);
  }
  console.log('\n— : the tool has no such call; known: a known failure, its reason below');
  for (const [client, outcomes] of results) {
    if (typeof outcomes === 'string') continue;
    for (const [step, outcome] of outcomes) {
      const reason = known.get(`${client} ${step}`);
      if (outcome.status === 'ok' && reason !== undefined) {
        failed += 1;
        console.log(`UNEXPECTED PASS ${client} ${step}: remove it from the known failures ("${reason}")`);
      } else if (outcome.status === 'ok') passed += 1;
      else if (outcome.status === 'not ok' && reason !== undefined) {
        console.log(`known failure ${client} ${step}: ${reason} (${outcome.why.slice(0, 120)})`);
      } else if (outcome.status === 'not ok') {
        failed += 1;
        console.log(`FAIL ${client} ${step}: ${outcome.why}`);
      } else console.log(`absent ${client} ${step}: ${outcome.why}`);
    }
  }
  return { passed, failed };
}

async function main(): Promise<number> {
  const requireAll = process.argv.includes('--require-all');
  const knownAt = process.argv.indexOf('--known-failures');
  const known = await loadKnownFailures(knownAt === -1 ? undefined : process.argv[knownAt + 1]);
  const work = await makeWork();
  const simulator = await startCounted();
  const results = new Map<string, Map<string, Outcome> | string>();
  let missingFailures = 0;
  try {
    for (const client of clients) {
      const missing = client.missing();
      if (missing !== undefined) {
        console.log(`${client.name}: not run, ${missing}`);
        results.set(client.name, missing);
        if (requireAll) missingFailures += 1;
        continue;
      }
      const bucket = `clients-${client.name}`;
      const home = join(work, `home-${client.name}`);
      const out = join(work, `out-${client.name}`);
      await mkdir(home);
      await mkdir(out);
      const context = { endpoint: simulator.endpoint, bucket, work, ...keys };
      const env = {
        PATH: process.env.PATH,
        HOME: home,
        CLIENT_STEPS: STEPS.join(' '),
        ENDPOINT: simulator.endpoint,
        BUCKET: bucket,
        WORK: work,
        OUT: out,
        AWS_ACCESS_KEY_ID: keys.accessKeyId,
        AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
        AWS_DEFAULT_REGION: 'us-east-1',
      };
      const started = Date.now();
      results.set(client.name, await client.run(context, env));
      console.log(`${client.name}: ran in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    await simulator.close();
    await rm(work, { recursive: true, force: true });
  }
  const { passed, failed } = printTable(results, known);
  console.log(`${passed} passed, ${failed + missingFailures} failed`);
  return failed + missingFailures > 0 ? 1 : 0;
}

process.exitCode = await main();
