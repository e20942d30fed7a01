// The HTML report in a real browser (Debian's chromium through playwright-core): it opens with no
// request but the file and no console error, filtering works, it reads with JavaScript off, and
// hostile tenant names show as text and never execute.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../src/audit.js';
import { renderHtmlReport } from '../src/report/html/page.js';
import type { AuditResult } from '../src/report/audit-result.js';
import { chromiumAvailable, CHROMIUM, launch, type BrowserSession, type Opened } from './helpers/browser.js';
import { tempDir } from './helpers/cli.js';
import { demoConfig, demoSnapshot, ROOT } from './helpers/demo.js';
import { HOSTILE, makeHostile } from './helpers/hostile.js';
import type { Snapshot } from '../src/model/snapshot-schema.js';

const ARTIFACTS = join(ROOT, 'test-artifacts');
const available = chromiumAvailable();
if (!available) {
  const message = `\n\n*** html-browser.test.ts SKIPPED: no Chromium at ${CHROMIUM} (apt-get install chromium, or set JITAUDIT_CHROMIUM) ***\n\n`;
  // CI installs chromium (.ci/run sets JITAUDIT_REQUIRE_BROWSER): there, a missing browser is a failure, not a skip.
  if (process.env.JITAUDIT_REQUIRE_BROWSER || process.env.CI) throw new Error(message);
  console.warn(message);
}

function audit(mutate?: (s: Snapshot) => void): { result: AuditResult; file: string } {
  const dir = tempDir();
  const s = demoSnapshot();
  mutate?.(s);
  const snapshotFile = join(dir, 'snapshot.json');
  writeFileSync(snapshotFile, `${JSON.stringify(s, null, 2)}\n`);
  const result = runAudit({ snapshotFile, displayPath: 'snapshot.json', config: demoConfig(), ruleDirs: [], failOn: 'high', allowIncomplete: false });
  const file = join(dir, 'report.html');
  writeFileSync(file, renderHtmlReport(result));
  return { result, file };
}

const visible = (o: Opened) => o.page.locator('li.finding:not([hidden])').count();

