// `npm run soak -- --seconds N`: a bounded load test of the simulator on loopback. The simulator runs as
// `mirrorspec serve` in a child process (so its RSS is its own and a crash is visible); the scriptable
// origin and the clients run here. For N seconds, C clients run a mix of hits, misses (healthy, failing
// and 404 origins, alone and several at once on one key), and PUTs or DELETEs racing a miss in flight,
// on a bounded, reused key space whose stored bytes stay under a budget. Every life of every key is
// checked against what the soak knows it must hold, before the key is reused and at the end. Not a
// test: it prints figures and a JSON summary, and exits 1 when an object is partial, wrong, stale or
// lost, a client got wrong bytes as a whole answer, the simulator crashed, the checks could not run,
// or a miss that ended stored took more than one origin fetch.

import { parseArgs } from 'node:util';
import { startOrigin } from '../../conformance/origin/scriptable-origin.ts';
import { type SimulatorProcess, startSimulatorProcess } from '../../conformance/support/simulator-process.ts';
import { isToolError, ToolError, toolErrorLine } from '../../errors/tool-error.ts';
import { type Outcome, SoakHttp } from './soak-http.ts';
import { STORED_TALLIES, type Tally, Workload } from './workload.ts';

const USAGE = `usage: npm run soak -- [options]

  --seconds <n>        how long the load runs (default 30, at most 3600); checks follow
  --clients <n>        clients running scenarios at once (default 16, at most 256)
  --keys <n>           size of the reused key space (default 2048)
  --max-stored-mb <n>  bytes the keys may hold at once, in MB (default 64)
  --seed <n>           seeds the mix of scenarios, sizes and faults (default: random, printed)
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
  seconds: number;
  clients: number;
  keys: number;
  maxStoredMb: number;
  seed: number;
}

interface RssMarks {
  start?: number;
  warm?: number;
  middle?: number;
  end?: number;
}

async function main(argv: string[]): Promise<number> {
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
  const { seconds, clients } = options;
  const say = (line: string) => process.stdout.write(`${line}\n`);

  const origin = await startOrigin();
  let simulator: SimulatorProcess;
  try {
    simulator = await startSimulatorProcess(
      ['--port', '0', '--allow-private-origins', '--origin-timeout-ms', String(ORIGIN_TIMEOUT_MS)],
      { startTimeoutMs: 30_000 },
    );
  } catch (error) {
    process.stderr.write(`soak: ${(error as Error).message}\n`);
    await origin.close();
    return 1;
  }
  const http = new SoakHttp(simulator.endpoint);
  const workload = new Workload(http, origin, {
    bucket: BUCKET,
    slots: options.keys,
    maxStoredBytes: options.maxStoredMb * 2 ** 20,
    seed: options.seed,
  });
  const rss: RssMarks = {};
  const warmAtS = Math.max(1, Math.round(seconds * 0.2));
  let verified = false;
  let loadSeconds = 0;

  const report = (note: string | undefined): number => {
    const summary = summarise(workload, http, simulator, rss, {
      ...options,
      warmAtS,
      loadSeconds,
      verified,
      note,
    });
    for (const line of summary.lines) say(line);
    say(JSON.stringify(summary.json));
    return summary.json.passed ? 0 : 1;
  };

  // The last resort: whatever hangs, the run ends and says so.
  const deadline = setTimeout(
    () => {
      say(`hard deadline of ${seconds} s + ${DEADLINE_SLACK_MS / 1000} s reached: killing everything`);
      simulator.kill();
      const code = report('hard deadline reached before the checks finished');
      process.exit(code === 0 ? 1 : code);
    },
    seconds * 1000 + DEADLINE_SLACK_MS,
  );

  let crashed = false;
  simulator.onCrash((crash) => {
    crashed = true;
    say(`the simulator crashed: ${crash}`);
  });

  say(
    `mirrorspec soak: ${seconds} s, ${clients} clients, ${options.keys} keys, stored bytes ≤ ${options.maxStoredMb} MB, seed ${options.seed}`,
  );
  say(
    `simulator ${simulator.endpoint} (pid ${simulator.pid}), origin ${origin.url}, origin timeout ${ORIGIN_TIMEOUT_MS} ms`,
  );

  const timers: NodeJS.Timeout[] = [];
  try {
    await admin(http, 'PUT', `/${BUCKET}`);
    await admin(http, 'PUT', `/_mirrorspec/buckets/${BUCKET}/mirror`, {
      rules: [{ id: 'soak', condition: { keyPrefix: 'm/' }, origins: [`${origin.url}/o/`] }],
    });
    rss.start = simulator.rssMb();

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
        rss.warm = simulator.rssMb();
      }, warmAtS * 1000),
    );
    timers.push(
      setTimeout(
        () => {
          rss.middle = simulator.rssMb();
        },
        (seconds * 1000) / 2,
      ),
    );

    const stop = () => crashed || Date.now() >= endAt;
    await Promise.all(
      Array.from({ length: clients }, () => workload.runClient(stop, seconds * MAX_SCENARIOS_PER_SECOND)),
    );
    loadSeconds = (Date.now() - startedAt) / 1000;
    rss.end = simulator.rssMb();
    for (const timer of timers) clearInterval(timer);

    if (!crashed) {
      say(`load done after ${loadSeconds.toFixed(1)} s; checking every key touched`);
      await admin(http, 'POST', '/_mirrorspec/settle?timeoutMs=10000');
      // Without a rule no GET can fetch, so the checks cannot change what they look at.
      await admin(http, 'DELETE', `/_mirrorspec/buckets/${BUCKET}/mirror`);
      workload.drainOriginLog();
      await workload.verifyAll(clients);
      workload.drainOriginLog();
      const health = await http.send('GET', '/_mirrorspec/health');
      if (health.status !== 200) workload.error(`the health check answered ${health.status ?? 'nothing'}`);
      verified = !crashed;
    }
  } catch (error) {
    workload.error(`soak itself failed: ${(error as Error).message}`);
  } finally {
    for (const timer of timers) clearInterval(timer);
    await simulator.stop();
    await http.close();
    await origin.close();
    clearTimeout(deadline);
  }
  return report(undefined);
}

function summarise(
  workload: Workload,
  http: SoakHttp,
  simulator: SimulatorProcess,
  rss: RssMarks,
  run: Options & { warmAtS: number; loadSeconds: number; verified: boolean; note: string | undefined },
) {
  const verdict = (name: 'partial' | 'wrong' | 'stale' | 'lost') => workload.verdicts.get(name) ?? 0;
  const outcomes = Object.fromEntries(
    (['200', '204', '404', '424', 'cut', 'other'] as Outcome[]).map((name) => [
      name,
      http.outcomes.get(name) ?? 0,
    ]),
  );
  const storedTallies = STORED_TALLIES.map((name) => workload.tallies.get(name)).filter(
    (found): found is Tally => found !== undefined,
  );
  const storedEpisodes = storedTallies.reduce((total, found) => total + found.episodes, 0);
  const storedFetches = storedTallies.reduce((total, found) => total + found.total, 0);
  const storedMax = Math.max(0, ...storedTallies.map((found) => found.max));
  const crashes = simulator.crash === undefined ? 0 : 1;

  const failures: string[] = [];
  if (verdict('partial') > 0) failures.push('partial objects');
  if (verdict('wrong') > 0) failures.push('wrong objects');
  if (verdict('stale') + verdict('lost') > 0) failures.push('objects contradicting the truth');
  if (workload.wrongAnswers > 0) failures.push('wrong bytes answered');
  if (crashes > 0) failures.push('simulator crashed');
  if (storedEpisodes === 0) failures.push('no miss was stored, so single-flight was not measured');
  else if (storedMax !== 1) failures.push(`a stored miss took ${storedMax} origin fetches`);
  if (!run.verified) failures.push(run.note ?? 'the final checks did not run');
  const passed = failures.length === 0;

  const lines = [
    '',
    `requests sent:             ${http.sent}`,
    `  by outcome:              ${Object.entries(outcomes)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ')}`,
  ];
  if (http.otherStatuses.size > 0) lines.push(`  other statuses:          ${listed(http.otherStatuses)}`);
  if (http.cutReasons.size > 0) lines.push(`  cut connections:         ${listed(http.cutReasons)}`);
  lines.push(`scenarios run:             ${sum(workload.scenarios)}`);
  for (const [name, count] of sorted(workload.scenarios)) lines.push(`  ${name}: ${count}`);
  lines.push(
    `errors:                    ${sum(workload.errors)}${workload.errors.size === 0 ? ' (none)' : ''}`,
  );
  for (const [name, count] of sorted(workload.errors)) lines.push(`  ${name}: ${count}`);
  lines.push(
    `keys touched:              ${workload.touchedKeys} (checks run: ${workload.checks}, one per life of a key and one per key at the end)`,
    `partial objects found:     ${verdict('partial')}`,
    `wrong objects found:       ${verdict('wrong')}`,
    `stale or lost objects:     ${verdict('stale') + verdict('lost')} (stale ${verdict('stale')}, lost ${verdict('lost')})`,
    `wrong bytes answered:      ${workload.wrongAnswers}`,
    `crashes:                   ${crashes}${simulator.crash ? ` (${simulator.crash})` : ''}`,
    `origin fetches per stored miss: ${storedEpisodes} misses, mean ${ratio(storedFetches, storedEpisodes)}, max ${storedMax}`,
  );
  const stored: readonly string[] = STORED_TALLIES;
  const episodes = [...workload.tallies].sort(
    ([a], [b]) => Number(stored.includes(b)) - Number(stored.includes(a)) || a.localeCompare(b),
  );
  for (const [name, found] of episodes) {
    lines.push(
      `  ${name}: ${found.episodes} episodes, fetches mean ${found.mean().toFixed(3)}, min ${found.min}, max ${found.max}`,
    );
  }
  lines.push(`origin requests outside any GET of their key: ${workload.strayFetches}`);
  for (const violation of workload.violations) {
    lines.push(
      `  ${violation.verdict}: ${violation.key} ${violation.when}: holds ${violation.found}; allowed ${violation.truth.join(' or ')} (${violation.plan})`,
    );
  }
  const growth = rss.warm !== undefined && rss.end !== undefined ? rss.end - rss.warm : undefined;
  lines.push(
    `simulator RSS (MB):        start ${mb1(rss.start)}, after warm-up (${run.warmAtS} s) ${mb1(rss.warm)}, middle ${mb1(rss.middle)}, end ${mb1(rss.end)}, peak ${mb1(simulator.peakRssMb)}; end − warm-up ${growth === undefined ? 'n/a' : `${growth >= 0 ? '+' : ''}${growth.toFixed(1)}`}`,
    `load:                      ${run.loadSeconds.toFixed(1)} s, ${run.clients} clients, ${run.keys} keys, stored bytes ≤ ${run.maxStoredMb} MB, seed ${run.seed}`,
    passed ? 'PASS' : `FAIL: ${failures.join('; ')}`,
  );

  const json = {
    passed,
    failures,
    seconds: run.seconds,
    loadSeconds: round(run.loadSeconds, 1),
    clients: run.clients,
    keys: run.keys,
    seed: run.seed,
    requests: http.sent,
    outcomes,
    otherStatuses: Object.fromEntries(http.otherStatuses),
    cutReasons: Object.fromEntries(http.cutReasons),
    scenarios: Object.fromEntries(sorted(workload.scenarios)),
    errors: Object.fromEntries(sorted(workload.errors)),
    keysTouched: workload.touchedKeys,
    checks: workload.checks,
    partialObjects: verdict('partial'),
    wrongObjects: verdict('wrong'),
    staleObjects: verdict('stale'),
    lostObjects: verdict('lost'),
    wrongAnswers: workload.wrongAnswers,
    crashes,
    fetchesPerStoredMiss: {
      misses: storedEpisodes,
      mean: round(storedEpisodes === 0 ? 0 : storedFetches / storedEpisodes, 3),
      max: storedMax,
    },
    fetchesByEpisode: Object.fromEntries(
      [...workload.tallies].map(([name, found]) => [
        name,
        { episodes: found.episodes, mean: round(found.mean(), 3), min: found.min, max: found.max },
      ]),
    ),
    strayOriginRequests: workload.strayFetches,
    rssMb: {
      start: round(rss.start, 1),
      warm: round(rss.warm, 1),
      warmAtSeconds: run.warmAtS,
      middle: round(rss.middle, 1),
      end: round(rss.end, 1),
      peak: round(simulator.peakRssMb, 1),
    },
  };
  return { lines, json };
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
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  return {
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

function sum(counts: Map<string, number>): number {
  let total = 0;
  for (const count of counts.values()) total += count;
  return total;
}

function sorted<K>(counts: Map<K, number>): [K, number][] {
  return [...counts].sort((a, b) => b[1] - a[1]);
}

function listed<K>(counts: Map<K, number>): string {
  return sorted(counts)
    .map(([name, count]) => `${name} ×${count}`)
    .join(', ');
}

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

function mb1(value: number | undefined): string {
  return value === undefined ? 'n/a' : value.toFixed(1);
}

function ratio(total: number, count: number): string {
  return count === 0 ? 'n/a' : (total / count).toFixed(3);
}

function round(value: number | undefined, digits: number): number | null {
  return value === undefined ? null : Number(value.toFixed(digits));
}

process.exitCode = await main(process.argv.slice(2));
