// s3.post-object can fail: its judgement, run against a simulator with credentials behind a planted
// fault, must reject; against the simulator as it is, it passes. The faults: forms refused outright (a
// server without POST Object: 403 to every form), and forms stored whatever their policy says.

import { afterEach, describe, expect, it } from 'vitest';
import { createSimulator, serveFetch } from '../simulator/index.ts';
import { type Keys, signedFetch } from './client/signed-fetch.ts';
import { judgePostObject } from './support/post-object-calls.ts';

const KEYS: Keys = { accessKeyId: 'fault-access', secretAccessKey: 'fault-secret' };

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

type Plant = (request: Request, endpoint: string) => Promise<Response | undefined>;

/** A simulator with credentials holding bucket `forms`, `plant` answering POSTs first. */
async function serveWith(plant?: Plant): Promise<string> {
  const simulator = createSimulator({ credentials: KEYS });
  let endpoint = '';
  const running = await serveFetch(
    async (request, info) =>
      (request.method === 'POST' ? await plant?.(request, endpoint) : undefined) ??
      simulator.fetch(request, info),
    { host: '127.0.0.1', port: 0 },
  );
  endpoint = `http://127.0.0.1:${running.port}`;
  closers.push(async () => {
    await running.close();
    await simulator.close();
  });
  expect((await signedFetch(endpoint, KEYS, { method: 'PUT', path: '/forms' })).status).toBe(200);
  return endpoint;
}

const refusesForms: Plant = async () =>
  new Response('<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>', {
    status: 403,
    headers: { 'content-type': 'application/xml' },
  });

/** Stores the file under its key with a signed PUT, as if the policy were not there. */
const ignoresPolicy: Plant = async (request, endpoint) => {
  const form = await request.formData();
  const file = form.get('file');
  const key = String(form.get('key') ?? '');
  if (!(file instanceof Blob) || key === '') return undefined;
  await signedFetch(endpoint, KEYS, {
    method: 'PUT',
    path: `/forms/${key.replace('${filename}', 'upload.bin')}`,
    body: await file.text(),
  });
  return new Response(null, { status: 204 });
};

describe('the POST Object law catches planted faults', () => {
  it('passes against the simulator as it is', async () => {
    await judgePostObject(await serveWith(), KEYS, 'forms');
  });

  it('fails against a server that refuses every form', async () => {
    await expect(judgePostObject(await serveWith(refusesForms), KEYS, 'forms')).rejects.toThrow(
      /a Signature Version 4 form/,
    );
  });

  it('fails against a server that stores a form whatever its policy says', async () => {
    await expect(judgePostObject(await serveWith(ignoresPolicy), KEYS, 'forms')).rejects.toThrow(
      /success_action_status 201|a policy without expiration/,
    );
  });
});
