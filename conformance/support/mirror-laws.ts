// Small helpers the laws share: rule documents, origin paths and the checks every law repeats.

import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { expect } from 'vitest';
import { NotExpressible } from '../../spec/dialects/dialect.ts';
import { errorCode, type HttpResult } from '../client/http-client.ts';
import { RulesNotWritable } from '../targets/rule-writer.ts';
import type { RuleSetting } from '../targets/static-rules.ts';
import type { LawFixture } from './law-fixture.ts';
import { listedEntry } from './list-objects.ts';
import { NotApplicable, noteConfigured, skipRun, throwIfNotApplicable } from './not-applicable.ts';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Holds an origin answer halfway through its body (as the script's `gateMidBody`) until `release` is
 * called, once the request racing the fetch is answered: the race then happens inside the fetch whatever
 * the machine's speed, and costs no fixed pause. `latestMs` after the hold begins it lets go anyway, so a
 * target that makes the racing request wait for the fetch is judged instead of left hanging.
 */
export function midBodyHold(latestMs: number): { gateMidBody: () => Promise<void>; release: () => void } {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    gateMidBody: () => {
      const latest = setTimeout(release, latestMs);
      return released.finally(() => clearTimeout(latest));
    },
    release: () => release(),
  };
}

/** A rule document in the spec's neutral form. */
export function rule(id: string, origins: string[], extra: Record<string, unknown> = {}) {
  return { id, origins, ...extra };
}

type RuleDocument = Record<string, unknown>;

/**
 * Settings of a rule that decide only what reaches the origin in a way most laws never look at: a law
 * that leaves one out of its rule takes it as the target has it.
 */
const INCIDENTAL: readonly RuleSetting[] = ['passQueryString', 'followRedirects', 'headers'];

/** How a law asks for rules: which settings it takes as the target has them. */
interface RuleRequest {
  /**
   * Settings the law takes as given, stated or not, besides the incidental ones its rules leave out. A
   * setting the rule states and this does not name is fixed: under fixed rules (--static-rules) the law
   * runs only where the fixed rule has that value.
   */
  given?: readonly RuleSetting[];
}

/**
 * Puts `rules` on the bucket through the target's rule API and returns the rules in force, which a law
 * reads for every setting it takes as given: under fixed rules those are the fixed rule's values (origins
 * with the run folder), elsewhere the rules as asked. Rules the target's vendor API cannot say make the
 * run not applicable (see not-applicable.ts), and so do fixed rules that differ in a fixed setting; a
 * refusal is an error.
 */
export async function configure(
  fixture: LawFixture,
  bucket: string,
  rules: RuleDocument[],
  request: RuleRequest = {},
): Promise<RuleDocument[]> {
  throwIfNotApplicable();
  const given = (rule: RuleDocument) => [
    ...(request.given ?? []),
    ...INCIDENTAL.filter((setting) => rule[setting] === undefined),
  ];
  const fixed = fixture.target.fixed;
  const inForce =
    fixed === undefined
      ? rules
      : rules.map((rule, index) => fixed.inForce(rules, given(rule))[index] ?? rule);
  let result: HttpResult;
  try {
    result = await fixture.target.rules.put(bucket, inForce);
  } catch (error) {
    if (error instanceof NotExpressible) skipRun(`${fixture.target.rules.api} rules: ${error.message}`);
    if (error instanceof RulesNotWritable) skipRun(error.message);
    throw error;
  }
  if (result.status !== 200 && result.status !== 201) {
    throw new Error(
      `configuring ${bucket} failed: ${result.status} ${Buffer.from(result.body).toString('utf8')}`,
    );
  }
  noteConfigured();
  return inForce;
}

/** A rule's settings the law takes as given, with the spec's defaults where the rule leaves them out. */
export function settingsOf(rule: RuleDocument | undefined): {
  passQueryString: boolean;
  followRedirects: boolean;
  passAll: boolean;
  pass: string[];
} {
  const headers = (rule?.headers ?? {}) as { passAll?: boolean; pass?: string[] };
  return {
    passQueryString: rule?.passQueryString === true,
    followRedirects: rule?.followRedirects !== false,
    passAll: headers.passAll === true,
    pass: headers.pass ?? [],
  };
}

/** Removes the bucket's rules through the target's rule API. */
export async function removeRules(fixture: LawFixture, bucket: string): Promise<void> {
  let result: HttpResult;
  try {
    result = await fixture.target.rules.delete(bucket);
  } catch (error) {
    if (error instanceof RulesNotWritable) skipRun(error.message);
    throw error;
  }
  expect(result.status, Buffer.from(result.body).toString('utf8')).toBeOneOf([200, 204]);
}

