// The HTML report in a real browser (Debian's chromium through playwright-core): it opens with no
// request but the file and no console error, filtering works and lives in the URL's #fragment, it
// reads with JavaScript off, and hostile tenant names show as text and never execute.
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
        'Controls',
        'Who can get around the JIT',
        'Effective access windows of just-in-time paths',
        'Production access matrix',
        'Activity',
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

  it('filters findings by severity, rule, account, status and text, and hides the rules left empty', async () => {
    const findings = demo.result.findings.map((f) => f.finding);
    const all = demo.result.analysis.accessPaths;
    // The account filter matches a finding's own account and those of the paths it affects.
    const touches = (f: (typeof findings)[number], id: string) => f.account?.id === id || (f.impact?.paths ?? []).some((i) => all[i]!.account.id === id);
    const rules = (list: typeof findings) => new Set(list.map((f) => f.ruleId)).size;
    const o = await browser.open(demo.file);
    const groups = () => o.page.locator('article.rule-group:not([hidden])').count();
    expect(await o.page.locator('#filters').isVisible()).toBe(true);
    expect(await visible(o)).toBe(findings.length);
    await expect(o.page.locator('#flt-count').textContent()).resolves.toBe(`Showing ${findings.length} of ${findings.length} findings`);

    await o.page.selectOption('#flt-severity', 'critical');
    const critical = findings.filter((f) => f.severity === 'critical');
    expect(await visible(o)).toBe(critical.length);
    expect(await groups()).toBe(rules(critical));
    await o.page.selectOption('#flt-account', '222222222222');
    const inAccount = critical.filter((f) => touches(f, '222222222222'));
    expect(inAccount.some((f) => !f.account)).toBe(true); // found through its paths
    expect(await visible(o)).toBe(inAccount.length);
    await o.page.click('#flt-reset');
    await o.page.waitForFunction(`document.querySelectorAll('li.finding:not([hidden])').length === ${findings.length}`);
    expect(await groups()).toBe(rules(findings));

    await o.page.selectOption('#flt-rule', 'effective-window-too-long');
    expect(await visible(o)).toBe(findings.filter((f) => f.ruleId === 'effective-window-too-long').length);
    expect(await groups()).toBe(1);
    expect(await o.page.locator('article.rule-group:not([hidden])').getAttribute('id')).toBe('rule-effective-window-too-long');
    await o.page.selectOption('#flt-rule', '');

    await o.page.selectOption('#flt-status', 'waived');
    expect(await visible(o)).toBe(findings.filter((f) => f.status === 'waived').length);
    expect(await visible(o)).toBeGreaterThan(0);
    await o.page.selectOption('#flt-status', '');

    const one = findings[5]!;
    await o.page.fill('#flt-q', one.fingerprint);
    expect(await visible(o)).toBe(1);
    // Text search reads a finding's listed paths too: a person is found in the findings about their groups.
    await o.page.fill('#flt-q', 'FRANK.HALL');
    const shown = await o.page.locator('li.finding:not([hidden])').allTextContents();
    const about = findings.filter((f) => JSON.stringify(f).includes('frank.hall'));
    const through = findings.filter((f) => (f.impact?.paths ?? []).some((i) => all[i]!.principal.upn?.startsWith('frank.hall')));
    expect(shown.length).toBeGreaterThanOrEqual(new Set([...about, ...through.filter((f) => f.impact!.paths.length <= 25)]).size);
    expect(shown.length).toBeLessThan(findings.length);
    expect(shown.every((t) => t.toLowerCase().includes('frank.hall'))).toBe(true);
    await o.page.fill('#flt-q', 'no such thing anywhere');
    expect(await visible(o)).toBe(0);
    expect(await groups()).toBe(0);
    expect(await o.page.locator('#flt-empty').isVisible()).toBe(true);

    // The severity tiles of the summary filter too.
    await o.page.click('a[data-filter-severity="high"]');
    expect(await visible(o)).toBe(findings.filter((f) => f.severity === 'high' && f.status === 'open').length);
    expect(await o.page.evaluate('location.hash')).toBe('#severity=high&status=open');
    expect(o.consoleErrors).toEqual([]);
    await o.page.context().close();
  });

  it('keeps the filter in the URL: a copied address opens the same view', async () => {
    const findings = demo.result.findings.map((f) => f.finding);
    const o = await browser.open(demo.file);
    expect(await o.page.evaluate('location.hash')).toBe('');
    const entries = await o.page.evaluate('history.length');
    await o.page.selectOption('#flt-severity', 'high');
    await o.page.selectOption('#flt-rule', 'effective-window-too-long');
    await o.page.fill('#flt-q', 'frank hall');
    await o.page.fill('#flt-q', 'PIM');
    const hash = (await o.page.evaluate('location.hash')) as string;
    expect(hash).toBe('#severity=high&rule=effective-window-too-long&q=PIM');
    const expected = await visible(o);
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(findings.length);
    // Typing replaced the address rather than adding to the history.
    expect(await o.page.evaluate('history.length')).toBe(entries);

    // A fresh page opened at that address shows the same view.
    const fresh = await o.page.context().newPage();
    const errors: string[] = [];
    fresh.on('pageerror', (e) => errors.push(e.message));
    await fresh.goto(`${o.url}${hash}`);
    expect(await fresh.locator('#flt-severity').inputValue()).toBe('high');
    expect(await fresh.locator('#flt-rule').inputValue()).toBe('effective-window-too-long');
    expect(await fresh.locator('#flt-q').inputValue()).toBe('PIM');
    expect(await fresh.locator('li.finding:not([hidden])').count()).toBe(expected);
    // Spaces and characters that mean something in a URL survive the round trip.
    await fresh.fill('#flt-q', 'a&b=c d#e');
    const odd = (await fresh.evaluate('location.hash')) as string;
    const again = await o.page.context().newPage();
    await again.goto(`${o.url}${odd}`);
    expect(await again.locator('#flt-q').inputValue()).toBe('a&b=c d#e');
    // A value this report does not offer selects "all"; unknown keys are ignored.
    await again.goto(`${o.url}#rule=no-such-rule&severity=critical&x=1`);
    await again.reload();
    expect(await again.locator('#flt-rule').inputValue()).toBe('');
    expect(await again.locator('li.finding:not([hidden])').count()).toBe(findings.filter((f) => f.severity === 'critical').length);

    // Editing the address applies it at once; clearing the filter clears it.
    await fresh.evaluate(`location.hash = '#status=waived'`);
    await expect.poll(() => fresh.locator('#flt-status').inputValue()).toBe('waived');
    expect(await fresh.locator('li.finding:not([hidden])').count()).toBe(findings.filter((f) => f.status === 'waived').length);
    expect(await fresh.locator('#flt-q').inputValue()).toBe('');
    await fresh.click('#flt-reset');
    await expect.poll(() => fresh.evaluate('location.hash')).toBe('');
    expect(await fresh.locator('li.finding:not([hidden])').count()).toBe(findings.length);

    // A section's anchor is not a filter; a link to a rule the filter hides clears the filter.
    await fresh.selectOption('#flt-rule', 'effective-window-too-long');
    await fresh.click('#controls a[href="#rule-standing-privileged-access-prod"]');
    await expect.poll(() => fresh.locator('#rule-standing-privileged-access-prod').isVisible()).toBe(true);
    expect(await fresh.locator('#flt-rule').inputValue()).toBe('');
    expect(errors).toEqual([]);
    expect(o.requests).toEqual([o.url]);
    await o.page.context().close();
  });

  it('expands a finding to its access paths', async () => {
    const f = demo.result.findings.find((x) => x.finding.ruleId === 'effective-window-too-long' && x.finding.impact!.paths.length > 1)!;
    const o = await browser.open(demo.file);
    const entry = o.page.locator('li.finding', { hasText: f.finding.fingerprint });
    expect(await entry.count()).toBe(1);
    const table = entry.locator('table.paths');
    expect(await table.isVisible()).toBe(false);
    await entry.locator('details.f-more > summary').click();
    expect(await table.isVisible()).toBe(true);
    expect(await table.locator('tbody tr').count()).toBe(f.finding.impact!.paths.length);
    const text = (await table.textContent()) ?? '';
    for (const i of f.finding.impact!.paths) expect(text).toContain(demo.result.analysis.accessPaths[i]!.principal.upn!);
    await o.page.context().close();
  });

  it('is complete with JavaScript off: every finding listed, the filter bar hidden', async () => {
    const o = await browser.open(demo.file, { javaScript: false });
    expect(await o.page.locator('#filters').isVisible()).toBe(false);
    expect(await o.page.locator('li.finding').count()).toBe(demo.result.findings.length);
    expect(await o.page.locator('li.finding:visible').count()).toBe(demo.result.findings.length);
    expect(await o.page.locator('article.rule-group:visible').count()).toBe(new Set(demo.result.findings.map((f) => f.finding.ruleId)).size);
    expect(await o.page.locator('#controls table.controls tbody tr:visible').count()).toBe(demo.result.rules.length);
    expect(await o.page.locator('.tl-row').count()).toBe(demo.result.analysis.accessPaths.filter((p) => !p.standing).length);
    // Paths and evidence open without a script: <details>.
    await o.page.locator('li.finding details.f-more > summary').first().click();
    expect(await o.page.locator('li.finding pre.evidence').first().isVisible()).toBe(true);
    expect(await o.page.locator('li.finding table.paths').first().isVisible()).toBe(true);
    // A filter in the address does nothing without the script: everything stays listed.
    const hashed = await o.page.context().newPage();
    await hashed.goto(`${o.url}#severity=critical`);
    expect(await hashed.locator('li.finding:visible').count()).toBe(demo.result.findings.length);
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
    // Inside a finding's expanded paths: text, in a table cell or the line the paths share.
    const entry = page.locator('li.finding', { has: page.locator('table.paths') }).filter({ hasText: HOSTILE.group }).first();
    await entry.locator('details.f-more > summary').click();
    expect(await entry.locator('details.f-more').textContent()).toContain(HOSTILE.group);
    expect(await entry.locator('details.f-more img').count()).toBe(0);
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
