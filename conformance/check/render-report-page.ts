// index.html: the report as one self-contained page (inline style and script, nothing fetched), so it
// can be opened from a CI artefact or a file system. The matrix and every trace are plain HTML; the
// script only filters, so the page still reads without it.

import type { RunTrace } from '../client/http-trace.ts';
import type { BehaviourResult, CheckReport } from './check-report.ts';
import { countStatuses, selectedEntries } from './check-report.ts';
import { CHECK_STATUSES, STATUS_LABELS } from './check-status.ts';
import { assertionOf } from './failure-findings.ts';
import {
  cellStatus,
  failureGroups,
  failuresOf,
  nothingRan,
  profileColumnsNote,
  profileTotals,
  runErrors,
  totalsText,
} from './report-overview.ts';

/** The statuses a cell can show, for the filters and counts: the report's, and `error`. */
const FILTER_STATUSES = [...CHECK_STATUSES, 'error'] as const;

const esc = (text: string | number) =>
  String(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

/** The anchor of one result's details. */
const anchor = (profile: string, id: string) => `r-${profile}-${id}`;

const STYLE = `
:root { font-family: system-ui, sans-serif; color: #1b1f24; background: #fff; }
body { margin: 1.5rem; }
h1 { font-size: 1.4rem; margin: 0 0 .3rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; }
.meta { color: #555; margin: .2rem 0; }
.counts { display: flex; gap: .6rem; flex-wrap: wrap; padding: 0; list-style: none; }
.counts li { padding: .15rem .5rem; border-radius: .3rem; }
form { display: flex; gap: 1.2rem; flex-wrap: wrap; align-items: flex-start; margin: 1rem 0; }
fieldset { border: 1px solid #d0d7de; border-radius: .3rem; padding: .3rem .6rem; }
fieldset label { margin-right: .6rem; white-space: nowrap; }
table { border-collapse: collapse; }
#matrix th, #matrix td { border: 1px solid #d0d7de; padding: .2rem .5rem; text-align: left; }
#matrix thead th { background: #f6f8fa; position: sticky; top: 0; }
#matrix th[scope=row] { font-weight: normal; font-family: ui-monospace, monospace; }
.cell a { color: inherit; text-decoration: none; display: block; }
.cell.passed, .counts .passed { background: #dafbe1; }
.cell.failed, .counts .failed { background: #ffd7d5; font-weight: bold; }
.cell.expected-failure, .counts .expected-failure { background: #fff1c2; }
.cell.unexpected-pass, .counts .unexpected-pass { background: #cfe2ff; font-weight: bold; }
.cell.not-run, .counts .not-run { background: #f0f0f0; color: #777; }
.cell.absent, .counts .absent { background: #ece6f5; color: #555; }
.cell.error, .counts .error { background: #6e2b2b; color: #fff; font-weight: bold; }
.run-error { border: 2px solid #cf222e; background: #fff5f5; border-radius: .3rem; padding: .3rem .8rem; }
.note { border-left: 4px solid #0969da; background: #f0f6ff; padding: .3rem .6rem; }
.assertion { font-weight: bold; color: #82071e; }
#matrix tfoot td { font-size: .85rem; background: #f6f8fa; }
details.result.failed { border-left: 6px solid #cf222e; }
details.result.expected-failure { border-left: 6px solid #d4a72c; }
details.result.unexpected-pass { border-left: 6px solid #0969da; }
.hidden { display: none; }
details.result { border: 1px solid #d0d7de; border-radius: .3rem; margin: .5rem 0; padding: .3rem .6rem; }
details.result > summary { cursor: pointer; }
details.result[open] > summary { margin-bottom: .4rem; }
pre { background: #f6f8fa; padding: .4rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; margin: .3rem 0; }
.trace { font-size: .85rem; width: 100%; table-layout: fixed; }
.trace col.n { width: 2.5rem; } .trace col.at { width: 5rem; } .trace col.answer { width: 16rem; }
.trace pre { font-size: .8rem; }
.trace th, .trace td { border-bottom: 1px solid #e5e7eb; padding: .15rem .4rem; vertical-align: top; text-align: left; }
.trace td.num { text-align: right; white-space: nowrap; }
code { font-family: ui-monospace, monospace; }
`;

const SCRIPT = `
(() => {
  const form = document.getElementById('filters');
  const checked = (name) => new Set([...form.querySelectorAll('input[name=' + name + ']:checked')].map((i) => i.value));
  const idMatcher = (text) => {
    const t = text.trim();
    if (t === '') return () => true;
    if (!t.includes('*')) return (id) => id.includes(t);
    const re = new RegExp('^' + t.split('*').map((p) => p.replace(/[.+?^$()|[\\]{}\\\\]/g, '\\\\$&')).join('.*') + '$');
    return (id) => re.test(id);
  };
  const apply = () => {
    const statuses = checked('status');
    const profiles = checked('profile');
    const matches = idMatcher(document.getElementById('id-filter').value);
    for (const el of document.querySelectorAll('[data-profile]:not(input)')) {
      if (el.closest('#matrix')) el.classList.toggle('hidden', !profiles.has(el.dataset.profile));
    }
    let shown = 0;
    const rows = document.querySelectorAll('#matrix tbody tr');
    for (const row of rows) {
      const cells = [...row.querySelectorAll('td[data-status]')].filter((td) => profiles.has(td.dataset.profile));
      const visible = matches(row.dataset.id) && cells.some((td) => statuses.has(td.dataset.status));
      row.classList.toggle('hidden', !visible);
      if (visible) shown++;
    }
    for (const d of document.querySelectorAll('details.result')) {
      d.classList.toggle('hidden', !(statuses.has(d.dataset.status) && profiles.has(d.dataset.profile) && matches(d.dataset.id)));
    }
    document.getElementById('shown').textContent = shown + ' of ' + rows.length + ' behaviours shown';
  };
  const openHash = () => {
    const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.tagName === 'DETAILS') target.open = true;
  };
  form.addEventListener('input', apply);
  window.addEventListener('hashchange', openHash);
  apply();
  openHash();
})();
`;

function headerLines(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
}

function renderTrace(trace: RunTrace): string {
  const client = trace.client
    .map(
      (x, i) => `<tr>
  <td class="num">${i + 1}</td><td class="num">+${esc(x.at)} ms</td>
  <td><code>${esc(x.method)} ${esc(x.path)}</code>${x.requestBodySize > 0 ? ` <small>(${esc(x.requestBodySize)} B body)</small>` : ''}
    <details><summary>request headers (${Object.keys(x.requestHeaders).length})</summary><pre>${esc(headerLines(x.requestHeaders)) || '(none)'}</pre></details></td>
  <td><b>${esc(x.status || 'no answer')}</b>${x.cut ? ` <small>cut: ${esc(x.cut)}</small>` : ''}
    <details><summary>${esc(x.bodySize)} B, headers</summary><pre>${esc(headerLines(x.responseHeaders))}</pre>${x.bodyPrefix ? `<pre>${esc(x.bodyPrefix)}</pre>` : ''}</details></td>
</tr>`,
    )
    .join('\n');
  const origin = trace.origin
    .map(
      (r, i) => `<tr>
  <td class="num">${i + 1}</td><td class="num">+${esc(r.at)} ms</td>
  <td><code>${esc(r.method)} ${esc(r.path)}${r.query ? `?${esc(r.query)}` : ''}</code>
    <pre>${esc(headerLines(r.headers))}</pre></td>
</tr>`,
    )
    .join('\n');
  return `<h4>Client → target</h4>
<table class="trace client-trace"><colgroup><col class="n"><col class="at"><col><col class="answer"></colgroup><thead><tr><th>#</th><th>at</th><th>request</th><th>answer</th></tr></thead><tbody>
${client || '<tr><td colspan="4">no requests</td></tr>'}
</tbody></table>${trace.omitted > 0 ? `<p class="meta">${esc(trace.omitted)} more exchanges left out.</p>` : ''}
<h4>Target → origin</h4>
<table class="trace origin-trace"><colgroup><col class="n"><col class="at"><col></colgroup><thead><tr><th>#</th><th>at</th><th>request</th></tr></thead><tbody>
${origin || '<tr><td colspan="3">the origin received no request</td></tr>'}
</tbody></table>`;
}

function renderDetails(profile: string, id: string, statement: string, result: BehaviourResult): string {
  const parts = [`<p>${esc(statement)}</p>`];
  if (result.reason) parts.push(`<p><b>Expectation:</b> ${esc(result.reason)}</p>`);
  if (result.status === 'unexpected-pass') {
    parts.push('<p>Listed as a known deviation, but it passed: remove it from the expectations file.</p>');
  }
  const assertion = assertionOf(result.failure);
  if (assertion) parts.push(`<p class="assertion">${esc(assertion)}</p>`);
  if (result.step) parts.push(`<p><b>At:</b> ${esc(result.step)}</p>`);
  if (result.counterexample !== undefined) {
    parts.push(
      `<p><b>Counterexample</b> (seed ${esc(result.seed)}, path <code>${esc(result.path ?? '')}</code>, failed after ${esc(result.failedAfterRuns ?? 0)} runs, shrunk ${esc(result.shrinks ?? 0)} times):</p>`,
      `<pre class="counterexample">${esc(result.counterexample)}</pre>`,
    );
  }
  if (result.failure)
    parts.push(`<details><summary>failure</summary><pre>${esc(result.failure)}</pre></details>`);
  if (result.trace !== undefined) parts.push(renderTrace(result.trace));
  if (result.replay) parts.push(`<p>Replay: <code>${esc(result.replay)}</code></p>`);
  const tests = result.tests
    .map(
      (t) => `<li class="${esc(t.status)}">${esc(t.status)}: ${esc(t.title)} (${esc(t.durationMs)} ms)</li>`,
    )
    .join('');
  if (tests) parts.push(`<ul>${tests}</ul>`);
  return `<details class="result ${esc(result.status)}" id="${esc(anchor(profile, id))}" data-profile="${esc(profile)}" data-status="${esc(result.status)}" data-id="${esc(id)}">
<summary><b>${esc(id)}</b> on ${esc(profile)}: ${esc(result.status)} (${esc(result.level)})</summary>
${parts.join('\n')}
</details>`;
}

function renderGroups(report: CheckReport): string {
  const shared = failureGroups(report).filter((group) => group.members.length > 1);
  if (shared.length === 0) return '';
  const items = shared
    .map(
      (group) =>
        `<li><code>${esc(group.cause)}</code>: ${group.members
          .map((m) => `<a href="#${esc(anchor(m.profile, m.id))}">${esc(m.id)} on ${esc(m.profile)}</a>`)
          .join(', ')}</li>`,
    )
    .join('\n');
  return `<p>Failures that share a cause (the same step, status and assertion):</p><ul class="groups">${items}</ul>`;
}

export function renderReportPage(report: CheckReport): string {
  const totals = profileTotals(report);
  const counts = pageCounts(report, totals);
  const entries = selectedEntries(report);
  const couldNotRun = renderCouldNotRun(report);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>mirrorspec check: ${esc(report.target)}</title>
<style>${STYLE}</style>
</head>
<body>
${renderHeader(report, counts)}
${couldNotRun}
${renderFailures(report, entries, couldNotRun !== '')}
${renderFilters(report, counts)}
<p id="shown" class="meta"></p>
${renderMatrix(report, entries, totals)}
${renderKnownDeviations(report, entries)}
<script>${SCRIPT}</script>
</body>
</html>
`;
}

type PageCounts = Record<(typeof FILTER_STATUSES)[number], number>;

/** The counts over behaviour × profile, with the cells whose profile could not run as `error`. */
function pageCounts(report: CheckReport, totals: ReturnType<typeof profileTotals>): PageCounts {
  const counts = { ...countStatuses(report), error: 0 };
  for (const profile of report.profiles) counts.error += totals[profile]?.error ?? 0;
  return counts;
}

function renderHeader(report: CheckReport, counts: PageCounts): string {
  const runs = report.profiles.map((p) => `${p} ${report.runs[p]}`).join(', ');
  const note = profileColumnsNote(report);
  return `<header>
<h1>mirrorspec conformance report</h1>
<p class="meta">Target <b>${esc(report.target)}</b>; seed ${esc(report.seed)}; runs per property: ${esc(runs)}; started ${esc(report.startedAt)}, took ${esc((report.durationMs / 1000).toFixed(0))} s; exit status ${esc(report.exitCode)}.</p>
${report.expectationsFile ? `<p class="meta">Expectations: ${esc(report.expectationsFile)}</p>` : ''}
<ul class="counts">${FILTER_STATUSES.map((s) => `<li class="${s}">${s}: ${counts[s]}</li>`).join('')}</ul>
${note ? `<p class="note">${esc(note)}</p>` : ''}
</header>`;
}

/** The run errors and the profiles on which no law ran, or nothing when there are none. */
function renderCouldNotRun(report: CheckReport): string {
  const errors = runErrors(report).map((error) => `<li><pre>${esc(error)}</pre></li>`);
  const silent = report.profiles.filter((profile) => nothingRan(report, profile));
  if (errors.length === 0 && silent.length === 0) return '';
  return `<section class="run-error"><h2>Error: the suite could not run</h2>${
    silent.length > 0
      ? `<p>No law ran on ${esc(silent.join(', '))}: this report says nothing about the target there.</p>`
      : ''
  }<ul>${errors.join('\n')}</ul></section>`;
}

function renderFailures(
  report: CheckReport,
  entries: CheckReport['catalogue'],
  couldNotRun: boolean,
): string {
  const statements = new Map(entries.map((entry) => [entry.id, entry.statement]));
  const failures = failuresOf(report)
    .map(({ id, profile, result }) => renderDetails(profile, id, statements.get(id) ?? '', result))
    .join('\n');
  const verdict = couldNotRun
    ? '<p>None reported; the suite could not run everything (see the error above).</p>'
    : '<p>None: every behaviour that ran passed.</p>';
  return `<h2>Failures (${esc(failuresOf(report).length)})</h2>
${renderGroups(report)}
${failures || verdict}`;
}

function renderFilters(report: CheckReport, counts: PageCounts): string {
  const statusFilters = FILTER_STATUSES.map(
    (status) =>
      `<label><input type="checkbox" name="status" value="${status}" checked> ${status} (${counts[status]})</label>`,
  ).join('\n');
  const profileFilters = report.profiles
    .map(
      (profile) =>
        `<label><input type="checkbox" name="profile" value="${esc(profile)}" checked> ${esc(profile)}</label>`,
    )
    .join('\n');
  return `<form id="filters" onsubmit="return false">
<fieldset><legend>Status</legend>
${statusFilters}
</fieldset>
<fieldset><legend>Profile</legend>
${profileFilters}
</fieldset>
<label>Behaviour <input type="search" id="id-filter" placeholder="e.g. origin.*"></label>
</form>`;
}

/** The behaviour × profile table, each cell its status, linked to its details where it has some. */
function renderMatrix(
  report: CheckReport,
  entries: CheckReport['catalogue'],
  totals: ReturnType<typeof profileTotals>,
): string {
  const head = report.profiles.map((p) => `<th data-profile="${esc(p)}">${esc(p)}</th>`).join('');
  const rows = entries.map((entry) => renderMatrixRow(report, entry)).join('\n');
  const foot = report.profiles
    .map((p) => `<td data-profile="${esc(p)}">${esc(totalsText(totals[p]))}</td>`)
    .join('');
  return `<table id="matrix">
<thead><tr><th>behaviour</th><th>level</th>${head}</tr></thead>
<tbody>
${rows}
</tbody>
<tfoot><tr><th scope="row">totals</th><td></td>${foot}</tr></tfoot>
</table>`;
}

function renderMatrixRow(report: CheckReport, entry: CheckReport['catalogue'][number]): string {
  const cells = report.profiles
    .map((profile) => {
      const result = report.results[profile]?.behaviours[entry.id];
      const status = cellStatus(report, profile, entry.id);
      const label = status === 'error' ? 'ERROR' : STATUS_LABELS[status];
      const detailed = status === 'failed' || status === 'expected-failure' || status === 'unexpected-pass';
      const title = result?.note ?? result?.reason ?? status;
      const inner = detailed ? `<a href="#${esc(anchor(profile, entry.id))}">${esc(label)}</a>` : esc(label);
      return `<td class="cell ${status}" data-profile="${esc(profile)}" data-status="${status}" title="${esc(title)}">${inner}</td>`;
    })
    .join('');
  return `<tr data-id="${esc(entry.id)}"><th scope="row" title="${esc(entry.statement)}">${esc(entry.id)}</th><td>${esc(entry.level)}</td>${cells}</tr>`;
}

/** The details of every expected failure and unexpected pass, or nothing when there are none. */
function renderKnownDeviations(report: CheckReport, entries: CheckReport['catalogue']): string {
  const details = report.profiles
    .flatMap((profile) =>
      entries.flatMap((entry) => {
        const result = report.results[profile]?.behaviours[entry.id];
        if (result?.status !== 'expected-failure' && result?.status !== 'unexpected-pass') return [];
        return [renderDetails(profile, entry.id, entry.statement, result)];
      }),
    )
    .join('\n');
  return details ? `<h2>Expected failures and unexpected passes</h2>\n${details}` : '';
}
