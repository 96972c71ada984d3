// What `mirrorspec prepush --wait` shows while it follows a job: a progress line (redrawn on a terminal,
// plain and rate-limited otherwise) and the summary at its end.
import type { PrepushApi } from '../conformance/client/prepush-api.ts';
import type { PrepushJob } from '../spec/model.ts';

/** Without a terminal nobody sees a redrawn line, and a log fills up: one plain line at most this often. */
const PLAIN_PROGRESS_MS = 2_000;
/** The live rate is over this window, so it follows the job's current pace rather than its history. */
const RATE_WINDOW_MS = 5_000;

/** One redrawn line on a terminal; elsewhere a plain line now and then. */
export class Progress {
  private readonly samples: { at: number; processed: number }[] = [];
  // The first plain line would say nothing yet: it comes after one interval.
  private lastPlainAt = Date.now();
  private drawnWidth = 0;

  /** `total`: the entries counted on upload, used while the store's own count is still growing. */
  constructor(
    private readonly tty: boolean,
    private readonly total: number,
  ) {}

  show(job: PrepushJob): void {
    const now = Date.now();
    this.samples.push({ at: now, processed: job.counts.processed });
    while (this.samples.length > 2 && now - (this.samples[0]?.at ?? now) > RATE_WINDOW_MS)
      this.samples.shift();
    if (this.tty) {
      this.draw(job);
      return;
    }
    if (now - this.lastPlainAt < PLAIN_PROGRESS_MS) return;
    this.lastPlainAt = now;
    process.stdout.write(`pre-push ${job.id}: ${this.figures(job).replaceAll('  ', ', ')}\n`);
  }

  /** The job as it ended: on a terminal the line is drawn once more, so it does not stop short of 100%. */
  last(job: PrepushJob): void {
    if (this.tty && this.drawnWidth > 0) this.draw(job);
    this.end();
  }

  /** Leaves the redrawn line in place and moves below it. */
  end(): void {
    if (this.tty && this.drawnWidth > 0) process.stdout.write('\n');
    this.drawnWidth = 0;
  }

  private draw(job: PrepushJob): void {
    const entries = Math.max(this.total, job.counts.entries);
    const share = entries > 0 ? Math.min(1, job.counts.processed / entries) : 0;
    const line = `${bar(share, 20)} ${percent(share).padStart(4)}  ${this.figures(job)}`;
    // Wider than the terminal, a line wraps and \r only redraws its last row: cut it instead.
    const width = Math.max(20, (process.stdout.columns || 120) - 1);
    const fitted = line.length > width ? line.slice(0, width) : line;
    process.stdout.write(`\r${fitted.padEnd(this.drawnWidth)}`);
    this.drawnWidth = fitted.length;
  }

  private figures(job: PrepushJob): string {
    const { counts } = job;
    const entries = Math.max(this.total, counts.entries);
    return (
      `${count(counts.processed)}/${count(entries)}  stored ${count(counts.stored)}  ` +
      `404 ${count(counts.originNotFound)}  failed ${count(counts.failed)}  skipped ${count(counts.skipped)}  ` +
      `invalid ${count(counts.invalid)}  ${count(Math.round(this.rate()))}/s`
    );
  }

  private rate(): number {
    const oldest = this.samples[0];
    const newest = this.samples[this.samples.length - 1];
    if (oldest === undefined || newest === undefined || newest.at === oldest.at) return 0;
    return ((newest.processed - oldest.processed) * 1000) / (newest.at - oldest.at);
  }
}

export function summary(client: PrepushApi, job: PrepushJob, followedMs: number): string {
  const { counts } = job;
  // The store's own clock spans the whole job; the local one only the part this command followed.
  const serverMs = Date.parse(job.finishedAt ?? '') - Date.parse(job.createdAt);
  const elapsedMs = Number.isFinite(serverMs) && serverMs >= 0 ? serverMs : followedMs;
  const rate = elapsedMs > 0 ? (counts.processed * 1000) / elapsedMs : counts.processed;
  return (
    `pre-push ${job.id} ${job.state} in ${seconds(elapsedMs)} s ` +
    `(${count(Math.round(rate))} entries/s)\n` +
    `  entries ${count(counts.entries)}, processed ${count(counts.processed)}: stored ${count(counts.stored)}, ` +
    `origin 404 ${count(counts.originNotFound)}, failed ${count(counts.failed)}, ` +
    `skipped ${count(counts.skipped)}, invalid ${count(counts.invalid)}, cancelled ${count(counts.cancelled)}\n` +
    `  result file: ${client.resultUrl(job)}\n` +
    (counts.failed + counts.invalid > 0
      ? `  ${count(counts.failed)} failed and ${count(counts.invalid)} invalid: the result file's detail column says why\n`
      : '')
  );
}

/** Tenths of a second for long jobs, hundredths for short ones, which would otherwise read 0.0 s. */
function seconds(ms: number): string {
  return (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
}

function bar(share: number, width: number): string {
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

function percent(share: number): string {
  return `${Math.floor(share * 100)}%`;
}

const grouping = new Intl.NumberFormat('en-US');

export function count(n: number): string {
  return grouping.format(n);
}
