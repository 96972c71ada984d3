// A model of one bucket with one mirror rule in front of one origin, small enough to be obviously
// right: what the bucket holds, what the origin would answer for each key, and whether the rule is in
// force. The commands (commands.ts) drive the real target and the origin, and compare every answer with
// what this model predicts.

import type { Profile } from '../../spec/profiles.ts';
import type { S3Client } from '../client/s3-client.ts';
import type { OriginScript, ScriptableOrigin } from '../origin/scriptable-origin.ts';
import type { RuleWriter } from '../targets/rule-writer.ts';

/**
 * Few keys, so that commands keep meeting the same key: a PUT then a GET, a failure then a heal.
 * Plain characters only: addressing has its own laws, and here the origin path is simply the key.
 */
export const MODEL_KEYS = ['a.txt', 'img/b.png', 'c', 'img/d'] as const;
export type ModelKey = (typeof MODEL_KEYS)[number];

/** What the origin serves for a key when it is healthy. */
export type OriginContent = { kind: 'ok'; seed: number; size: number } | { kind: 'missing' };

/** How a failing origin fails; every kind is a MirrorFailed for the client. */
export type FailureKind = 'status-500' | 'status-503' | 'short-body';

export type OriginState = OriginContent | { kind: 'failing'; how: FailureKind; healsTo: OriginContent };

/** An object in the bucket, as far as a client can tell: its bytes (by digest) and length. */
interface StoredObject {
  digest: string;
  size: number;
  from: 'origin' | 'put';
}

export interface MirrorModel {
  stored: Map<ModelKey, StoredObject>;
  origin: Map<ModelKey, OriginState>;
  /** The mirror rule is in force; off means deleted, or replaced by a rule no model key matches. */
  rulesOn: boolean;
  /** From the target's profile: a HEAD on a missing key fetches as a GET does (US3). */
  headFetches: boolean;
}

/** The real system: the target over HTTP, its bucket, and the origin path the rule points at. */
export interface MirrorReal {
  client: S3Client;
  /** The target's rule API: neutral, or a vendor's own. */
  rules: RuleWriter;
  origin: ScriptableOrigin;
  bucket: string;
  /** Origin path prefix of this run; key `k` is fetched from `${originBase}/${k}`. */
  path: string;
  originBase: string;
  /** Waits for write-backs, so the next command sees what a miss stored. */
  settle(): Promise<void>;
}

/**
 * Which profile switches change an answer of the model, and how the model avoids the others:
 * - headTrigger: `always` makes a HEAD on a miss fetch and store; `opt-in` does not apply, because the
 *   model's rule never opts in.
 * - chunkedOrigin: never reached, because the model's origin always sends Content-Length.
 * - failover: never reached, because the model's rule names one origin.
 */
function headFetchesFor(profile: Profile): boolean {
  return profile.switches.headTrigger === 'always';
}

export function initialModel(origin: Map<ModelKey, OriginContent>, profile: Profile): MirrorModel {
  return { stored: new Map(), origin: new Map(origin), rulesOn: true, headFetches: headFetchesFor(profile) };
}

/** What a miss on `key` should give, per the model: the bytes fetched, no such key, or MirrorFailed. */
type MissOutcome =
  | { kind: 'fetched'; seed: number; size: number }
  | { kind: 'not-found' }
  | { kind: 'failed' };

export function missOutcome(model: Readonly<MirrorModel>, key: ModelKey): MissOutcome {
  if (!model.rulesOn) return { kind: 'not-found' };
  const state = model.origin.get(key) ?? { kind: 'missing' };
  switch (state.kind) {
    case 'ok':
      return { kind: 'fetched', seed: state.seed, size: state.size };
    case 'missing':
      return { kind: 'not-found' };
    case 'failing':
      return { kind: 'failed' };
  }
}

/** The origin script that makes the origin behave as `state` says. */
export function originScriptFor(state: OriginState): OriginScript {
  switch (state.kind) {
    case 'ok':
      // Never chunked: a profile that refuses chunked origins (OBS) would turn this into a failure.
      return {
        body: { size: state.size, seed: state.seed },
        headers: { 'content-type': 'application/x-model' },
      };
    case 'missing':
      return { status: 404, body: 'not at the origin' };
    case 'failing':
      switch (state.how) {
        case 'status-500':
          return { status: 500, body: 'origin error' };
        case 'status-503':
          return { status: 503, body: 'origin unavailable' };
        case 'short-body':
          // Reset halfway: a 424 from a store that reads the body whole before answering, a cut
          // connection from one that answers at its first chunk.
          return { body: { size: 1000, seed: 99 }, resetAfterBytes: 500 };
      }
  }
}

export function describeContent(content: OriginState): string {
  switch (content.kind) {
    case 'ok':
      return `${content.size} bytes #${content.seed}`;
    case 'missing':
      return 'missing';
    case 'failing':
      return `failing (${content.how})`;
  }
}
