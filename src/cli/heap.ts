// How far V8 lets the heap grow past what is live before it collects: by default up to several
// times, which for a large organisation's audit (half a gigabyte live, hundreds of megabytes of
// report text made and dropped) means half as much memory again as it needs. A CI runner has a
// memory limit, so jitaudit keeps the heap within 75 % of what is live, at the cost of more
// collections (docs/benchmark.md has the measurements behind the figure).
// JITAUDIT_HEAP_GROWING_PERCENT=0 gives V8's own choice back (faster, more memory);
// node --heap-growing-percent=N is respected as it is.
import { setFlagsFromString } from 'node:v8';
import { inputError } from '../util/errors.js';

/** jitaudit's growth: the heap within 75 % of what is live. */
export const HEAP_GROWING_PERCENT = 75;

/** The growth set, or null when the user chose one on node's command line. Call once, at start-up. */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv, env: NodeJS.ProcessEnv = process.env): number | null {
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return null;
  const asked = env.JITAUDIT_HEAP_GROWING_PERCENT;
  if (asked !== undefined && !/^\d{1,4}$/.test(asked)) {
    throw inputError('JITAUDIT_HEAP_GROWING_PERCENT', null, `"${asked}" is not a whole number of per cent (0 = V8's default)`);
  }
  const percent = asked === undefined ? HEAP_GROWING_PERCENT : Number(asked);
  setFlagsFromString(`--heap-growing-percent=${percent}`);
  return percent;
}
