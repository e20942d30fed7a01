// The analysis's access paths in the order of their ids, one path per id: the order every report
// shows them in, whatever order the snapshot listed its groups and assignments in.
//
// An id is five parts joined by ":" (idParts). Sorting 300,000 ids of a hundred characters compares
// long shared prefixes (the kind, the person, the group) again and again; instead each part is ranked
// among the few distinct values it takes (tens of thousands of people, thousands of groups…) and the
// paths are sorted by those ranks, a counting sort per part, last part first. That is the ids' own
// order, code unit by code unit, as long as no part but the last holds the separator: a part then
// decides where two ids first differ exactly as it does followed by the ":" after it in the id.
// Otherwise the ids themselves are sorted.
import { compareStrings } from '../util/compare.js';
import { ID_SEPARATOR, idParts, type FoundPaths } from './access-paths.js';
import { firstOfEach } from './path-parts.js';
import { mapToArray } from '../util/map-numbers.js';

const PARTS = 5;

/**
 * The positions (in `found`) of the paths to keep, in id order: one path per id, standing wins (a
 * person both eligible for and assigned ownership is a standing owner).
 */
export function pathsInIdOrder(found: FoundPaths): number[] {
  const { paths } = found;
  const ranks = partRanks(found);
  // A path's id is made when read (access-paths.ts): made once here when the ids themselves are sorted.
  const ids = ranks ? null : paths.map((p) => p.id);
  const order = ranks ? orderByRanks(ranks, paths.length) : orderByIds(ids!);
  const same = ranks ? (a: number, b: number) => ranks.every(({ of }) => of[a] === of[b]) : (a: number, b: number) => ids![a] === ids![b];
  const out: number[] = [];
  for (let i = 0; i < order.length; ) {
    let pick = order[i]!;
    let j = i + 1;
    for (; j < order.length && same(order[i]!, order[j]!); j++) {
      if (!paths[pick]!.standing && paths[order[j]!]!.standing) pick = order[j]!;
    }
    out.push(pick);
    i = j;
  }
  return out;
}

interface PartRanks {
  /** Each path's rank of this part among its distinct values. */
  of: Int32Array;
  /** How many distinct values the part takes. */
  count: number;
}

/**
 * Each part's rank per path, in id order; null when a part but the last holds the separator. The
 * kind, person and group are the grant's, the account and permission set the target's (path-parts.ts):
 * each part's text is made once per grant or target, from its first path, not once per path.
 */
function partRanks({ paths, grant, target }: FoundPaths): PartRanks[] | null {
  const n = paths.length;
  const grantOf = Int32Array.from(grant);
  const targetOf = Int32Array.from(target);
  let grants = 0;
  let targets = 0;
  for (let i = 0; i < n; i++) {
    grants = Math.max(grants, grantOf[i]! + 1);
    targets = Math.max(targets, targetOf[i]! + 1);
  }
  const byGrant = firstOfEach(grantOf, grants);
  const byTarget = firstOfEach(targetOf, targets);
  // A grant's parts (kind, person, group) and a target's (account, permission set), made once each.
  const partsOf = (first: Int32Array) =>
    mapToArray(first, (i) => {
      if (i < 0) return null;
      const { kind, principal, group, account, permissionSet } = paths[i]!;
      return idParts(kind, principal, group, account, permissionSet);
    });
  const grantParts = partsOf(byGrant);
  const targetParts = partsOf(byTarget);
  const out: PartRanks[] = [];
  for (let c = 0; c < PARTS; c++) {
    const column = c < 3 ? grantOf : targetOf;
    const textOf = (c < 3 ? grantParts : targetParts).map((parts) => (parts === null ? null : parts[c]!));
    const distinct = [...new Set(textOf.filter((t): t is string => t !== null))];
    const last = c === PARTS - 1;
    if (!last && distinct.some((value) => value.includes(ID_SEPARATOR))) return null;
    // A part but the last is followed by the separator in the id: "a.b" comes before "a" there ("." < ":").
    // sort() without a comparator orders strings by code units, as compareStrings does, natively.
    const ranked = last ? distinct.sort() : distinct.map((value) => value + ID_SEPARATOR).sort();
    const rank = new Map<string, number>();
    ranked.forEach((value, r) => rank.set(last ? value : value.slice(0, -ID_SEPARATOR.length), r));
    const rankOf = new Int32Array(textOf.length);
    textOf.forEach((t, no) => (rankOf[no] = t === null ? 0 : rank.get(t)!));
    const of = new Int32Array(n);
    for (let i = 0; i < n; i++) of[i] = rankOf[column[i]!]!;
    out.push({ of, count: ranked.length });
  }
  return out;
}

/** The paths' indexes sorted by their parts' ranks: a stable counting sort per part, the last part first. */
function orderByRanks(ranks: PartRanks[], n: number): Int32Array {
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let next = new Int32Array(n);
  for (let c = ranks.length - 1; c >= 0; c--) {
    const { of, count } = ranks[c]!;
    // Where each rank's paths start, then filled in the order they come.
    const start = new Int32Array(count + 1);
    for (let i = 0; i < n; i++) start[of[i]! + 1] = start[of[i]! + 1]! + 1;
    for (let r = 1; r <= count; r++) start[r] = start[r]! + start[r - 1]!;
    for (let i = 0; i < n; i++) {
      const p = order[i]!;
      const r = of[p]!;
      next[start[r]!] = p;
      start[r] = start[r]! + 1;
    }
    [order, next] = [next, order];
  }
  return order;
}

/** The paths' indexes sorted by id (stable: one id's paths keep the order they were found in). */
function orderByIds(ids: readonly string[]): number[] {
  return Array.from({ length: ids.length }, (_, i) => i).sort((a, b) => compareStrings(ids[a]!, ids[b]!));
}
