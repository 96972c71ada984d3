// The soak's mix of scenarios, run by each client in turn, and the tallies they leave. A slot is used by
// one scenario at a time (races are scenarios of their own), so what each scenario expects is exact, and
// every origin request can be tied to the GETs that caused it.

import { setTimeout as sleep } from 'node:timers/promises';
import {
  type OriginScript,
  originBytes,
  type ScriptableOrigin,
} from '../../conformance/origin/scriptable-origin.ts';
import { describe, Ledger, matches, outsideKey, type WorkloadOptions } from './ledger.ts';
import { type Body, body, contentBody, lastPutId, type Plan, Pool, type Slot } from './slots.ts';
import { between, PREBUFFER, planName, SLOW_MS, SoakDice, scriptFor } from './soak-dice.ts';
import { type SoakAnswer, type SoakHttp, whole200 } from './soak-http.ts';
import { STORED_TALLIES } from './tally.ts';

const MAX_CONCURRENT_MISSES = 8;
const OUTSIDE_KEYS = 64;
const REACH_POLL_MS = 5;
const REACH_POLLS = 400;

export class Workload extends Ledger {
  private readonly absent = new Pool();
  private readonly present = new Pool();
  private readonly unsettled = new Pool();
  private readonly dice: SoakDice;

  constructor(http: SoakHttp, origin: ScriptableOrigin, options: WorkloadOptions) {
    super(http, origin, options);
    this.dice = new SoakDice(options.seed);
    for (const slot of this.slots) this.absent.add(slot);
  }

  /** One client: scenario after scenario until told to stop, at most `maxIterations` of them. */
  async runClient(stop: () => boolean, maxIterations: number): Promise<void> {
    for (let iteration = 0; iteration < maxIterations && !stop(); iteration++) {
      try {
        await this.runOne();
      } catch (error) {
        this.error(`soak itself failed: ${(error as Error).message}`);
      }
    }
  }

  private async runOne(): Promise<void> {
    if (this.liveBytes > this.options.maxStoredBytes || this.absent.size === 0 || this.unsettled.size > 0) {
      if (
        await this.withSlot(this.unsettled.size > 0 ? this.unsettled : this.present, (slot) =>
          this.recycle(slot),
        )
      )
        return;
    }
    const roll = this.dice.random() * 100;
    let ran: boolean;
    if (roll < 30) ran = await this.withSlot(this.present, (slot) => this.hit(slot));
    else if (roll < 52)
      ran = await this.withSlot(this.absent, (slot) => this.miss(slot, 1, this.dice.okPlan()));
    else if (roll < 62) {
      const plan = this.dice.random() < 0.8 ? this.dice.okPlan() : this.dice.faultyPlan();
      const clients = 2 + Math.floor(this.dice.random() * (MAX_CONCURRENT_MISSES - 1));
      ran = await this.withSlot(this.absent, (slot) => this.miss(slot, clients, plan));
    } else if (roll < 72)
      ran = await this.withSlot(this.absent, (slot) => this.miss(slot, 1, this.dice.faultyPlan()));
    else if (roll < 78) {
      ran = await this.withSlot(this.absent, (slot) => this.miss(slot, 1, { kind: 'not-found' }));
    } else if (roll < 86) ran = await this.withSlot(this.absent, (slot) => this.race(slot));
    else if (roll < 90) ran = await this.withSlot(this.present, (slot) => this.overwrite(slot));
    else if (roll < 94) ran = await this.withSlot(this.present, (slot) => this.missAgain(slot));
    else if (roll < 98) ran = await this.withSlot(this.present, (slot) => this.recycle(slot));
    else ran = await this.outside();
    // Every slot this scenario could use was taken by another one: let the others move on.
    if (!ran) await sleep(2);
  }

