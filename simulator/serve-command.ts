// `mirrorspec serve`: the simulator on a port until interrupted.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { isToolError, ToolError, toolErrorLine, usageErrorLine } from '../errors/tool-error.ts';
import { profileIds } from '../spec/profiles.ts';
import { Keyring, parseCredentialsFile } from './core/users.ts';
import { startSimulator } from './index.ts';
import { DiskStore } from './storage/disk-store.ts';
import type { ObjectStore } from './storage/object-store.ts';
import { openStore, STORE_URL_FORMS } from './storage/store-url.ts';

const USAGE = `usage: mirrorspec serve [options]

  --profile <id>               vendor profile to behave as: ${profileIds().join(', ')}
                               (default neutral; spec/vendors/<id>/profile.yaml)
  --host <address>             address to listen on (default 127.0.0.1)
  --port <number>              port to listen on, 0 for any free port (default 9000)
  --max-object-size <bytes>    largest object a mirror fetch stores (default 53687091200, 50 GiB)
  --origin-timeout-ms <ms>     connect, headers and idle-body timeout for origin fetches (default 10000;
                               checked on a coarse clock, so it may fire up to about 0.5 s late)
  --virtual-host-domain <name> bucket.<name> addresses a bucket (default localhost; repeatable)
  --allow-private-origins      allow origins on loopback, private, link-local and unique-local
                               addresses (refused by default: the simulator must not be an open proxy)
  --access-key <id>            with --secret-key: require signatures made with this key pair (AWS
  --secret-key <secret>        SigV4 or V2, OSS V1, KS3, OBS, JD Cloud JDCLOUD2); anonymous requests
                               may then only list public-read buckets and read public-read objects
                               (default: no access control, anyone may do anything). Repeatable, in
                               pairs: each key pair is a user who owns the buckets it creates
  --credentials-file <path>    key pairs from an AWS shared credentials file, one user per section
                               with aws_access_key_id and aws_secret_access_key
  --region <name>              the region SigV4 signatures must be scoped to (default us-east-1)
  --max-memory <size>          most bytes of objects kept in memory at once, e.g. 512MiB or 2GiB (default
                               a quarter of the machine's memory, at most 2 GiB); a write past it is
                               refused with 507 InsufficientStorage and stores nothing
  --data-dir <dir>             keep buckets, objects and mirror configurations in <dir> (created if
                               need be), so they survive a restart or kill -9 (default: in memory,
                               lost when the process ends). Multipart uploads in progress and bucket
                               owners under access control are still kept in memory only
  --store <url>                where objects, buckets and mirror rules live: memory: (default), or
                               s3://<bucket>[/<prefix>/]?endpoint=<url>&region=<name>, a bucket of any
                               S3 server (keys from MIRRORSPEC_STORE_ACCESS_KEY_ID and
                               MIRRORSPEC_STORE_SECRET_ACCESS_KEY, or AWS_ACCESS_KEY_ID and
                               AWS_SECRET_ACCESS_KEY); several serve processes over one such bucket
                               share everything. Reset deletes everything under that bucket or prefix
`;

/**
 * How much V8 lets the heap grow past what the last full collection kept while a pre-push job runs:
 * 1.25×. By default it grows up to 4× on a machine with memory to spare, and a long list pays that in
 * garbage: a 100,000-entry pre-push peaked at 444 MB RSS with under 160 MB alive, and at 273 and 290 MB
 * with this, in the same time (docs/performance.md). Only while a job runs: a store that grows by what
 * clients write and mirror pays a full collection every quarter of growth under it, which cost a
 * mirrored miss a sixth of its CPU (docs/performance.md). V8 reads the flag at every collection, so
 * setting it while the process runs takes effect; 0 gives V8 its own growth back. Only `serve` sets it:
 * a library does not set its host's flags.
 */
function heapGrowthFor(prepushJobsRunning: number): void {
  setFlagsFromString(`--heap-growing-percent=${prepushJobsRunning > 0 ? 25 : 0}`);
}

