// A finding's impact: the access paths it affects, and what they add up to — how many people,
// accounts and production accounts, and the worst effective window among them.
import { firstPathOf, targetAccounts, type PathParts } from '../analyze/path-parts.js';
import type { AccessPathDetail } from '../analyze/types.js';
import type { EffectiveWindow } from '../analyze/window.js';
import { isoToSeconds } from '../util/duration.js';
import { mapNumbers } from '../util/map-numbers.js';
import { principalKey } from './path-objects.js';

export interface Impact {
  /** Positions in the analysis's access paths (report.json: in its `accessPaths`), in path order. */
  paths: readonly number[];
  people: number;
  accounts: number;
  prodAccounts: number;
  /**
   * The worst window among the paths: "standing" (no end), "unbounded", "unknown" (a term could not
   * be read), else the longest total as an ISO-8601 duration; null with no path.
   */
  worstWindow: string | null;
}

const PROD = 'prod';

/** How bad a path's window is, for "worst": standing > unbounded > unknown > the longest known total. */
export class WindowRank {
  /** Paths share window objects: each total is read once. */
  private readonly seconds = new WeakMap<EffectiveWindow, number>();

  rank(path: AccessPathDetail): number {
    const w = path.window;
    if (path.standing || !w) return Number.POSITIVE_INFINITY;
    if (w.unbounded) return Number.MAX_VALUE;
    if (!w.known || w.total === null) return Number.MAX_SAFE_INTEGER;
    let s = this.seconds.get(w);
    if (s === undefined) this.seconds.set(w, (s = isoToSeconds(w.total) ?? 0));
    return s;
  }
}

/** Each path's WindowRank, read once per grant (standing) and window (path-parts.ts). */
export function pathRanks(all: readonly AccessPathDetail[], parts: PathParts): Float64Array {
  const ranks = new WindowRank();
  const byGrant = firstPathOf(parts, 'grant');
  const standing = mapNumbers(new Uint8Array(byGrant.length), byGrant, (i) => (i >= 0 && all[i]!.standing ? 1 : 0));
  // Window 0 is none: standing. A JIT path's rank is its window's.
  const byWindow = firstPathOf(parts, 'window');
  const rankOf = mapNumbers(new Float64Array(byWindow.length), byWindow, (i, w) => (w === 0 || i < 0 ? Number.POSITIVE_INFINITY : ranks.rank(all[i]!)));
  const out = new Float64Array(all.length);
  for (let i = 0; i < out.length; i++) out[i] = standing[parts.grant[i]!] ? Number.POSITIVE_INFINITY : rankOf[parts.window[i]!]!;
  return out;
}

/**
 * Impacts of many findings over the same paths. Each path's person and account are numbered once, so
 * counting the distinct ones of a finding is marking numbers in arrays, not hashing strings: a large
 * organisation's findings reach paths a million times and more.
 */
export class ImpactCalculator {
  private readonly person: Int32Array;
  private readonly account: Int32Array;
  private readonly prod: Uint8Array;
  private readonly rank: Float64Array;
  /** Marks of the current count: a number is counted when its mark is not this round's. */
  private readonly personSeen: Int32Array;
  private readonly accountSeen: Int32Array;
  private round = 0;

  constructor(
    private readonly all: readonly AccessPathDetail[],
    parts: PathParts,
  ) {
    // A path's person is its grant's, its account its target's, its rank its grant's and window's:
    // each read once from the part's first path, then copied by number (path-parts.ts).
    const people = new Map<string, number>();
    const byGrant = firstPathOf(parts, 'grant');
    const personOf = new Int32Array(byGrant.length);
    byGrant.forEach((i, g) => {
      if (i < 0) return;
      const who = principalKey(all[i]!.principal);
      let n = people.get(who);
      if (n === undefined) people.set(who, (n = people.size));
      personOf[g] = n;
    });
    const { accountOf, accounts } = targetAccounts(all, parts);
    const prodOf = Uint8Array.from(accountOf, (a) => (accounts[a]?.environment === PROD ? 1 : 0));
    const n = all.length;
    this.person = new Int32Array(n);
    this.account = new Int32Array(n);
    this.prod = new Uint8Array(n);
    this.rank = pathRanks(all, parts);
    for (let i = 0; i < n; i++) {
      const g = parts.grant[i]!;
      const t = parts.target[i]!;
      this.person[i] = personOf[g]!;
      this.account[i] = accountOf[t]!;
      this.prod[i] = prodOf[t]!;
    }
    this.personSeen = new Int32Array(people.size);
    this.accountSeen = new Int32Array(accounts.length);
  }

  /** Findings that share a list of paths (every holder of one directory role, say) share its impact. */
  private readonly known = new WeakMap<readonly number[], Impact>();

  impact(paths: readonly number[]): Impact {
    let known = this.known.get(paths);
    if (!known) this.known.set(paths, (known = this.count(paths)));
    return known;
  }

  private count(paths: readonly number[]): Impact {
    const round = ++this.round;
    let people = 0;
    let accounts = 0;
    let prodAccounts = 0;
    let worst = -1;
    let worstRank = -1;
    for (const i of paths) {
      const person = this.person[i]!;
      if (this.personSeen[person] !== round) {
        this.personSeen[person] = round;
        people++;
      }
      const account = this.account[i]!;
      if (this.accountSeen[account] !== round) {
        this.accountSeen[account] = round;
        accounts++;
        prodAccounts += this.prod[i]!;
      }
      if (this.rank[i]! > worstRank) {
        worstRank = this.rank[i]!;
        worst = i;
      }
    }
    return { paths, people, accounts, prodAccounts, worstWindow: worst < 0 ? null : worstWindowOf(this.all[worst]!) };
  }
}

function worstWindowOf(p: AccessPathDetail): string {
  if (p.standing || !p.window) return 'standing';
  if (p.window.unbounded) return 'unbounded';
  return p.window.known && p.window.total !== null ? p.window.total : 'unknown';
}

/** What orders findings of one severity: people × production accounts, then people, accounts, paths. */
export function compareImpact(a: Impact | undefined, b: Impact | undefined): number {
  const x = a ?? NONE;
  const y = b ?? NONE;
  return y.people * y.prodAccounts - x.people * x.prodAccounts || y.people - x.people || y.accounts - x.accounts || y.paths.length - x.paths.length;
}

const NONE: Impact = { paths: [], people: 0, accounts: 0, prodAccounts: 0, worstWindow: null };

/** An impact in words: "12 people, 30 accounts (4 production), worst window 10 h 40 min". */
export function impactWords(impact: Impact, duration: (iso: string) => string): string {
  const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
  const w = impact.worstWindow;
  const window = w === null ? '' : `, worst window ${w === 'standing' || w === 'unbounded' || w === 'unknown' ? w : duration(w)}`;
  return `${plural(impact.people, 'person', 'people')}, ${plural(impact.accounts, 'account')} (${impact.prodAccounts.toLocaleString('en-US')} production)${window}`;
}