  /** Runs `scenario` on a slot of `pool`, which no other scenario may use meanwhile; false if none was free. */
  private async withSlot(pool: Pool, scenario: (slot: Slot) => Promise<void>): Promise<boolean> {
    const slot = pool.pick(this.dice.random());
    if (slot === undefined) return false;
    this.absent.delete(slot);
    this.present.delete(slot);
    this.unsettled.delete(slot);
    slot.touched = true;
    try {
      await scenario(slot);
    } catch (error) {
      // Whatever the scenario did not get to record, any content of this incarnation may now be there.
      slot.truth = new Set(['absent', 'origin', ...slot.puts.map((_, n) => `put:${n}`)]);
      throw error;
    } finally {
      delete slot.episode;
      this.release(slot);
    }
    return true;
  }

  private release(slot: Slot): void {
    this.liveBytes -= slot.liveBytes;
    slot.liveBytes = Math.max(0, ...[...slot.truth].map((id) => contentBody(slot, id)?.size ?? 0));
    this.liveBytes += slot.liveBytes;
    if (slot.truth.size > 1) this.unsettled.add(slot);
    else if (slot.truth.has('absent')) this.absent.add(slot);
    else this.present.add(slot);
  }

  // --- scenarios ----------------------------------------------------------------------------------

  /** `clients` GETs at once on a key that must be absent, under a new origin script. */
  private async miss(slot: Slot, clients: number, plan: Plan): Promise<void> {
    if (!(await this.startIncarnation(slot, plan))) return;
    this.scenario(clients === 1 ? `miss (${planName(plan)})` : `concurrent miss (${planName(plan)})`);
    await this.missEpisode(slot, clients);
  }

  /** A GET on a stored key: answered from the bucket, with the bytes the truth says. */
  private async hit(slot: Slot): Promise<void> {
    this.scenario('hit');
    const [expected] = [...slot.truth];
    const wanted = contentBody(slot, expected ?? '');
    slot.episode = { startedAt: Date.now(), fetches: 0 };
    const answer = await this.http.send('GET', this.objectPath(slot.key));
    this.drainOriginLog();
    if (slot.episode.fetches > 0) this.error('a hit contacted the origin');
    if (!whole200(answer)) {
      this.error(`a hit answered ${describe(answer)}`);
      return;
    }
    if (answer.headers['x-mirrorspec-mirror'] === 'miss') {
      this.error('a hit found its key missing and fetched it');
      slot.truth = new Set(['absent', 'origin']);
      return;
    }
    if (wanted === undefined || !matches(answer, wanted))
      this.wrongAnswer('a hit answered other bytes than stored');
  }

  /** A user's PUT over a stored key. */
  private async overwrite(slot: Slot): Promise<void> {
    this.scenario('overwrite with PUT');
    const content = this.newPut(slot);
    const answer = await this.http.send(
      'PUT',
      this.objectPath(slot.key),
      originBytes(content.size, content.seed),
    );
    if (answer.status === 200 && answer.cut === undefined) slot.truth = new Set([lastPutId(slot)]);
    else {
      this.error(`a PUT answered ${describe(answer)}`);
      slot.truth.add(lastPutId(slot));
    }
  }

  /** Check a stored key, DELETE it, and miss it again: a second fetch of the same origin object. */
  private async missAgain(slot: Slot): Promise<void> {
    if (slot.plan.kind !== 'ok') return this.hit(slot);
    await this.recycle(slot);
    if (!slot.truth.has('absent') || slot.truth.size !== 1) return;
    this.scenario('miss again after DELETE');
    await this.missEpisode(slot, 1);
  }

  /** Checks a key against the truth, then DELETEs it: how the stored bytes stay within the budget. */
  private async recycle(slot: Slot): Promise<void> {
    this.scenario('check and DELETE');
    await this.check(slot, 'before a DELETE');
    await this.remove(slot);
  }

