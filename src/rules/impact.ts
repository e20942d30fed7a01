// A finding's impact: the access paths it affects, and what they add up to — how many people,
// accounts and production accounts, and the worst effective window among them.
import type { AccessPathDetail } from '../analyze/types.js';
import type { EffectiveWindow } from '../analyze/window.js';
import { isoToSeconds } from '../util/duration.js';
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

/** How bad a window is, for "worst": standing > unbounded > unknown > the longest known total. */
function windowRank(path: AccessPathDetail, seconds: (w: EffectiveWindow) => number): number {
  const w = path.window;
  if (path.standing || !w) return Number.POSITIVE_INFINITY;
  if (w.unbounded) return Number.MAX_VALUE;
  if (!w.known || w.total === null) return Number.MAX_SAFE_INTEGER;
  return seconds(w);
}

export class ImpactCalculator {
  /** Paths share window objects: each total is read once. */
  private readonly seconds = new WeakMap<EffectiveWindow, number>();
  /** Items share their path lists (every path, every JIT path, a group's): each impact is worked out once. */
  private readonly byList = new WeakMap<readonly number[], Impact>();

  constructor(private readonly all: readonly AccessPathDetail[]) {}

  private secondsOf = (w: EffectiveWindow): number => {
    let s = this.seconds.get(w);
    if (s === undefined) this.seconds.set(w, (s = isoToSeconds(w.total!) ?? 0));
    return s;
  };

  /** The impact of a list that several findings share (an item's paths). */
  shared(paths: readonly number[]): Impact {
    let impact = this.byList.get(paths);
    if (!impact) this.byList.set(paths, (impact = this.impact(paths)));
    return impact;
  }

  impact(paths: readonly number[]): Impact {
    const people = new Set<string>();
    const accounts = new Set<string>();
    const prod = new Set<string>();
    let worst: AccessPathDetail | null = null;
    let worstRank = -1;
    for (const i of paths) {
      const p = this.all[i]!;
      people.add(principalKey(p.principal));
      accounts.add(p.account.id);
      if (p.account.environment === PROD) prod.add(p.account.id);
      const rank = windowRank(p, this.secondsOf);
      if (rank > worstRank) {
        worstRank = rank;
        worst = p;
      }
    }
    return { paths, people: people.size, accounts: accounts.size, prodAccounts: prod.size, worstWindow: worst ? worstWindowOf(worst) : null };
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