describe.skipIf(!available)('report.html in headless Chromium', () => {
  let browser: BrowserSession;
  let demo: { result: AuditResult; file: string };
  beforeAll(async () => {
    browser = await launch();
    demo = audit();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);
  afterAll(async () => browser?.close());

  it('opens with no request but the file itself and no console error; screenshots in both schemes', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const o = await browser.open(demo.file, { colorScheme });
      expect(o.requests).toEqual([o.url]);
      expect(o.consoleErrors).toEqual([]);
      expect(o.pageErrors).toEqual([]);
      expect(await o.page.locator('h1').count()).toBe(1);
      const headings = await o.page.locator('h2').allTextContents();
      expect(headings.map((h) => h.replace(/ \(.*$/, ''))).toEqual([
        'Summary',
        'Coverage',
        'Findings',
        'Effective access windows of just-in-time paths',
        'Production access matrix',
        'Breakglass and root activity',
      ]);
      // Interaction makes no request either.
      await o.page.locator('#flt-q').fill('alice');
      await o.page.locator('li.finding:not([hidden]) summary').first().click();
      await o.page.screenshot({ path: join(ARTIFACTS, `report-demo-${colorScheme}.png`), fullPage: true });
      expect(o.requests).toEqual([o.url]);
      expect(o.consoleErrors).toEqual([]);
      await o.page.context().close();
    }
  });

  it('filters findings by severity, rule, account, status and text', async () => {
    const findings = demo.result.findings.map((f) => f.finding);
    const o = await browser.open(demo.file);
    expect(await o.page.locator('#filters').isVisible()).toBe(true);
    expect(await visible(o)).toBe(findings.length);
    await expect(o.page.locator('#flt-count').textContent()).resolves.toBe(`Showing ${findings.length} of ${findings.length} findings`);

    await o.page.selectOption('#flt-severity', 'critical');
    expect(await visible(o)).toBe(findings.filter((f) => f.severity === 'critical').length);
    await o.page.selectOption('#flt-account', '222222222222');
    expect(await visible(o)).toBe(findings.filter((f) => f.severity === 'critical' && f.account?.id === '222222222222').length);
    await o.page.click('#flt-reset');
    await o.page.waitForFunction(`document.querySelectorAll('li.finding:not([hidden])').length === ${findings.length}`);

    await o.page.selectOption('#flt-rule', 'effective-window-too-long');
    expect(await visible(o)).toBe(findings.filter((f) => f.ruleId === 'effective-window-too-long').length);
    await o.page.selectOption('#flt-rule', '');

    await o.page.selectOption('#flt-status', 'waived');
    expect(await visible(o)).toBe(findings.filter((f) => f.status === 'waived').length);
    expect(await visible(o)).toBeGreaterThan(0);
    await o.page.selectOption('#flt-status', '');

    const one = findings[5]!;
    await o.page.fill('#flt-q', one.fingerprint);
    expect(await visible(o)).toBe(1);
    await o.page.fill('#flt-q', 'FRANK.HALL');
    const shown = await o.page.locator('li.finding:not([hidden])').allTextContents();
    expect(shown.length).toBe(findings.filter((f) => JSON.stringify(f).includes('frank.hall')).length);
    expect(shown.every((t) => t.toLowerCase().includes('frank.hall'))).toBe(true);
    await o.page.fill('#flt-q', 'no such thing anywhere');
    expect(await visible(o)).toBe(0);
    expect(await o.page.locator('#flt-empty').isVisible()).toBe(true);

    // The severity tiles of the summary filter too.
    await o.page.click('a[data-filter-severity="high"]');
    expect(await visible(o)).toBe(findings.filter((f) => f.severity === 'high' && f.status === 'open').length);
    expect(o.consoleErrors).toEqual([]);
    await o.page.context().close();
  });

  it('is complete with JavaScript off: every finding listed, the filter bar hidden', async () => {
    const o = await browser.open(demo.file, { javaScript: false });
    expect(await o.page.locator('#filters').isVisible()).toBe(false);
    expect(await o.page.locator('li.finding').count()).toBe(demo.result.findings.length);
    expect(await o.page.locator('li.finding:visible').count()).toBe(demo.result.findings.length);
    expect(await o.page.locator('.tl-row').count()).toBe(demo.result.analysis.accessPaths.filter((p) => !p.standing).length);
    // Evidence opens without a script: <details>.
    await o.page.locator('li.finding summary').first().click();
    expect(await o.page.locator('li.finding pre.evidence').first().isVisible()).toBe(true);
    expect(o.requests).toEqual([o.url]);
    await o.page.context().close();
  });

  it('shows hostile tenant names as text: nothing injected, nothing executes', async () => {
    const hostile = audit(makeHostile);
    const o = await browser.open(hostile.file);
    const page = o.page;
    // Give any injected handler the chance to run.
    await page.waitForTimeout(300);
    expect(o.dialogs).toEqual([]);
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(await page.locator('img, iframe, object, embed').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.locator('[onerror], [onload], [onclick]').count()).toBe(0);
    expect(await page.locator('svg').count()).toBe(1); // the activity chart, nothing else
    // The names are there, as text, where a reader looks for them.
    const text = (await page.locator('body').textContent()) ?? '';
    for (const name of [HOSTILE.group, HOSTILE.script, HOSTILE.upn, HOSTILE.tenant, HOSTILE.account, HOSTILE.csv]) {
      expect(text, name).toContain(name);
    }
    expect(await page.locator('h1').textContent()).toContain(HOSTILE.tenant);
    expect(await page.locator('#timelines').textContent()).toContain(HOSTILE.group);
    expect(await page.title()).toContain(HOSTILE.tenant);
    await page.screenshot({ path: join(ARTIFACTS, 'report-hostile.png') });
    // Filtering still works on hostile text.
    await page.fill('#flt-q', HOSTILE.group);
    expect(await visible(o)).toBeGreaterThan(0);
    expect(o.dialogs).toEqual([]);
    expect(o.pageErrors).toEqual([]);
    expect(o.requests).toEqual([o.url]);
    await page.context().close();
  });
});
