// `npm run soak -- --seconds N`: a bounded load test of the simulator on loopback. The simulator runs as
// `mirrorspec serve` in a child process (so its RSS is its own and a crash is visible); the scriptable
// origin and the clients run here. For N seconds, C clients run a mix of hits, misses (healthy, failing
// and 404 origins, alone and several at once on one key), and PUTs or DELETEs racing a miss in flight,
// on a bounded, reused key space whose stored bytes stay under a budget. Every life of every key is
// checked against what the soak knows it must hold, before the key is reused and at the end. Not a
// test: it prints figures and a JSON summary, and exits 1 when an object is partial, wrong, stale or
// lost, a client got wrong bytes as a whole answer, the simulator crashed, the checks could not run,
// or a miss that ended stored took more than one origin fetch.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type ScriptableOrigin, startOrigin } from '../../conformance/origin/scriptable-origin.ts';
import { type SimulatorProcess, startSimulatorProcess } from '../../conformance/support/simulator-process.ts';
import { isToolError, ToolError, toolErrorLine } from '../../errors/tool-error.ts';
import { type RestartingSimulator, startRestarting } from './restarts.ts';
import { SoakHttp } from './soak-http.ts';
import { mb1, type RssMarks, sum, summarise } from './soak-summary.ts';
import { Workload } from './workload.ts';

const USAGE = `usage: npm run soak -- [options]

  --seconds <n>        how long the load runs (default 30, at most 3600); checks follow
  --clients <n>        clients running scenarios at once (default 16, at most 256)
  --keys <n>           size of the reused key space (default 2048)
  --max-stored-mb <n>  bytes the keys may hold at once, in MB (default 64)
  --seed <n>           seeds the mix of scenarios, sizes and faults (default: random, printed)
  --store <kind>       memory (default) or disk: serve --data-dir over a temporary directory
  --kill-every <s>     with --store disk: SIGKILL the simulator every <s> seconds of the load and start it
                       again over the same directory and port; every acknowledged write must survive
`;

const BUCKET = 'soak-bucket';
/** The simulator's connect, headers and idle-body timeout; the failing origins are slower than this. */
const ORIGIN_TIMEOUT_MS = 1000;
/** Past the load's end, this much more for the checks; then everything is killed and the run failed. */
const DEADLINE_SLACK_MS = 60_000;
const DRAIN_MS = 250;
const PROGRESS_MS = 10_000;
/** A bound on scenarios per client and second, so no loop can run away even if time stood still. */
const MAX_SCENARIOS_PER_SECOND = 5000;

interface Options {
  store: 'memory' | 'disk';
  /** Seconds between planned kills (disk only), 0 for none. */
  killEvery: number;
  seconds: number;
  clients: number;
  keys: number;
  maxStoredMb: number;
  seed: number;
}

async function main(argv: string[]): Promise<number> {
  const options = optionsOrStatus(argv);
  if (typeof options === 'number') return options;
  const origin = await startOrigin();
  const dataDir = options.store === 'disk' ? await mkdtemp(join(tmpdir(), 'mirrorspec-soak-')) : undefined;
  const serveArgs = ['--allow-private-origins', '--origin-timeout-ms', String(ORIGIN_TIMEOUT_MS)];
  let simulator: SimulatorProcess | RestartingSimulator;
  try {
    simulator =
      dataDir === undefined
        ? await startSimulatorProcess(['--port', '0', ...serveArgs], { startTimeoutMs: 30_000 })
        : await startRestarting(serveArgs, dataDir);
  } catch (error) {
    process.stderr.write(`soak: ${(error as Error).message}\n`);
    await origin.close();
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
    return 1;
  }
  const http = new SoakHttp(simulator.endpoint);
  const workload = new Workload(http, origin, {
    bucket: BUCKET,
    slots: options.keys,
    maxStoredBytes: options.maxStoredMb * 2 ** 20,
    seed: options.seed,
  });
  const soak: Soak = {
    options,
    origin,
    simulator,
    http,
    workload,
    state: {
      rss: {},
      warmAtS: Math.max(1, Math.round(options.seconds * 0.2)),
      loadSeconds: 0,
      verified: false,
    },
  };
  const deadline = hardDeadline(soak);
  let crashed = false;
  simulator.onCrash((crash) => {
    crashed = true;
    say(`the simulator crashed: ${crash}`);
  });
  say(
    `mirrorspec soak: ${options.store} store${options.killEvery > 0 ? `, killed every ${options.killEvery} s` : ''}, ${options.seconds} s, ${options.clients} clients, ${options.keys} keys, stored bytes ≤ ${options.maxStoredMb} MB, seed ${options.seed}`,
  );
  say(
    `simulator ${simulator.endpoint} (pid ${simulator.pid}), origin ${origin.url}, origin timeout ${ORIGIN_TIMEOUT_MS} ms`,
  );

  const timers: NodeJS.Timeout[] = [];
  try {
    await runLoad(soak, timers, () => crashed);
    if (!crashed) {
      await checkEveryKey(soak);
      soak.state.verified = !crashed;
    }
  } catch (error) {
    workload.error(`soak itself failed: ${(error as Error).message}`);
  } finally {
    for (const timer of timers) clearInterval(timer);
    await simulator.stop();
    await http.close();
    await origin.close();
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
    clearTimeout(deadline);
  }
  return report(soak, undefined);
}

