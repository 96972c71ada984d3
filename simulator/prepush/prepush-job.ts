// One pre-push job: reads its spooled template line by line, fetches entries with bounded concurrency
// through the same miss pipeline as a GET (mirror/miss.ts: rule matching, origin order, header and size
// rules, stored whole; its fetches are not shared with GETs), and writes the result file (one CSV row
// per input line, exactly once) into the bucket when it ends.

import { setMaxListeners } from 'node:events';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { PrepushJob as PrepushJobDocument, PrepushMode } from '../../spec/model.ts';
import type { Profile } from '../../spec/profiles.ts';
import { type MirrorRule, normaliseRule } from '../../spec/rules.ts';
import { matchRule } from '../core/rule-matching.ts';
import { leadMiss, type MissDeps, storeWhole } from '../mirror/miss.ts';
import type { OriginClient } from '../origin/origin-client.ts';
import type { ObjectStore, ObjectWriter } from '../storage/object-store.ts';
import { decodeLine, readLines } from './read-lines.ts';
import { csvField, parseTemplateLine, type TemplateLine } from './template-line.ts';

type PrepushOutcome =
  | 'stored'
  | 'origin-404'
  | 'failed'
  | 'skipped-exists'
  | 'invalid'
  | 'ignored'
  | 'cancelled';

interface PrepushJobOptions {
  id: string;
  /** Entries in the list (counted while it was spooled), so progress has its total from the start. */
  entries: number;
  bucket: string;
  mode: PrepushMode;
  concurrency: number;
  /** The spooled template; removed when the job ends. */
  spoolFile: string;
  store: ObjectStore;
  origin: OriginClient;
  maxObjectSize: number;
  /** The profile's fetch switches: entries fail, fail over and keep headers as a GET miss does. */
  switches: Profile['switches'];
  /** Aborted when the simulator resets or closes. */
  lifetime: AbortSignal;
  now: () => Date;
}

/** The rule a URL entry uses when no rule matches its key: follow redirects, send no headers. */
const URL_DEFAULTS: MirrorRule = normaliseRule({ id: 'prepush-url', origins: [] });

export class PrepushJob {
  readonly id: string;
  readonly resultKey: string;
  private state: PrepushJobDocument['state'] = 'running';
  private readonly createdAt: Date;
  private finishedAt: Date | undefined;
  private lines = 0;
  private readonly counts = {
    entries: 0,
    processed: 0,
    stored: 0,
    originNotFound: 0,
    failed: 0,
    skipped: 0,
    invalid: 0,
    cancelled: 0,
  };
  private readonly stop = new AbortController();
  private readonly signal: AbortSignal;
  private result: ObjectWriter | undefined;
  /** The result file's writes, in order: each starts when the one before has been taken. */
  private written: Promise<void> = Promise.resolve();
  private readonly encoder = new TextEncoder();

  constructor(private readonly options: PrepushJobOptions) {
    this.id = options.id;
    this.resultKey = `file pre push result ${options.id}.csv`;
    this.createdAt = options.now();
    this.counts.entries = options.entries;
    this.signal = AbortSignal.any([this.stop.signal, options.lifetime]);
    // Every fetch in flight listens for the abort: as many listeners as the concurrency, by design.
    setMaxListeners(0, this.signal);
  }

  get finished(): boolean {
    return this.state !== 'running';
  }

  cancel(): void {
    if (!this.finished) this.stop.abort();
  }

  toJSON(): PrepushJobDocument {
    return {
      id: this.id,
      bucket: this.options.bucket,
      mode: this.options.mode,
      concurrency: this.options.concurrency,
      state: this.state,
      createdAt: this.createdAt.toISOString(),
      finishedAt: this.finishedAt?.toISOString() ?? null,
      lines: this.lines,
      counts: { ...this.counts },
      resultKey: this.resultKey,
    };
  }

  /** Runs to the end; never rejects. */
  async run(): Promise<void> {
    const { store, bucket } = this.options;
    // A store that cannot take the result file (full) leaves the job without one; its counts still tell.
    this.result = await store.beginWrite(bucket, this.resultKey).catch(() => undefined);
    this.row('line,source,key,outcome,detail');
    const inFlight = new Set<Promise<void>>();
    try {
      let number = 0;
      for await (const raw of readLines(createReadStream(this.options.spoolFile))) {
        number++;
        this.lines = number;
        const text = raw.overlong ? undefined : decodeLine(raw);
        const line: TemplateLine =
          text === undefined
            ? {
                kind: 'invalid',
                source: '',
                reason: raw.overlong ? 'the line is longer than 8 KiB' : 'the line is not valid UTF-8',
              }
            : parseTemplateLine(text);
        if (line.kind === 'ignored') {
          this.record(number, '', '', 'ignored', '');
          continue;
        }
        if (line.kind === 'invalid') {
          this.record(number, line.source, '', 'invalid', line.reason);
          continue;
        }
        if (this.signal.aborted) {
          this.record(number, line.source, line.key, 'cancelled', 'the job was cancelled before this entry');
          continue;
        }
        while (inFlight.size >= this.options.concurrency) await Promise.race(inFlight);
        const work: Promise<void> = this.entry(number, line).finally(() => inFlight.delete(work));
        inFlight.add(work);
      }
      await Promise.all(inFlight);
      await this.finish(this.signal.aborted ? 'cancelled' : 'succeeded');
    } catch (error) {
      await Promise.allSettled(inFlight);
      await this.finish('failed', error);
    } finally {
      await rm(this.options.spoolFile, { force: true });
    }
  }

