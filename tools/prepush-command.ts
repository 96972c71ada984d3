// `mirrorspec prepush`: pull a list of objects from a bucket's origin into the bucket ahead of traffic
// (KS3 "file pre-push", seeds/000). The template is streamed as the request body, never read whole, so a
// 100,000-line list costs the command a few chunks of memory. With --wait the job is followed to its end.

import { createReadStream, type Stats, statSync } from 'node:fs';
import { pipeline, Transform, type TransformCallback } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { PrepushApi, type PrepushRefusal } from '../conformance/client/prepush-api.ts';
import { isToolError, ToolError, toolErrorLine, usageErrorLine } from '../errors/tool-error.ts';
import type { PrepushJob, PrepushMode } from '../spec/model.ts';
import { count, Progress, summary } from './prepush-progress.ts';

const USAGE = `usage: mirrorspec prepush <file> --endpoint <url> --bucket <name> [options]

Pulls every object listed in <file> from the bucket's origin into the bucket. One entry per line: an
object key (fetched through the bucket's mirror rules, like a GET miss), an absolute http(s) origin URL,
or "source,destination-key". Blank lines and lines starting with # are ignored; at most 100000 entries.

  --endpoint <url>     the store, e.g. http://127.0.0.1:9000 (required)
  --bucket <name>      the bucket to fill (required)
  --mode <mode>        skip-existing (default): leave objects the bucket already holds;
                       overwrite: fetch them again and replace them
  --concurrency <n>    origin fetches at a time (the simulator takes 1 to 64, default 8)
  --wait               follow the job, then print a summary; Ctrl-C cancels the job
  -h, --help           this text

Exit status: 0 when the job started (or, with --wait, ended with no failed or invalid entry), 1 when it
could not start or ended with failed or invalid entries, cancelled or failed, 2 on a usage error.
`;

const POLL_MS = 250;
/** How long polling may keep failing (a restarting store, a dropped connection) before giving up. */
const POLL_GIVE_UP_MS = 10_000;
const SIGINT_EXIT = 130;
/** After a cancel, how long to wait for the job to settle its fetches and write its result file. */
const CANCEL_WAIT_MS = 5_000;

interface Options {
  file: string;
  endpoint: string;
  bucket: string;
  mode?: PrepushMode;
  concurrency?: number;
  wait: boolean;
}