/** Laws about the spec's neutral rule API itself: not applicable where rules go through a vendor's API. */
export function requireNeutralApi(fixture: LawFixture): void {
  const api = fixture.target.rules.api;
  if (api === 'static') {
    throw new NotApplicable("it judges the neutral rule API; the target's rules are fixed (--static-rules)");
  }
  if (api !== 'neutral')
    throw new NotApplicable(`it judges the neutral rule API; this target takes rules through the ${api} API`);
}

/**
 * Laws that make buckets, send keys past the S3 client (their own sockets, the pre-push API) or rewrite
 * rules mid-run: not applicable where the rules are fixed.
 */
export function requireOwnBuckets(fixture: LawFixture): void {
  if (fixture.target.fixed !== undefined) {
    throw new NotApplicable(
      "it needs buckets of its own; the target's rules are fixed to one bucket (--static-rules)",
    );
  }
}

/** Laws that send their own Authorization or Date headers, or requests past the client: not on a signed target. */
export function requirePlainRequests(fixture: LawFixture): void {
  if (fixture.target.signed) {
    throw new NotApplicable(
      'it sends requests of its own (its own Authorization or Date headers, or past the client), which a vendor target cannot sign',
    );
  }
}

/** The pre-push API is the spec's own: on a simulator, not at a vendor, nor with fixed rules. */
export function requirePrepushApi(fixture: LawFixture): void {
  requireOwnBuckets(fixture);
  if (fixture.target.signed) {
    throw new NotApplicable("it judges the spec's pre-push API, which a vendor endpoint does not have");
  }
}

/** Splits a raw origin path into decoded segments, as the origin would read it. */
export function decodedPath(rawPath: string): string {
  return rawPath
    .split('/')
    .map((segment) => decodeURIComponent(segment))
    .join('/');
}

export function expectNoSuchKey(result: HttpResult): void {
  expect(result.status).toBe(404);
  expect(errorCode(result)).toBe('NoSuchKey');
}

/** 424 MirrorFailed, or a connection cut once the status line was out. */
export function expectMirrorFailed(result: HttpResult): void {
  if (result.cut !== undefined) return;
  expect(result.status, Buffer.from(result.body).toString('utf8')).toBe(424);
  expect(errorCode(result)).toBe('MirrorFailed');
}

export async function expectNotStored(fixture: LawFixture, bucket: string, key: string): Promise<void> {
  // Where a HEAD may fetch the object [us3-guide][oss-php2], only a listing looks without touching it.
  if (fixture.target.capabilities.profile.switches.headTrigger !== 'never') {
    expect(await storedSize(fixture, bucket, key), `${key} is not stored`).toBeUndefined();
    return;
  }
  const before = fixture.origin.requests().length;
  const head = await fixture.target.client.headObject(bucket, key);
  // A HEAD that went to the origin was not answered from the bucket: the key is not stored. That the
  // HEAD reached the origin at all is head.miss-no-origin's finding, not this law's.
  if (
    fixture.origin
      .requests()
      .slice(before)
      .some((request) => request.method === 'HEAD')
  )
    return;
  expect(head.status, `${key} is not stored: a HEAD finds nothing`).toBe(404);
}

/** Whether a HEAD on a missing key this rule matches fetches it, on the profile the suite expects. */
export function headTriggers(fixture: LawFixture, rule: { triggerOnHead?: boolean } = {}): boolean {
  const trigger = fixture.target.capabilities.profile.switches.headTrigger;
  return trigger === 'always' || (trigger === 'opt-in' && rule.triggerOnHead === true);
}

/**
 * The size of the stored object `key`, or undefined when the bucket lacks it. Read from a listing,
 * which never triggers a fetch, unlike a GET, or a HEAD on some profiles.
 */
export async function storedSize(
  fixture: LawFixture,
  bucket: string,
  key: string,
): Promise<number | undefined> {
  return (await listedEntry(fixture.target.client, bucket, key))?.size;
}

/**
 * Ports below every system's ephemeral range (Linux 32768, BSD and Windows 49152) that no common service
 * uses here: a server that asks for any port (listen on 0) is never given one of them. The port of a
 * listener opened and closed again was, later in a run: a law then met that server's 404 where it meant
 * a refused connection (rules.first-match on cos, in a fresh-clone CI).
 */
const REFUSING_PORTS = [1, 9, 19, 47, 71, 97, 113, 199, 719, 919];

/** An http URL on loopback where nothing listens, and nothing will: connecting is refused. */
export async function refusedOrigin(): Promise<string> {
  for (const port of REFUSING_PORTS) if (await refuses(port)) return `http://127.0.0.1:${port}`;
  throw new Error(
    `every one of the ports ${REFUSING_PORTS.join(', ')} on 127.0.0.1 accepts connections: ` +
      'the laws need one that refuses, to stand for an unreachable origin',
  );
}

/** Whether a connection to the port on loopback is refused (within 2 s). */
function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (refused: boolean) => {
      socket.destroy();
      resolve(refused);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('connect', () => done(false));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED'));
  });
}
