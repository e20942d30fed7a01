import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { limitHeapGrowth } from '../src/cli/heap.js';
import { ROOT } from './helpers/demo.js';

describe('limitHeapGrowth', () => {
  it("leaves a growth the user chose alone, on node's command line or in NODE_OPTIONS", () => {
    expect(limitHeapGrowth(['--heap-growing-percent=50'], '')).toBe(false);
    expect(limitHeapGrowth([], '--max-old-space-size=4096  --heap_growing_percent=10')).toBe(false);
  });

  it('sets it otherwise, in the jitaudit process', () => {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', "import { limitHeapGrowth } from './dist/cli/heap.js'; console.log(limitHeapGrowth([], ''))"], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('true');
  });
});