export async function prepushCommand(argv: string[]): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseOptions(argv);
  } catch (error) {
    // parseArgs says what is wrong (an unknown option, a missing value) in its own words.
    const usage = isToolError(error) ? error : new ToolError('MS_USAGE', (error as Error).message);
    process.stderr.write(usageErrorLine('mirrorspec prepush', usage));
    return usage.exitStatus;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }

  // Checked before connecting, so a typo in the path is reported as such and not as a cut upload.
  let stats: Stats;
  try {
    stats = statSync(options.file);
  } catch (error) {
    return fail(
      new ToolError('MS_TEMPLATE', `cannot read the template ${options.file}: ${describeFileError(error)}`),
    );
  }
  if (!stats.isFile()) {
    return fail(
      new ToolError('MS_TEMPLATE', `the template ${options.file} is not a file: give the path of a list`),
    );
  }

  const client = new PrepushApi(options.endpoint);
  const file = createReadStream(options.file);
  let readError: unknown;
  file.on('error', (error) => {
    readError = error;
  });
  const counter = new EntryCounter();
  // pipeline() destroys the counter when the file fails, so the upload stops instead of hanging.
  const template = pipeline(file, counter, () => undefined);
  const started = await reach(client, () =>
    client.submit({
      bucket: options.bucket,
      template,
      ...(options.mode ? { mode: options.mode } : {}),
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    }),
  );
  if (readError !== undefined) {
    return fail(
      new ToolError(
        'MS_TEMPLATE',
        `cannot read the template ${options.file}: ${describeFileError(readError)}`,
      ),
    );
  }
  if (typeof started === 'string') return fail(new ToolError('MS_TARGET_UNREACHABLE', started));
  if (!started.ok) return fail(refusalLine(started));

  const job = started.job;
  const total = Math.max(job.counts.entries, counter.entries);
  const jobUrl = client.jobUrl(job.bucket, job.id);
  const announcement =
    `pre-push ${job.id} started on bucket ${job.bucket}: ${count(total)} entries, ` +
    `mode ${job.mode}, concurrency ${job.concurrency}\nfollow it: curl ${jobUrl}\n`;
  if (!options.wait) {
    process.stdout.write(`${announcement}cancel it: curl -X DELETE ${jobUrl}\n`);
    return 0;
  }
  // Listening before the job is announced, so a Ctrl-C prompted by that line always cancels the job.
  const interrupted = new AbortController();
  const onSigint = () => interrupted.abort();
  process.once('SIGINT', onSigint);
  try {
    process.stdout.write(announcement);
    return await follow(client, job, total, interrupted.signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/**
 * Counts the template's entries on the way to the store, as the store counts them (lines that are not
 * blank and do not start with #), so progress has a total from the start: the store's own
 * `counts.entries` may only grow as it reads its copy of the list.
 */
class EntryCounter extends Transform {
  entries = 0;
  private content = false;
  private comment = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    for (const byte of chunk) {
      if (byte === 0x0a) {
        this.endLine();
      } else if (!this.content && byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) {
        this.content = true;
        this.comment = byte === 0x23;
      }
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    this.endLine();
    done();
  }

  private endLine(): void {
    if (this.content && !this.comment) this.entries++;
    this.content = false;
    this.comment = false;
  }
}

function parseOptions(argv: string[]): Options | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      endpoint: { type: 'string' },
      bucket: { type: 'string' },
      mode: { type: 'string' },
      concurrency: { type: 'string' },
      wait: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) return 'help';
  const [file, ...extra] = positionals;
  if (file === undefined)
    throw new ToolError('MS_USAGE', 'give the template file to push, e.g. mirrorspec prepush list.txt');
  if (extra.length > 0) {
    throw new ToolError(
      'MS_USAGE',
      `one template file at a time, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  }
  if (values.endpoint === undefined) {
    throw new ToolError(
      'MS_USAGE',
      '--endpoint is required: the store to push into, e.g. --endpoint http://127.0.0.1:9000',
    );
  }
  let endpoint: URL;
  try {
    endpoint = new URL(values.endpoint);
  } catch {
    throw new ToolError(
      'MS_USAGE',
      `--endpoint takes an http(s) URL such as http://127.0.0.1:9000, got '${values.endpoint}'`,
    );
  }
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') {
    throw new ToolError(
      'MS_USAGE',
      `--endpoint takes an http(s) URL such as http://127.0.0.1:9000, got '${values.endpoint}'`,
    );
  }
  if (endpoint.search !== '' || endpoint.hash !== '') {
    throw new ToolError(
      'MS_USAGE',
      `--endpoint takes a URL without query or fragment, got '${values.endpoint}'`,
    );
  }
  if (values.bucket === undefined || values.bucket === '') {
    throw new ToolError('MS_USAGE', '--bucket is required: the bucket to fill, e.g. --bucket photos');
  }
  const mode = values.mode;
  if (mode !== undefined && mode !== 'skip-existing' && mode !== 'overwrite') {
    throw new ToolError('MS_USAGE', `--mode is skip-existing or overwrite, got '${mode}'`);
  }
  let concurrency: number | undefined;
  if (values.concurrency !== undefined) {
    if (!/^\d+$/.test(values.concurrency) || Number(values.concurrency) < 1) {
      throw new ToolError(
        'MS_USAGE',
        `--concurrency takes a whole number of at least 1, got '${values.concurrency}'`,
      );
    }
    concurrency = Number(values.concurrency);
  }
  return {
    file,
    endpoint: values.endpoint,
    bucket: values.bucket,
    ...(mode !== undefined ? { mode } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    wait: values.wait,
  };
}

/** Polls until the job ends, drawing progress; `interrupted` (Ctrl-C) cancels the job rather than abandoning it. */
async function follow(
  client: PrepushApi,
  first: PrepushJob,
  total: number,
  interrupted: AbortSignal,
): Promise<number> {
  const progress = new Progress(process.stdout.isTTY === true, total);
  const startedAt = Date.now();
  const ended = await untilEnded(client, first, (current) => progress.show(current), interrupted);
  if (interrupted.aborted) {
    progress.end();
    return cancel(client, first);
  }
  if (typeof ended === 'string') {
    progress.end();
    return fail(`lost track of pre-push ${first.id}: ${ended}`);
  }
  progress.last(ended);
  process.stdout.write(summary(client, ended, Date.now() - startedAt));
  const clean = ended.state === 'succeeded' && ended.counts.failed === 0 && ended.counts.invalid === 0;
  return clean ? 0 : 1;
}

/**
 * Reads the job every POLL_MS until it is no longer running; the job as it ended, or why it could not be
 * read. Stops early, with the job as last read, when `signal` aborts.
 */
