// junit.xml for CI systems: one test case per behaviour per profile. Expected failures, absent behaviours
// and behaviours not run are skipped test cases, so a CI view shows them without counting them as failures.

import { type CheckReport, selectedEntries } from './check-report.ts';

const xml = (text: string) =>
  text
    // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 cannot carry these at all
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');

export function renderJunit(report: CheckReport): string {
  const suites = report.profiles.map((profile) => {
    const run = report.results[profile];
    const entries = selectedEntries(report);
    const cases = entries.map((entry) => {
      const result = run?.behaviours[entry.id];
      const seconds = ((result?.tests ?? []).reduce((sum, t) => sum + t.durationMs, 0) / 1000).toFixed(3);
      const open = `    <testcase classname="mirrorspec.${xml(profile)}" name="${xml(entry.id)}" time="${seconds}">`;
      const body: string[] = [];
      switch (result?.status ?? 'not-run') {
        case 'failed': {
          const detail = [
            entry.statement,
            result?.counterexample ? `Counterexample: ${result.counterexample}` : '',
            result?.path ? `seed ${result.seed}, path ${result.path}` : '',
            result?.replay ? `Replay: ${result.replay}` : '',
            result?.failure ?? '',
          ]
            .filter(Boolean)
            .join('\n');
          body.push(
            `      <failure message="${xml(`${entry.level}: ${(result?.failure ?? 'failed').split('\n')[0] ?? ''}`)}">${xml(detail)}</failure>`,
          );
          break;
        }
        case 'expected-failure':
          body.push(`      <skipped message="${xml(`expected failure: ${result?.reason ?? ''}`)}"/>`);
          break;
        case 'unexpected-pass':
          body.push(
            `      <system-out>${xml(`unexpected pass: listed as a known deviation (${result?.reason ?? ''}) but passed`)}</system-out>`,
          );
          break;
        case 'absent':
          body.push(`      <skipped message="${xml(`absent: ${result?.note ?? ''}`)}"/>`);
          break;
        case 'not-run':
          body.push(`      <skipped message="${xml(`not run: ${result?.note ?? ''}`)}"/>`);
          break;
        default:
          break;
      }
      return body.length === 0 ? `${open.slice(0, -1)}/>` : [open, ...body, '    </testcase>'].join('\n');
    });
    const statuses = entries.map((entry) => run?.behaviours[entry.id]?.status ?? 'not-run');
    const failures = statuses.filter((s) => s === 'failed').length;
    const skipped = statuses.filter(
      (s) => s === 'expected-failure' || s === 'absent' || s === 'not-run',
    ).length;
    const errors = run?.errors.length ?? 0;
    return [
      `  <testsuite name="mirrorspec check (${xml(profile)})" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${((run?.durationMs ?? 0) / 1000).toFixed(3)}">`,
      ...cases,
      ...(run?.errors ?? []).map((error) => `    <system-err>${xml(error)}</system-err>`),
      '  </testsuite>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mirrorspec check" time="${(report.durationMs / 1000).toFixed(3)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