  private async entry(number: number, line: Extract<TemplateLine, { kind: 'entry' }>): Promise<void> {
    const { store, bucket } = this.options;
    const record = (outcome: PrepushOutcome, detail: string) =>
      this.record(number, line.source, line.key, outcome, detail);
    // Read before the look, so a PUT landing after it wins over this entry's write.
    const since = await store.generation(bucket, line.key);
    if (this.options.mode === 'skip-existing' && (await store.head(bucket, line.key)) !== undefined) {
      record('skipped-exists', '');
      return;
    }
    // A key entry is a miss on its source key; a URL entry takes the rule of the key it is stored under.
    const matched = matchRule(
      (await store.getMirrorConfiguration(bucket))?.rules ?? [],
      line.url ? line.key : line.source,
    );
    if (line.url === undefined && matched === undefined) {
      record('failed', 'no mirror rule of the bucket matches the key');
      return;
    }
    const rule = matched ?? URL_DEFAULTS;
    // There is no client: only the rule's set headers reach the origin, and no query string.
    const source = line.url ?? { key: line.source, rawQuery: '', clientHeaders: [] };
    const miss = { bucket, key: line.key, rule, source, writeBack: true, since };
    const found = await leadMiss(this.deps(), miss);
    if (this.signal.aborted) {
      if (found.kind === 'found') found.response.discard();
      record('cancelled', 'the job was cancelled during the fetch');
      return;
    }
    if (found.kind === 'not-found') return record('origin-404', '');
    if (found.kind === 'failed') return record('failed', found.reason);
    if (found.kind === 'relay-redirect') {
      return record('failed', `the origin answered ${found.status} and the rule does not follow redirects`);
    }
    const outcome = await storeWhole(found);
    if (outcome.kind === 'stored') record('stored', `${outcome.meta.size} bytes`);
    else if (outcome.kind === 'unshared') {
      record('failed', 'the key was written or deleted during the fetch, which wins');
    } else if (this.signal.aborted) record('cancelled', 'the job was cancelled during the fetch');
    else record('failed', outcome.reason);
  }

  private deps(): MissDeps {
    return {
      store: this.options.store,
      origin: this.options.origin,
      maxObjectSize: this.options.maxObjectSize,
      switches: this.options.switches,
      signal: this.signal,
    };
  }

  private record(number: number, source: string, key: string, outcome: PrepushOutcome, detail: string): void {
    if (outcome !== 'ignored') this.counts.processed++;
    if (outcome === 'stored') this.counts.stored++;
    else if (outcome === 'origin-404') this.counts.originNotFound++;
    else if (outcome === 'failed') this.counts.failed++;
    else if (outcome === 'skipped-exists') this.counts.skipped++;
    else if (outcome === 'invalid') this.counts.invalid++;
    else if (outcome === 'cancelled') this.counts.cancelled++;
    this.row([String(number), source, key, outcome, detail].map(csvField).join(','));
  }

  /** Rows are written in batches: one small allocation per row adds up over 100,000 rows. */
  private pendingRows = '';

  private row(text: string): void {
    this.pendingRows += `${text}\r\n`;
    if (this.pendingRows.length >= 64 * 1024) this.flushRows();
  }

  private flushRows(): void {
    if (this.pendingRows === '') return;
    const bytes = this.encoder.encode(this.pendingRows);
    this.pendingRows = '';
    this.written = this.written.then(async () => {
      try {
        await this.result?.write(bytes);
      } catch {
        // A full store keeps no result file; the job's counts still tell what happened.
        await this.result?.abort();
        this.result = undefined;
      }
    });
  }

  private async finish(state: PrepushJobDocument['state'], error?: unknown): Promise<void> {
    if (error !== undefined)
      this.row(`,,,failed,${csvField(`the job stopped: ${(error as Error).message}`)}`);
    this.flushRows();
    await this.written;
    await this.result?.commit({ contentType: 'text/csv; charset=utf-8', userMetadata: {}, acl: 'private' });
    this.state = state;
    this.finishedAt = this.options.now();
  }
}
