// `npm run bench:prepush`: how fast the simulator pre-pushes a full 100,000-entry list (KS3's limit per
// batch, seeds/000) and how much memory it takes, against a loopback origin that answers instantly, so
// what is measured is the simulator. Everything runs in this process, so the peak RSS covers the origin,
// the client and the simulator with every object it stored. Not a test: it prints figures and whether
// they meet the targets, and exits 1 when they do not.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { PrepushApi } from '../../conformance/client/prepush-api.ts';
import { startSimulatorProcess } from '../../conformance/support/simulator-process.ts';
import { isToolError, ToolError, toolErrorLine } from '../../errors/tool-error.ts';
import type { PrepushJob } from '../../spec/model.ts';
import { chooseCli, describeChoice } from './built-cli.ts';

const USAGE = `usage: npm run bench:prepush -- [options]

  --entries <n>       template lines (default 100000, the most one pre-push takes)
  --concurrency <n>   origin fetches at a time (default 16)
`;

const TARGET_SECONDS = 60;
const TARGET_RSS_MB = 300;
/** Past this the run is reported as it stands and abandoned, so a hung job cannot hang a CI step. */
const HARD_TIMEOUT_MS = 180_000;
/** How long `mirrorspec serve` may take to start; the hard timeout counts from the job's start, after it. */
const START_TIMEOUT_MS = 30_000;
const RSS_SAMPLE_MS = 100;
/** Often enough that polling adds little to the measured wall time. */
const POLL_MS = 100;
const BODY_BYTES = 100;
const BUCKET = 'prepush-bench';

