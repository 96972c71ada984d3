// The simulator's pre-push jobs: spooling a submitted list to disk, starting, finding and cancelling jobs.

import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PrepushMode } from '../../spec/model.ts';
import type { Profile } from '../../spec/profiles.ts';
import { S3Error } from '../errors/s3-error.ts';
import type { BackgroundWork } from '../mirror/background-work.ts';
import type { OriginClient } from '../origin/origin-client.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { PrepushJob } from './prepush-job.ts';
import { readLines } from './read-lines.ts';
import { csvField } from './template-line.ts';

/** KS3: "Only 100000 files can be pushed in advance for each batch" (seed 000_30e948614a016386.txt). */
export const MAX_PREPUSH_ENTRIES = 100_000;

// What jobs may hold (proposed: no vendor documents these; without them a client could fill the temporary
// directory, 100,000 lines of 8 KiB being some 820 MB a job, or memory with job records).
/** Bytes of one submitted list: 100,000 entries of some 335 bytes each. */
const MAX_PREPUSH_TEMPLATE_BYTES = 32 * 1024 * 1024;
/** Jobs running (or being spooled) at once on one simulator; with the byte cap, at most 256 MiB spooled. */
const MAX_RUNNING_PREPUSH_JOBS = 8;
/** Finished jobs a bucket remembers; older ones are forgotten (their result files stay in the bucket). */
const MAX_FINISHED_PREPUSH_JOBS = 100;

interface StartJob {
  bucket: string;
  mode: PrepushMode;
  concurrency: number;
  /** The template bytes, or the JSON entries already turned into template lines. */
  template: AsyncIterable<Uint8Array>;
}

export class PrepushJobs {
  private jobs = new Map<string, PrepushJob[]>();
  /** Lists being spooled: they count towards the running jobs before they are jobs. */
  private spooling = 0;
  /** Lists being spooled and jobs whose run has not ended, as `onRunning` hears of them. */
  private busy = 0;
  private lifetime = new AbortController();
  private spoolDir: Promise<string> | undefined;

  constructor(
    private readonly deps: {
      store: ObjectStore;
      origin: OriginClient;
      background: () => BackgroundWork;
      maxObjectSize: number;
      /** The profile's fetch switches (failover, redirects, chunked answers, kept headers). */
      switches: Profile['switches'];
      /** Told how many lists are being spooled or run whenever that changes (SimulatorOptions). */
      onRunning?: (running: number) => void;
    },
  ) {}

  /** Spools the list to disk (never whole in memory), refuses it whole past the limits, then starts it. */
  async start(request: StartJob): Promise<PrepushJob> {
    const running = [...this.jobs.values()].flat().filter((job) => !job.finished).length + this.spooling;
    if (running >= MAX_RUNNING_PREPUSH_JOBS) {
      throw new S3Error(
        'InvalidRequest',
        `${running} pre-push jobs are running, the most this simulator runs at once: wait for one to finish or cancel one, then submit this list again`,
        { bucket: request.bucket },
      );
    }
    this.spooling++;
    this.changeBusy(1);
    try {
      return await this.spoolAndStart(request);
    } catch (error) {
      this.changeBusy(-1);
      throw error;
    } finally {
      this.spooling--;
    }
  }

  private changeBusy(by: 1 | -1): void {
    this.busy += by;
    this.deps.onRunning?.(this.busy);
  }

  private async spoolAndStart(request: StartJob): Promise<PrepushJob> {
    this.spoolDir ??= mkdtemp(join(tmpdir(), 'mirrorspec-prepush-'));
    const id = `pp-${randomBytes(6).toString('hex')}`;
    const spoolFile = join(await this.spoolDir, `${id}.txt`);
    const entries = await spool(capped(request.template, request.bucket), spoolFile).catch(
      async (error: unknown) => {
        await rm(spoolFile, { force: true });
        throw error;
      },
    );
    if (entries > MAX_PREPUSH_ENTRIES) {
      await rm(spoolFile, { force: true });
      throw new S3Error(
        'TooManyPrepushEntries',
        `the list has ${entries} entries; at most ${MAX_PREPUSH_ENTRIES} per job: split it into several jobs`,
        { bucket: request.bucket },
      );
    }
    const job = new PrepushJob({
      id,
      entries,
      bucket: request.bucket,
      mode: request.mode,
      concurrency: request.concurrency,
      spoolFile,
      store: this.deps.store,
      origin: this.deps.origin,
      maxObjectSize: this.deps.maxObjectSize,
      switches: this.deps.switches,
      lifetime: this.lifetime.signal,
      now: () => new Date(),
    });
    this.jobs.set(request.bucket, [...forgetOldest(this.jobs.get(request.bucket) ?? []), job]);
    // run() never rejects; it ends once, whether the job succeeded, failed or was cancelled.
    this.deps.background().track(job.run().finally(() => this.changeBusy(-1)));
    return job;
  }

