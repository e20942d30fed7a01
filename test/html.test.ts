// report.html without a browser: the escaping helper, the CSP, determinism and the content — findings
// grouped by rule with their access paths, the controls view, and the limits that keep the page small.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAudit, parseFormats } from '../src/audit.js';
import { escapeHtml, html, join as joinHtml, trusted } from '../src/report/html/escape.js';
import { CSP, renderHtmlReport } from '../src/report/html/page.js';
import { SCRIPT } from '../src/report/html/script.js';
import { share } from '../src/report/html/findings.js';
import { DEFAULT_HTML_LIMITS } from '../src/report/html/limits.js';
import type { AuditResult } from '../src/report/audit-result.js';
import type { LocatedFinding } from '../src/rules/evaluate.js';
import { filesIn, jitaudit, tempDir } from './helpers/cli.js';
import { demoConfig, auditDemoVariant } from './helpers/demo.js';
import { HOSTILE, makeHostile } from './helpers/hostile.js';
import type { Snapshot } from '../src/model/snapshot-schema.js';

const auditDemo = auditDemoVariant;

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
    for (const id of ['summary', 'coverage', 'findings', 'controls', 'timelines', 'matrix', 'activity']) expect(page).toContain(`<section id="${id}"`);
    expect(page).toContain('Northwind Traders');
    expect(page).toContain('Gate failed (--fail-on high)');
    expect(page).toMatch(/⚠ Incomplete: 1 part of the snapshot could not be collected<\/strong> — aws\.portalSession/);
    // Timeline of frank.hall: 1 h + 40 min + 8 h (assumed) + 1 h = 10 h 40 min, over the 4 h limit.
    expect(page).toContain('activation up to 1 h + Identity Center sees the removal within 40 min + a portal session started before that lasts 8 h + credentials fetched at the last moment last 1 h = up to 10 h 40 min');
    expect(page).toContain('limit 4 h (prod)');
    expect((page.match(/<li class="tl-row/g) ?? []).length).toBe(result.analysis.accessPaths.filter((p) => !p.standing).length);
    expect((page.match(/<li class="finding /g) ?? []).length).toBe(result.findings.length);
    expect((page.match(/<article class="rule-group /g) ?? []).length).toBe(new Set(result.findings.map((f) => f.finding.ruleId)).size);
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

  it('draws an absurd (but accepted) window to the chart\'s edge, in bounded time, saying its true length', () => {
    const r = auditDemo((s) => {
      // The longest duration a snapshot may hold: 10,000 years.
      for (const ps of s.aws.permissionSets.data!) ps.sessionDuration = 'P3652500D';
    });
    const p = renderHtmlReport(r);
    const timelines = p.slice(p.indexOf('<section id="timelines"'), p.indexOf('</section>', p.indexOf('<section id="timelines"')));
    expect((timelines.match(/class="tick/g) ?? []).length).toBeLessThanOrEqual(13);
    // 2 h + 40 min + 8 h + 3,652,500 days: the label is the true total.
    expect(timelines).toContain('3652500 days 10 h 40 min');
    expect(timelines).toContain('longer than the chart, drawn to its edge');
    for (const m of timelines.matchAll(/style="width:([\d.]+)%"/g)) expect(Number(m[1])).toBeLessThanOrEqual(100);
  }, 20_000);

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

/** The markup of one rule's section. */
function ruleSection(page: string, ruleId: string): string {
  const start = page.indexOf(`id="rule-${ruleId}"`);
  expect(start, ruleId).toBeGreaterThan(-1);
  return page.slice(start, page.indexOf('</article>', start));
}

/** The markup of one finding's entry, by its fingerprint. */
function findingEntry(page: string, fingerprint: string): string {
  const at = page.indexOf(`fingerprint <span class="mono">${fingerprint}</span>`);
  expect(at, fingerprint).toBeGreaterThan(-1);
  return page.slice(page.lastIndexOf('<li class="finding', at), page.indexOf('</li>', at));
}

const who = (r: AuditResult, i: number) => r.analysis.accessPaths[i]!.principal.upn!;

describe('findings, grouped by rule then object', () => {
  const result = auditDemo();
  const page = renderHtmlReport(result);

  it('puts every finding of a rule in one section, the rules in the order of their worst finding', () => {
    // The demo's two group-not-under-pim-prod findings are apart in report order: another rule's finding sits between them.
    const ids = result.findings.map((f) => f.finding.ruleId);
    const first = ids.indexOf('group-not-under-pim-prod');
    const second = ids.indexOf('group-not-under-pim-prod', first + 1);
    expect(second).toBeGreaterThan(first + 1);
    expect(page.match(/id="rule-group-not-under-pim-prod"/g)).toHaveLength(1);
    const section = ruleSection(page, 'group-not-under-pim-prod');
    for (const f of result.findings.filter((x) => x.finding.ruleId === 'group-not-under-pim-prod')) {
      expect(section).toContain(`fingerprint <span class="mono">${f.finding.fingerprint}</span>`);
      expect(section).toContain(escapeHtml(f.finding.object.name));
    }
    expect((section.match(/<li class="finding /g) ?? []).length).toBe(2);
    // Its remediation once, not once per finding.
    expect(section.split(escapeHtml(result.findings[first]!.rule.def.remediation)).length - 1).toBe(1);
    // Sections in the order of each rule's first finding.
    const order = [...page.matchAll(/<article class="rule-group [^"]*" id="rule-([^"]+)"/g)].map((m) => m[1]);
    expect(order).toEqual([...new Set(ids)]);
  });

  it('shows each finding\'s severity, object, impact in words, status, message and fingerprint', () => {
    const waived = result.findings.find((f) => f.finding.status === 'waived')!;
    const entry = findingEntry(page, waived.finding.fingerprint);
    expect(entry).toContain('<span class="badge badge-waived">waived</span>');
    expect(entry).toContain(escapeHtml(waived.finding.waiver!.reason));
    expect(entry).toContain(escapeHtml(waived.finding.message));
    expect(entry).toContain(`<span class="sev sev-${waived.finding.severity}">`);
    const grouped = result.findings.find((f) => f.finding.ruleId === 'group-not-under-pim-prod')!;
    // "5 people, 8 accounts (2 production), worst window standing"
    expect(findingEntry(page, grouped.finding.fingerprint)).toMatch(
      new RegExp(`<span class="f-impact">${grouped.finding.impact!.people} people, ${grouped.finding.impact!.accounts} accounts \\(${grouped.finding.impact!.prodAccounts} production\\), worst window standing</span>`),
    );
  });

  it('expands a finding to its access paths: person, kind, group, account, permission set, window', () => {
    // effective-window-too-long's first finding is about a PIM policy: its paths, every one listed.
    const f = result.findings.find((x) => x.finding.ruleId === 'effective-window-too-long' && x.finding.impact!.paths.length > 1)!;
    const entry = findingEntry(page, f.finding.fingerprint);
    const details = entry.slice(entry.indexOf('<details class="f-more">'));
    expect(details).toContain(`<summary>${f.finding.impact!.paths.length} access paths, evidence and fingerprint</summary>`);
    expect((details.match(/<tr><td>/g) ?? []).length).toBe(f.finding.impact!.paths.length);
    for (const i of f.finding.impact!.paths) {
      const p = result.analysis.accessPaths[i]!;
      expect(details).toContain(`<td>${escapeHtml(who(result, i))}</td>`);
      expect(details).toContain(`${escapeHtml(p.account.name)} <span class="aid">${p.account.id}</span>`);
      expect(details).toContain(escapeHtml(p.permissionSet.name));
    }
    // The group, the kind and the window every path shares are said once, above the table.
    const p = result.analysis.accessPaths[f.finding.impact!.paths[0]!]!;
    expect(details).toMatch(/<p class="path-common">Every listed path: /);
    expect(details).toContain(`<span class="muted">Group</span> ${escapeHtml(p.group!.name)}`);
    expect(details).toContain('<span class="muted">Kind</span> PIM-eligible member');
    expect(details).toMatch(/<span class="muted">Window<\/span> up to \d/);
  });

  it('lists at most pathsPerFinding paths of a finding, the worst window first, and says how many more are in report.json', () => {
    const f = result.findings.find((x) => (x.finding.impact?.paths.length ?? 0) >= 5 && x.finding.impact!.paths.length <= DEFAULT_HTML_LIMITS.pathsPerFinding)!;
    const total = f.finding.impact!.paths.length;
    const cut = renderHtmlReport(result, { limits: { pathsPerFinding: 3 } });
    const entry = findingEntry(cut, f.finding.fingerprint);
    expect((entry.match(/<tbody>.*?<\/tbody>/s)![0].match(/<tr>/g) ?? []).length).toBe(3);
    expect(entry).toContain(`… and ${total - 3} more access paths in report.json (this finding&#39;s impact.paths; the worst windows are listed first).`);
    // The full page lists them all.
    expect(findingEntry(page, f.finding.fingerprint)).not.toContain('more access paths in report.json');
  });

  it('lists standing and unbounded windows before bounded ones', () => {
    // A finding whose paths are, in path order, a JIT one then a standing one: with room for one, the standing one is listed.
    const all = result.analysis.accessPaths;
    const jit = all.findIndex((p) => !p.standing && p.window?.total);
    const standing = all.findIndex((p, i) => p.standing && i > jit);
    const f = result.findings.find((x) => x.finding.impact)!;
    const mixed = { ...f, finding: { ...f.finding, impact: { ...f.finding.impact!, paths: [jit, standing] } } };
    const r = { ...result, findings: result.findings.map((x) => (x === f ? mixed : x)) };
    const row = (limit: number) => findingEntry(renderHtmlReport(r, { limits: { pathsPerFinding: limit } }), f.finding.fingerprint).match(/<tbody>(.*?)<\/tbody>/s)![1]!;
    expect(row(1)).toContain(`<td>${escapeHtml(who(result, standing))}</td>`);
    expect(row(1)).toContain('<span class="bad">standing</span>');
    expect(row(1)).not.toContain(`<td>${escapeHtml(who(result, jit))}</td>`);
    expect(row(2).indexOf(escapeHtml(who(result, standing)))).toBeLessThan(row(2).indexOf(escapeHtml(who(result, jit))));
  });

  it('escapes a hostile group name inside a finding\'s expanded paths', () => {
    const r = auditDemo(makeHostile);
    const p = renderHtmlReport(r);
    // A finding whose object is not named after the group (a permission set, a person): the group shows only in its paths.
    const f = r.findings.find(
      (x) => !x.finding.object.name.includes(HOSTILE.group) && !x.finding.message.includes(HOSTILE.group) && x.finding.impact?.paths.some((i) => r.analysis.accessPaths[i]!.group?.name === HOSTILE.group),
    )!;
    expect(f).toBeDefined();
    const entry = findingEntry(p, f.finding.fingerprint);
    const details = entry.slice(entry.indexOf('<details class="f-more">'));
    expect(details).toContain(escapeHtml(HOSTILE.group));
    expect(details).not.toContain(HOSTILE.group);
    expect(details).not.toMatch(/<img/);
  });

  it('shares the page\'s budgets fairly: the same cap for every list, the rest to the first', () => {
    expect(share([5, 1, 10], 4, 100)).toEqual([4, 1, 4]);
    expect(share([5, 1, 10], 4, 7)).toEqual([3, 1, 3]);
    expect(share([5, 1, 10], 4, 8)).toEqual([4, 1, 3]);
    expect(share([5, 5, 5], 25, 2)).toEqual([1, 1, 0]);
    expect(share([], 25, 10)).toEqual([]);
  });
});

describe('the controls view', () => {
  /** The demo without CloudTrail: the rules that read only it cannot be judged. */
  const withoutTrail = (s: Snapshot) => {
    s.aws.cloudTrail = { provenance: { status: 'missing', error: { status: 403, code: 'AccessDenied', message: 'not authorized to perform: cloudtrail:LookupEvents' }, fix: 'cloudtrail:LookupEvents' }, data: null };
  };
  const result = auditDemo(withoutTrail);
  const page = renderHtmlReport(result);
  const controls = page.slice(page.indexOf('<section id="controls"'), page.indexOf('</section>', page.indexOf('<section id="controls"')));
  const row = (ruleId: string) => {
    const at = controls.indexOf(`>${ruleId}<`);
    expect(at, ruleId).toBeGreaterThan(-1);
    return controls.slice(controls.lastIndexOf('<tr', at), controls.indexOf('</tr>', at));
  };

  it('lists every enabled rule: failed, passed, and not evaluable for want of data', () => {
    expect((controls.match(/<tr class="ctl ctl-[a-z-]+" data-status/g) ?? []).length).toBe(result.rules.length);
    // No finding and nothing missing: passed.
    expect(row('effective-window-unbounded')).toContain('<span class="st st-passed">✔ passed</span>');
    // No finding, but CloudTrail is missing: not evaluable, and why.
    const rootActivity = row('root-activity');
    expect(rootActivity).toContain('<span class="st st-not-evaluable">⚠ not evaluable</span>');
    expect(rootActivity).toContain('data missing: <span class="mono">aws.cloudTrail</span>');
    // Open findings: failed, with the counts, a link to the rule's findings and its references.
    const failed = row('standing-privileged-access-prod');
    expect(failed).toContain('<span class="st st-failed">✘ failed</span>');
    expect(failed).toContain('<a href="#rule-standing-privileged-access-prod">');
    expect(failed).toContain('<td class="num">4</td><td class="num">0</td>');
    expect(failed).toContain('<li>NIST SP 800-53 Rev. 5 AC-6(5)</li>');
    // A rule whose only finding is waived did not fail... unless it has an open one too.
    expect(row('direct-user-assignment')).toContain('<td class="num">1</td><td class="num">1</td>');
    expect(controls).toMatch(/\d+ enabled rules: \d+ failed \(an open finding\), 7 not evaluable \(no finding, but data the rule reads is missing\), \d+ passed/);
  });

  it('rolls the rules up per framework: failed, not evaluable and passed controls', () => {
    const rollup = controls.slice(controls.indexOf('id="controls-rollup"'));
    expect(rollup).toMatch(/<tr><th scope="row">NIST SP 800-53 Rev\. 5<\/th><td class="num">\d+<\/td><td class="num bad">\d+<\/td><td class="num( warn)?">\d+<\/td><td class="num( good)?">\d+<\/td><\/tr>/);
    expect(rollup).toContain('<details class="fw"><summary><strong>SOC 2</strong>');
    // A control whose rules all passed or could not be judged is listed with that status and its rules.
    expect(rollup).toMatch(/<tr class="ctl ctl-(passed|not-evaluable)"><th scope="row" class="mono">[^<]+<\/th><td><span class="st st-(passed|not-evaluable)">/);
  });
});

describe('long lists are cut, and say so', () => {
  it('lists at most the limit of findings, windows and matrix rows, with a note pointing at report.json', async () => {
    const { DEMO_SNAPSHOT_FILE } = await import('./helpers/demo.js');
    const result = runAudit({ snapshotFile: DEMO_SNAPSHOT_FILE, config: demoConfig(), ruleDirs: [], failOn: 'high', allowIncomplete: false });
    const full = renderHtmlReport(result, { limits: { pathsPerFinding: 1000 } });
    expect(full).not.toContain('class="cut"');
    const cut = renderHtmlReport(result, { limits: { findings: 3, timelines: 2, matrixPeople: 4, matrixAccounts: 1 } });
    expect(cut.match(/<li class="finding/g)).toHaveLength(3);
    // Three findings shared among the rules: one each for the first three, the others none, each saying so.
    const rules = [...new Set(result.findings.map((f) => f.finding.ruleId))];
    for (const id of rules.slice(0, 3)) expect(cut.slice(cut.indexOf(`id="rule-${id}"`), cut.indexOf('</article>', cut.indexOf(`id="rule-${id}"`))).match(/<li class="finding/g)).toHaveLength(1);
    const last = rules.at(-1)!;
    const n = result.findings.filter((f) => f.finding.ruleId === last).length;
    expect(cut).toContain(`${n} ${n === 1 ? 'finding of this rule is' : 'findings of this rule are'} in report.json (the findings with ruleId "${last}").`);
    // The top findings (the demo's control-plane holders) affect more paths than a finding lists: said too.
    expect(cut).toContain(`This page lists 3 of ${result.findings.length} findings (at most 200 per rule and 3 in all, the largest impact first) and `);
    expect(cut).toMatch(/ and \d+ of their \d+ access paths \(at most 25 per finding and 8,000 in all, the worst windows first\)\. Every finding, with all of its paths, is in report\.json\./);
    expect(cut).toMatch(/Showing 2 of \d+ just-in-time paths/);
    expect(cut).toMatch(/Showing 4 of \d+ people \(those with standing access first\)/);
    expect(cut).toMatch(/Showing 1 of \d+ production accounts/);
  });

  it('stays under 8 MiB for a 50,000-person organisation: 40,000 findings over 338,000 paths', () => {
    // The demo's paths repeated to 338,000 (people renamed: as many people as a large organisation), and
    // 40,000 findings of its rules, each affecting 12 of them.
    const base = auditDemo();
    const paths = base.analysis.accessPaths;
    const big = [] as typeof paths;
    // Their parts (path-parts.ts): each copy's grants are new (another person), its targets and windows the same.
    const parts = base.analysis.pathParts;
    const bigParts = { grant: new Int32Array(338_000), target: new Int32Array(338_000), window: new Int32Array(338_000), counts: { ...parts.counts } };
    for (let i = 0; big.length < 338_000; i++) {
      const p = paths[i % paths.length]!;
      const n = Math.floor(i / paths.length);
      big.push({ ...p, id: `${p.id}#${n}`, principal: { ...p.principal, upn: `${n}.${p.principal.upn ?? 'x'}` } });
      bigParts.grant[i] = parts.grant[i % paths.length]! + n * parts.counts.grant;
      bigParts.target[i] = parts.target[i % paths.length]!;
      bigParts.window[i] = parts.window[i % paths.length]!;
      bigParts.counts.grant = bigParts.grant[i]! + 1;
    }
    const findings: LocatedFinding[] = [];
    for (let i = 0; i < 40_000; i++) {
      const f = base.findings[i % base.findings.length]!;
      const positions = Array.from({ length: 12 }, (_, k) => (i * 12 + k) % big.length);
      findings.push({
        ...f,
        finding: {
          ...f.finding,
          object: { ...f.finding.object, id: `${f.finding.object.id}#${i}`, name: `${f.finding.object.name} #${i}` },
          fingerprint: String(i).padStart(32, '0'),
          impact: { paths: positions, people: 12, accounts: 4, prodAccounts: 2, worstWindow: 'standing' },
        },
      });
    }
    const result = { ...base, analysis: { ...base.analysis, accessPaths: big, pathParts: bigParts }, findings } as AuditResult;
    const p = renderHtmlReport(result);
    expect(Buffer.byteLength(p)).toBeLessThan(8 * 1024 * 1024);
    expect((p.match(/<li class="finding /g) ?? []).length).toBe(DEFAULT_HTML_LIMITS.findings);
    const rows = p.slice(p.indexOf('<section id="findings"'), p.indexOf('<section id="controls"')).match(/<tbody><tr>|<\/tr><tr>/g) ?? [];
    expect(rows.length).toBeLessThanOrEqual(DEFAULT_HTML_LIMITS.paths);
    expect(p).toMatch(/This page lists 1,000 of 40,000 findings \(at most 200 per rule and 1,000 in all, the largest impact first\) and 8,000 of their 12,000 access paths \(at most 25 per finding and 8,000 in all/);
  }, 120_000);
});

describe('Identity Center credential fetches in the activity section', () => {
  const result = auditDemo();
  const page = renderHtmlReport(result);
  /** The fetches part of the activity section, and its rows. */
  const part = (p: string) => p.slice(p.indexOf('<h3 id="activity-fetches"'), p.indexOf('</section>', p.indexOf('<h3 id="activity-fetches"')));
  const rows = (p: string) => part(p).match(/<tr class="[^"]*">.*?<\/tr>/g) ?? [];
  const demoFetches = result.analysis.resources.federationEvents!;
  /** The demo's result with these federationEvents items instead of its own. */
  const withFetches = (data: Record<string, unknown>[]): AuditResult => ({
    ...result,
    analysis: { ...result.analysis, resources: { ...result.analysis.resources, federationEvents: data.map((d) => ({ ref: { ...demoFetches[0]!.ref, id: String(d.eventId) }, data: d })) } },
  });
  const base = demoFetches.find((f) => f.data.activation && f.data.attribution === 'attributed')!.data;
  const fetch = (over: Record<string, unknown>) => ({ ...base, ...over });

  it('lists every fetch, newest first: when, who, account, permission set, outcome and how it was judged', () => {
    expect(page).toContain('<a href="#activity">Activity</a>');
    expect(page).toContain('<h3 id="activity-fetches">Identity Center credential fetches</h3>');
    const list = rows(page);
    expect(list).toHaveLength(demoFetches.length);
    const times = list.map((r) => r.match(/<td class="nowrap">([^<]+)<\/td>/)![1]!);
    expect(times).toEqual([...times].sort().reverse());
    const row = (eventTime: string) => list.find((r) => r.includes(`<td class="nowrap">${eventTime}</td>`))!;
    // bob, during his activation; the same person after another activation had ended (a finding).
    expect(row('2026-10-01 05:10 UTC')).toBe(
      '<tr class=""><td class="nowrap">2026-10-01 05:10 UTC</td><td>bob.lee@northwind.example</td><td>payments-prod <span class="mono muted small">222222222222</span> <span class="env env-prod">prod</span></td><td>AdministratorAccess</td><td class="mono">GetRoleCredentials</td><td>fetched</td><td>during activation <span class="mono">e34b628c-dd33-48dc-ad41-743e6ab3cebb</span> (2026-10-01 05:00 UTC – 2026-10-01 07:00 UTC)<br><span class="muted small">judged against PIM history at the event&#39;s time (Identity Center assignments as of the snapshot)</span></td></tr>',
    );
    expect(row('2026-09-28 14:30 UTC')).toMatch(/^<tr class="row-bad">.*data-prod.*<strong class="bad">after activation<\/strong> <span class="mono">[^<]+<\/span> \(2026-09-28 09:00 UTC – 2026-09-28 11:00 UTC\) ended \(schedule\)/);
    expect(row('2026-09-25 16:45 UTC')).toMatch(/^<tr class="row-bad">.*judy\.wu@northwind\.example.*<strong class="bad">no activation<\/strong> on record/);
    expect(row('2026-09-12 08:05 UTC')).toMatch(/^<tr class="row-bad">.*<strong class="bad">unattributed<\/strong> \(unknown-user\): the event names &quot;[^&]+&quot;, who is not in the identity store/);
    expect(part(page)).toContain(`${demoFetches.length} fetches, 3 of them`);
  });

  it('says how each of the other judgements came about: standing, a refused request, not covered, failed', () => {
    const refused = { requestId: 'req-9', status: 'Denied', start: '2026-09-20T10:00:00Z', end: '2026-09-20T12:00:00Z' };
    const p = renderHtmlReport(
      withFetches([
        fetch({ eventId: 'a', eventTime: '2026-09-20T11:00:00Z', standingAccess: true, activation: null }),
        fetch({ eventId: 'b', eventTime: '2026-09-20T11:01:00Z', activation: null, refusedRequest: refused }),
        fetch({ eventId: 'c', eventTime: '2026-08-01T00:00:00Z', activation: null, activationHistoryCovered: false, judgedAgainst: 'current access (the event is older than the PIM history)' }),
        fetch({ eventId: 'd', eventTime: '2026-09-20T11:02:00Z', activation: null, succeeded: false }),
        fetch({ eventId: 'e', eventTime: '2026-09-20T11:03:00Z', activation: { requestId: 'req-1', start: '2026-09-20T11:00:00Z', end: null, endedBy: null } }),
      ]),
    );
    const [e, d, b, a, c] = rows(p);
    expect(a).toMatch(/^<tr class="">.*<td>standing access<br>/);
    expect(b).toContain('<tr class="row-bad">');
    expect(b).toContain('<strong class="bad">no activation</strong>: a refused request <span class="mono">req-9</span> (Denied, 2026-09-20 10:00 UTC – 2026-09-20 12:00 UTC)');
    expect(c).toMatch(/^<tr class="">.*not judged: the PIM history does not cover the event.*judged against current access \(the event is older than the PIM history\)/);
    // A failed call fetched nothing: judged, but not marked.
    expect(d).toMatch(/^<tr class="">.*<td><span class="muted">failed \(nothing fetched\)<\/span><\/td><td><strong class="bad">no activation<\/strong> on record/);
    expect(e).toContain('during activation <span class="mono">req-1</span> (2026-09-20 11:00 UTC – no end on record)');
    expect(part(p)).toContain('5 fetches, 1 of them without a matching activation or standing access, 1 failed (nothing fetched).');
  });

  it('orders by time then event id, whatever the order of the analysis', () => {
    const same = ['z', 'a', 'm'].map((eventId) => fetch({ eventId, upn: `${eventId}@x.example`, eventTime: '2026-09-20T11:00:00Z' }));
    const older = fetch({ eventId: 'b', upn: 'b@x.example', eventTime: '2026-09-20T10:59:59Z' });
    const forward = part(renderHtmlReport(withFetches([...same, older])));
    expect(part(renderHtmlReport(withFetches([older, ...same].reverse())))).toBe(forward);
    expect(rows(forward).map((r) => r.match(/<td>([a-z])@x\.example<\/td>/)![1])).toEqual(['a', 'm', 'z', 'b']);
  });

  it('lists at most the limit, the most recent first, and says where the others are (2,000 at the benchmark\'s L size)', () => {
    const many = Array.from({ length: 2000 }, (_, i) => fetch({ eventId: `e${String(i).padStart(4, '0')}`, eventTime: new Date(Date.parse('2026-09-01T00:00:00Z') + i * 60_000).toISOString() }));
    const p = renderHtmlReport(withFetches(many));
    const list = rows(p);
    expect(list).toHaveLength(DEFAULT_HTML_LIMITS.fetches);
    expect(list[0]).toContain(`<td class="nowrap">${'2026-09-02 09:19 UTC'}</td>`); // the 2,000th minute
    expect(part(p)).toContain(`<p class="cut" role="note">Showing the 500 most recent of 2,000 credential fetches. Every fetch is in report.json (credentialFetches), with how it was judged.</p>`);
    expect(Buffer.byteLength(part(p))).toBeLessThan(DEFAULT_HTML_LIMITS.fetches * 1024);
    const cut = renderHtmlReport(result, { limits: { fetches: 2 } });
    expect(rows(cut)).toEqual(rows(page).slice(0, 2));
    expect(part(cut)).toContain(`Showing the 2 most recent of ${demoFetches.length} credential fetches.`);
    expect(part(page)).not.toContain('class="cut"');
  });

  it('escapes every tenant string of a fetch', () => {
    const hostile = renderHtmlReport(auditDemo(makeHostile));
    // The demo's fetches into payments-prod, renamed.
    expect(part(hostile)).toContain(`<td>${escapeHtml(HOSTILE.account)} <span class="mono muted small">222222222222</span>`);
    expect(part(hostile)).not.toContain(HOSTILE.account);
    const p = part(
      renderHtmlReport(
        withFetches([
          fetch({ eventId: HOSTILE.script, upn: HOSTILE.upn, accountName: HOSTILE.account, permissionSetName: HOSTILE.group, eventName: HOSTILE.tenant, activation: { requestId: HOSTILE.script, start: '2026-09-01T10:00:00Z', end: '2026-09-01T11:00:00Z', endedBy: HOSTILE.group }, judgedAgainst: HOSTILE.group }),
          fetch({ eventId: 'x', attribution: HOSTILE.upn, attributionProblem: `the event names "${HOSTILE.script}", who is not in the identity store` }),
          fetch({ eventId: 'y', activation: null, refusedRequest: { requestId: HOSTILE.group, status: HOSTILE.script, start: '2026-09-01T10:00:00Z', end: null } }),
        ]),
      ),
    );
    for (const raw of [HOSTILE.script, HOSTILE.upn, HOSTILE.account, HOSTILE.group, HOSTILE.tenant]) {
      expect(p).not.toContain(raw);
      expect(p).toContain(escapeHtml(raw));
    }
    expect(p).not.toMatch(/<(img|script|svg|iframe)/);
  });

  it('says that no fetch can be shown when CloudTrail is missing', () => {
    const p = renderHtmlReport(
      auditDemo((s) => {
        s.aws.cloudTrail = { provenance: { status: 'missing', error: { status: 403, code: 'AccessDenied', message: 'denied' }, fix: 'cloudtrail:LookupEvents' }, data: null };
      }),
    );
    expect(part(p)).toContain('<span class="missing-text">CloudTrail could not be collected: no credential fetch can be shown.</span>');
    expect(rows(p)).toHaveLength(0);
  });
});
