// The command line that replays one behaviour on one profile: every option that shaped the run, so the
// same seed meets the same target, rules, origin and timeouts and fast-check finds the same failure and
// shrinks it the same way. fast-check's path is not an option: it names one property's shrink, and a
// behaviour may have several properties, so seed and runs (which fix the generated values) replay it.

import type { CheckOptions } from './check-options.ts';

/** A value as a POSIX shell reads it back unchanged. */
function shellWord(value: string | number): string {
  const text = String(value);
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The options that select the target and its surroundings, as the user gave them. */
export function replayOptions(options: CheckOptions): string {
  const parts: [string, string | number | undefined][] = [
    ['--target', options.target],
    ['--dialect', options.dialect],
    ['--static-rules', options.staticRules],
    ['--origin-port', options.originPort],
    ['--origin-public-url', options.originPublicUrl],
    ['--origin-timeout', options.originTimeoutMs],
    ['--timeout', options.timeoutMs],
    ['--expect', options.expect],
    ['--fail-on', options.failOn === 'must' ? undefined : options.failOn],
  ];
  return parts
    .filter((part): part is [string, string | number] => part[1] !== undefined)
    .map(([option, value]) => `${option} ${shellWord(value)}`)
    .join(' ');
}

/** `npx mirrorspec check …` for one behaviour on one profile. */
export function replayCommand(
  targetOptions: string,
  replay: { profile: string; id: string; seed: number; runs: number },
): string {
  return [
    'npx mirrorspec check',
    targetOptions,
    `--profile ${shellWord(replay.profile)} --only ${shellWord(replay.id)}`,
    `--seed ${replay.seed} --runs ${replay.runs}`,
  ]
    .filter((part) => part !== '')
    .join(' ');
}