/** One soak run: what it drives, and what it has found out so far. */
interface Soak {
  readonly options: Options;
  readonly origin: ScriptableOrigin;
  readonly simulator: SimulatorProcess | RestartingSimulator;
  readonly http: SoakHttp;
  readonly workload: Workload;
  readonly state: { rss: RssMarks; warmAtS: number; loadSeconds: number; verified: boolean };
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The options, or the exit status of --help or of a usage error (said on stderr with the usage). */
function optionsOrStatus(argv: string[]): Options | number {
  let options: Options | 'help';
  try {
    options = parseOptions(argv);
  } catch (error) {
    // parseArgs says what is wrong (an unknown option, a missing value) in its own words.
    const usage = isToolError(error) ? error : new ToolError('MS_USAGE', (error as Error).message);
    process.stderr.write(`${toolErrorLine('soak', usage)}\n${USAGE}`);
    return usage.exitStatus;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  return options;
}

/** The figures and the JSON summary, on stdout; the exit status they call for. */
function report({ options, workload, http, simulator, state }: Soak, note: string | undefined): number {
  const summary = summarise(workload, http, simulator, state.rss, {
    ...options,
    warmAtS: state.warmAtS,
    loadSeconds: state.loadSeconds,
    verified: state.verified,
    note,
  });
  for (const line of summary.lines) say(line);
  say(JSON.stringify(summary.json));
  return summary.json.passed ? 0 : 1;
}

/** The last resort: whatever hangs, the run ends and says so. */
function hardDeadline(soak: Soak): NodeJS.Timeout {
  const { seconds } = soak.options;
  return setTimeout(
    () => {
      say(`hard deadline of ${seconds} s + ${DEADLINE_SLACK_MS / 1000} s reached: killing everything`);
      soak.simulator.kill();
      const code = report(soak, 'hard deadline reached before the checks finished');
      process.exit(code === 0 ? 1 : code);
    },
    seconds * 1000 + DEADLINE_SLACK_MS,
  );
}

/** The bucket and its rule, then the clients for the run's seconds, with progress and RSS marks on timers. */
async function runLoad(soak: Soak, timers: NodeJS.Timeout[], crashed: () => boolean): Promise<void> {
  const { options, origin, simulator, http, workload, state } = soak;
  const { seconds, clients } = options;
  await admin(http, 'PUT', `/${BUCKET}`);
  await admin(http, 'PUT', `/_mirrorspec/buckets/${BUCKET}/mirror`, {
    rules: [{ id: 'soak', condition: { keyPrefix: 'm/' }, origins: [`${origin.url}/o/`] }],
  });
  state.rss.start = simulator.rssMb();

  const startedAt = Date.now();
  const endAt = startedAt + seconds * 1000;
  timers.push(setInterval(() => workload.drainOriginLog(), DRAIN_MS));
  timers.push(
    setInterval(() => {
      const at = Math.round((Date.now() - startedAt) / 1000);
      say(
        `[${at} s] requests ${http.sent}, errors ${sum(workload.errors)}, stored ≤ ${mb(workload.liveBytes)} MB, simulator RSS ${mb1(simulator.rssMb())} MB`,
      );
    }, PROGRESS_MS),
  );
  timers.push(
    setTimeout(() => {
      state.rss.warm = simulator.rssMb();
    }, state.warmAtS * 1000),
  );
  timers.push(
    setTimeout(
      () => {
        state.rss.middle = simulator.rssMb();
      },
      (seconds * 1000) / 2,
    ),
  );

  const stopKills =
    options.killEvery > 0 && 'killAndRestart' in simulator
      ? plannedKills(soak, simulator, crashed)
      : async () => undefined;
  const stop = () => crashed() || Date.now() >= endAt;
  await Promise.all(
    Array.from({ length: clients }, () => workload.runClient(stop, seconds * MAX_SCENARIOS_PER_SECOND)),
  );
  await stopKills();
  state.loadSeconds = (Date.now() - startedAt) / 1000;
  state.rss.end = simulator.rssMb();
  for (const timer of timers) clearInterval(timer);
}

/**
 * Every `--kill-every` seconds a SIGKILL and a restart, one at a time; the workload learns when. The
 * returned function stops them and resolves once no restart is under way.
 */
function plannedKills(soak: Soak, simulator: RestartingSimulator, crashed: () => boolean) {
  let restart: Promise<void> | undefined;
  soak.workload.kills = simulator.kills;
  const timer = setInterval(() => {
    if (restart !== undefined || crashed()) return;
    restart = simulator
      .killAndRestart()
      .then(() =>
        say(
          `[kill ${simulator.kills.length}] the simulator was killed and is up again (pid ${simulator.pid})`,
        ),
      )
      .catch((error) =>
        soak.workload.error(`a restart after a planned kill failed: ${(error as Error).message}`),
      )
      .finally(() => {
        restart = undefined;
      });
  }, soak.options.killEvery * 1000);
  return async () => {
    clearInterval(timer);
    await restart;
  };
}

/** Once the load is done and settled: every key touched checked against what it must hold. */
async function checkEveryKey({ options, http, workload, state }: Soak): Promise<void> {
  say(`load done after ${state.loadSeconds.toFixed(1)} s; checking every key touched`);
  await admin(http, 'POST', '/_mirrorspec/settle?timeoutMs=10000');
  // Without a rule no GET can fetch, so the checks cannot change what they look at.
  await admin(http, 'DELETE', `/_mirrorspec/buckets/${BUCKET}/mirror`);
  workload.drainOriginLog();
  await workload.verifyAll(options.clients);
  workload.drainOriginLog();
  const health = await http.send('GET', '/_mirrorspec/health');
  if (health.status !== 200) workload.error(`the health check answered ${health.status ?? 'nothing'}`);
}

/** A setup or teardown call that must succeed. */
async function admin(http: SoakHttp, method: string, path: string, document?: unknown): Promise<void> {
  const body = document === undefined ? undefined : Buffer.from(JSON.stringify(document));
  const answer = await http.send(method, path, body);
  if (answer.status === undefined || answer.status >= 300 || answer.cut !== undefined) {
    throw new Error(`${method} ${path} answered ${answer.status ?? answer.cut}`);
  }
}

function parseOptions(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string', default: '30' },
      clients: { type: 'string', default: '16' },
      keys: { type: 'string', default: '2048' },
      'max-stored-mb': { type: 'string', default: '64' },
      seed: { type: 'string' },
      store: { type: 'string', default: 'memory' },
      'kill-every': { type: 'string', default: '0' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const store = values.store;
  if (store !== 'memory' && store !== 'disk') {
    throw new ToolError('MS_USAGE', `--store is memory or disk, not '${store}'`);
  }
  const killEvery = whole(values['kill-every'], '--kill-every', 0, 3600);
  if (killEvery > 0 && store !== 'disk') {
    throw new ToolError(
      'MS_USAGE',
      '--kill-every needs --store disk: a killed in-memory store keeps nothing',
    );
  }
  return {
    store,
    killEvery,
    seconds: whole(values.seconds, '--seconds', 1, 3600),
    clients: whole(values.clients, '--clients', 1, 256),
    keys: whole(values.keys, '--keys', 16, 1_000_000),
    maxStoredMb: whole(values['max-stored-mb'], '--max-stored-mb', 1, 65_536),
    seed:
      values.seed === undefined
        ? Math.floor(Math.random() * 2 ** 32)
        : whole(values.seed, '--seed', 0, 2 ** 32 - 1),
  };
}

function whole(raw: string, option: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ToolError('MS_USAGE', `${option} takes a whole number from ${min} to ${max}, got '${raw}'`);
  }
  return Number(raw);
}

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

process.exitCode = await main(process.argv.slice(2));