export async function serveCommand(argv: string[]): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(argv);
  } catch (error) {
    // parseArgs says what is wrong (an unknown option, a missing value) in its own words.
    const usage = isToolError(error) ? error : new ToolError('MS_USAGE', (error as Error).message);
    process.stderr.write(usageErrorLine('mirrorspec serve', usage));
    return usage.exitStatus;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  let store: ObjectStore;
  if (options.dataDir !== undefined) {
    try {
      store = await DiskStore.open(options.dataDir);
    } catch (error) {
      process.stderr.write(
        `mirrorspec serve: cannot use --data-dir ${options.dataDir}: ${(error as Error).message}\n`,
      );
      return 1;
    }
  } else {
    try {
      store = await openStore(options.store, process.env, options.maxMemory);
    } catch (error) {
      if (!isToolError(error)) throw error;
      const line = error.code === 'MS_USAGE' ? usageErrorLine : toolErrorLine;
      process.stderr.write(line('mirrorspec serve', error));
      return error.exitStatus;
    }
  }
  let running: Awaited<ReturnType<typeof startSimulator>>;
  try {
    running = await startSimulator({ ...options, store, onPrepushJobs: heapGrowthFor });
  } catch (error) {
    await store.close();
    const code = (error as { code?: string }).code;
    const hint = code === 'EADDRINUSE' ? ' (the port is taken: choose another with --port)' : '';
    process.stderr.write(
      `mirrorspec serve: cannot listen on ${options.host}:${options.port}${hint}: ${(error as Error).message}\n`,
    );
    return 1;
  }
  const keys = options.credentials?.map(({ accessKeyId }) => accessKeyId).join(', ');
  const auth = keys
    ? `access control on: signatures with access key ${keys}, region ${options.region ?? 'us-east-1'}`
    : 'access control off: anonymous requests allowed';
  const where =
    options.dataDir !== undefined
      ? `data in ${options.dataDir}`
      : options.store !== undefined && options.store !== 'memory:'
        ? `store ${options.store}`
        : 'data in memory';
  process.stdout.write(
    `mirrorspec simulator listening on ${running.endpoint} (profile ${options.profile}; ${auth}; ${where})\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  // Closes the store too (the simulator owns the store it was given).
  await running.close();
  return 0;
}

function parseOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      profile: { type: 'string', default: 'neutral' },
      port: { type: 'string', default: '9000' },
      'max-object-size': { type: 'string' },
      'origin-timeout-ms': { type: 'string' },
      'virtual-host-domain': { type: 'string', multiple: true },
      'allow-private-origins': { type: 'boolean', default: false },
      'access-key': { type: 'string', multiple: true },
      'secret-key': { type: 'string', multiple: true },
      'credentials-file': { type: 'string' },
      region: { type: 'string' },
      'data-dir': { type: 'string' },
      'max-memory': { type: 'string' },
      store: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help' as const;
  const port = wholeNumber(values.port, '--port');
  if (port > 65_535) throw new ToolError('MS_USAGE', `--port must be at most 65535, got ${port}`);
  const credentials = keyPairs(
    values['access-key'] ?? [],
    values['secret-key'] ?? [],
    values['credentials-file'],
  );
  const region = values.region;
  if (region !== undefined && !/^[a-z0-9-]{1,63}$/.test(region)) {
    throw new ToolError('MS_USAGE', `--region takes a region name like us-east-1, got '${region}'`);
  }
  const dataDir = values['data-dir'];
  if (dataDir === '') throw new ToolError('MS_USAGE', '--data-dir takes a directory, got an empty string');
  const maxMemory = values['max-memory'] === undefined ? undefined : byteSize(values['max-memory']);
  if (maxMemory !== undefined && dataDir !== undefined) {
    throw new ToolError(
      'MS_USAGE',
      '--max-memory bounds the in-memory store; with --data-dir objects are kept on disk: give one or the other',
    );
  }
  // --data-dir names a store too: one store a process.
  if (values.store !== undefined && dataDir !== undefined)
    throw new ToolError(
      'MS_USAGE',
      `--store and --data-dir each name the store: give one (${STORE_URL_FORMS})`,
    );
  if (maxMemory !== undefined && values.store !== undefined && values.store !== 'memory:') {
    throw new ToolError('MS_USAGE', '--max-memory bounds the in-memory store, not one given with --store');
  }
  const timeout = values['origin-timeout-ms'];
  const size = values['max-object-size'];
  return {
    host: values.host,
    port,
    profile: profileOption(values.profile),
    allowPrivateOrigins: values['allow-private-origins'],
    ...(size !== undefined ? { maxObjectSize: wholeNumber(size, '--max-object-size') } : {}),
    ...(timeout !== undefined
      ? {
          originTimeouts: {
            connectMs: wholeNumber(timeout, '--origin-timeout-ms'),
            headersMs: wholeNumber(timeout, '--origin-timeout-ms'),
            bodyIdleMs: wholeNumber(timeout, '--origin-timeout-ms'),
          },
        }
      : {}),
    ...(values['virtual-host-domain'] ? { virtualHostDomains: values['virtual-host-domain'] } : {}),
    ...(credentials.length > 0 ? { credentials } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(dataDir !== undefined ? { dataDir } : {}),
    ...(maxMemory !== undefined ? { maxMemory } : {}),
    ...(values.store !== undefined ? { store: values.store } : {}),
  };
}

/** The key pairs of the options: --access-key and --secret-key in pairs, then the credentials file's. */
function keyPairs(ids: string[], secrets: string[], file: string | undefined) {
  if (ids.length !== secrets.length) {
    throw new ToolError(
      'MS_USAGE',
      '--access-key and --secret-key go together: give one --secret-key for each --access-key, or neither',
    );
  }
  if ([...ids, ...secrets].some((value) => value === '')) {
    throw new ToolError('MS_USAGE', '--access-key and --secret-key must not be empty');
  }
  const pairs = ids.map((accessKeyId, index) => ({ accessKeyId, secretAccessKey: secrets[index] ?? '' }));
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ToolError(
        'MS_USAGE',
        `--credentials-file ${file} cannot be read: ${(error as Error).message}`,
      );
    }
    try {
      pairs.push(...parseCredentialsFile(text));
    } catch (error) {
      throw new ToolError('MS_USAGE', `--credentials-file ${file}: ${(error as Error).message}`);
    }
  }
  try {
    if (pairs.length > 0) new Keyring(pairs);
  } catch (error) {
    throw new ToolError('MS_USAGE', (error as Error).message);
  }
  return pairs;
}

function profileOption(id: string): string {
  if (!profileIds().includes(id))
    throw new ToolError(
      'MS_USAGE',
      `--profile '${id}' is not a profile: use one of ${profileIds().join(', ')}`,
    );
  return id;
}

function wholeNumber(raw: string, option: string): number {
  if (!/^\d+$/.test(raw)) throw new ToolError('MS_USAGE', `${option} takes a whole number, got '${raw}'`);
  return Number(raw);
}

const UNITS: Record<string, number> = {
  '': 1,
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
};

/** `--max-memory`: a whole number of bytes, or one with a binary unit (KiB, MiB, GiB, TiB). */
function byteSize(raw: string): number {
  const match = /^(\d{1,16})(B|KiB|MiB|GiB|TiB)?$/.exec(raw);
  const bytes = match ? Number(match[1]) * (UNITS[match[2] ?? ''] ?? 1) : Number.NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new ToolError(
      'MS_USAGE',
      `--max-memory takes a size in bytes, or with KiB, MiB, GiB or TiB (512MiB, 2GiB), got '${raw}'`,
    );
  }
  return bytes;
}
