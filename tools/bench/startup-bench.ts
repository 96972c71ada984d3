// `npm run bench:startup`: how long `mirrorspec serve` takes from the process's start until
// /_mirrorspec/health answers, beside a bare node:http server started and asked the same way, so what the
// figure shows is the simulator's own start-up and not this machine's speed. It runs the built package
// (dist/bin/cli.js, as `npx mirrorspec serve` does from an installed tarball; `npm run build` first), the
// two commands in interleaved rounds so that load on the machine falls on both alike, and prints both
// medians and their ratio. Not a test: it prints figures and whether they meet the target, and exits 1 when
// they do not.

import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { isToolError, ToolError, usageErrorLine } from '../../errors/tool-error.ts';
import { chooseCli } from './built-cli.ts';

const USAGE = `usage: npm run bench:startup -- [options]

  --rounds <n>   rounds, each starting both servers once (default 10)
`;

/** Issue 14's target: serve answers health within three times a bare node server's start-up. */
const TARGET_RATIO = 3;
const START_TIMEOUT_MS = 30_000;
/** The baseline: node:http on an ephemeral loopback port, printing its address the way serve does. */
const BARE_SERVER = `require('node:http').createServer((q, s) => s.end('ok'))
  .listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port); });`;

/** Milliseconds from spawning `args` until GET <printed endpoint>/_mirrorspec/health answers 200. */
async function timeToHealth(args: string[]): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(
        () => reject(new Error(`no endpoint in ${START_TIMEOUT_MS} ms:\n${output}`)),
        START_TIMEOUT_MS,
      );
      const read = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.once('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${output}`)));
    });
    const response = await fetch(`${endpoint}/_mirrorspec/health`);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`health answered ${response.status}`);
    return performance.now() - started;
  } finally {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

async function main(argv: string[]): Promise<number> {
  let rounds: number | 'help';
  try {
    rounds = parseOptions(argv);
  } catch (error) {
    // parseArgs says what is wrong (an unknown option, a missing value) in its own words.
    const usage = isToolError(error) ? error : new ToolError('MS_USAGE', (error as Error).message);
    process.stderr.write(usageErrorLine('startup-bench', usage));
    return usage.exitStatus;
  }
  if (rounds === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const cli = chooseCli();
  if (!cli.built) {
    process.stderr.write(`startup-bench: it measures the built package only, and ${cli.why}\n`);
    return 1;
  }

  const serve: number[] = [];
  const bare: number[] = [];
  // One warm-up of each, unrecorded: the first start of a process reads its files from disk.
  await timeToHealth(['-e', BARE_SERVER]);
  await timeToHealth([cli.path, 'serve', '--port', '0']);
  for (let round = 1; round <= rounds; round++) {
    bare.push(await timeToHealth(['-e', BARE_SERVER]));
    serve.push(await timeToHealth([cli.path, 'serve', '--port', '0']));
    process.stdout.write(
      `round ${round}/${rounds}: bare node ${bare.at(-1)?.toFixed(0)} ms, mirrorspec serve ${serve.at(-1)?.toFixed(0)} ms\n`,
    );
  }
  const ratio = median(serve) / median(bare);
  const meets = ratio <= TARGET_RATIO;
  process.stdout.write(
    `\nstart-up to /_mirrorspec/health, median of ${rounds}: bare node:http ${median(bare).toFixed(0)} ms, ` +
      `mirrorspec serve ${median(serve).toFixed(0)} ms, ratio ${ratio.toFixed(2)}× ` +
      `(target ≤ ${TARGET_RATIO}×: ${meets ? 'met' : 'NOT met'})\n`,
  );
  return meets ? 0 : 1;
}

function parseOptions(argv: string[]): number | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: { rounds: { type: 'string', default: '10' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) return 'help';
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new ToolError('MS_USAGE', `--rounds must be a whole number of at least 1, not '${values.rounds}'`);
  }
  return rounds;
}

process.exitCode = await main(process.argv.slice(2));
