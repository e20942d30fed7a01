// How far V8 lets the heap grow past what is live before it collects (cli/heap.ts sets it at
// start-up), and the one stretch where jitaudit lets it grow further: while JSON.parse builds the
// snapshot model. Everything the parse makes stays live, so a collection in the middle of it frees
// nothing and only has to mark more; twice the room there took 0.15–0.6 s off the audit of 50,000
// users, for 15–70 MiB more at its peak (docs/benchmark.md).
import { setFlagsFromString } from 'node:v8';

/** jitaudit's growth: the heap within 50 % of what is live. */
export const HEAP_GROWING_PERCENT = 50;
/** While a snapshot is parsed. */
export const PARSE_GROWING_PERCENT = 100;

/** Whether jitaudit chose the growth (not the user, and not a test calling in without it). */
let ours = false;

/** Called once, by limitHeapGrowth: whether the growth is jitaudit's default. */
export function heapGrowthIsOurs(value: boolean): void {
  ours = value;
}

/**
 * `build` (a parse whose every object stays live) with twice the room to grow, then jitaudit's own
 * growth again; as it is when the user chose a growth themselves.
 */
export function withRoomToGrow<T>(build: () => T, setFlags: (flags: string) => void = setFlagsFromString): T {
  if (!ours) return build();
  setFlags(`--heap-growing-percent=${PARSE_GROWING_PERCENT}`);
  try {
    return build();
  } finally {
    setFlags(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  }
}
