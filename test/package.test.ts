// The npm package works outside the repository: it holds what the command reads at run time (the
// demo's snapshot and config, the rules, the schemas, the licence) and nothing it does not ship the
// sources of (no source maps). The tarball is installed into an empty project and run from there.
// Needs dist/ (npm test builds first); the install resolves dependencies through npm's cache.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const npm = (args: string[], cwd: string) => spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 180_000 });

describe('the npm package', () => {
  const packed = npm(['pack', '--dry-run', '--json', '--ignore-scripts'], ROOT);
  const files: string[] = packed.status === 0 ? (JSON.parse(packed.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path) : [];

  it('holds what the command reads at run time, and no source maps or sources', () => {
    expect(packed.status, packed.stderr).toBe(0);
    for (const needed of ['bin/jitaudit.js', 'dist/cli/start.js', 'reports/demo/snapshot.json', 'reports/demo/jitaudit.config.yaml', 'schemas/report.schema.json', 'LICENSE', 'README.md']) {
      expect(files, needed).toContain(needed);
    }
    const ruleFiles = readdirSync(join(ROOT, 'rules'), { recursive: true }).map(String).filter((f) => f.endsWith('.yaml'));
    for (const rule of ruleFiles) expect(files).toContain(`rules/${rule.split('\\').join('/')}`);
    expect(files.filter((f) => f.endsWith('.map') || f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
  });

  const dir = mkdtempSync(join(tmpdir(), 'jitaudit-package-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('installs into an empty project and runs the demo, rules list and an evidence pack from there', () => {
    const pack = npm(['pack', ROOT, '--ignore-scripts', '--json', '--pack-destination', dir], dir);
    expect(pack.status, pack.stderr).toBe(0);
    const tarball = join(dir, (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename);
    const project = join(dir, 'project');
    spawnSync('mkdir', [project]);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-jitaudit', version: '1.0.0', private: true }));
    const install = npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], project);
    expect(install.status, install.stderr).toBe(0);
    const jitaudit = (args: string[]) => spawnSync(join(project, 'node_modules', '.bin', 'jitaudit'), args, { cwd: project, encoding: 'utf8', timeout: 120_000 });

    const audit = jitaudit(['audit', '--demo', '--out', 'reports', '--quiet']);
    // 1: the demo organisation fails the gate on purpose.
    expect(audit.status, audit.stderr).toBe(1);
    expect(readdirSync(join(project, 'reports')).sort()).toEqual(['report.html', 'report.json', 'report.sarif']);
    const list = jitaudit(['rules', 'list']);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toContain('effective-window-too-long');
    const evidence = jitaudit(['evidence', '--demo', '--out', 'pack', '--quiet']);
    expect(evidence.status, evidence.stderr).toBe(0);
    const verify = jitaudit(['evidence', 'verify', 'pack']);
    expect(verify.status, verify.stderr + verify.stdout).toBe(0);
  }, 300_000);
});
