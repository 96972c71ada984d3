// The soak's books: the keys (slots) it uses, what each check found, the tallies of origin fetches per
// scenario, the errors and violations kept for the report. The scenarios (workload.ts) write into it and
// the summary reads it.

import { encodeKey } from '../../conformance/client/s3-client.ts';
import type { ScriptableOrigin } from '../../conformance/origin/scriptable-origin.ts';
import { type Body, judge, type Slot, type Verdict } from './slots.ts';
import { planDetails } from './soak-dice.ts';
import { bump, type SoakAnswer, type SoakHttp, whole200 } from './soak-http.ts';
import { Tally } from './tally.ts';

export interface WorkloadOptions {
  bucket: string;
  slots: number;
  /** Bytes the keys may hold at once; past it, clients recycle (check, then DELETE) stored keys. */
  maxStoredBytes: number;
  seed: number;
}

/** One check that found what the truth does not allow, kept for the report. */
interface Violation {
  verdict: Verdict;
  key: string;
  when: string;
  truth: string[];
  plan: string;
  found: string;
}

const MAX_VIOLATIONS_KEPT = 10;

export class Ledger {
  readonly slots: Slot[] = [];
  readonly errors = new Map<string, number>();
  readonly verdicts = new Map<Verdict, number>();
  readonly scenarios = new Map<string, number>();
  readonly tallies = new Map<string, Tally>();
  readonly violations: Violation[] = [];
  wrongAnswers = 0;
  strayFetches = 0;
  checks = 0;
  liveBytes = 0;

  /**
   * When the soak killed the simulator on purpose (ms since the epoch). A mirror's answer is not a
   * promise that its write-back was committed, and nothing bounds when the commit comes (the disk store
   * fsyncs first: on a busy disk that took over 2 s once in CI), so a kill after a mirror began leaves
   * the key absent or whole until a check has seen the object stored; from then on it must stay.
   */
  kills: readonly number[] = [];

  private readonly byPath = new Map<string, Slot>();
  protected readonly outsideTouched = new Set<number>();

  constructor(
    protected readonly http: SoakHttp,
    protected readonly origin: ScriptableOrigin,
    protected readonly options: WorkloadOptions,
  ) {
    for (let index = 0; index < options.slots; index++) {
      const key = slotKey(index);
      const slot: Slot = {
        index,
        key,
        originPath: `/o/${encodeKey(key)}`,
        incarnation: 0,
        plan: { kind: 'not-found' },
        puts: [],
        truth: new Set(['absent']),
        liveBytes: 0,
        touched: false,
      };
      this.slots.push(slot);
      this.byPath.set(slot.originPath, slot);
    }
  }

  /**
   * Ties the origin's requests to the episodes that caused them. Called periodically to keep the
   * origin's log short, and at the end of every episode, when all its requests have been logged (the
   * origin logs a request on arrival, before the simulator can answer anyone).
   */
  drainOriginLog(): void {
    const batch = this.origin.requests();
    this.origin.clearLog();
    for (const request of batch) {
      const slot = this.byPath.get(request.path);
      if (slot?.episode !== undefined && request.at >= slot.episode.startedAt) slot.episode.fetches++;
      else {
        this.strayFetches++;
        this.error('origin request outside any GET of its key');
      }
    }
  }

