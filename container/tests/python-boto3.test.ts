// A test suite in another language uses the simulator image: the Python unittest beside this file
// (Debian's python3-boto3) gets the image, started through testcontainers on the machine's network,
// as its bucket, and an origin on loopback that counts what it is asked.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { type RunningSimulatorContainer, startSimulatorContainer } from 'mirrorspec';
import { afterAll, beforeAll, expect, it } from 'vitest';

let running: RunningSimulatorContainer;
let origin: Server;
const asked: string[] = [];

beforeAll(async () => {
  origin = createServer((request, response) => {
    asked.push(request.url ?? '');
    response.writeHead(200, { 'content-type': 'text/plain' }).end(`origin says ${request.url}`);
  });
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
  running = await startSimulatorContainer({ network: 'host', allowPrivateOrigins: true });
});

afterAll(async () => {
  await running?.stop();
  await new Promise((resolve) => origin.close(resolve));
});

it('passes the Python boto3 tests, which reach the origin once for the one missing key they read', async () => {
  const address = origin.address();
  if (address === null || typeof address === 'string') throw new Error('origin has no port');
  const script = fileURLToPath(new URL('./mirror_bucket_test.py', import.meta.url));
  const child = spawn('python3', [script], {
    env: {
      ...process.env,
      MIRRORSPEC_ENDPOINT: running.endpoint,
      MIRRORSPEC_ORIGIN: `http://127.0.0.1:${address.port}`,
    },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
  expect(status, output).toBe(0);
  expect(output).toMatch(/Ran 2 tests/);
  expect(asked).toEqual(['/docs/readme.txt']);
});
