// What a client may make the simulator hold is bounded: pre-push lists in its temporary directory, running
// jobs, and the jobs it remembers. Past a bound the request is refused with a clear error and changes
// nothing; the simulator keeps answering.

import { describe, expect } from 'vitest';
import { errorCode } from '../client/http-client.ts';
import { createPrepush, type PrepushJobView, waitForJob } from '../client/prepush-calls.ts';
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

describe('bounded pre-push', () => {
  behaviour(
    'config.prepush-bounded',
    'a list over 32 MiB, a ninth running job and the 101st finished job of a bucket are bounded',
    async () => {
      requirePrepushApi(fixture);
      const http = fixture.target.client.http;

      // The byte cap: at the cap a list is taken; one byte more and it is refused whole.
      const sized = await fixture.bucket();
      const atCap = jobOf(await createPrepush(http, sized, commentTemplate(TEMPLATE_CAP)));
      expect((await waitForJob(http, sized, atCap.id, 60_000)).state).toBe('succeeded');
      const over = await createPrepush(http, sized, commentTemplate(TEMPLATE_CAP + 1));
      expect(over.status, Buffer.from(over.body).toString()).toBe(400);
      expect(errorCode(over)).toBe('MaxMessageLengthExceeded');
      expect((await jobsOf(sized)).map((job) => job.id)).toEqual([atCap.id]);

      // The running cap: eight jobs wait on the origin; a ninth is refused until one ends.
      const busy = await fixture.bucket();
      const path = fixture.originPath();
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      fixture.origin.scriptPrefix(path, { body: 'held', gate: () => gate });
      await configure(fixture, busy, [rule('all', [`${fixture.origin.url}${path}`])]);
      const held: PrepushJobView[] = [];
      try {
        for (let i = 0; i < RUNNING_CAP; i++)
          held.push(jobOf(await createPrepush(http, busy, `held-${i}\n`)));
        const ninth = await createPrepush(http, busy, 'one-too-many\n');
        expect(ninth.status, Buffer.from(ninth.body).toString()).toBe(400);
        expect(errorCode(ninth)).toBe('InvalidRequest');
        expect(await jobsOf(busy)).toHaveLength(RUNNING_CAP);
      } finally {
        release();
      }
      for (const job of held) expect((await waitForJob(http, busy, job.id)).state).toBe('succeeded');
      jobOf(await createPrepush(http, busy, 'after\n'));

      // The history: a bucket remembers its last hundred finished jobs; the result files stay.
      const history = await fixture.bucket();
      const ids: string[] = [];
      for (let i = 0; i <= HISTORY; i++) {
        const job = jobOf(await createPrepush(http, history, '# nothing\n'));
        await waitForJob(http, history, job.id);
        ids.push(job.id);
      }
      const kept = (await jobsOf(history)).map((job) => job.id);
      expect(kept).toEqual(ids.slice(1));
      const forgotten = await http.send({
        method: 'GET',
        path: `/_mirrorspec/buckets/${history}/prepush/${ids[0]}`,
      });
      expect(forgotten.status).toBe(404);
      expect(errorCode(forgotten)).toBe('NoSuchPrepushJob');
      const resultKey = `file pre push result ${ids[0]}.csv`;
      expect((await fixture.target.client.getObject(history, resultKey)).status).toBe(200);
    },
    180_000,
  );
});
