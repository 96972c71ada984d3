// One miss, from the lead to the landing. The lifecycle is written once (leadMiss): lead the key's flight,
// note the key's generation, ask the origins, work out what the object keeps. What the origin's body then
// goes to is one of three endings, each of which lands the flight with what came of it:
//   relayToClient     — relayed to the client while it is written back (GetObject);
//   storeWhole        — stored whole, then answered (HeadObject that triggers, pre-push entries);
//   storeInBackground — stored with nobody waiting (redirect-async's copy after the 302).
// All three read the body through the one write loop (origin-body.ts).

import type { Profile } from '../../spec/profiles.ts';
import type { MirrorRule } from '../../spec/rules.ts';
import { headersFor } from '../core/credential-scope.ts';
import { originRequestHeaders } from '../core/header-policy.ts';
import { keptOriginHeaders, type NewObjectMeta } from '../core/object-headers.ts';
import type { OriginClient } from '../origin/origin-client.ts';
import { type Generation, type ObjectStore, type ObjectWriter, StoreFull } from '../storage/object-store.ts';
import type { BackgroundWork } from './background-work.ts';
import { fetchFromOrigin, fetchFromOrigins, type MissRequest } from './fetch-from-origins.ts';
import type { Flights } from './flights.ts';
import type { Landing, MissOutcome, OriginVerdict } from './miss-outcome.ts';
import { OriginBody, type OriginBodyOptions } from './origin-body.ts';
import { startRelay } from './relay.ts';

/** What a miss uses of the simulator. */
export interface MissDeps {
  store: ObjectStore;
  origin: OriginClient;
  maxObjectSize: number;
  /** The profile's switches: which origin answers fail or move on, which headers an object keeps. */
  switches: Profile['switches'];
  /** Cancels origin fetches still in flight. */
  signal: AbortSignal;
  /**
   * Concurrent misses on one key share one fetch through these. Absent for pre-push, whose entries
   * never waited on one another or on a GET.
   */
  flights?: Flights;
}

export interface Miss {
  bucket: string;
  /** The key the object is stored under. */
  key: string;
  rule: MirrorRule;
  /** What the origins are asked for: a key from the rule's origins in order, or one URL (pre-push). */
  source: MissRequest | URL;
  /** Whether the body is stored; it is read, capped and checked either way. */
  writeBack: boolean;
  /**
   * The key's generation when it was found missing; a PUT or DELETE since then wins over the write.
   * Absent (pre-push), it is read when the miss is led.
   */
  since?: Generation;
}

type Relaying = Extract<MissOutcome, { kind: 'relaying' }>;
type Read = Extract<Landing, { kind: 'stored' | 'unshared' | 'failed' }>;

/** An origin has the object: its body is not read yet, and the flight waits for an ending to land it. */
type FoundMiss = Extract<MissOutcome, { kind: 'found' }> & {
  /** What the object keeps of the origin's answer. */
  meta: NewObjectMeta;
  /** Opens the one write loop over the body (call once); `onSettled` as in OriginBodyOptions. */
  open(onSettled?: OriginBodyOptions['onSettled']): Promise<OriginBody>;
  land(landing: Landing): void;
};

/**
 * The lifecycle up to the origin's body: leads the key's flight, notes the key's generation (a PUT or
 * DELETE since then wins over the write) and asks the origins. Anything but a found object has landed.
 */
export async function leadMiss(
  deps: MissDeps,
  miss: Miss,
): Promise<FoundMiss | Exclude<OriginVerdict, { kind: 'found' }>> {
  const land = deps.flights?.lead(miss.bucket, miss.key) ?? (() => undefined);
  try {
    // Led before anything is awaited, so a second miss on the key sees the flight.
    const ifGeneration = miss.since ?? (await deps.store.generation(miss.bucket, miss.key));
    const verdict = await askOrigins(deps, miss);
    if (verdict.kind !== 'found') {
      land(verdict);
      return verdict;
    }
    const kept = keptOriginHeaders(verdict.response.headers, deps.switches);
    const meta: NewObjectMeta = { ...kept, userMetadata: {}, acl: miss.rule.acl };
    return {
      ...verdict,
      meta,
      land,
      open: async (onSettled) =>
        new OriginBody({
          response: verdict.response,
          writer: miss.writeBack ? await writeBackTo(deps.store, miss, verdict.size) : undefined,
          meta,
          ifGeneration,
          maxObjectSize: deps.maxObjectSize,
          checkMd5: miss.rule.checkMd5,
          ...(onSettled ? { onSettled } : {}),
        }),
    };
  } catch (error) {
    land({ kind: 'unshared' });
    throw error;
  }
}

