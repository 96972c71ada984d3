// The commands of the model-based law: each runs one step against the real target (and origin), checks
// the answer against the model, then moves the model on. fast-check generates sequences of them and
// shrinks a failing sequence to a short story such as `FailOrigin(c, short-body), GetObject(c), HeadObject(c)`.

import fc from 'fast-check';
import { expect } from 'vitest';
import { errorCode } from '../client/http-client.ts';
import { originDigest } from '../origin/scriptable-origin.ts';
import { rule, sha256 } from '../support/mirror-laws.ts';
import {
  describeContent,
  type FailureKind,
  type MirrorModel,
  type MirrorReal,
  MODEL_KEYS,
  type ModelKey,
  missOutcome,
  type OriginContent,
  type OriginState,
  originScriptFor,
} from './mirror-model.ts';

type MirrorCommand = fc.AsyncCommand<MirrorModel, MirrorReal>;

/** Origin requests for one key so far: a hit, or a HEAD that does not fetch, must not add one. */
function originCalls(real: MirrorReal, key: ModelKey): number {
  return real.origin.requestsFor(`${real.path}/${key}`).length;
}

export function scriptOrigin(real: MirrorReal, key: ModelKey, state: OriginState): void {
  real.origin.script(`${real.path}/${key}`, originScriptFor(state));
}

/** The one rule of the model: every key, from this run's origin path. */
export function modelRule(real: MirrorReal) {
  return rule('model', [real.originBase]);
}

class PutObject implements MirrorCommand {
  constructor(
    readonly key: ModelKey,
    readonly bytes: Uint8Array,
  ) {}
  check = () => true;
  async run(model: MirrorModel, real: MirrorReal): Promise<void> {
    const result = await real.client.putObject(real.bucket, this.key, this.bytes);
    expect(result.status, `${this}`).toBe(200);
    model.stored.set(this.key, { digest: sha256(this.bytes), size: this.bytes.length, from: 'put' });
  }
  toString(): string {
    return `PutObject(${this.key}, ${this.bytes.length} bytes)`;
  }
}

class GetObject implements MirrorCommand {
  constructor(readonly key: ModelKey) {}
  check = () => true;
  async run(model: MirrorModel, real: MirrorReal): Promise<void> {
    const calls = originCalls(real, this.key);
    const result = await real.client.getObject(real.bucket, this.key);
    const stored = model.stored.get(this.key);
    if (stored !== undefined) {
      // A hit: the bucket's bytes, whatever the origin holds now, and no origin request.
      expect(result.status, `${this}: a hit`).toBe(200);
      expect(result.cut, `${this}: a hit`).toBeUndefined();
      expect(sha256(result.body), `${this}: the stored ${stored.from} bytes`).toBe(stored.digest);
      expect(originCalls(real, this.key), `${this}: a hit contacts no origin`).toBe(calls);
      return;
    }
    await real.settle();
    const outcome = missOutcome(model, this.key);
    switch (outcome.kind) {
      case 'fetched': {
        const digest = originDigest({ size: outcome.size, seed: outcome.seed });
        expect(result.status, `${this}: a mirrored miss`).toBe(200);
        expect(result.cut, `${this}: a mirrored miss`).toBeUndefined();
        expect(sha256(result.body), `${this}: the origin's bytes`).toBe(digest);
        model.stored.set(this.key, { digest, size: outcome.size, from: 'origin' });
        break;
      }
      case 'not-found':
        expect([result.status, errorCode(result)], `${this}: no such key`).toEqual([404, 'NoSuchKey']);
        break;
      case 'failed':
        // A cut connection is MirrorFailed once the status line is out: a store that answers at the
        // body's first chunk cuts a body that fails after it, one that reads it whole answers 424.
        if (result.cut === undefined)
          expect([result.status, errorCode(result)], `${this}: the origin fails`).toEqual([
            424,
            'MirrorFailed',
          ]);
        break;
    }
    // Checked after the answer, which says more when both are wrong (a hit where a miss was due).
    expect(originCalls(real, this.key), `${this}: origin requests for a miss`).toBe(
      calls + (model.rulesOn ? 1 : 0),
    );
  }
  toString(): string {
    return `GetObject(${this.key})`;
  }
}

class HeadObject implements MirrorCommand {
  constructor(readonly key: ModelKey) {}
  check = () => true;
  async run(model: MirrorModel, real: MirrorReal): Promise<void> {
    const calls = originCalls(real, this.key);
    const result = await real.client.headObject(real.bucket, this.key);
    const stored = model.stored.get(this.key);
    if (stored !== undefined) {
      expect(result.status, `${this}: a hit`).toBe(200);
      expect(result.headers['content-length'], `${this}: the stored length`).toBe(String(stored.size));
      expect(originCalls(real, this.key), `${this}: a hit contacts no origin`).toBe(calls);
      return;
    }
    if (!model.headFetches) {
      expect(result.status, `${this}: a miss`).toBe(404);
      expect(originCalls(real, this.key), `${this}: a HEAD never fetches`).toBe(calls);
      return;
    }
    // The profile makes a HEAD on a miss fetch and store, as a GET does, only without the body.
    await real.settle();
    const outcome = missOutcome(model, this.key);
    switch (outcome.kind) {
      case 'fetched':
        expect(result.status, `${this}: a mirrored miss`).toBe(200);
        expect(result.headers['content-length'], `${this}: the origin's length`).toBe(String(outcome.size));
        model.stored.set(this.key, {
          digest: originDigest({ size: outcome.size, seed: outcome.seed }),
          size: outcome.size,
          from: 'origin',
        });
        break;
      case 'not-found':
        expect(result.status, `${this}: not at the origin`).toBe(404);
        break;
      case 'failed':
        expect(result.status, `${this}: the origin failed`).toBe(424);
        break;
    }
    expect(originCalls(real, this.key), `${this}: origin requests for a miss`).toBe(
      calls + (model.rulesOn ? 1 : 0),
    );
  }
  toString(): string {
    return `HeadObject(${this.key})`;
  }
}