  /**
   * A user's PUT or DELETE while one or more misses of the key are waiting for a slow origin body: the
   * user's write wins, and the fetch that was overtaken stores nothing.
   */
  private async race(slot: Slot): Promise<void> {
    const size = PREBUFFER + 32 * 1024 + Math.floor(this.dice.random() * (1024 * 1024 - PREBUFFER));
    const pauseMs = between(this.dice.random(), SLOW_MS);
    const midBody = this.dice.random() < 0.75;
    const plan: Plan = { kind: 'ok', body: body(size, this.dice.seed()), chunked: this.dice.random() < 0.3 };
    if (
      !(await this.startIncarnation(
        slot,
        plan,
        midBody ? { delayMidBodyMs: pauseMs } : { delayBeforeHeadersMs: pauseMs },
      ))
    )
      return;
    const clients = this.dice.random() < 0.6 ? 1 : 2 + Math.floor(this.dice.random() * 3);
    const withPut = this.dice.random() < 0.7;
    this.scenario(
      `race: ${withPut ? 'PUT' : 'DELETE'} during ${clients === 1 ? 'a miss' : 'concurrent misses'}`,
    );

    const episode = { startedAt: Date.now(), fetches: 0 };
    slot.episode = episode;
    const gets = Array.from({ length: clients }, () => this.http.send('GET', this.objectPath(slot.key)));
    let polls = 0;
    while (episode.fetches === 0 && polls++ < REACH_POLLS) {
      await sleep(REACH_POLL_MS);
      this.drainOriginLog();
    }
    if (episode.fetches === 0) this.error('race: the origin was not reached within 2 s');
    // Time for every GET of the scenario to be inside the simulator, waiting on the same fetch.
    await sleep(20);

    let userWrite: SoakAnswer;
    if (withPut) {
      const content = this.newPut(slot);
      userWrite = await this.http.send(
        'PUT',
        this.objectPath(slot.key),
        originBytes(content.size, content.seed),
      );
    } else {
      userWrite = await this.http.send('DELETE', this.objectPath(slot.key));
    }
    const answers = await Promise.all(gets);
    this.drainOriginLog();

    const allowed: (Body | undefined)[] = [plan.body, withPut ? slot.puts.at(-1) : undefined];
    for (const answer of answers) {
      if (!whole200(answer)) this.error(`race: a miss on a healthy slow origin answered ${describe(answer)}`);
      else if (!allowed.some((candidate) => candidate !== undefined && matches(answer, candidate))) {
        this.wrongAnswer('race: a miss answered neither the origin bytes nor the PUT bytes');
      }
    }
    const written = withPut ? userWrite.status === 200 : userWrite.status === 204;
    const what = `race with ${withPut ? 'PUT' : 'DELETE'}${clients === 1 ? '' : ', concurrent misses'}`;
    if (!written || userWrite.cut !== undefined) {
      this.error(`race: the ${withPut ? 'PUT' : 'DELETE'} answered ${describe(userWrite)}`);
      slot.truth = new Set(['absent', 'origin', ...(withPut ? [lastPutId(slot)] : [])]);
      this.tally(`${what}, the write failed`, episode.fetches);
      return;
    }
    if (withPut || clients === 1) {
      slot.truth = new Set(withPut ? [lastPutId(slot)] : ['absent']);
      this.tally(what, episode.fetches);
      return;
    }
    // Misses that waited on the overtaken fetch look at the bucket again and, finding the key deleted,
    // miss again after the DELETE: one new fetch between them, whose object is then stored.
    slot.truth = new Set(['absent', 'origin']);
    const found = await this.check(slot, 'after concurrent misses overtaken by a DELETE');
    if (found === 'present' && answers.some((answer) => whole200(answer) && matches(answer, plan.body))) {
      slot.truth = new Set(['origin']);
      this.tally(STORED_TALLIES[2], episode.fetches - 1);
    } else {
      if (found === 'absent') slot.truth = new Set(['absent']);
      this.tally(`${what}, nothing stored`, episode.fetches);
    }
  }