/** The writer of a write-back; none when the store is full (the object is relayed, not stored). */
async function writeBackTo(
  store: ObjectStore,
  miss: Miss,
  size: number | undefined,
): Promise<ObjectWriter | undefined> {
  try {
    return await store.beginWrite(miss.bucket, miss.key, size === undefined ? {} : { expectedSize: size });
  } catch (error) {
    if (error instanceof StoreFull) return undefined;
    throw error;
  }
}

function askOrigins(deps: MissDeps, miss: Miss): Promise<OriginVerdict> {
  const fetchDeps = {
    client: deps.origin,
    maxObjectSize: deps.maxObjectSize,
    signal: deps.signal,
    policy: deps.switches,
  };
  const { source, rule } = miss;
  if (!(source instanceof URL)) return fetchFromOrigins(rule, source, fetchDeps);
  // A URL has no client behind it: only the rule's set headers go with it, and only to its own origins.
  const target = { origin: source.origin, path: source.pathname + source.search };
  const headers = headersFor(rule, source.origin, originRequestHeaders(rule.headers, []));
  return fetchFromOrigin(target, rule, headers, fetchDeps);
}

/**
 * Ending one: the body goes to the client as it arrives, and to the store beside it. The flight lands
 * when the body has been read to its end or has failed, even when the client leaves first.
 */
export async function relayToClient(
  found: FoundMiss,
  background: BackgroundWork,
): Promise<Relaying | Extract<Landing, { kind: 'failed' }>> {
  let origin: OriginBody;
  let body: Relaying['body'];
  try {
    origin = await found.open((stored, error) => found.land(settledAs(found, stored, error)));
    body = await startRelay(origin, background);
  } catch (error) {
    // The flight has landed with the failure already; the client's answer says where it happened.
    const reason = `${found.url}: reading the origin body failed: ${(error as Error).message}`;
    const failed = { kind: 'failed' as const, reason };
    found.land(failed);
    return failed;
  }
  const relaying: Relaying = { kind: 'relaying', body, meta: found.meta, size: found.size };
  if (origin.stored !== undefined) relaying.stored = origin.stored;
  return relaying;
}

/** Ending two: the whole body is stored (or, with write-back off, read) before anyone is answered. */
export async function storeWhole(found: FoundMiss): Promise<Read> {
  const outcome = await readWhole(found);
  found.land(outcome);
  return outcome;
}

/**
 * Ending three: the whole miss, from the lead, with nobody waiting on it; tracked for settle. The flight
 * is led before this returns, so a second miss on the key sees it.
 */
export function storeInBackground(deps: MissDeps, background: BackgroundWork, miss: Miss): void {
  const copy = async () => {
    const found = await leadMiss(deps, miss);
    if (found.kind !== 'found') return;
    const outcome = await readWhole(found);
    // A failed copy is nobody's answer: a miss that waited on it looks again and fetches for itself.
    found.land(outcome.kind === 'failed' ? { kind: 'unshared' } : outcome);
  };
  background.track(copy());
}

async function readWhole(found: FoundMiss): Promise<Read> {
  try {
    const origin = await found.open();
    const stored = await origin.readRest();
    if (stored !== undefined) return { kind: 'stored', meta: stored };
    return { kind: 'unshared', read: { meta: found.meta, size: origin.size } };
  } catch (error) {
    return { kind: 'failed', reason: `${found.url}: ${(error as Error).message}` };
  }
}

function settledAs(found: FoundMiss, stored: OriginBody['stored'], error?: Error): Landing {
  if (error) return { kind: 'failed', reason: `${found.url}: ${error.message}` };
  return stored ? { kind: 'stored', meta: stored } : { kind: 'unshared' };
}