class DeleteObject implements MirrorCommand {
  constructor(readonly key: ModelKey) {}
  check = () => true;
  async run(model: MirrorModel, real: MirrorReal): Promise<void> {
    const result = await real.client.deleteObject(real.bucket, this.key);
    expect(result.status, `${this}`).toBe(204);
    model.stored.delete(this.key);
  }
  toString(): string {
    return `DeleteObject(${this.key})`;
  }
}

/** New content at the origin (or none). A copy the bucket already holds must not change. */
class ChangeOrigin implements MirrorCommand {
  constructor(
    readonly key: ModelKey,
    readonly content: OriginContent,
  ) {}
  check = () => true;
  async run(model: MirrorModel, real: MirrorReal): Promise<void> {
    scriptOrigin(real, this.key, this.content);
    model.origin.set(this.key, this.content);
  }
  toString(): string {
    return `ChangeOrigin(${this.key} → ${describeContent(this.content)})`;
  }
}

class FailOrigin implements MirrorCommand {
  constructor(
    readonly key: ModelKey,
    readonly how: FailureKind,
  ) {}
  check(model: Readonly<MirrorModel>): boolean {
    return model.origin.get(this.key)?.kind !== 'failing';
  }
  async run(model: MirrorModel, real: MirrorReal): Promise<void> {
    const healsTo = model.origin.get(this.key) as OriginContent | undefined;
    const state: OriginState = { kind: 'failing', how: this.how, healsTo: healsTo ?? { kind: 'missing' } };
    scriptOrigin(real, this.key, state);
    model.origin.set(this.key, state);
  }
  toString(): string {
    return `FailOrigin(${this.key}, ${this.how})`;
  }
}

class HealOrigin implements MirrorCommand {
  constructor(readonly key: ModelKey) {}
  check(model: Readonly<MirrorModel>): boolean {
    return model.origin.get(this.key)?.kind === 'failing';
  }
  async run(model: MirrorModel, real: MirrorReal): Promise<void> {
    const state = model.origin.get(this.key);
    if (state?.kind !== 'failing') throw new Error(`${this} ran on a key whose origin is not failing`);
    scriptOrigin(real, this.key, state.healsTo);
    model.origin.set(this.key, state.healsTo);
  }
  toString(): string {
    return `HealOrigin(${this.key})`;
  }
}

/**
 * Turns the mirror rule on, or off in one of two ways a user would: deleting the configuration, or
 * replacing it with a rule that matches none of the model's keys.
 */
class ReplaceRules implements MirrorCommand {
  constructor(readonly to: 'on' | 'deleted' | 'non-matching') {}
  check = () => true;
  async run(model: MirrorModel, real: MirrorReal): Promise<void> {
    if (this.to === 'deleted') {
      const result = await real.rules.delete(real.bucket);
      expect(result.status, `${this}`).toBeOneOf([200, 204]);
    } else {
      const rules =
        this.to === 'on'
          ? [modelRule(real)]
          : [rule('elsewhere', [real.originBase], { condition: { keyPrefix: 'elsewhere/' } })];
      const result = await real.rules.put(real.bucket, rules);
      expect(result.status, `${this}: ${Buffer.from(result.body).toString('utf8')}`).toBeOneOf([200, 201]);
    }
    model.rulesOn = this.to === 'on';
  }
  toString(): string {
    return `ReplaceRules(${this.to})`;
  }
}

const modelKeyArb = fc.constantFrom(...MODEL_KEYS);

export const originContentArb: fc.Arbitrary<OriginContent> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('ok' as const),
      seed: fc.nat(),
      size: fc.integer({ min: 0, max: 3000 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'missing' as const }) },
);

const failureArb = fc.constantFrom<FailureKind>('status-500', 'status-503', 'short-body');

/** Sequences of up to 20 commands; GETs are listed twice, so misses and hits come up more often. */
export const mirrorCommandsArb = fc.commands(
  [
    modelKeyArb.map((key) => new GetObject(key)),
    modelKeyArb.map((key) => new GetObject(key)),
    modelKeyArb.map((key) => new HeadObject(key)),
    fc
      .tuple(modelKeyArb, fc.uint8Array({ maxLength: 2000 }))
      .map(([key, bytes]) => new PutObject(key, bytes)),
    modelKeyArb.map((key) => new DeleteObject(key)),
    fc.tuple(modelKeyArb, originContentArb).map(([key, content]) => new ChangeOrigin(key, content)),
    fc.tuple(modelKeyArb, failureArb).map(([key, how]) => new FailOrigin(key, how)),
    modelKeyArb.map((key) => new HealOrigin(key)),
    fc.constantFrom('on', 'deleted', 'non-matching').map((to) => new ReplaceRules(to)),
  ],
  // 'medium' spreads lengths over the whole 0–20 (the default size rarely passes 10), so long stories
  // of failures, heals and rule changes come up too.
  { maxCommands: 20, size: 'medium' },
);
