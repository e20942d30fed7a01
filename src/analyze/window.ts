// The effective access window of a JIT path — the one place this math lives.
//
//   window = A  PIM activation maximum            (the group keeps the person this long)
//          + L  SCIM de-provisioning lag          (until the removal reaches Identity Center)
//          + P  access-portal session duration    (the portal keeps showing what was granted at sign-in)
//          + S  permission-set session duration   (credentials fetched at the last moment stay valid)
//
// The AWS blog's example: A = 1 h, P = 8 h, S = 1 h → 10 h; with a 40-minute provisioning interval
// as L → 10 h 40 min. L is unbounded while the provisioning job is unhealthy, and so is the window.
import { isoToSeconds, secondsToIso } from '../util/duration.js';

export type TermStatus = 'collected' | 'declared' | 'default' | 'missing';

export interface TermProvenance {
  status: TermStatus;
  /** Where the value came from, in words: "PIM policy of group X (member): Expiration_EndUser_Assignment". */
  source: string;
}

export interface WindowTerm {
  /** ISO-8601 duration; null when unknown (missing data) or unbounded. */
  value: string | null;
  unbounded: boolean;
  provenance: TermProvenance;
}

export interface WindowTerms {
  activation: WindowTerm;
  scimLag: WindowTerm;
  portalSession: WindowTerm;
  permissionSetSession: WindowTerm;
}

export interface EffectiveWindow {
  /** Sum of the four terms; null when a term is unbounded or unknown. */
  total: string | null;
  unbounded: boolean;
  /** False when a term could not be collected: the total is then unknown, not zero. */
  known: boolean;
  terms: WindowTerms;
}

export const TERM_ORDER = ['activation', 'scimLag', 'portalSession', 'permissionSetSession'] as const;

export function term(value: string | null, provenance: TermProvenance): WindowTerm {
  return { value, unbounded: false, provenance };
}

export function unboundedTerm(provenance: TermProvenance): WindowTerm {
  return { value: null, unbounded: true, provenance };
}

export function effectiveWindow(terms: WindowTerms): EffectiveWindow {
  const all = TERM_ORDER.map((name) => terms[name]);
  const unbounded = all.some((t) => t.unbounded);
  const seconds = all.map((t) => (t.value === null ? null : isoToSeconds(t.value)));
  const known = !unbounded && seconds.every((s) => s !== null);
  const total = known ? secondsToIso(seconds.reduce<number>((sum, s) => sum + (s ?? 0), 0)) : null;
  return { total, unbounded, known, terms };
}
