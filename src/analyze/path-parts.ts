// What an access path is made of, numbered: the model that lets a pass over 338,000 paths read typed
// arrays rather than objects spread over the heap (a pass over the path objects costs 15-45 ms at
// 50,000 users however little it does with each one).
import type { FoundPaths } from './access-paths.js';
import type { AccessPathDetail } from './types.js';
import { mapNumbers } from '../util/map-numbers.js';

/**
 * What an access path is made of: a grant (a person's role in a group, or one direct assignment), a
 * target (an account and a permission set) and a window (the grant's JIT window at that target, or
 * none). Each field of a path comes from one of the three (PATH_FIELD_PART), so paths with the same
 * grant have the same grant fields, object for object; the analysis numbers the three per path, and a
 * rule reads a grant's fields once for all its paths, not once per path (rules/condition-memo.ts).
 */
export type PathPart = 'grant' | 'target' | 'window';

/** The part each field of an access path comes from (the `id` is made of several: none). */
export const PATH_FIELD_PART: Readonly<Record<string, PathPart>> = {
  kind: 'grant',
  standing: 'grant',
  principal: 'grant',
  principalDetail: 'grant',
  group: 'grant',
  groupDetail: 'grant',
  controls: 'grant',
  schedule: 'grant',
  activeNow: 'grant',
  activeUntil: 'grant',
  account: 'target',
  accountDetail: 'target',
  permissionSet: 'target',
  permissionSetDetail: 'target',
  window: 'window',
} satisfies Record<Exclude<keyof AccessPathDetail, 'id'>, PathPart>;

/** Each access path's grant, target and window, by number (in the order of Analysis.accessPaths). */
export interface PathParts {
  grant: Int32Array;
  target: Int32Array;
  /** 0: no window (standing access). */
  window: Int32Array;
  /** How many numbers each takes: every number is below its count. */
  counts: Record<PathPart, number>;
}

/** The part numbers of the paths kept (`order`: their positions in `found`), as columns in that order. */
export function pathParts(found: FoundPaths, order: readonly number[]): PathParts {
  const n = order.length;
  const grant = new Int32Array(n);
  const target = new Int32Array(n);
  const window = new Int32Array(n);
  const counts = { grant: 0, target: 0, window: 1 };
  for (let i = 0; i < n; i++) {
    const at = order[i]!;
    const g = (grant[i] = found.grant[at]!);
    const t = (target[i] = found.target[at]!);
    const w = (window[i] = found.window[at]!);
    if (g >= counts.grant) counts.grant = g + 1;
    if (t >= counts.target) counts.target = t + 1;
    if (w >= counts.window) counts.window = w + 1;
  }
  return { grant, target, window, counts };
}


/** Per part, the first path with each number: where the part's fields are read. */
const firstPaths = new WeakMap<Int32Array, Int32Array>();

/** For each number below `count`, the first position in `column` that holds it; -1 for a number none holds. */
export function firstOfEach(column: Int32Array, count: number): Int32Array {
  const first = new Int32Array(count).fill(-1);
  for (let i = 0; i < column.length; i++) if (first[column[i]!] === -1) first[column[i]!] = i;
  return first;
}

/** The first path (its position) with each number of the part; -1 for a number no path has (a duplicate id's dropped path). */
export function firstPathOf(parts: PathParts, part: PathPart): Int32Array {
  const column = parts[part];
  let first = firstPaths.get(column);
  if (!first) firstPaths.set(column, (first = firstOfEach(column, parts.counts[part])));
  return first;
}

/** Each target's account by number (numbered as the targets first name them), and the accounts by number. */
export function targetAccounts(all: readonly AccessPathDetail[], parts: PathParts): { accountOf: Int32Array; accounts: AccessPathDetail['account'][] } {
  const numbers = new Map<string, number>();
  const accounts: AccessPathDetail['account'][] = [];
  const byTarget = firstPathOf(parts, 'target');
  const accountOf = mapNumbers(new Int32Array(byTarget.length), byTarget, (i) => {
    if (i < 0) return 0;
    const account = all[i]!.account;
    let n = numbers.get(account.id);
    if (n === undefined) {
      numbers.set(account.id, (n = accounts.length));
      accounts.push(account);
    }
    return n;
  });
  return { accountOf, accounts };
}

/**
 * Which numbers of a part pass `keep`, asked once per number with its first path: `keep` must read
 * only that part's fields (PATH_FIELD_PART), which all its paths share.
 */
function keptNumbers(all: readonly AccessPathDetail[], parts: PathParts, part: PathPart, keep: (path: AccessPathDetail) => boolean): Uint8Array {
  const first = firstPathOf(parts, part);
  return mapNumbers(new Uint8Array(first.length), first, (i) => (i >= 0 && keep(all[i]!) ? 1 : 0));
}

/** The positions of the paths whose part passes `keep`: a pass over a column, not over the path objects. */
export function pathsWhere(all: readonly AccessPathDetail[], parts: PathParts, part: PathPart, keep: (path: AccessPathDetail) => boolean): number[] {
  const kept = keptNumbers(all, parts, part, keep);
  const column = parts[part];
  const out: number[] = [];
  for (let i = 0; i < column.length; i++) if (kept[column[i]!]) out.push(i);
  return out;
}

/** How many paths' part passes `keep`. */
export function countWhere(all: readonly AccessPathDetail[], parts: PathParts, part: PathPart, keep: (path: AccessPathDetail) => boolean): number {
  const kept = keptNumbers(all, parts, part, keep);
  const column = parts[part];
  let n = 0;
  for (let i = 0; i < column.length; i++) n += kept[column[i]!]!;
  return n;
}
