// The HTML report is for people, so it is checked the way people see it: loaded in a real headless
// Chromium (Debian's, driven by playwright-core), its matrix read and its filters used, and a
// screenshot kept in reports/ for a look.

import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { CheckReport } from './check/check-report.ts';
import { renderReportPage } from './check/render-report-page.ts';

const CHROMIUM = '/usr/bin/chromium';
const root = new URL('..', import.meta.url).pathname;

/** A small report: three behaviours on two profiles, one of each status that has details. */
function fixtureReport(): CheckReport {
  const trace = {
    client: [
      {
        at: 0,
        durationMs: 3,
        method: 'GET',
        path: '/bucket/a%20key',
        requestHeaders: { authorization: 'AWS4-HMAC-SHA256 Credential=…' },
        requestBodySize: 0,
        status: 502,
        responseHeaders: { 'content-type': 'application/xml' },
        bodySize: 120,
        bodyPrefix: '<Error><Code>MirrorFailed</Code><script>alert(1)</script>',
      },
    ],
    origin: [{ at: 1, method: 'GET', path: '/r1/a%20key', query: '', headers: { host: '127.0.0.1:1' } }],
    omitted: 0,
  };
  const base = { level: 'must' as const, runs: 30, seed: 1, tests: [] };
  return {
    target: 'broken:turns-424-into-502',
    profiles: ['neutral', 'oss'],
    seed: 1,
    runs: { neutral: 30, oss: 30 },
    only: [],
    skip: [],
    selected: ['hit.no-origin', 'origin.failure-424', 'miss.no-rule'],
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1234,
    exitCode: 1,
    catalogue: [
      {
        id: 'hit.no-origin',
        level: 'must',
        statement: 'A GET on a key that exists is answered from the bucket.',
      },
      { id: 'origin.failure-424', level: 'must', statement: 'An origin failure is 424 MirrorFailed.' },
      { id: 'miss.no-rule', level: 'must', statement: 'A miss with no rule is 404.' },
    ],
    results: {
      neutral: {
        runs: 30,
        durationMs: 600,
        errors: [],
        behaviours: {
          'hit.no-origin': { ...base, status: 'passed' },
          'origin.failure-424': {
            ...base,
            status: 'failed',
            path: '1:0:0',
            counterexample: 'key: " ", failure: {"kind":"status","status":400}',
            step: 'the GET of the object (GET /bucket/a%20key → 502)',
            failedAfterRuns: 2,
            shrinks: 3,
            failure: 'expected 502 to be 424',
            trace,
          },
          'miss.no-rule': { ...base, status: 'unexpected-pass', reason: 'thought broken' },
        },
      },
      oss: {
        runs: 30,
        durationMs: 600,
        errors: [],
        behaviours: {
          'hit.no-origin': { ...base, status: 'passed' },
          'origin.failure-424': { ...base, status: 'expected-failure', reason: 'known gateway bug', trace },
          'miss.no-rule': { ...base, status: 'not-run', note: 'left out by --only/--skip' },
        },
      },
    },
  };
}