  /** A GET on a key no rule covers: a plain 404 that must not reach the origin. */
  private async outside(): Promise<boolean> {
    this.scenario('key outside every rule');
    const index = Math.floor(this.dice.random() * OUTSIDE_KEYS);
    this.outsideTouched.add(index);
    const answer = await this.http.send('GET', this.objectPath(outsideKey(index)));
    if (answer.status !== 404 || answer.cut !== undefined) {
      this.error(`a key outside every rule answered ${describe(answer)}`);
    }
    return true;
  }

  // --- steps --------------------------------------------------------------------------------------

  /**
   * Ends the slot's last incarnation with a check (its key must be absent now), then scripts the origin
   * for the next one. False when the key could not be brought back to absent.
   */
  private async startIncarnation(slot: Slot, plan: Plan, extra: OriginScript = {}): Promise<boolean> {
    if (slot.incarnation > 0) {
      const found = await this.check(slot, 'before reusing the key');
      if (found !== 'absent') {
        await this.remove(slot);
        if (!slot.truth.has('absent') || slot.truth.size !== 1) return false;
      }
    }
    slot.incarnation++;
    slot.plan = plan;
    slot.puts = [];
    slot.truth = new Set(['absent']);
    delete slot.mirroredDuring;
    if (plan.kind === 'not-found') this.origin.unscript(slot.originPath);
    else this.origin.script(slot.originPath, { ...scriptFor(plan, this.dice.random()), ...extra });
    return true;
  }

  /** `clients` GETs at once on an absent key, judged against the slot's plan. */
  private async missEpisode(slot: Slot, clients: number): Promise<void> {
    const { plan } = slot;
    const episode = { startedAt: Date.now(), fetches: 0 };
    slot.episode = episode;
    const answers = await Promise.all(
      Array.from({ length: clients }, () => this.http.send('GET', this.objectPath(slot.key))),
    );
    this.drainOriginLog();
    const concurrent = clients > 1;

    if (plan.kind === 'ok') {
      let stored = false;
      let unknown = false;
      for (const answer of answers) {
        if (whole200(answer)) {
          if (matches(answer, plan.body)) stored = true;
          else this.wrongAnswer('a miss answered other bytes than the origin sent');
        } else {
          // A healthy origin can still time out when the machine is saturated; said, not failed.
          this.error(`a miss on a healthy origin answered ${describe(answer)}`);
          if (answer.cut !== undefined) unknown = true;
        }
      }
      if (stored) {
        this.mirrored(slot, episode.startedAt);
        if (episode.fetches === 0) this.error('a miss answered 200 without an origin request');
        this.tally(STORED_TALLIES[concurrent ? 1 : 0], episode.fetches);
      } else {
        slot.truth = new Set(unknown ? ['absent', 'origin'] : ['absent']);
        this.tally(
          `${concurrent ? 'failed concurrent miss' : 'failed miss'} (healthy origin)`,
          episode.fetches,
        );
      }
      return;
    }

    if (plan.kind === 'faulty') {
      const late = plan.fault === 'slow-headers' || plan.fault === 'stalled-body';
      for (const answer of answers) {
        if (whole200(answer) && late && matches(answer, plan.body)) {
          this.error(`the origin timeout did not fire: a ${plan.fault} origin's body was answered whole`);
        } else if (whole200(answer)) {
          this.wrongAnswer(`a failing origin (${plan.fault}) was answered as a whole 200`);
        } else if (answer.status !== 424 && !(answer.status === 200 && answer.cut !== undefined)) {
          this.error(`a miss on a failing origin (${plan.fault}) answered ${describe(answer)}`);
        }
      }
      this.tally(`${concurrent ? 'failed concurrent miss' : 'failed miss'} (${plan.fault})`, episode.fetches);
      return;
    }

    for (const answer of answers) {
      if (answer.status !== 404 || answer.cut !== undefined) {
        this.error(`a miss on an origin that says 404 answered ${describe(answer)}`);
      }
    }
    this.tally('not-found miss', episode.fetches);
  }

  // --- plans and helpers --------------------------------------------------------------------------

  private newPut(slot: Slot): Body {
    const content = this.dice.putBody();
    slot.puts.push(content);
    return content;
  }
}
