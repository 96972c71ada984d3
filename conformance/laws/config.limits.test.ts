// What a client may make the simulator hold is bounded: pre-push lists in its temporary directory, running
// jobs, and the jobs it remembers. Past a bound the request is refused with a clear error and changes
// nothing; the simulator keeps answering.

import { describe, expect } from 'vitest';
import { errorCode, type HttpClient } from '../client/http-client.ts';
import {
  createPrepush,
  type PrepushJobView,
  placeWait,
  refusedForCap,
  waitForJob,
} from '../client/prepush-calls.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { configure, requirePrepushApi, rule } from '../support/mirror-laws.ts';

const fixture = useLawFixture();

const MiB = 1024 * 1024;
const TEMPLATE_CAP = 32 * MiB;
const RUNNING_CAP = 8;
const HISTORY = 100;

/** `bytes` bytes of template made of comment lines, which count as no entry. */
function commentTemplate(bytes: number): Uint8Array {
  const line = `#${'x'.repeat(1022)}\n`;
  const text = line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes);
  return Buffer.from(text.endsWith('\n') ? text : `${text.slice(0, -1)}\n`);
}

async function jobsOf(bucket: string): Promise<PrepushJobView[]> {
  const listed = await fixture.target.client.http.send({
    method: 'GET',
    path: `/_mirrorspec/buckets/${bucket}/prepush`,
  });
  expect(listed.status).toBe(200);
  return (JSON.parse(Buffer.from(listed.body).toString()) as { jobs: PrepushJobView[] }).jobs;
}

function jobOf(created: { status: number; body: Uint8Array }): PrepushJobView {
  expect(created.status, Buffer.from(created.body).toString()).toBe(202);
  return JSON.parse(Buffer.from(created.body).toString()) as PrepushJobView;
}

/**
 * Submits one-entry lists to `bucket` until `count` of its jobs run at once, and answers the bucket's jobs
 * then. A held job waits on the origin only until the target's origin timeout, so one that ended while the
 * others waited for places no longer counts, and another is submitted in its stead.
 */
async function holdRunning(http: HttpClient, bucket: string, count: number): Promise<PrepushJobView[]> {
  const wait = placeWait();
  for (let i = 0; ; i++) {
    const jobs = await jobsOf(bucket);
    const running = jobs.filter((job) => job.state === 'running').length;
    if (running >= count) return jobs;
    // Bounded in count as the refusals are in time: a target whose jobs end at once never holds eight.
    if (i >= count * 10)
      expect.fail(`${count} jobs of ${bucket} never ran at once: ${running} running after ${i} lists`);
    const created = await createPrepush(http, bucket, `held-${i}\n`, { once: true });
    if (!refusedForCap(created)) jobOf(created);
    else if (!(await wait()))
      expect.fail(
        `${count} jobs of ${bucket} never ran at once: the target refused a list with ${running} running`,
      );
  }
}

/** At the cap a list is taken; one byte more and it is refused whole. */
async function byteCap(http: HttpClient): Promise<void> {
  const sized = await fixture.bucket();
  const atCap = jobOf(await createPrepush(http, sized, commentTemplate(TEMPLATE_CAP)));
  expect((await waitForJob(http, sized, atCap.id, 60_000)).state).toBe('succeeded');
  const over = await createPrepush(http, sized, commentTemplate(TEMPLATE_CAP + 1));
  expect(over.status, Buffer.from(over.body).toString()).toBe(400);
  expect(errorCode(over)).toBe('MaxMessageLengthExceeded');
  expect((await jobsOf(sized)).map((job) => job.id)).toEqual([atCap.id]);
}

/**
 * Eight jobs wait on the origin; a ninth is refused until one ends. Once eight of this law's jobs run at
 * once the target accepted the last of them with seven running, and runs at least eight when it is asked
 * for the ninth, which it must refuse and not list. Alone on the target, a cap of nine (or seven) fails this.
 */
async function runningCap(http: HttpClient): Promise<void> {
  const busy = await fixture.bucket();
  const path = fixture.originPath();
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  fixture.origin.scriptPrefix(path, { body: 'held', gate: () => gate });
  await configure(fixture, busy, [rule('all', [`${fixture.origin.url}${path}`])]);
  const running = (jobs: PrepushJobView[]) =>
    jobs.filter((job) => job.state === 'running').map((job) => job.id);
  let held: string[] = [];
  try {
    const before = await holdRunning(http, busy, RUNNING_CAP);
    held = running(before);
    const ninth = await createPrepush(http, busy, 'one-too-many\n', { once: true });
    expect(ninth.status, Buffer.from(ninth.body).toString()).toBe(400);
    expect(errorCode(ninth)).toBe('InvalidRequest');
    const after = await jobsOf(busy);
    expect(after.map((job) => job.id)).toEqual(before.map((job) => job.id));
    expect(running(after), 'the eight jobs ran when the ninth was refused').toEqual(held);
  } finally {
    release();
  }
  for (const id of held) expect((await waitForJob(http, busy, id)).state).toBe('succeeded');
  jobOf(await createPrepush(http, busy, 'after\n'));
}

/** A bucket remembers its last hundred finished jobs; the result files stay. */
async function history(http: HttpClient): Promise<void> {
  const bucket = await fixture.bucket();
  const ids: string[] = [];
  for (let i = 0; i <= HISTORY; i++) {
    const job = jobOf(await createPrepush(http, bucket, '# nothing\n'));
    await waitForJob(http, bucket, job.id);
    ids.push(job.id);
  }
  const kept = (await jobsOf(bucket)).map((job) => job.id);
  expect(kept).toEqual(ids.slice(1));
  const forgotten = await http.send({
    method: 'GET',
    path: `/_mirrorspec/buckets/${bucket}/prepush/${ids[0]}`,
  });
  expect(forgotten.status).toBe(404);
  expect(errorCode(forgotten)).toBe('NoSuchPrepushJob');
  const resultKey = `file pre push result ${ids[0]}.csv`;
  expect((await fixture.target.client.getObject(bucket, resultKey)).status).toBe(200);
}

describe('bounded pre-push', () => {
  behaviour(
    'config.prepush-bounded',
    'a list over 32 MiB, a ninth running job and the 101st finished job of a bucket are bounded',
    async () => {
      requirePrepushApi(fixture);
      const http = fixture.target.client.http;
      await byteCap(http);
      await runningCap(http);
      await history(http);
    },
    180_000,
  );
});
