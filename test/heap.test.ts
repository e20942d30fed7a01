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

describe('room to grow while a snapshot is parsed', () => {
  it('widens jitaudit\'s own growth to 100 % for the parse and sets it back, also when the parse throws', () => {
    // The module's state is per process: each case in a process of its own.
    const code = `import { limitHeapGrowth } from './dist/cli/heap.js';
      import { withRoomToGrow } from './dist/util/heap-growth.js';
      limitHeapGrowth();
      const calls = [];
      const value = withRoomToGrow(() => 'parsed', (flags) => calls.push(flags));
      try { withRoomToGrow(() => { throw new Error('bad'); }, (flags) => calls.push(flags)); } catch {}
      console.log(JSON.stringify({ value, calls }));`;
    expect(JSON.parse(run(code).stdout)).toEqual({
      value: 'parsed',
      calls: ['--heap-growing-percent=100', '--heap-growing-percent=50', '--heap-growing-percent=100', '--heap-growing-percent=50'],
    });
    // A growth the user chose, in either way, is left as it is; so is a process that never set one.
    expect(JSON.parse(run(code, { JITAUDIT_HEAP_GROWING_PERCENT: '50' }).stdout)).toEqual({ value: 'parsed', calls: [] });
    expect(JSON.parse(run(code, {}, ['--heap-growing-percent=50']).stdout)).toEqual({ value: 'parsed', calls: [] });
    const untouched = code.replace('limitHeapGrowth();', '');
    expect(JSON.parse(run(untouched).stdout)).toEqual({ value: 'parsed', calls: [] });
  });
});
