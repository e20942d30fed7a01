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

  it('sets 75 % by default, or what JITAUDIT_HEAP_GROWING_PERCENT says (0: V8 decides)', () => {
    const code = "import { limitHeapGrowth } from './dist/cli/heap.js'; console.log(limitHeapGrowth())";
    expect(run(code).stdout.trim()).toBe('75');
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

describe('releaseParsedText', () => {
  // A text of 64 MiB outside the heap, dropped: freed by the collection asked for, not left to V8's next one.
  const code = (enable: boolean) =>
    `import { collectAfterParsing, releaseParsedText } from './dist/util/release-memory.js';
${enable ? 'collectAfterParsing();' : ''}
let text = Buffer.alloc(64 * 2 ** 20, 97).toString('latin1');
const before = process.memoryUsage().external;
text = null;
releaseParsedText();
console.log(Math.round((before - process.memoryUsage().external) / 2 ** 20));`;

  it('frees a parsed text at once in the jitaudit process', () => {
    expect(Number(run(code(true)).stdout.trim())).toBeGreaterThanOrEqual(60);
  });

  it('does nothing unless the process asked for it (a test calling runAudit does not pay for a collection)', () => {
    expect(Number(run(code(false)).stdout.trim())).toBeLessThan(4);
  });
});
