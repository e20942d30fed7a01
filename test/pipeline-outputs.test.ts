// `jitaudit audit` in a pipeline: a report on stdout (--out -), exit 4 for a gate held by missing data
// alone, GitHub Actions' step summary and annotations, colour, and the environment each --help names.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gateExit } from '../src/cli/exit-codes.js';
import { annotations, escapeData, escapeProperty } from '../src/report/github.js';
import type { LocatedFinding } from '../src/rules/evaluate.js';
import { jitaudit, tempDir, type Run } from './helpers/cli.js';
import { demoSnapshot, DEMO_CONFIG_FILE, ROOT } from './helpers/demo.js';

type Snapshot = ReturnType<typeof demoSnapshot>;

const snapshotFile = (mutate: (s: Snapshot) => void = () => {}) => {
  const s = demoSnapshot();
  mutate(s);
  const file = join(tempDir(), 'snapshot.json');
  writeFileSync(file, `${JSON.stringify(s, null, 2)}\n`);
  return file;
};

const MISSING = { provenance: { status: 'missing', error: { status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges' }, fix: 'RoleManagementPolicy.Read.AzureADGroup' }, data: null };
const ESC = /\u001b\[/;
/**
 * No GitHub Actions and no colour variable, whatever the environment running the tests says (unset:
 * for Node an empty FORCE_COLOR forces colour; the child gets no variable whose value is undefined).
 */
const CLEAN = { GITHUB_ACTIONS: undefined, GITHUB_STEP_SUMMARY: undefined, FORCE_COLOR: undefined, NO_COLOR: undefined, NODE_DISABLE_COLORS: undefined };

describe('--out -: one report on stdout', () => {
  it('writes the report, byte for byte as --out DIR does, and nothing else to stdout; the summary goes to stderr', () => {
    const dir = tempDir();
    const folder = jitaudit(['audit', '--demo', '--format', 'sarif', '--out', dir], ROOT, CLEAN);
    const piped = jitaudit(['audit', '--demo', '--format', 'sarif', '--out', '-'], ROOT, CLEAN);
    expect(piped.code, piped.stderr).toBe(folder.code);
    expect(piped.stdout).toBe(readFileSync(join(dir, 'report.sarif'), 'utf8'));
    expect(piped.stderr).toMatch(/^jitaudit: snapshot reports\/demo\/snapshot\.json/);
    expect(piped.stderr).toContain('gate (--fail-on high): FAILED');
    expect(piped.stderr).toContain('wrote report.sarif to standard output');
    expect(piped.stderr).toMatch(/ {4}severity {2}rule/);
  });

  it('is a usage error with more than one format (the default three included): exit 2, one line, nothing on stdout', () => {
    for (const format of [['--format', 'json,html'], []]) {
      const cwd = tempDir();
      const r = jitaudit(['audit', '--demo', ...format, '--out', '-'], cwd, CLEAN);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^jitaudit: --out -: writes one report to standard output: give exactly one --format \(json, sarif, html[^)]*\), not "[a-z,]+"\n$/);
      expect(readdirSync(cwd)).toEqual([]);
    }
  });

  it('a reader that closes the pipe early ends the report, not the audit: no error, the summary and the gate exit code still come', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/jitaudit.js'), 'audit', '--demo', '--format', 'html', '--out', '-'], {
      cwd: ROOT,
      env: { ...process.env, JITAUDIT_DEBUG: '', ...CLEAN },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    // The report is larger than a pipe holds: the first chunk read, the pipe is closed under the writer.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/internal error|EPIPE|\n\s+at /);
    expect(stderr).toContain('wrote report.html to standard output (the reader closed it before the end)');
    expect(code, stderr).toBe(1);
  });
});

describe('exit codes of the gate', () => {
  it('gateExit: 0 passed, 1 findings (with or without missing data), 4 missing data alone', () => {
    expect(gateExit({ passed: true, failing: 0 })).toBe(0);
    expect(gateExit({ passed: false, failing: 3 })).toBe(1);
    expect(gateExit({ passed: false, failing: 0 })).toBe(4);
  });

  it('4 when only a missing section a rule needs holds the gate; 1 when findings hold it too; 0 once accepted', () => {
    const snap = snapshotFile((s) => (s.entra.pimPolicies = MISSING as unknown as Snapshot['entra']['pimPolicies']));
    const base = ['audit', '--snapshot', snap, '--format', 'json', '--quiet'];
    expect(jitaudit([...base, '--fail-on', 'none', '--out', tempDir()], ROOT, CLEAN).code).toBe(4);
    expect(jitaudit([...base, '--fail-on', 'high', '--out', tempDir()], ROOT, CLEAN).code).toBe(1);
    expect(jitaudit([...base, '--fail-on', 'none', '--allow-incomplete', '--out', tempDir()], ROOT, CLEAN).code).toBe(0);
  });

  it('4 on a snapshot with nothing of a cloud, --allow-incomplete or not, when no finding holds the gate', () => {
    const snap = snapshotFile((s) => {
      for (const key of Object.keys(s.entra)) (s.entra as Record<string, unknown>)[key] = MISSING;
    });
    for (const allow of [[], ['--allow-incomplete']]) {
      const r = jitaudit(['audit', '--snapshot', snap, '--format', 'json', '--fail-on', 'none', ...allow, '--out', tempDir()], ROOT, CLEAN);
      expect(r.code, r.stderr).toBe(4);
    }
  });
});

/** A group name that tries everything: Markdown, HTML, table columns, code, workflow commands, line breaks, bidi. */
const HOSTILE_GROUP = 'Prod | Admins `x` <img src=x onerror=alert(1)> [link](https://evil.example) *b* 100% a,b:c\r\n::error::forged\u202e';

function hostileSnapshot(): string {
  return snapshotFile((s) => {
    const group = s.entra.groups.data!.find((g) => g.displayName === 'AWS - Prod Admins')!;
    group.displayName = HOSTILE_GROUP;
  });
}

function githubRun(args: string[], env: NodeJS.ProcessEnv = {}): Run & { summary: string } {
  const summaryFile = join(tempDir(), 'step-summary.md');
  writeFileSync(summaryFile, 'an earlier step\n');
  const r = jitaudit(args, ROOT, { ...CLEAN, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summaryFile, ...env });
  return { ...r, summary: readFileSync(summaryFile, 'utf8') };
}

describe('GitHub Actions', () => {
  it('appends a step summary: gate, counts by severity, incomplete sections, the top 10 open findings with their impact', () => {
    const out = tempDir();
    const r = githubRun(['audit', '--demo', '--format', 'json', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.summary.startsWith('an earlier step\n## jitaudit audit: gate FAILED\n')).toBe(true);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const open = (report.findings as { status: string; severity: string; ruleId: string; object: { name: string }; impact?: { people: number; accounts: number } }[]).filter((f) => f.status === 'open');
    expect(r.summary).toContain(`**Gate failed** (\`--fail-on high\`, exit 1): ${report.summary.gate.failing} open findings at or above high.`);
    for (const severity of ['critical', 'high', 'medium', 'low', 'info']) {
      const count = open.filter((f) => f.severity === severity).length;
      expect(r.summary).toMatch(new RegExp(`^\\| (\\*\\*)?${severity}(\\*\\*)? \\| ${count} \\| \\d+ \\|$`, 'm'));
    }
    expect(r.summary).toContain('**Incomplete sections:** aws.portalSession');
    expect(r.summary).toContain(`### Top 10 of ${open.length} open findings`);
    const rows = r.summary.split('\n').filter((l) => /^\| (critical|high|medium|low|info) \| [^0-9]/.test(l));
    expect(rows).toHaveLength(10);
    // In report.json's order, the worst first, with its impact.
    rows.forEach((row, i) => {
      const f = open[i]!;
      expect(row).toBe(`| ${f.severity} | ${f.ruleId} | ${f.object.name} | ${f.impact ? `${f.impact.people} | ${f.impact.accounts}` : '– | –'} |`);
    });
  });

  it('says exit 4 and the missing section when missing data alone holds the gate', () => {
    const snap = snapshotFile((s) => (s.entra.pimPolicies = MISSING as unknown as Snapshot['entra']['pimPolicies']));
    const r = githubRun(['audit', '--snapshot', snap, '--format', 'json', '--fail-on', 'none', '--out', tempDir()]);
    expect(r.code).toBe(4);
    expect(r.summary).toContain('**Gate failed** (`--fail-on none`, exit 4): missing data a rule needs: entra.pimPolicies (`--allow-incomplete` to accept).');
  });

  it('annotates the run with the top open findings: ::error for critical and high, ::warning for medium, at most 10', () => {
    const r = githubRun(['audit', '--demo', '--format', 'json', '--out', tempDir(), '--fail-on', 'critical']);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(lines).toHaveLength(10);
    for (const line of lines) expect(line).toMatch(/^::(error|warning) title=jitaudit (critical|high|medium)%3A [a-z0-9-]+::\S/);
    expect(lines[0]).toMatch(/^::error title=jitaudit critical%3A /);
    // Each at the level of its severity (the demo's top ten are critical; the mapping of the others is tested below).
    for (const line of lines) {
      const [, level, severity] = /^::(error|warning) title=jitaudit (critical|high|medium)%3A/.exec(line)!;
      expect(level).toBe(severity === 'medium' ? 'warning' : 'error');
    }
    // --quiet: no annotations, but the step summary still.
    const quiet = githubRun(['audit', '--demo', '--format', 'json', '--out', tempDir(), '--quiet']);
    expect(quiet.stdout).toBe('');
    expect(quiet.summary).toContain('## jitaudit audit: gate FAILED');
  });

  it('medium findings are warnings; low and info are not annotated', () => {
    const f = (severity: string, ruleId: string) => ({ finding: { severity, status: 'open', ruleId, message: `${severity} thing` } }) as unknown as LocatedFinding;
    expect(annotations([f('medium', 'm'), f('low', 'l'), f('info', 'i'), f('high', 'h')])).toEqual([
      '::warning title=jitaudit medium%3A m::medium thing',
      '::error title=jitaudit high%3A h::high thing',
    ]);
    expect(annotations(Array.from({ length: 12 }, () => f('high', 'h')))).toHaveLength(10);
  });

  it('escapes tenant strings: Markdown in the summary, workflow-command rules in the annotations', () => {
    const r = githubRun(['audit', '--snapshot', hostileSnapshot(), '--config', DEMO_CONFIG_FILE, '--format', 'json', '--out', tempDir(), '--fail-on', 'critical']);
    expect(r.code, r.stderr).toBe(1);
    // The summary: the name is inert text in its cell — no raw HTML, link, code span or extra column, no line break.
    const row = r.summary.split('\n').find((l) => l.includes('as member of "Prod'))!;
    expect(row).toBeDefined();
    expect(row.split(/(?<!\\)\|/)).toHaveLength(7);
    expect(row).not.toMatch(/(?<!\\)<img|(?<!\\)`|(?<!\\)\[link\]|(?<!\\)\*b/);
    expect(row).toContain('Prod \\| Admins \\`x\\` \\<img src=x onerror=alert(1)\\> \\[link\\](https://evil.example) \\*b\\* 100% a,b:c ::error::forged\\u202e');
    expect(r.summary).not.toMatch(/[\r\u202e]/);
    // The annotations: one line each, no second command forged, properties and data escaped.
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    const hostile = lines.filter((l) => l.includes('Prod | Admins'));
    expect(hostile.length).toBeGreaterThan(0);
    for (const line of hostile) {
      expect(line).toMatch(/^::error title=jitaudit [a-z]+%3A [a-z0-9-]+::/);
      expect(line).toContain('100%25 a,b:c\\u000d\\u000a::error::forged\\u202e');
    }
    expect(r.stdout).not.toMatch(/^::error::forged/m);
    expect(r.stdout).not.toMatch(/[\r\u202e]/);
  });

  it('escapeData and escapeProperty follow the runner: %, CR, LF; and : , in properties; control and bidi characters made visible', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done\\u000d\\u000anext: a,b');
    expect(escapeProperty('title: a,b 5%')).toBe('title%3A a%2Cb 5%25');
    expect(escapeData('a\u202eb\u0007')).toBe('a\\u202eb\\u0007');
  });

  it('outside GitHub Actions: no annotations and no step summary', () => {
    const r = githubRun(['audit', '--demo', '--format', 'json', '--out', tempDir()], { GITHUB_ACTIONS: '' });
    expect(r.stdout).not.toMatch(/^::/m);
    expect(r.summary).toBe('an earlier step\n');
  });

  it('with --out -, annotations go to stderr with the summary: stdout is the report alone', () => {
    const r = githubRun(['audit', '--demo', '--format', 'json', '--out', '-']);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(r.stderr).toMatch(/^::error title=/m);
  });

  it('a step summary file that cannot be written is a warning on stderr; the reports and the gate stand', () => {
    const out = tempDir();
    const r = githubRun(['audit', '--demo', '--format', 'json', '--out', out, '--quiet'], { GITHUB_STEP_SUMMARY: tempDir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^jitaudit: warning: GITHUB_STEP_SUMMARY .*: cannot append the step summary \(EISDIR\); the reports are written\n$/);
    expect(statSync(join(out, 'report.json')).size).toBeGreaterThan(0);
  });
});

describe('colour', () => {
  const gateLine = (r: Run) => r.stdout.split('\n').find((l) => l.includes('gate (--fail-on'))!;
  const args = () => ['audit', '--demo', '--format', 'json', '--out', tempDir()];

  it('none into a pipe; FORCE_COLOR colours the gate verdict and the severities (0: none); --no-color wins', () => {
    expect(jitaudit(args(), ROOT, CLEAN).stdout).not.toMatch(ESC);
    const forced = jitaudit(args(), ROOT, { ...CLEAN, FORCE_COLOR: '1' });
    expect(gateLine(forced)).toContain('\u001b[1m\u001b[31mFAILED\u001b[39m\u001b[22m');
    expect(forced.stdout).toMatch(/^ {4}\u001b\[1m\u001b\[31mcritical\u001b\[39m\u001b\[22m {2}standing-privileged-access-prod/m);
    // Colour takes no columns: without the escapes, the table is as it is in plain text.
    const plain = (text: string) => text.replace(/\u001b\[\d+m/g, '').replace(/wrote .*/, 'wrote');
    expect(plain(forced.stdout)).toBe(plain(jitaudit(args(), ROOT, CLEAN).stdout));
    expect(jitaudit([...args(), '--no-color'], ROOT, { ...CLEAN, FORCE_COLOR: '1' }).stdout).not.toMatch(ESC);
    expect(jitaudit(args(), ROOT, { ...CLEAN, FORCE_COLOR: '0' }).stdout).not.toMatch(ESC);
  });
});

/** The environment variables a set of source files reads: `env.NAME`, `process.env.NAME`, `env['NAME']`. */
function variablesRead(files: string[]): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\benv\??\.([A-Z][A-Z0-9_]*)\b|\benv\[['"]([A-Z][A-Z0-9_]*)['"]\]/g)) names.add(m[1] ?? m[2]!);
  }
  return names;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

describe('--help names the environment variables each command reads', () => {
  const src = join(ROOT, 'src');
  const common = [join(src, 'cli/main.ts'), join(src, 'cli/heap.ts')];
  const cases = {
    // Everything but the collectors; styleText reads the colour variables.
    audit: { files: sources(src).filter((f) => !f.startsWith(join(src, 'collect'))), also: ['NO_COLOR', 'FORCE_COLOR'] },
    collect: { files: [...sources(join(src, 'collect')), join(src, 'cli/collect-command.ts'), ...common], also: [] },
    evidence: { files: [join(src, 'cli/evidence-command.ts'), ...common], also: [] },
  };

  for (const [command, { files, also }] of Object.entries(cases)) {
    it(command, () => {
      const help = jitaudit([command, '--help'], ROOT, CLEAN);
      expect(help.code).toBe(0);
      const section = help.stdout.slice(help.stdout.indexOf('Environment variables:'));
      expect(section.length, help.stdout).toBeGreaterThan(30);
      const read = [...variablesRead(files), ...also];
      expect(read.length).toBeGreaterThan(1);
      for (const name of read) expect(section, `${command} --help should name ${name}`).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    });
  }
});