async function untilEnded(
  client: PrepushApi,
  first: PrepushJob,
  onRead: (job: PrepushJob) => void,
  signal: AbortSignal,
): Promise<PrepushJob | string> {
  let job = first;
  let failingSince: number | undefined;
  while (job.state === 'running') {
    onRead(job);
    try {
      await sleep(POLL_MS, undefined, { signal });
    } catch {
      // Cut short by the signal: the caller acts on it.
    }
    if (signal.aborted) return job;
    const read = await reach(client, () => client.job(job.bucket, job.id));
    if (typeof read !== 'string' && read.ok) {
      job = read.job;
      failingSince = undefined;
      continue;
    }
    // A 404 means the store forgot the job (it restarted): polling longer cannot help.
    const permanent = typeof read !== 'string' && read.status === 404;
    failingSince ??= Date.now();
    if (permanent || Date.now() - failingSince >= POLL_GIVE_UP_MS) {
      return typeof read === 'string' ? read : refusalLine(read);
    }
  }
  return job;
}

async function cancel(client: PrepushApi, job: PrepushJob): Promise<number> {
  // A second Ctrl-C while the cancel is on its way means the user wants out now.
  const leave = () => process.exit(SIGINT_EXIT);
  process.once('SIGINT', leave);
  try {
    const answer = await reach(client, () => client.cancel(job.bucket, job.id));
    if (typeof answer === 'string' || !answer.ok) {
      const why = typeof answer === 'string' ? answer : refusalLine(answer);
      process.stderr.write(
        `mirrorspec prepush: interrupted, but cancelling ${job.id} failed (${why}); ` +
          `it may still be running: curl -X DELETE ${client.jobUrl(job.bucket, job.id)}\n`,
      );
      return SIGINT_EXIT;
    }
    // A cancelled job still settles its fetches in flight and writes its result file before it ends;
    // waiting a little lets the message give final counts and a result file that exists.
    const ended = await untilEnded(client, answer.job, () => undefined, AbortSignal.timeout(CANCEL_WAIT_MS));
    const last = typeof ended === 'string' ? answer.job : ended;
    const { counts } = last;
    const where =
      last.state === 'running'
        ? `still stopping; its result file will be ${client.resultUrl(last)}`
        : `result file: ${client.resultUrl(last)}`;
    process.stdout.write(
      `pre-push ${job.id} cancelled after ${count(counts.processed - counts.cancelled)} entries ` +
        `(stored ${count(counts.stored)}, cancelled ${count(counts.cancelled)}); ${where}\n`,
    );
    return SIGINT_EXIT;
  } finally {
    process.removeListener('SIGINT', leave);
  }
}

/** Runs a request; a store that cannot be reached becomes a sentence saying what to check. */
async function reach<T>(client: PrepushApi, send: () => Promise<T>): Promise<T | string> {
  try {
    return await send();
  } catch (error) {
    return unreachable(client.endpoint, error);
  }
}

function unreachable(endpoint: string, error: unknown): string {
  const code = errorCode(error);
  const { hostname } = new URL(endpoint);
  switch (code) {
    case 'ECONNREFUSED':
      return `nothing answers at ${endpoint} (connection refused): start the store (mirrorspec serve) or fix --endpoint`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve ${hostname}: fix the host name in --endpoint`;
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return `no answer from ${endpoint} (connect timeout): check --endpoint and that the store is reachable`;
    default:
      return `the connection to ${endpoint} failed (${code ?? (error as Error).message}): check --endpoint and that the store is running`;
  }
}

/** undici wraps the socket's error; the useful code may be on the cause, or on one of several attempts. */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    const nested = current instanceof AggregateError ? current.errors[0] : current.cause;
    if (nested === undefined) return typeof code === 'string' ? code : undefined;
    current = nested;
  }
  return undefined;
}

function describeFileError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file: check the path';
  if (code === 'EACCES') return 'permission denied: make it readable';
  if (code === 'EISDIR') return 'it is a folder: give the path of a list';
  return (error as Error).message;
}

function refusalLine(refusal: PrepushRefusal): string {
  return `${refusal.code}: ${refusal.message}`;
}

/** A tool error, or an S3 refusal already written `Code: message`, in one line. */
function fail(problem: string | ToolError): number {
  if (typeof problem !== 'string') {
    process.stderr.write(toolErrorLine('mirrorspec prepush', problem));
    return problem.exitStatus;
  }
  process.stderr.write(`mirrorspec prepush: ${problem}\n`);
  return 1;
}
