// The servers the benchmark measures: `mirrorspec serve` started here on an ephemeral port, and a Ceph
// RGW already running (.ci/peers/rgw.sh start), given its users for alt and tenant here.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ToolError } from '../../errors/tool-error.ts';
import type { S3TestsConf, S3TestsUser } from './s3tests-conf.ts';

const run = promisify(execFile);

export interface RunningTarget {
  /** `simulator` or `rgw`: the report's file name. */
  name: string;
  /** What the figures call it: `mirrorspec serve 0.1.0`, `Ceph RGW 16.2.15`. */
  label: string;
  conf: S3TestsConf;
  /** Said in the report when a run is not what the suite expects (one user for all three). */
  notes: string[];
  /** True when alt and tenant are distinct users: tests that need another user mean something. */
  distinctUsers: boolean;
  stop(): Promise<void>;
}

/** A key pair in the shape AWS's have: 20 and 40 characters. */
function newKeys(): { accessKeyId: string; secretAccessKey: string } {
  const pick = (alphabet: string, length: number) =>
    [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
  const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return { accessKeyId: pick(upper, 20), secretAccessKey: pick(`${upper}abcdefghijklmnopqrstuvwxyz`, 40) };
}

/** Whether `serve --help` says --access-key may be given more than once (one user per key pair). */
async function serveTakesSeveralKeys(root: string): Promise<boolean> {
  const { stdout, stderr } = await run(process.execPath, ['bin/mirrorspec.mjs', 'serve', '--help'], {
    cwd: root,
    timeout: 30_000,
  }).catch((error: { stdout?: string; stderr?: string }) => ({
    stdout: error.stdout ?? '',
    stderr: error.stderr ?? '',
  }));
  const help = `${stdout}\n${stderr}`;
  const start = help.indexOf('--access-key');
  if (start === -1) return false;
  const rest = help.slice(start);
  const next = rest.slice(1).search(/\n {2}--(?!secret-key)/);
  return /repeatable/i.test(next === -1 ? rest : rest.slice(0, next + 1));
}

/** Starts `node bin/mirrorspec.mjs serve --port 0` with access control on, as many users as it takes. */
export async function startSimulator(root: string): Promise<RunningTarget> {
  const several = await serveTakesSeveralKeys(root);
  const pairs = several ? [newKeys(), newKeys(), newKeys()] : [newKeys()];
  const args = ['bin/mirrorspec.mjs', 'serve', '--port', '0'];
  for (const pair of pairs) args.push('--access-key', pair.accessKeyId, '--secret-key', pair.secretAccessKey);
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const endpoint = await listeningOn(child);
  const url = new URL(endpoint);
  // The package's own version: the command line has no --version.
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
  const user = (index: number): S3TestsUser => {
    const pair = pairs[index] ?? pairs[0];
    if (pair === undefined) throw new Error('no key pair');
    // One user per key pair, named by its access key id; with one pair the simulator's owner is `mirrorspec`.
    const id = several ? pair.accessKeyId : 'mirrorspec';
    return { ...pair, userId: id, displayName: id, email: `${id.toLowerCase()}@example.test` };
  };
  return {
    name: 'simulator',
    label: `mirrorspec serve ${version.trim()}`,
    conf: {
      host: url.hostname,
      port: Number(url.port),
      main: user(0),
      alt: user(1),
      tenant: { ...user(2), tenant: 'testx' },
    },
    notes: several ? [] : ['`mirrorspec serve` takes one key pair: main, alt and tenant are the same user'],
    distinctUsers: several,
    stop: async () => {
      child.kill('SIGTERM');
    },
  };
}

function listeningOn(child: ChildProcess): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(
        new ToolError('MS_TARGET_UNREACHABLE', `mirrorspec serve printed no endpoint in 30 s:\n${output}`),
      );
    }, 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] === undefined) return;
      clearTimeout(timer);
      resolve(match[1]);
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new ToolError('MS_TARGET_UNREACHABLE', `mirrorspec serve exited with ${code}:\n${output}`));
    });
  });
}

/**
 * The RGW that `.ci/peers/rgw.sh start` started, from the variables it prints (RGW_ENDPOINT,
 * RGW_ACCESS_KEY, RGW_SECRET_KEY, RGW_DIR): its user is main; alt and a tenant user are created here with
 * radosgw-admin and the gateway's own ceph.conf, fresh keys each run.
 */
export async function prepareRgw(env: NodeJS.ProcessEnv): Promise<RunningTarget> {
  const { RGW_ENDPOINT, RGW_ACCESS_KEY, RGW_SECRET_KEY, RGW_DIR } = env;
  if (!RGW_ENDPOINT || !RGW_ACCESS_KEY || !RGW_SECRET_KEY || !RGW_DIR) {
    throw new ToolError(
      'MS_CREDENTIALS',
      '--target rgw needs RGW_ENDPOINT, RGW_ACCESS_KEY, RGW_SECRET_KEY and RGW_DIR: eval the output of `bash .ci/peers/rgw.sh start`',
    );
  }
  const conf = join(RGW_DIR, 'ceph.conf');
  const admin = (...args: string[]) =>
    run('radosgw-admin', ['-c', conf, ...args], { timeout: 30_000 }).then((result) => result.stdout);
  const info = JSON.parse(await admin('user', 'info', '--uid=mirrorspec')) as { display_name: string };
  const main: S3TestsUser = {
    accessKeyId: RGW_ACCESS_KEY,
    secretAccessKey: RGW_SECRET_KEY,
    userId: 'mirrorspec',
    displayName: info.display_name,
    email: 'mirrorspec@example.test',
  };
  await admin('user', 'modify', '--uid=mirrorspec', `--email=${main.email}`);
  const created = async (uid: string, tenant?: string): Promise<S3TestsUser> => {
    const keys = newKeys();
    const who = tenant === undefined ? [`--uid=${uid}`] : [`--tenant=${tenant}`, `--uid=${uid}`];
    await admin('user', 'rm', ...who, '--purge-data').catch(() => undefined);
    const email = `${uid}@example.test`;
    await admin(
      'user',
      'create',
      ...who,
      `--display-name=${uid}`,
      `--email=${email}`,
      `--access-key=${keys.accessKeyId}`,
      `--secret-key=${keys.secretAccessKey}`,
    );
    return { ...keys, userId: tenant === undefined ? uid : `${tenant}$${uid}`, displayName: uid, email };
  };
  const alt = await created('s3tests-alt');
  const tenant = { ...(await created('s3tests-tenant', 'testx')), tenant: 'testx' };
  const version = await run('radosgw', ['--version'], { timeout: 10_000 }).then(
    (result) => /ceph version (\S+)/.exec(result.stdout)?.[1] ?? 'unknown',
    () => 'unknown',
  );
  const url = new URL(RGW_ENDPOINT);
  return {
    name: 'rgw',
    label: `Ceph RGW ${version} (memstore)`,
    conf: { host: url.hostname, port: Number(url.port), main, alt, tenant },
    notes: [],
    distinctUsers: true,
    stop: async () => undefined,
  };
}
