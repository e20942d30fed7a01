// report.html without a browser: the escaping helper, the CSP, determinism and the content.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAudit, parseFormats } from '../src/audit.js';
import { escapeHtml, html, join as joinHtml, trusted } from '../src/report/html/escape.js';
import { CSP, renderHtmlReport } from '../src/report/html/page.js';
import { SCRIPT } from '../src/report/html/script.js';
import { filesIn, jitaudit, tempDir } from './helpers/cli.js';
import { demoConfig, demoSnapshot } from './helpers/demo.js';
import { HOSTILE, makeHostile } from './helpers/hostile.js';
import type { Snapshot } from '../src/model/snapshot-schema.js';

const auditDemo = (mutate?: (s: Snapshot) => void) => {
  const s = demoSnapshot();
  mutate?.(s);
  const file = join(tempDir(), 'snapshot.json');
  writeFileSync(file, `${JSON.stringify(s, null, 2)}\n`);
  return runAudit({ snapshotFile: file, displayPath: 'snapshot.json', config: demoConfig(), ruleDirs: [], failOn: 'high', allowIncomplete: false });
};

describe('html`` escapes by default', () => {
  it('escapes every interpolation, in content and in attributes', () => {
    const name = `<img src=x onerror=alert(1)>"'\`&`;
    expect(html`<td title="${name}">${name}</td>`.value).toBe(
      '<td title="&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&#96;&amp;">&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&#96;&amp;</td>',
    );
    expect(escapeHtml('</script><script>alert(1)</script>')).not.toMatch(/[<>]/);
  });
  it('joins arrays and passes nested html through exactly once', () => {
    const items = ['<a>', '<b>'];
    expect(html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`.value).toBe('<ul><li>&lt;a&gt;</li><li>&lt;b&gt;</li></ul>');
    expect(joinHtml(['<x>', html`<br>`], ', ').value).toBe('&lt;x&gt;, <br>');
    expect(html`${null}${undefined}${false}${0}`.value).toBe('0');
    expect(html`${trusted('<b>ok</b>')}`.value).toBe('<b>ok</b>');
  });
  it('replaces control characters', () => {
    expect(escapeHtml('a\u0000b\u001bc\td\ne')).toBe('a\uFFFDb\uFFFDc\td\ne');
  });
});

describe('report.html', () => {
  const result = auditDemo();
  const page = renderHtmlReport(result);

  it('is registered as a format and written by default', () => {
    expect(parseFormats('html')).toEqual(['html']);
    const out = join(tempDir(), 'r');
    jitaudit(['audit', '--demo', '--out', out, '--quiet']);
    expect(filesIn(out)).toEqual(['report.html', 'report.json', 'report.sarif']);
  });

  it('allows nothing from elsewhere: a CSP with no source but itself, the script by its hash', () => {
    expect(CSP).toContain("default-src 'none'");
    expect(CSP).toContain(`script-src 'sha256-${createHash('sha256').update(SCRIPT).digest('base64')}'`);
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="${CSP.replace(/'/g, '&#39;')}">`);
    // No URL the browser would fetch: no src/href to another origin, no @import, no url(http…).
    expect(page).not.toMatch(/\ssrc=/);
    expect(page).not.toMatch(/@import|url\(\s*['"]?https?:/);
    expect(page.match(/<script>/g)).toHaveLength(1);
    const links = [...page.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    // In-page anchors, and reference links that leave only when clicked.
    expect(links.every((l) => l.startsWith('#') || /^https:\/\//.test(l))).toBe(true);
  });

  it('has every section, with the demo\'s data', () => {
    for (const id of ['summary', 'coverage', 'findings', 'timelines', 'matrix', 'activity']) expect(page).toContain(`<section id="${id}"`);
    expect(page).toContain('Northwind Traders');
    expect(page).toContain('Gate failed (--fail-on high)');
    expect(page).toMatch(/⚠ Incomplete: 1 part of the snapshot could not be collected<\/strong> — aws\.portalSession/);
    // Timeline of frank.hall: 1 h + 40 min + 8 h (assumed) + 1 h = 10 h 40 min, over the 4 h limit.
    expect(page).toContain('activation up to 1 h + Identity Center sees the removal within 40 min + a portal session started before that lasts 8 h + credentials fetched at the last moment last 1 h = up to 10 h 40 min');
    expect(page).toContain('limit 4 h (prod)');
    expect((page.match(/<li class="tl-row/g) ?? []).length).toBe(result.analysis.accessPaths.filter((p) => !p.standing).length);
    expect((page.match(/<li class="finding /g) ?? []).length).toBe(result.findings.length);
  });

  it('draws an unbounded window as such', () => {
    const r = auditDemo((s) => {
      s.entra.provisioning.data!.jobs[0]!.status.code = 'Quarantine';
    });
    const p = renderHtmlReport(r);
    expect(p).toContain('seg-unbounded');
    expect(p).toContain('∞ unbounded');
    expect(p).toContain('Identity Center may never see the removal');
    expect(p).toContain('= no upper bound');
  });

  it('escapes hostile tenant strings everywhere', () => {
    const p = renderHtmlReport(auditDemo(makeHostile));
    for (const raw of Object.values(HOSTILE).filter((v) => v.includes('<'))) expect(p).not.toContain(raw);
    expect(p).not.toContain('<img');
    expect(p).not.toContain('<iframe');
    expect(p).not.toContain('<svg onload');
    expect(p.match(/<script>/g)).toHaveLength(1);
    expect(p).toContain(escapeHtml(HOSTILE.group));
  });

  it('is byte-identical for the same snapshot (no wall-clock time in it)', () => {
    expect(renderHtmlReport(auditDemo())).toBe(page);
    expect(page).not.toContain(new Date().toISOString().slice(0, 10));
  });
});

describe('long lists are cut, and say so', () => {
  it('lists at most the limit of findings, windows and matrix rows, with a note pointing at report.json', async () => {
    const { renderHtmlReport } = await import('../src/report/html/page.js');
    const { runAudit } = await import('../src/audit.js');
    const { DEMO_SNAPSHOT_FILE, demoConfig } = await import('./helpers/demo.js');
    const result = runAudit({ snapshotFile: DEMO_SNAPSHOT_FILE, config: demoConfig(), ruleDirs: [], failOn: 'high', allowIncomplete: false });
    const full = renderHtmlReport(result);
    expect(full).not.toContain('class="cut"');
    const cut = renderHtmlReport(result, { limits: { findings: 3, timelines: 2, matrixPeople: 4, matrixAccounts: 1 } });
    expect(cut.match(/<li class="finding/g)).toHaveLength(3);
    expect(cut).toContain(`Showing 3 of ${result.findings.length} findings (the most severe first). Every one of them is in report.json and report.sarif.`);
    expect(cut).toMatch(/Showing 2 of \d+ just-in-time paths/);
    expect(cut).toMatch(/Showing 4 of \d+ people \(those with standing access first\)/);
    expect(cut).toMatch(/Showing 1 of \d+ production accounts/);
  });
});
