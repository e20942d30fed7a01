// What `jitaudit audit` prints: the summary lines, then the top open findings as an aligned table
// (at or above --fail-on first, at most 10), tenant names made safe for a terminal.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { terminalCell, TOP_FINDINGS } from '../src/cli/summary.js';
import { jitaudit, tempDir } from './helpers/cli.js';
import { demoSnapshot, DEMO_CONFIG_FILE, DEMO_SNAPSHOT_FILE, ROOT } from './helpers/demo.js';

interface ReportFinding {
  ruleId: string;
  severity: string;
  status: string;
  object: { name: string };
  impact?: { people: number; accounts: number; prodAccounts: number };
}

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];

/** The table's lines: from its header to the end of the output. */
function table(stdout: string): string[] {
  const lines = stdout.trimEnd().split('\n');
  const head = lines.findIndex((l) => /^ {4}severity {2}rule +object +people {2}accounts {2}prod$/.test(l));
  expect(head, stdout).toBeGreaterThan(0);
  return lines.slice(head);
}

/** The demo's config without the rules about who can get around the JIT (critical, and first by impact). */
function withoutControlPlane(): string {
  const ids = readdirSync(join(ROOT, 'rules/control-plane')).map((f) => f.replace(/\.yaml$/, ''));
  const config = join(tempDir(), 'config.yaml');
  writeFileSync(config, `${readFileSync(DEMO_CONFIG_FILE, 'utf8')}\nrules:\n  disabled: [${ids.join(', ')}]\n`);
  return config;
}

describe('jitaudit audit: the terminal summary', () => {
  it('lists the top open findings, at or above --fail-on first, as an aligned table; the gate line says so', () => {
    const out = tempDir();
    // Fewer critical findings than the table has rows, so that it shows both kinds: without the demo's
    // control-plane holders (critical, and first by impact).
    const r = jitaudit(['audit', '--snapshot', DEMO_SNAPSHOT_FILE, '--config', withoutControlPlane(), '--out', out, '--format', 'json', '--fail-on', 'critical']);
    expect(r.code).toBe(1);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const open = (report.findings as ReportFinding[]).filter((f) => f.status === 'open');
    const failing = open.filter((f) => f.severity === 'critical');
    expect(failing.length).toBeLessThan(TOP_FINDINGS);
    expect(r.stdout).toContain(`gate (--fail-on critical): FAILED: ${failing.length} open findings at or above critical (listed below)`);
    expect(r.stdout).toContain(`  top ${TOP_FINDINGS} of ${open.length} open findings (at or above critical first, then by impact; the reports list them all):`);
    const [head, ...rows] = table(r.stdout);
    expect(rows).toHaveLength(TOP_FINDINGS);
    // report.json's order: severity, then impact; the critical ones first.
    const expected = [...failing, ...open.filter((f) => f.severity !== 'critical')].slice(0, TOP_FINDINGS);
    rows.forEach((row, i) => {
      const f = expected[i]!;
      const cells = row.trim().split(/ {2,}/);
      expect(cells[0]).toBe(f.severity);
      expect(cells[1]).toBe(f.ruleId);
      expect(f.object.name.startsWith(cells[2]!.replace(/…$/, ''))).toBe(true);
      expect(cells.slice(3)).toEqual(f.impact ? [f.impact.people, f.impact.accounts, f.impact.prodAccounts].map(String) : ['-', '-', '-']);
    });
    // Aligned: each column starts where its header does, and no line runs past 130 characters.
    for (const name of ['rule', 'object']) {
      const at = head!.indexOf(name);
      for (const row of rows) expect(row[at - 1]).toBe(' ');
    }
    const right = head!.length;
    for (const row of rows) expect(row.length).toBe(right);
    expect(Math.max(...rows.map((l) => l.length))).toBeLessThanOrEqual(130);
    const severities = rows.map((l) => SEVERITIES.indexOf(l.trim().split(' ')[0]!));
    expect([...severities].sort((a, b) => a - b)).toEqual(severities);
  });

  it('says "top 10 below" when more fail the gate than the table shows', () => {
    const out = tempDir();
    const r = jitaudit(['audit', '--demo', '--out', out, '--format', 'json']);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.summary.gate.failing).toBeGreaterThan(TOP_FINDINGS);
    expect(r.stdout).toContain(`gate (--fail-on high): FAILED: ${report.summary.gate.failing} open findings at or above high (top ${TOP_FINDINGS} below)`);
    expect(table(r.stdout)).toHaveLength(TOP_FINDINGS + 1);
  });

  it('prints nothing with --quiet', () => {
    const r = jitaudit(['audit', '--demo', '--out', tempDir(), '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
  });

  it('escapes control and bidi characters of a hostile object name', () => {
    // The management account's name is in critical findings' objects: "… in <account>" (a breakglass
    // sign-in there, the management account's own control-plane holders).
    const s = demoSnapshot();
    s.aws.organization.data!.accounts.find((a) => a.id === '111111111111')!.name = 'ops\u001b[2J\u202e';
    const file = join(tempDir(), 'snapshot.json');
    writeFileSync(file, `${JSON.stringify(s, null, 2)}\n`);
    const r = jitaudit(['audit', '--snapshot', file, '--config', DEMO_CONFIG_FILE, '--out', tempDir(), '--format', 'json']);
    expect(r.code, r.stderr).toBe(1);
    const rows = table(r.stdout);
    expect(rows.some((l) => l.includes(' in ops\\u001b[2J\\u202e'))).toBe(true);
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
  });
});

describe('terminalCell', () => {
  it('escapes control and bidi characters and cuts to the width', () => {
    expect(terminalCell('a\u001b[31mb\u2066c\u200fd\u0085', 80)).toBe('a\\u001b[31mb\\u2066c\\u200fd\\u0085');
    expect(terminalCell('x'.repeat(60), 52)).toBe(`${'x'.repeat(51)}…`);
    expect(terminalCell('東京'.repeat(10), 5)).toBe('東京東京…');
    expect(terminalCell('short', 52)).toBe('short');
  });
});
