import { describe, expect, it } from 'vitest';
import { ID_SEPARATOR, idParts, type FoundPaths, type PathItem } from '../src/analyze/access-paths.js';
import { pathsInIdOrder } from '../src/analyze/path-order.js';
import type { AccessPathDetail, PathKind } from '../src/analyze/types.js';
import { compareStrings } from '../src/util/compare.js';
import { analyzeDemo } from './helpers/demo.js';

/** A path as found, with its grant and target numbers. */
interface Found {
  path: AccessPathDetail;
  grant: number;
  target: number;
}

/** The paths pathsInIdOrder keeps, as the objects found. */
function inIdOrder(paths: readonly Found[]): Found[] {
  const found: FoundPaths = { paths: paths.map((p) => p.path as PathItem), grant: paths.map((p) => p.grant), target: paths.map((p) => p.target), window: paths.map(() => 0) };
  return pathsInIdOrder(found).map((i) => paths[i]!);
}

/** The definition: one path per id (the first standing one, else the first), sorted by id. */
function byDefinition(paths: readonly Found[]): Found[] {
  const byId = new Map<string, Found>();
  for (const p of paths) {
    const seen = byId.get(p.path.id);
    if (!seen || (!seen.path.standing && p.path.standing)) byId.set(p.path.id, p);
  }
  return [...byId.keys()].sort(compareStrings).map((id) => byId.get(id)!);
}

// Numbers as the analysis gives them: one per grant (kind, person, group), one per target (account, permission set).
const grants = new Map<string, number>();
const targets = new Map<string, number>();
const numberOf = (numbers: Map<string, number>, key: string) => {
  let n = numbers.get(key);
  if (n === undefined) numbers.set(key, (n = numbers.size));
  return n;
};

/** A path with just what its id and order depend on; `n` tells equal ids apart. */
function path(kind: string, upn: string, group: string | null, account: string, ps: string, standing: boolean, n: number): Found {
  const principal = { upn, entraUserId: null, identityCenterUserId: null };
  const detail = {
    kind: kind as PathKind,
    standing,
    principal,
    group: group === null ? null : { id: group, name: group },
    account: { id: account, name: account, environment: 'prod' },
    permissionSet: { arn: ps, name: ps, tier: 'admin' },
  };
  const id = idParts(detail.kind, principal, detail.group, detail.account, detail.permissionSet).join(ID_SEPARATOR);
  // `n` tells apart paths with equal ids.
  return { path: { ...detail, id, n } as unknown as AccessPathDetail, grant: numberOf(grants, `${kind}\u0000${upn}\u0000${group}`), target: numberOf(targets, `${account}\u0000${ps}`) };
}

/** Every combination of a few values that sort differently as parts than alone: prefixes, digits and dots before ":", non-ASCII. */
function crafted(values: { kind: string[]; upn: string[]; group: (string | null)[]; account: string[]; ps: string[] }): Found[] {
  const out: Found[] = [];
  let n = 0;
  for (const kind of values.kind)
    for (const upn of values.upn)
      for (const group of values.group)
        for (const account of values.account)
          for (const ps of values.ps) {
            // Some ids twice or more, standing second: the standing one must win.
            out.push(path(kind, upn, group, account, ps, false, n++));
            if (n % 3 === 0) out.push(path(kind, upn, group, account, ps, true, n++));
            if (n % 7 === 0) out.push(path(kind, upn, group, account, ps, false, n++));
            // Two standing ones: the first found wins.
            if (n % 5 === 0) out.push(path(kind, upn, group, account, ps, true, n++), path(kind, upn, group, account, ps, true, n++));
          }
  // Found in no particular order.
  return out.map((p, i) => ({ p, k: (i * 7919) % 10007 })).sort((a, b) => a.k - b.k).map(({ p }) => p);
}

const VALUES = {
  kind: ['pim-eligible', 'pim-eligible-owner', 'direct-member'],
  upn: ['bob@x.com', 'bob@x.com.au', 'bob@x.co', 'bob-2@x.com', 'Bob@x.com', 'zoë@x.com', '\u{1F642}@x.com', 'bob@x.com0'],
  group: [null, 'g1', 'g1-2', 'g10', 'g1.5'],
  account: ['111111111111', '11111111111', '2'],
  ps: ['Admin', 'Admin2', 'Admin:ro', 'Admin-x', 'A'],
};

describe('access paths in id order', () => {
  it('are the demo\'s paths in the order of their ids, one per id', () => {
    const ids = analyzeDemo().accessPaths.map((p) => p.id);
    expect(ids).toEqual([...new Set(ids)].sort(compareStrings));
  });

  it('sort as their ids do, with standing winning a shared id, where parts are prefixes of each other or sort apart from ":"', () => {
    const paths = crafted(VALUES);
    expect(paths.length).toBeGreaterThan(2000);
    const ordered = inIdOrder(paths);
    expect(ordered).toEqual(byDefinition(paths));
    // The picks are the very objects found, standing where a standing one was there.
    expect(ordered.every((p) => paths.includes(p))).toBe(true);
    expect(ordered.filter((p) => p.path.standing).length).toBeGreaterThan(100);
  });

  it('sort as their ids do when a part but the last holds the separator (the ids themselves are sorted then)', () => {
    for (const hostile of [{ upn: [...VALUES.upn, 'bob@x.com:g1'] }, { group: [...VALUES.group, 'g1:111111111111'] }, { kind: [...VALUES.kind, 'pim:eligible'] }]) {
      const paths = crafted({ ...VALUES, ...hostile });
      expect(inIdOrder(paths)).toEqual(byDefinition(paths));
    }
  });

  it('keeps an empty list empty', () => {
    expect(inIdOrder([])).toEqual([]);
  });
});