describe('the HTML report', () => {
  it('loads in headless Chromium, shows the matrix, filters it and opens a counterexample trace', async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: run \`apt-get install -y chromium\` (Debian's Chromium)`);
    }
    const folder = mkdtempSync(join(tmpdir(), 'mirrorspec-page-'));
    const pageFile = join(folder, 'index.html');
    writeFileSync(pageFile, renderReportPage(fixtureReport()));

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(String(error)));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      // Self-contained: anything fetched from the network would be a bug (and blocked by its CSP).
      page.on('request', (request) => {
        if (!request.url().startsWith('file:')) problems.push(`fetched ${request.url()}`);
      });
      await page.goto(pathToFileURL(pageFile).href);

      const rows = page.locator('#matrix tbody tr');
      await expect(rows.count()).resolves.toBe(3);
      await expect(
        page
          .locator('#matrix tbody tr[data-id="origin.failure-424"] td[data-profile="neutral"]')
          .textContent(),
      ).resolves.toBe('FAIL');
      await expect(page.locator('#shown').textContent()).resolves.toBe('3 of 3 behaviours shown');
      // Markup in a response body is shown, never run.
      await expect(page.locator('.client-trace').first().innerHTML()).resolves.toContain('&lt;script&gt;');

      // Hide passes: the behaviour that passed everywhere goes, the others stay.
      await page.uncheck('input[name=status][value=passed]');
      await expect(page.locator('#matrix tbody tr[data-id="hit.no-origin"]').isVisible()).resolves.toBe(
        false,
      );
      await expect(page.locator('#matrix tbody tr[data-id="origin.failure-424"]').isVisible()).resolves.toBe(
        true,
      );
      await expect(page.locator('#shown').textContent()).resolves.toBe('2 of 3 behaviours shown');

      // Hide the oss column: its cells and its details go.
      await page.uncheck('input[name=profile][value=oss]');
      await expect(page.locator('#matrix th[data-profile="oss"]').isVisible()).resolves.toBe(false);
      await expect(page.locator('details[data-profile="oss"]').isVisible()).resolves.toBe(false);
      await page.check('input[name=profile][value=oss]');
      await page.check('input[name=status][value=passed]');

      // What to act on comes first: the failures, above the matrix, with the assertion before the trace.
      const order = await page.evaluate(() =>
        ['details[id="r-neutral-origin.failure-424"]', '#matrix'].map((selector) => {
          const element = document.querySelector(selector);
          return element ? element.getBoundingClientRect().top + window.scrollY : -1;
        }),
      );
      expect(order[0]).toBeGreaterThan(0);
      expect(order[0]).toBeLessThan(order[1] ?? 0);
      const failed = page.locator('details[id="r-neutral-origin.failure-424"]');
      const html = await failed.innerHTML();
      expect(html.indexOf('expected 502 to be 424')).toBeLessThan(html.indexOf('client-trace'));
      await expect(failed.textContent()).resolves.toContain('At: the GET of the object');
      // Per-profile totals, and what the columns judge on a simulator run.
      await expect(page.locator('#matrix tfoot td[data-profile="neutral"]').textContent()).resolves.toBe(
        '1 passed, 1 failed, 1 unexpected-pass',
      );
      await expect(page.locator('.note').textContent()).resolves.toMatch(/not the vendor's own service/);

      // A failed cell opens its details, with the counterexample and both sides of the trace.
      await page.click('#matrix tbody tr[data-id="origin.failure-424"] td[data-profile="neutral"] a');
      const details = page.locator('details[id="r-neutral-origin.failure-424"]');
      await expect(details.getAttribute('open')).resolves.not.toBeNull();
      await expect(details.locator('.counterexample').textContent()).resolves.toContain(
        'key: " ", failure: {"kind":"status","status":400}',
      );
      await expect(details.locator('.client-trace tbody tr').count()).resolves.toBe(1);
      await expect(details.locator('.origin-trace').textContent()).resolves.toContain('/r1/a%20key');

      mkdirSync(join(root, 'reports'), { recursive: true });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(root, 'reports', 'report-page.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('a report of a run that could not run', () => {
  it('says so as an error, never "every behaviour that ran passed"', () => {
    const report = fixtureReport();
    const neutral = report.results.neutral;
    if (neutral === undefined) throw new Error('the fixture has a neutral run');
    report.results = {
      neutral: {
        ...neutral,
        errors: ['conformance/laws/hit.test.ts: connect ECONNREFUSED 127.0.0.1:9'],
        behaviours: Object.fromEntries(
          Object.keys(neutral.behaviours).map((id) => [
            id,
            {
              level: 'must' as const,
              runs: 30,
              seed: 1,
              tests: [],
              status: 'not-run' as const,
              note: 'no test of it ran (see errors)',
            },
          ]),
        ),
      },
    };
    report.profiles = ['neutral'];
    const page = renderReportPage(report);
    expect(page).toContain('Error: the suite could not run');
    expect(page).toContain('No law ran on neutral');
    expect(page).not.toContain('every behaviour that ran passed');
    expect(page).toMatch(/class="cell error"[^>]*>ERROR</);
  });
});
