// A fresh scriptable origin for every test of a file, closed after it, so no script and no logged
// request of one test is seen by the next.

import { afterEach, beforeEach } from 'vitest';
import { type ScriptableOrigin, startOrigin } from './scriptable-origin.ts';

/**
 * Registers the hooks that start and close the origins, and returns the running test's origin: a
 * stand-in whose every member is read from the origin of the test that runs, so a file names it once.
 */
export function originPerTest(): ScriptableOrigin {
  let current: ScriptableOrigin | undefined;
  beforeEach(async () => {
    current = await startOrigin();
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const running = (): ScriptableOrigin => {
    if (current === undefined) throw new Error('the origin runs only while a test of this file runs');
    return current;
  };
  return new Proxy({} as ScriptableOrigin, { get: (_, member) => Reflect.get(running(), member) });
}
