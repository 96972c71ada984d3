// What a person needs to act on a failure, read from what the run recorded: the assertion that failed,
// the step (the request) it failed at, the counterexample with the law's own names for its values, and
// which failures share one cause. Shared by every rendering of the report, so all of them say the same.

import { readFileSync } from 'node:fs';
import type { RunTrace, TracedExchange } from '../client/http-trace.ts';

/** vitest's own words for a test stopped at its time limit (its stack then reads STACK_TRACE_ERROR). */
export const TIMED_OUT = /Test timed out in (\d+)ms|STACK_TRACE_ERROR/;

/** What kind of request an exchange was, in the words of the catalogue: the GET, the HEAD, the listing… */
export function stepName(method: string, path: string): string {
  const [route = '', query = ''] = path.split('?', 2);
  if (route.startsWith('/_mirrorspec/')) {
    if (route === '/_mirrorspec/settle') return 'the settle';
    if (/\/mirror$/.test(route)) {
      return method === 'PUT'
        ? 'writing the rules'
        : method === 'DELETE'
          ? 'deleting the rules'
          : 'reading the rules';
    }
    if (route.includes('/prepush'))
      return method === 'POST' ? 'starting the pre-push' : 'reading the pre-push job';
    return `${method} ${route}`;
  }
  const params = new URLSearchParams(query);
  // The vendors' own rule APIs (spec/dialects/): a bucket subresource or JD Cloud's backSource path.
  if (
    ['website', 'mirror', 'mirrorBackToSource', 'origin'].some((name) => params.has(name)) ||
    route.endsWith('/backSource')
  ) {
    return method === 'PUT' ? "writing the rules (the vendor's API)" : "the vendor's rule API";
  }
  const segments = route.split('/').filter((segment) => segment !== '');
  if (segments.length <= 1) {
    if (method === 'GET') return 'the listing';
    if (method === 'PUT') return 'creating the bucket';
    return `the bucket ${method}`;
  }
  return `the ${method} of the object`;
}

/** One exchange as a step: `the HEAD of the object (HEAD /b/k → 404)`. */
export function describeExchange(exchange: Pick<TracedExchange, 'method' | 'path' | 'status'>): string {
  const answer = exchange.status === 0 ? 'no answer' : String(exchange.status);
  return `${stepName(exchange.method, exchange.path)} (${exchange.method} ${exchange.path} → ${answer})`;
}

/**
 * The step a failure happened at: the last request before the assertion failed, and the one before it.
 * Undefined when the failing run sent nothing (or was not traced).
 */
export function failedStep(trace: RunTrace | undefined): string | undefined {
  const last = trace?.client.at(-1);
  if (trace === undefined || last === undefined) return undefined;
  const before = trace.client.at(-2);
  return `${describeExchange(last)}${before ? `, after ${describeExchange(before)}` : ''}`;
}

/** The first line of a failure that says what was expected: the assertion, before any response body. */
export function assertionOf(failure: string | undefined): string | undefined {
  if (failure === undefined) return undefined;
  const lines = failure
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('at ') && !/^Property failed after/.test(line));
  return lines.find((line) => /expected|timed out|Error/i.test(line)) ?? lines[0];
}

/** The cause of a failure, as failures that share it are grouped: its step's kind, status and assertion. */
function causeKey(result: { failure?: string; trace?: RunTrace }): string {
  const last = result.trace?.client.at(-1);
  const step = last === undefined ? 'no request' : `${stepName(last.method, last.path)} → ${last.status}`;
  const assertion = (assertionOf(result.failure) ?? '')
    // Keys, bodies and hashes differ from one behaviour to the next; what was compared does not.
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '…')
    .replace(/\b[0-9a-f]{16,}\b/g, '…')
    .replace(/\b\d{4,}\b/g, 'N');
  return `${step} | ${assertion}`;
}

export interface FailureGroup {
  cause: string;
  /** `id on profile`, in report order. */
  members: { id: string; profile: string }[];
}

/** Failures grouped by cause, the largest group first. */
export function groupFailures(
  failures: readonly { id: string; profile: string; result: { failure?: string; trace?: RunTrace } }[],
): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const { id, profile, result } of failures) {
    const cause = causeKey(result);
    let group = groups.get(cause);
    if (group === undefined) {
      group = { cause, members: [] };
      groups.set(cause, group);
    }
    group.members.push({ id, profile });
  }
  return [...groups.values()].sort((a, b) => b.members.length - a.members.length);
}

/**
 * The names a law gives its property's values, read from its source: the parameters of the first
 * `fc.asyncProperty(…, async (key, size) =>` or `fc.property(…, (key, size) =>` after `behaviour('<id>', …`.
 * Undefined where the law destructures its values or the source cannot be read.
 */
export function propertyParameterNames(file: string, id: string, title: string): string[] | undefined {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const starts = [...source.matchAll(/\bbehaviour\(\s*(['"`])([^'"`]+)\1/g)];
  const own = starts.filter((match) => match[2] === id);
  const start =
    own.find((match) => source.slice(match.index, match.index + 400).includes(title.slice(0, 30))) ?? own[0];
  if (start === undefined) return undefined;
  const next = starts.find((match) => match.index > start.index);
  const body = source.slice(start.index, next?.index ?? source.length);
  const property = /\bfc\.(async)?[Pp]roperty\(/.exec(body);
  if (property === null) return undefined;
  const rest = body.slice(property.index);
  const parameters = (property[1] ? /async\s*\(([^()]*)\)\s*=>/ : /\(([^()]*)\)\s*=>/).exec(rest)?.[1];
  if (parameters === undefined || /[{[]/.test(parameters)) return undefined;
  const names = parameters
    .split(',')
    .map((parameter) => parameter.replace(/[:=].*$/s, '').trim())
    .filter((name) => name !== '');
  return names.length > 0 ? names : undefined;
}

/** `key: "a/b", size: 12`; values without a name keep their place as `#3`. */
export function labelCounterexample(names: readonly string[] | undefined, values: readonly string[]): string {
  return values.map((value, i) => `${names?.[i] ?? `#${i + 1}`}: ${value}`).join(', ');
}