  list(bucket: string): PrepushJob[] {
    return this.jobs.get(bucket) ?? [];
  }

  find(bucket: string, id: string): PrepushJob | undefined {
    return this.list(bucket).find((job) => job.id === id);
  }

  /** Cancels every job and forgets them (simulator reset). */
  reset(): void {
    this.lifetime.abort();
    this.lifetime = new AbortController();
    this.jobs = new Map();
  }

  async close(): Promise<void> {
    this.reset();
    if (this.spoolDir) await rm(await this.spoolDir, { recursive: true, force: true });
  }
}

/** The bucket's jobs without the oldest finished ones, so that one more finished job stays in bounds. */
function forgetOldest(jobs: PrepushJob[]): PrepushJob[] {
  let excess = jobs.filter((job) => job.finished).length + 1 - MAX_FINISHED_PREPUSH_JOBS;
  if (excess <= 0) return jobs;
  return jobs.filter((job) => !(job.finished && excess-- > 0));
}

/** The template's chunks; throws once they add up to more than MAX_PREPUSH_TEMPLATE_BYTES. */
async function* capped(template: AsyncIterable<Uint8Array>, bucket: string): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  for await (const chunk of template) {
    bytes += chunk.byteLength;
    if (bytes > MAX_PREPUSH_TEMPLATE_BYTES) {
      throw new S3Error(
        'MaxMessageLengthExceeded',
        `a pre-push list may be at most ${MAX_PREPUSH_TEMPLATE_BYTES} bytes (32 MiB): split it into several jobs`,
        { bucket },
      );
    }
    yield chunk;
  }
}

/** Writes the template to `file` and counts its entries (lines that are not blank or comments). */
async function spool(template: AsyncIterable<Uint8Array>, file: string): Promise<number> {
  const out = createWriteStream(file);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  const newline = Buffer.from('\n');
  let entries = 0;
  try {
    for await (const line of readLines(template)) {
      const text = Buffer.from(line.bytes).toString('utf8').trim();
      if (line.overlong || (text !== '' && !text.startsWith('#'))) entries++;
      // Past the limit the list is refused whole: count the rest without keeping it.
      if (entries > MAX_PREPUSH_ENTRIES) continue;
      // An overlong line keeps MAX_LINE_BYTES + 1 bytes, so it reads back as overlong.
      // Both writes always happen: `&&` would skip the newline when the first one asks to wait, and two
      // lines would merge into one.
      const wroteLine = out.write(line.bytes);
      const ok = out.write(newline) && wroteLine;
      if (!ok)
        await Promise.race([new Promise<void>((resolve) => out.once('drain', () => resolve())), failed]);
    }
  } catch (error) {
    // A list refused mid-way (too large, the client gone) must not keep its file open.
    out.destroy();
    throw error;
  }
  await Promise.race([new Promise<void>((resolve) => out.end(resolve)), failed]);
  return entries;
}

/** JSON entries as template lines, so both kinds of list share one pipeline. */
export async function* jsonEntriesAsTemplate(entries: unknown[]): AsyncGenerator<Uint8Array> {
  for (const entry of entries) {
    if (typeof entry === 'string') {
      yield Buffer.from(`${csvField(entry)}\n`);
    } else {
      const { source, key } = entry as { source: string; key?: string };
      yield Buffer.from(`${csvField(source)}${key === undefined ? '' : `,${csvField(key)}`}\n`);
    }
  }
}
