import { CHECK_STATUSES } from '../../../core/statuses.ts';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../../harness/paths.ts';
import { htmlRenderer } from '../../../reports/renderers/html-renderer.ts';
import { sampleReport } from '../../support/sample-report.ts';

const CHROMIUM = '/usr/bin/chromium';
const OUT = path.join(PACKAGE_ROOT, 'test-output');

describe('report.html in a real headless Chromium', () => {
  it('loads offline with no console errors, shows the counts, filters, and is screenshotted', async () => {
    // Fails loudly rather than skipping: scripts/setup.sh installs Debian's chromium.
    expect(existsSync(CHROMIUM), `${CHROMIUM} missing: run scripts/setup.sh`).toBe(true);
    const report = sampleReport();
    await mkdir(OUT, { recursive: true });
    const file = path.join(OUT, 'report.html');
    await writeFile(file, htmlRenderer.render(report));

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(`file://${file}`);

      const count = (status: string) => report.checks.filter((check) => check.status === status).length;
      expect(await page.textContent('#score')).toBe(`${report.score.points} / ${report.score.max}`);
      expect(await page.textContent('#counts')).toBe(CHECK_STATUSES.map((status) => `${count(status)} ${status.replace('_', ' ')}`).join(' · '));
      expect(await page.textContent('#shown')).toBe(String(report.checks.length));
      // Unticking "pass" leaves the failed, errored and skipped checks.
      await page.uncheck('input[data-kind="status"][value="pass"]');
      expect(await page.textContent('#shown')).toBe(String(report.checks.length - count('pass')));
      expect(await page.locator('section.check:visible').count()).toBe(report.checks.length - count('pass'));
      await page.locator('section.check.fail details summary').first().click();
      await page.screenshot({ path: path.join(OUT, 'report.png'), fullPage: false });
      console.log(`report.html screenshot: ${path.join(OUT, 'report.png')}`);

      expect(problems).toEqual([]);
      expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it.each([375, 1200])('at %i px wide: no horizontal scroll, the latency chart with its SLO line, repo signals, counts equal to the JSON', async (width) => {
    const report = sampleReport();
    if (report.load) report.load.sloP95Ms = 100;
    await mkdir(OUT, { recursive: true });
    const file = path.join(OUT, `report-${width}.html`);
    await writeFile(file, htmlRenderer.render(report));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    try {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(`file://${file}`);
      // A string, evaluated in the page: this project's TypeScript has no DOM types.
      const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
      expect(overflow, `the page scrolls sideways by ${overflow} px`).toBeLessThanOrEqual(0);
      const runs = report.load?.measurement.runs.length ?? 0;
      expect(runs).toBeGreaterThan(0);
      expect(await page.locator('#latency-chart rect.bar').count()).toBe(3 * runs);
      expect(await page.locator('#latency-chart line.slo').count()).toBe(1);
      expect(await page.locator('#load-runs tr').count()).toBe(1 + runs + (report.load?.baseline ? 1 : 0));
      if (report.repo) expect(await page.textContent('#repo')).toContain('Own tests');
      expect(await page.locator('section.check').count()).toBe(report.checks.length);
      expect(await page.textContent('#score')).toBe(`${report.score.points} / ${report.score.max}`);
      // The chart fits its column: never wider than the viewport.
      const chartWidth = await page.locator('#latency-chart').evaluate((svg) => svg.getBoundingClientRect().width);
      expect(chartWidth).toBeLessThanOrEqual(width);
      await page.screenshot({ path: path.join(OUT, `report-${width}.png`), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 60_000);
});
