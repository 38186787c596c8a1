// conformance.html of a failing run, opened in a real browser: it loads with no console error and
// no request leaving the file, a screenshot is taken, and the page shows the verdict, a failing
// rule's id and the offending value highlighted; the filters hide and show cases.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { RULE_STATUSES, type RunReport } from '../../reports/model.ts';
import { hasChromium, launch } from './browser.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
// CI installs Chromium (.ci/run); elsewhere a machine without it skips this file, saying so.
const available = hasChromium() || !!process.env.CI;
if (!available) console.warn('html.browser.test: no /usr/bin/chromium (apt-get install chromium); skipped');

/** WCAG 2 contrast ratio of two computed rgb() colours (4.5 is the level for normal text). */
function contrast(a: string, b: string): number {
  const luminance = (rgb: string) => {
    const [r, g, bl] = rgb
      .match(/\d+(\.\d+)?/g)!
      .slice(0, 3)
      .map((v) => {
        const c = Number(v) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe.runIf(available)('conformance.html in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'conformance-html-'));
  let close: () => Promise<void>;
  let page: Page;
  const consoleMessages: string[] = [];
  const requests: string[] = []; // through the route
  const seen: string[] = []; // every request event of the page
  let report: RunReport;

  beforeAll(async () => {
    const run = spawnSync(
      process.execPath,
      [join(root, 'bin', 'conformance.js'), '--report-dir', dir, '--fault', 't5-port-out-of-range'],
      { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true' } },
    );
    expect(run.status, run.stderr).toBe(1);
    report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8'));
    const launched = await launch();
    close = launched.close;
    const context = launched.context;
    // Anything but the file itself is recorded and refused: the page must need nothing else.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      requests.push(url);
      return url === pathToFileURL(join(dir, 'conformance.html')).href ? route.continue() : route.abort();
    });
    page = await context.newPage();
    page.on('console', (m) => consoleMessages.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => consoleMessages.push(`pageerror: ${e.message}`));
    page.on('request', (r) => seen.push(r.url()));
    await page.goto(pathToFileURL(join(dir, 'conformance.html')).href, { waitUntil: 'load' });
  }, 120_000);

  afterAll(async () => {
    await close?.();
    rmSync(dir, { recursive: true, force: true });
  });

  test('loads with no console message and no request but the file itself; a screenshot is taken', async () => {
    expect(consoleMessages).toEqual([]);
    expect(requests).toEqual([pathToFileURL(join(dir, 'conformance.html')).href]);
    expect(seen).toEqual(requests);
    const png = await page.screenshot({ path: join(dir, 'report.png') });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);
  });

  test('shows the verdict, the failing rule with the page words, and the offending value highlighted', async () => {
    await expect(page.locator('#verdict').textContent()).resolves.toMatch(/^Not conformant\. \d+ cases failed/);
    const group = page.locator('#failed-table5\\.port\\.maximum');
    await expect(group.locator('h3').textContent()).resolves.toContain('table5.port.maximum');
    await expect(group.locator('blockquote').first().textContent()).resolves.toBe('The value ranges from 1 to 65535.');
    // The first highlighted value is the one the first failing check points at, and shows what it said it got.
    const failed = report.cases.find((c) => c.outcome === 'failed')!;
    const check = failed.checks.find((k) => k.outcome === 'failed')!;
    const mark = group.locator('mark').first();
    await expect(mark.getAttribute('data-pointer')).resolves.toBe(check.offending!.response![0]);
    const got = /\(got (\d+)\)/.exec(check.messages[0])![1];
    await expect(mark.textContent()).resolves.toBe(got);
    await expect(mark.isVisible()).resolves.toBe(true);
    await expect(page.locator('#rule-grid a rect.r-failed').count()).resolves.toBe(1);
  });

  test('the filters hide and show cases by outcome, suite and table', async () => {
    const count = page.locator('#f-count');
    const total = report.summary.total;
    await expect(count.textContent()).resolves.toBe(`${total} of ${total} cases shown`);
    await page.locator('#filters input[value="passed"]').uncheck();
    await expect(count.textContent()).resolves.toBe(`${report.summary.failed} of ${total} cases shown`);
    await expect(page.locator('#cases tr[data-outcome="passed"]').first().isHidden()).resolves.toBe(true);
    await page.locator('#filters input[value="passed"]').check();
    await page.selectOption('#f-suite', 'auth');
    const auth = report.cases.filter((c) => c.suite === 'auth').length;
    await expect(count.textContent()).resolves.toBe(`${auth} of ${total} cases shown`);
    await page.selectOption('#f-suite', '');
    await page.selectOption('#f-table', 'Table 5');
    const broke5 = report.cases.filter((c) =>
      [c.rule, ...c.checks.filter((k) => k.outcome !== 'passed').flatMap((k) => k.citations)].some(
        (x) => x.table === 'Table 5',
      ),
    ).length;
    await expect(count.textContent()).resolves.toBe(`${broke5} of ${total} cases shown`);
    await expect(page.locator('#failed-table5\\.port\\.maximum').isVisible()).resolves.toBe(true);
  });

  test('every status badge of the coverage matrix is legible and coloured as its square in the rule grid', async () => {
    for (const status of RULE_STATUSES) {
      const badges = page.locator(`#rule-coverage .badge.r-${status}`);
      await expect(badges.count(), status).resolves.toBeGreaterThan(0); // the legend holds one of each
      const look = await badges.evaluateAll((els) =>
        els.map((el) => {
          const s = getComputedStyle(el);
          return { color: s.color, background: s.backgroundColor };
        }),
      );
      const square = await page
        .locator(`#rule-grid rect.r-${status}`)
        .first()
        .evaluate((el) => getComputedStyle(el).fill);
      for (const l of look) {
        expect(contrast(l.color, l.background), `${status}: ${l.color} on ${l.background}`).toBeGreaterThanOrEqual(4.5);
        expect(l.background, status).toBe(square);
      }
    }
  });

  test("no table's name in the rule grid runs into its squares", async () => {
    const fits = await page.locator('#rule-grid').evaluate((svg) => {
      const first = Math.min(...Array.from(svg.querySelectorAll('a rect'), (r) => Number(r.getAttribute('x'))));
      return Array.from(svg.querySelectorAll<SVGTextElement>('text.label[x="0"]'), (t) => {
        const box = t.getBBox();
        return { label: t.textContent, right: Math.ceil(box.x + box.width), first };
      });
    });
    expect(fits.map((f) => f.label)).toContain('AK/SK signing (SDK-HMAC-SHA256)');
    for (const f of fits) expect(f.right, f.label ?? '').toBeLessThan(f.first);
  });
});
