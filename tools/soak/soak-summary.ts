// What a soak run found, as figures for people and one JSON line for machines, and whether it passed:
// no partial, wrong, stale or lost object, no wrong bytes answered, no crash, the checks run, and every
// miss that ended stored took exactly one origin fetch.

import type { SimulatorProcess } from '../../conformance/support/simulator-process.ts';
import type { Outcome, SoakHttp } from './soak-http.ts';
import { STORED_TALLIES, type Tally } from './tally.ts';
import type { Workload } from './workload.ts';

/** The simulator's RSS at the start, after warm-up, halfway and at the end of the load, in MB. */
export interface RssMarks {
  start?: number;
  warm?: number;
  middle?: number;
  end?: number;
}

/** The run the summary speaks of: its options, and how far it got. */
interface SoakRun {
  seconds: number;
  clients: number;
  keys: number;
  maxStoredMb: number;
  seed: number;
  warmAtS: number;
  loadSeconds: number;
  verified: boolean;
  note: string | undefined;
}

export function summarise(
  workload: Workload,
  http: SoakHttp,
  simulator: SimulatorProcess,
  rss: RssMarks,
  run: SoakRun,
) {
  const figures = soakFigures(workload, http, simulator);
  const failures = soakFailures(workload, figures, run);
  const passed = failures.length === 0;
  const lines = [
    ...requestLines(http, figures),
    ...findingLines(workload, simulator, figures),
    ...episodeLines(workload),
    ...runLines(simulator, rss, run),
    passed ? 'PASS' : `FAIL: ${failures.join('; ')}`,
  ];
  return { lines, json: soakJson(workload, http, simulator, rss, run, figures, passed, failures) };
}

/** What the pass or failure of a run is decided on. */
interface SoakFigures {
  verdict: (name: 'partial' | 'wrong' | 'stale' | 'lost') => number;
  outcomes: Record<string, number>;
  /** Misses that ended stored, and the origin fetches they took. */
  storedEpisodes: number;
  storedFetches: number;
  storedMax: number;
  crashes: number;
}

function soakFigures(workload: Workload, http: SoakHttp, simulator: SimulatorProcess): SoakFigures {
  const storedTallies = STORED_TALLIES.map((name) => workload.tallies.get(name)).filter(
    (found): found is Tally => found !== undefined,
  );
  return {
    verdict: (name) => workload.verdicts.get(name) ?? 0,
    outcomes: Object.fromEntries(
      (['200', '204', '404', '424', 'cut', 'other'] as Outcome[]).map((name) => [
        name,
        http.outcomes.get(name) ?? 0,
      ]),
    ),
    storedEpisodes: storedTallies.reduce((total, found) => total + found.episodes, 0),
    storedFetches: storedTallies.reduce((total, found) => total + found.total, 0),
    storedMax: Math.max(0, ...storedTallies.map((found) => found.max)),
    crashes: simulator.crash === undefined ? 0 : 1,
  };
}

function soakFailures(workload: Workload, figures: SoakFigures, run: SoakRun): string[] {
  const { verdict, storedEpisodes, storedMax } = figures;
  const failures: string[] = [];
  if (verdict('partial') > 0) failures.push('partial objects');
  if (verdict('wrong') > 0) failures.push('wrong objects');
  if (verdict('stale') + verdict('lost') > 0) failures.push('objects contradicting the truth');
  if (workload.wrongAnswers > 0) failures.push('wrong bytes answered');
  if (figures.crashes > 0) failures.push('simulator crashed');
  if (storedEpisodes === 0) failures.push('no miss was stored, so single-flight was not measured');
  else if (storedMax !== 1) failures.push(`a stored miss took ${storedMax} origin fetches`);
  if (!run.verified) failures.push(run.note ?? 'the final checks did not run');
  return failures;
}

function requestLines(http: SoakHttp, { outcomes }: SoakFigures): string[] {
  const lines = [
    '',
    `requests sent:             ${http.sent}`,
    `  by outcome:              ${Object.entries(outcomes)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ')}`,
  ];
  if (http.otherStatuses.size > 0) lines.push(`  other statuses:          ${listed(http.otherStatuses)}`);
  if (http.cutReasons.size > 0) lines.push(`  cut connections:         ${listed(http.cutReasons)}`);
  return lines;
}

function findingLines(workload: Workload, simulator: SimulatorProcess, figures: SoakFigures): string[] {
  const { verdict, storedEpisodes, storedFetches, storedMax } = figures;
  const lines = [`scenarios run:             ${sum(workload.scenarios)}`];
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
    `crashes:                   ${figures.crashes}${simulator.crash ? ` (${simulator.crash})` : ''}`,
    `origin fetches per stored miss: ${storedEpisodes} misses, mean ${ratio(storedFetches, storedEpisodes)}, max ${storedMax}`,
  );
  return lines;
}

/** Origin fetches by kind of episode, the stored kinds first; then the requests no GET explains. */
function episodeLines(workload: Workload): string[] {
  const stored: readonly string[] = STORED_TALLIES;
  const episodes = [...workload.tallies].sort(
    ([a], [b]) => Number(stored.includes(b)) - Number(stored.includes(a)) || a.localeCompare(b),
  );
  const lines = episodes.map(
    ([name, found]) =>
      `  ${name}: ${found.episodes} episodes, fetches mean ${found.mean().toFixed(3)}, min ${found.min}, max ${found.max}`,
  );
  lines.push(`origin requests outside any GET of their key: ${workload.strayFetches}`);
  for (const violation of workload.violations) {
    lines.push(
      `  ${violation.verdict}: ${violation.key} ${violation.when}: holds ${violation.found}; allowed ${violation.truth.join(' or ')} (${violation.plan})`,
    );
  }
  return lines;
}

function runLines(simulator: SimulatorProcess, rss: RssMarks, run: SoakRun): string[] {
  const growth = rss.warm !== undefined && rss.end !== undefined ? rss.end - rss.warm : undefined;
  return [
    `simulator RSS (MB):        start ${mb1(rss.start)}, after warm-up (${run.warmAtS} s) ${mb1(rss.warm)}, middle ${mb1(rss.middle)}, end ${mb1(rss.end)}, peak ${mb1(simulator.peakRssMb)}; end − warm-up ${growth === undefined ? 'n/a' : `${growth >= 0 ? '+' : ''}${growth.toFixed(1)}`}`,
    `load:                      ${run.loadSeconds.toFixed(1)} s, ${run.clients} clients, ${run.keys} keys, stored bytes ≤ ${run.maxStoredMb} MB, seed ${run.seed}`,
  ];
}

function soakJson(
  workload: Workload,
  http: SoakHttp,
  simulator: SimulatorProcess,
  rss: RssMarks,
  run: SoakRun,
  figures: SoakFigures,
  passed: boolean,
  failures: string[],
) {
  const { verdict, storedEpisodes, storedFetches, storedMax } = figures;
  return {
    passed,
    failures,
    seconds: run.seconds,
    loadSeconds: round(run.loadSeconds, 1),
    clients: run.clients,
    keys: run.keys,
    seed: run.seed,
    requests: http.sent,
    outcomes: figures.outcomes,
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
    crashes: figures.crashes,
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
}

export function sum(counts: Map<string, number>): number {
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

export function mb1(value: number | undefined): string {
  return value === undefined ? 'n/a' : value.toFixed(1);
}

function ratio(total: number, count: number): string {
  return count === 0 ? 'n/a' : (total / count).toFixed(3);
}

function round(value: number | undefined, digits: number): number | null {
  return value === undefined ? null : Number(value.toFixed(digits));
}