/** The options, or the exit status once the usage (asked for, or after a usage error) is printed. */
function optionsOrExit(argv: string[]): { entries: number; concurrency: number } | number {
  let options: { entries: number; concurrency: number } | 'help';
  try {
    options = parseOptions(argv);
  } catch (error) {
    // parseArgs says what is wrong (an unknown option, a missing value) in its own words.
    const usage = isToolError(error) ? error : new ToolError('MS_USAGE', (error as Error).message);
    process.stderr.write(`${toolErrorLine('prepush-bench', usage)}\n${USAGE}`);
    return usage.exitStatus;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  return options;
}

async function main(argv: string[]): Promise<number> {
  const options = optionsOrExit(argv);
  if (typeof options === 'number') return options;

  // The simulator runs as `mirrorspec serve` in its own process, so its RSS is the job's alone; this
  // process (origin and client) is measured apart.
  let benchPeakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    benchPeakRss = Math.max(benchPeakRss, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);

  const origin = await startBenchOrigin();
  const running = await startServe();
  const client = new PrepushApi(running.endpoint);
  let job: PrepushJob | undefined;
  let startedAt = 0;
  let endedAt: number | undefined;

  /** Prints the figures as they stand and whether they meet the targets; true when all do. */
  const report = (outcome: string): boolean =>
    reportFigures(outcome, {
      options,
      job,
      seconds: ((endedAt ?? performance.now()) - startedAt) / 1000,
      peakMb: running.peakRssMb,
      benchPeakRss,
      originRequests: origin.requests(),
    });

  try {
    await admin(running.endpoint, 'PUT', `/${BUCKET}`);
    await admin(
      running.endpoint,
      'PUT',
      `/_mirrorspec/buckets/${BUCKET}/mirror`,
      JSON.stringify({ rules: [{ id: 'all', origins: [`${origin.url}/`] }] }),
    );
    process.stdout.write(
      `pre-pushing ${options.entries} objects of ${BODY_BYTES} bytes from ${origin.url} into ${running.endpoint}/${BUCKET}\n`,
    );

    startedAt = performance.now();
    const deadline = startedAt + HARD_TIMEOUT_MS;
    const submitted = await client.submit({
      bucket: BUCKET,
      template: Readable.from(templateLines(options.entries)),
      concurrency: options.concurrency,
    });
    if (!submitted.ok) {
      report(`refused: ${submitted.code}: ${submitted.message}`);
      return 1;
    }
    job = submitted.job;
    while (job.state === 'running') {
      if (performance.now() > deadline) {
        report(`abandoned after the hard timeout of ${HARD_TIMEOUT_MS / 1000} s, still running`);
        return 1;
      }
      await sleep(POLL_MS);
      const read = await client.job(BUCKET, job.id);
      if (!read.ok) {
        report(`lost the job: ${read.code}: ${read.message}`);
        return 1;
      }
      job = read.job;
    }
    endedAt = performance.now();
    return report(job.state) ? 0 : 1;
  } finally {
    clearInterval(sampler);
    await running.stop();
    await origin.close();
  }
}

/** What the bench measured, as it stands when it reports. */
interface BenchFigures {
  options: { entries: number; concurrency: number };
  job: PrepushJob | undefined;
  seconds: number;
  /** The simulator process's peak RSS. */
  peakMb: number;
  /** This process's peak RSS (origin and client), in bytes. */
  benchPeakRss: number;
  originRequests: number;
}

/** Prints the figures and whether they meet the targets; true when all do. */
function reportFigures(outcome: string, figures: BenchFigures): boolean {
  const processed = figures.job?.counts.processed ?? 0;
  const stored = figures.job?.counts.stored ?? 0;
  const { seconds, peakMb } = figures;
  const missed = [
    ...(figures.job?.state === 'succeeded' ? [] : ['the job did not succeed']),
    ...(seconds <= TARGET_SECONDS ? [] : [`over ${TARGET_SECONDS} s`]),
    ...(peakMb <= TARGET_RSS_MB ? [] : [`peak RSS over ${TARGET_RSS_MB} MB`]),
    ...(stored === figures.options.entries ? [] : [`${figures.options.entries - stored} entries not stored`]),
  ];
  const lines = [
    `entries:        ${figures.options.entries}`,
    `concurrency:    ${figures.options.concurrency}`,
    `outcome:        ${outcome}`,
    `wall time:      ${seconds.toFixed(2)} s (target ≤ ${TARGET_SECONDS} s)`,
    `rate:           ${Math.round(processed / seconds)} entries/s`,
    `peak RSS:       ${peakMb.toFixed(1)} MB, the simulator process (target ≤ ${TARGET_RSS_MB} MB)`,
    `bench RSS:      ${(figures.benchPeakRss / 2 ** 20).toFixed(1)} MB peak, origin and client (not part of the target)`,
    `stored:         ${stored} of ${figures.options.entries}`,
    `origin GETs:    ${figures.originRequests}`,
    `counts:         ${figures.job ? JSON.stringify(figures.job.counts) : 'none (the job never started)'}`,
    `targets:        ${missed.length === 0 ? 'met' : `missed: ${missed.join('; ')}`}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return missed.length === 0;
}

function parseOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      entries: { type: 'string', default: '100000' },
      concurrency: { type: 'string', default: '16' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help' as const;
  return {
    entries: positive(values.entries, '--entries'),
    concurrency: positive(values.concurrency, '--concurrency'),
  };
}

function positive(raw: string, option: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new ToolError('MS_USAGE', `${option} takes a whole number of at least 1, got '${raw}'`);
  }
  return Number(raw);
}

/** The template line by line, so the client holds one line at a time, as it would reading a file. */
async function* templateLines(entries: number): AsyncGenerator<string> {
  yield '# generated by prepush-bench\n';
  for (let i = 0; i < entries; i++) yield `objects/${String(i).padStart(6, '0')}.bin\n`;
}

/**
 * `mirrorspec serve`, judged on the built package when dist/ is fresh (tools/bench/built-cli.ts).
 */
function startServe() {
  const cli = chooseCli();
  process.stdout.write(`serve: ${describeChoice(cli)}\n`);
  // The origin is on loopback, which a simulator refuses by default.
  return startSimulatorProcess(['--port', '0', '--allow-private-origins'], {
    startTimeoutMs: START_TIMEOUT_MS,
    bin: cli.path,
  });
}

/** The fastest origin node:http gives: every GET is a 200 with 100 bytes that depend on the path. */
async function startBenchOrigin() {
  let requests = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests++;
    const body = Buffer.alloc(BODY_BYTES, req.url ?? '/');
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': BODY_BYTES });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function admin(endpoint: string, method: 'PUT', path: string, body?: string): Promise<void> {
  const response = await request(`${endpoint}${path}`, {
    method,
    ...(body !== undefined ? { body, headers: { 'content-type': 'application/json' } } : {}),
  });
  const text = await response.body.text();
  if (response.statusCode >= 300) throw new Error(`${method} ${path}: ${response.statusCode} ${text}`);
}

// The last resort, for a hang before the job exists (a stuck upload, a bucket that never answers). It counts
// from this process's start, so it allows for the simulator's start and the set-up before the job's own
// hard timeout begins, and fires only after that timeout has had its chance to report.
const WATCHDOG_MS = START_TIMEOUT_MS + HARD_TIMEOUT_MS + 30_000;
const watchdog = setTimeout(() => {
  process.stderr.write(`prepush-bench: no result after ${WATCHDOG_MS / 1000} s, giving up\n`);
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();
process.exitCode = await main(process.argv.slice(2));
clearTimeout(watchdog);
