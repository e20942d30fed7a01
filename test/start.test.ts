// bin/jitaudit.js as a user runs it: its output whole, and its exit codes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/demo.js';

describe('bin/jitaudit.js', () => {
  it('gives the audit its output, whole, and its exit codes', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'jitaudit-start-')), 'out');
    const r = spawnSync(process.execPath, ['bin/jitaudit.js', 'audit', '--demo', '--out', out], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^jitaudit: snapshot reports\/demo\/snapshot\.json .*\n[\s\S]*gate \(--fail-on high\): FAILED[\s\S]*wrote .*report\.html\n[\s\S]*top 10 of \d+ open findings/);
    expect(readdirSync(out).sort()).toEqual(['report.html', 'report.json', 'report.sarif']);
    const bad = spawnSync(process.execPath, ['bin/jitaudit.js', 'audit', '--snapshot', join(out, 'nope.json')], { cwd: ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('runs the other commands the same way', () => {
    const r = spawnSync(process.execPath, ['bin/jitaudit.js', '--version'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
