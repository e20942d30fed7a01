import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { limitHeapGrowth } from '../src/cli/heap.js';
import { ROOT } from './helpers/demo.js';

// Each case runs in a process of its own: the setting is for the whole process.
const run = (code: string, env: Record<string, string> = {}, nodeArgs: string[] = []) =>
  spawnSync(process.execPath, [...nodeArgs, '--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });

describe('limitHeapGrowth', () => {
  it("leaves a growth chosen on node's command line alone", () => {
    expect(limitHeapGrowth(['--heap-growing-percent=50'], {})).toBeNull();
    const r = run("import { limitHeapGrowth } from './dist/cli/heap.js'; console.log(limitHeapGrowth())", {}, ['--heap_growing_percent=10']);
    expect(r.stdout.trim()).toBe('null');
  });

  it('sets 50 % by default, or what JITAUDIT_HEAP_GROWING_PERCENT says (0: V8 decides)', () => {
    const code = "import { limitHeapGrowth } from './dist/cli/heap.js'; console.log(limitHeapGrowth())";
    expect(run(code).stdout.trim()).toBe('50');
    expect(run(code, { JITAUDIT_HEAP_GROWING_PERCENT: '0' }).stdout.trim()).toBe('0');
  });

  it('refuses a value that is not a number, in one line with exit code 2', () => {
    const r = spawnSync(process.execPath, ['bin/jitaudit.js', 'audit', '--demo', '-q'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, JITAUDIT_HEAP_GROWING_PERCENT: 'lots' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('JITAUDIT_HEAP_GROWING_PERCENT');
  });
});
