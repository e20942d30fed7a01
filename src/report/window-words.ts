// The effective window in words a non-expert can follow — shared by `jitaudit explain`, the HTML
// report and the access-review CSV, so the three never disagree:
//   "activation up to 1 h + Identity Center sees the removal within 40 min + a portal session started
//    before that lasts 8 h + credentials fetched at the last moment last 1 h = up to 10 h 40 min"
import { TERM_ORDER, type EffectiveWindow, type WindowTerm, type WindowTerms } from '../analyze/window.js';
import { isoToSeconds, isoToWords, secondsToWords } from '../util/duration.js';

export type TermName = keyof WindowTerms;

export const TERMS: Record<TermName, { letter: string; name: string; phrase: (value: string) => string; unknown: string; unbounded: string }> = {
  activation: {
    letter: 'A',
    name: 'PIM activation maximum',
    phrase: (v) => `activation up to ${v}`,
    unknown: 'activation of unknown length',
    unbounded: 'an activation with no end',
  },
  scimLag: {
    letter: 'L',
    name: 'SCIM de-provisioning lag',
    phrase: (v) => `Identity Center sees the removal within ${v}`,
    unknown: 'Identity Center sees the removal after an unknown delay',
    unbounded: 'Identity Center may never see the removal',
  },
  portalSession: {
    letter: 'P',
    name: 'access-portal session',
    phrase: (v) => `a portal session started before that lasts ${v}`,
    unknown: 'a portal session of unknown length',
    unbounded: 'a portal session with no end',
  },
  permissionSetSession: {
    letter: 'S',
    name: 'permission-set session',
    phrase: (v) => `credentials fetched at the last moment last ${v}`,
    unknown: 'credentials that last an unknown time',
    unbounded: 'credentials with no end',
  },
};

export { TERM_ORDER };

/** "8 h", "unbounded", "unknown". */
export function termValueWords(t: WindowTerm): string {
  if (t.unbounded) return 'unbounded';
  return t.value === null ? 'unknown' : isoToWords(t.value);
}

/** One term as a clause: "activation up to 1 h". */
export function termPhrase(name: TermName, t: WindowTerm): string {
  const words = TERMS[name];
  if (t.unbounded) return words.unbounded;
  return t.value === null ? words.unknown : words.phrase(isoToWords(t.value));
}

/** Where a term's value came from, in words: "collected: …", "declared: …", "assumed: …", "unknown: …". */
export function provenanceWords(t: WindowTerm): string {
  const label = { collected: 'collected', declared: 'declared', default: 'assumed', missing: 'unknown' }[t.provenance.status];
  // Sources often say it already ("declared in config …", "AWS default (8 h) assumed: …").
  return t.provenance.source.toLowerCase().includes(label) ? t.provenance.source : `${label}: ${t.provenance.source}`;
}

/** "up to 10 h 40 min", "no upper bound", "unknown (at least 9 h 40 min)". */
export function totalWords(w: EffectiveWindow): string {
  if (w.unbounded) return 'no upper bound';
  if (w.total !== null) return `up to ${isoToWords(w.total)}`;
  const known = TERM_ORDER.map((n) => w.terms[n].value).filter((v): v is string => v !== null);
  const seconds = known.reduce((sum, v) => sum + (isoToSeconds(v) ?? 0), 0);
  return seconds > 0 ? `unknown (at least ${secondsToWords(seconds)})` : 'unknown';
}

/** The whole sentence: the four clauses joined by "+", then "= total". */
export function windowSentence(w: EffectiveWindow): string {
  return `${TERM_ORDER.map((n) => termPhrase(n, w.terms[n])).join(' + ')} = ${totalWords(w)}`;
}
