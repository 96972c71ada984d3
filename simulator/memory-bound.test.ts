// The in-memory store is bounded (--max-memory): a write that cannot fit is refused with 507
// InsufficientStorage and stores nothing, whether its size is declared (refused before any byte is kept)
// or not (refused when it crosses the bound, its bytes dropped). The default bound refuses a 3 GiB PUT,
// and the process that refused it stays far below that in memory.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulatorProcess, startSimulatorProcess } from '../conformance/support/simulator-process.ts';
import { type RunningSimulator, startSimulator } from './index.ts';

const MIB = 1024 ** 2;
const root = new URL('..', import.meta.url).pathname;

describe('a simulator whose memory store holds at most 1 MiB', () => {
  let running: RunningSimulator;
  beforeAll(async () => {
    running = await startSimulator({ maxMemory: MIB });
    await fetch(`${running.endpoint}/bounded`, { method: 'PUT' });
  });
  afterAll(async () => {
    await running.close();
  });

  const get = async (key: string) => (await fetch(`${running.endpoint}/bounded/${key}`)).status;

  it('refuses a PUT whose Content-Length does not fit with 507 InsufficientStorage, and stores nothing', async () => {
    const answer = await fetch(`${running.endpoint}/bounded/declared`, {
      method: 'PUT',
      body: Buffer.alloc(2 * MIB, 1),
    });
    expect(answer.status).toBe(507);
    const text = await answer.text();
    expect(text).toContain('<Code>InsufficientStorage</Code>');
    expect(text).toContain('--max-memory');
    expect(await get('declared')).toBe(404);
  });

  it('refuses a chunked PUT when it crosses the bound, keeps none of it, and has room again after', async () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 2 * MIB) return controller.close();
        sent += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024).fill(2));
      },
    });
    const answer = await fetch(`${running.endpoint}/bounded/chunked`, {
      method: 'PUT',
      body,
      duplex: 'half',
    } as RequestInit);
    expect(answer.status).toBe(507);
    expect(await answer.text()).toContain('InsufficientStorage');
    expect(await get('chunked')).toBe(404);
    // What the refused body took was given back: 900 KiB fits again, then a second 900 KiB does not.
    const fits = await fetch(`${running.endpoint}/bounded/fits`, {
      method: 'PUT',
      body: Buffer.alloc(900 * 1024, 3),
    });
    expect(fits.status).toBe(200);
    const second = await fetch(`${running.endpoint}/bounded/second`, {
      method: 'PUT',
      body: Buffer.alloc(900 * 1024, 4),
    });
    expect(second.status).toBe(507);
    expect(await get('fits')).toBe(200);
  });
});

describe('mirrorspec serve with the default bound', () => {
  let serve: SimulatorProcess;
  let port = 0;
  beforeAll(async () => {
    serve = await startSimulatorProcess(['--port', '0'], { startTimeoutMs: 30_000 });
    port = Number(new URL(serve.endpoint).port);
    await fetch(`http://127.0.0.1:${port}/huge`, { method: 'PUT' });
  }, 40_000);
  afterAll(() => {
    serve.kill();
  });

  it('answers a 3 GiB PUT with 507 at once and stays far below that in memory', async () => {
    // The client declares 3 GiB and keeps sending (8 MiB here) until the answer comes.
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      socket.on('data', (data) => {
        text += data;
        if (text.includes('</Error>')) {
          socket.destroy();
          resolve(text);
        }
      });
      socket.on('error', (error) => (text.includes(' 507 ') ? resolve(text) : reject(error)));
      socket.write(
        `PUT /huge/three-gib HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: ${3 * 1024 ** 3}\r\n\r\n`,
      );
      const chunk = Buffer.alloc(MIB, 5);
      for (let i = 0; i < 8 && !socket.destroyed; i++) socket.write(chunk);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 507 /);
    expect(answer).toContain('<Code>InsufficientStorage</Code>');
    expect((await fetch(`http://127.0.0.1:${port}/huge/three-gib`)).status).toBe(404);
    const status = readFileSync(`/proc/${serve.pid}/status`, 'utf8');
    const peakKb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
    expect(peakKb).toBeGreaterThan(0);
    expect(peakKb * 1024).toBeLessThan(512 * MIB);
  });

  it('refuses a --max-memory that is not a size with a usage error naming the forms it takes', async () => {
    const refused = spawn(process.execPath, ['bin/mirrorspec.mjs', 'serve', '--max-memory', 'lots'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    refused.stderr?.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    const code = await new Promise<number | null>((resolve) => refused.once('exit', resolve));
    expect(code).toBe(2);
    expect(output).toContain(
      "--max-memory takes a size in bytes, or with KiB, MiB, GiB or TiB (512MiB, 2GiB), got 'lots'",
    );
  });
});