  /** Checks every key the soak touched; the mirror configuration must be gone, so no GET can fetch. */
  async verifyAll(concurrency: number): Promise<void> {
    const touched = this.slots.filter((slot) => slot.touched);
    let next = 0;
    const worker = async () => {
      while (next < touched.length) {
        const slot = touched[next++] as Slot;
        await this.check(slot, 'at the end');
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    for (const index of this.outsideTouched) {
      const answer = await this.http.send('HEAD', this.objectPath(outsideKey(index)));
      if (answer.status !== 404) this.error(`a key outside every rule exists at the end (${answer.status})`);
    }
  }

  get touchedKeys(): number {
    return this.slots.filter((slot) => slot.touched).length + this.outsideTouched.size;
  }

  /** Judges what the key holds now (HEAD, then GET if present), without ever triggering a fetch. */
  async check(slot: Slot, when: string): Promise<'absent' | 'present' | 'unknown'> {
    this.checks++;
    const during = slot.mirroredDuring;
    const excused =
      during !== undefined &&
      slot.truth.has('origin') &&
      !slot.truth.has('absent') &&
      this.kills.some((at) => at >= during.from);
    if (excused) slot.truth.add('absent');
    const head = await this.http.send('HEAD', this.objectPath(slot.key));
    if (head.status === 404 && head.cut === undefined) {
      this.record(slot, when, judge(slot, undefined), 'absent');
      return 'absent';
    }
    if (head.status !== 200 || head.cut !== undefined) {
      this.error(`a check's HEAD answered ${describe(head)}`);
      return 'unknown';
    }
    // A GET of a key that exists is a hit: nothing is fetched, nothing changes.
    const get = await this.http.send('GET', this.objectPath(slot.key));
    if (!whole200(get)) {
      this.error(`a check's GET answered ${describe(get)}`);
      return 'unknown';
    }
    if (head.headers['content-length'] !== String(get.length)) {
      this.error('HEAD and GET of a stored key disagree on its length');
    }
    this.record(slot, when, judge(slot, get), `${get.length} bytes, sha256 ${get.sha256.slice(0, 12)}…`);
    // Seen stored, so committed: a later kill no longer excuses its absence.
    if (during !== undefined && slot.plan.kind !== 'not-found' && matches(get, slot.plan.body)) {
      if (excused) slot.truth.delete('absent');
      delete slot.mirroredDuring;
    }
    return 'present';
  }

  /** A miss answered the origin's object whole: the key holds it (unless a planned kill came first). */
  protected mirrored(slot: Slot, startedAt: number): void {
    slot.truth = new Set(['origin']);
    slot.mirroredDuring = { from: startedAt };
  }

  protected async remove(slot: Slot): Promise<void> {
    const answer = await this.http.send('DELETE', this.objectPath(slot.key));
    if (answer.status === 204 && answer.cut === undefined) slot.truth = new Set(['absent']);
    else {
      this.error(`a DELETE answered ${describe(answer)}`);
      slot.truth.add('absent');
    }
  }

  protected record(slot: Slot, when: string, verdict: Verdict, found: string): void {
    bump(this.verdicts, verdict);
    if (verdict === 'ok' || this.violations.length >= MAX_VIOLATIONS_KEPT) return;
    this.violations.push({
      verdict,
      key: slot.key,
      when,
      truth: [...slot.truth],
      plan: planDetails(slot.plan),
      found,
    });
  }

  protected objectPath(key: string): string {
    return `/${this.options.bucket}/${encodeKey(key)}`;
  }

  protected tally(name: string, fetches: number): void {
    let tally = this.tallies.get(name);
    if (tally === undefined) {
      tally = new Tally();
      this.tallies.set(name, tally);
    }
    tally.add(fetches);
  }

  protected scenario(name: string): void {
    bump(this.scenarios, name);
  }

  error(kind: string): void {
    bump(this.errors, kind);
  }

  protected wrongAnswer(kind: string): void {
    this.wrongAnswers++;
    this.error(kind);
  }
}

function slotKey(index: number): string {
  const name = `m/s${String(index).padStart(5, '0')}`;
  // Some keys need percent-encoding on the way to the origin, so the soak covers it too.
  if (index % 7 === 3) return `${name}/päth (x)+y.bin`;
  if (index % 11 === 5) return `${name}/a b~c/%41`;
  return name;
}

export function outsideKey(index: number): string {
  return `x/outside-${index}`;
}

export function matches(answer: SoakAnswer, content: Body): boolean {
  return answer.length === content.size && answer.sha256 === content.sha256;
}

export function describe(answer: SoakAnswer): string {
  if (answer.cut !== undefined)
    return answer.status === undefined ? 'no answer (connection failed)' : `${answer.status}, then a cut`;
  return String(answer.status);
}
