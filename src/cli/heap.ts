// How far V8 lets the heap grow past what is live before it collects: by default up to several
// times, which for a large organisation's audit (half a gigabyte live, hundreds of megabytes of
// report text made and dropped) means twice the memory it needs. A CI runner has a memory limit;
// the audit's time hardly changes (measured in docs/benchmark.md). Set once, at start-up.
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 25;

/** Unless the user chose a growth of their own (node --heap-growing-percent=N, or in NODE_OPTIONS). */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): boolean {
  const chosen = [...execArgv, ...nodeOptions.split(/\s+/)].some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg));
  if (chosen) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
