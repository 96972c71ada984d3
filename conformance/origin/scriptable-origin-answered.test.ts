// The scriptable origin's answered(): waiting until the answers under a prefix have gone out or been
// dropped, so a law waits for a late answer instead of sleeping past the moment it was scripted for.

import { request } from 'undici';
import { expect, test } from 'vitest';
import { originPerTest } from './origin-per-test.ts';

const origin = originPerTest();

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

test('answered waits for an answer held back until it is sent whole', async () => {
  const opens: (() => void)[] = [];
  origin.scriptPrefix('/held', {
    body: 'sent at last',
    gate: () => new Promise<void>((resolve) => opens.push(resolve)),
  });
  origin.script('/other', { delayBeforeHeadersMs: 60_000 });
  const pending = request(`${origin.url}/held/a`).then((res) => res.body.text());
  // A request outside the prefix, still waiting, is not waited for.
  const other = request(`${origin.url}/other`).catch(() => undefined);
  await until(() => opens.length === 1 && origin.requestsFor('/other').length === 1);

  let settled: boolean | undefined;
  const answered = origin.answered('/held', 10_000).then((result) => {
    settled = result;
    return result;
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(settled).toBeUndefined();
  opens[0]?.();

  expect(await answered).toBe(true);
  expect(await pending).toBe('sent at last');
  await origin.close();
  await other;
});

test('answered ends when the client closes the connection before the answer', async () => {
  origin.script('/late', { delayBeforeHeadersMs: 60_000, body: 'never sent' });
  const abort = new AbortController();
  const pending = request(`${origin.url}/late`, { signal: abort.signal }).catch(() => 'aborted');
  await until(() => origin.requestsFor('/late').length === 1);

  const answered = origin.answered('/late', 10_000);
  abort.abort();

  expect(await answered).toBe(true);
  expect(await pending).toBe('aborted');
});

test('answered is false when an answer is still open at its timeout, and true with nothing received', async () => {
  origin.script('/stuck', { gate: () => new Promise<void>(() => undefined) });
  const pending = request(`${origin.url}/stuck`).catch(() => undefined);
  await until(() => origin.requestsFor('/stuck').length === 1);

  expect(await origin.answered('/stuck', 50)).toBe(false);
  expect(await origin.answered('/nothing-here', 10_000)).toBe(true);
  await origin.close();
  await pending;
});
