// access-review.csv (and the access-paths sheet of access-review.xlsx): one row per access path, for
// the quarterly access review. Its findings columns count the findings whose impact includes the path
// (path-facts.ts).
//
// Made for spreadsheets as well as scripts:
//   * a date column holds an ISO 8601 UTC time to the second (2026-10-01T06:00:00Z) or nothing; when
//     it holds nothing, the note column after it says why (NOTES), so no word sits in a date column;
//   * control columns of a standing path say "not applicable (standing)", never blank: blank would
//     not tell "no control" from "not known";
//   * identifier columns are always quoted (csv.ts says what that does and does not do in Excel and
//     LibreOffice); the workbook writes them as text cells;
//   * the reviewer's four columns come last, empty, for the review itself.
// The column order is part of the format (README "explain and evidence"): new columns are added
// at the end, before the reviewer's.
import type { AccessPathDetail } from '../analyze/types.js';
import { isoToWords } from '../util/duration.js';
import type { AuditResult } from './audit-result.js';
import { toCsv, type Cell } from './csv.js';
import { PathFactIndex } from './path-facts.js';
import { totalWords } from './window-words.js';
import { compareStrings as cmp } from '../util/compare.js';

/** What a column holds: a spreadsheet writer types its cells by this. */
export type ColumnKind = 'text' | 'id' | 'date' | 'note' | 'count' | 'review' | 'review-date' | 'decision';

const COLUMNS = [
  ['person', 'text'],
  ['display name', 'text'],
  ['account id', 'id'],
  ['account name', 'text'],
  ['environment', 'text'],
  ['permission set', 'text'],
  ['tier', 'text'],
  ['path kind', 'text'],
  ['group', 'text'],
  ['group id', 'id'],
  ['standing or JIT', 'text'],
  ['eligible until', 'date'],
  ['eligible until note', 'note'],
  ['active assignment until', 'date'],
  ['active assignment until note', 'note'],
  ['activation maximum', 'text'],
  ['effective window', 'text'],
  ['effective window (ISO 8601)', 'text'],
  ['MFA required', 'text'],
  ['approval required', 'text'],
  ['justification required', 'text'],
  ['last activation', 'date'],
  ['last activation note', 'note'],
  ['last used', 'date'],
  ['last used note', 'note'],
  ['open findings', 'count'],
  ['open finding rules', 'text'],
  ['path id', 'id'],
  ['takeover findings', 'count'],
  ['reviewer', 'review'],
  ['decision', 'decision'],
  ['comment', 'review'],
  ['reviewed at', 'review-date'],
] as const satisfies readonly (readonly [string, ColumnKind])[];

export type AccessReviewColumn = (typeof COLUMNS)[number][0];
export const ACCESS_REVIEW_COLUMNS: AccessReviewColumn[] = COLUMNS.map(([name]) => name);
export const ACCESS_REVIEW_KINDS: ColumnKind[] = COLUMNS.map(([, kind]) => kind);
/** The values the reviewer's `decision` column takes (README; a list in the workbook). */
export const DECISIONS = ['keep', 'remove', 'change'] as const;

/** Why a date cell is empty. */
export const NOTES = {
  none: 'none',
  unknown: 'unknown',
  /** A JIT path whose eligibility has ended while an activation of it is still live. */
  ended: 'ended',
  standing: 'not applicable (standing)',
  jit: 'not applicable (JIT)',
  notPimAssignment: 'not applicable (not a PIM active assignment)',
  notPim: 'not applicable (not under PIM)',
  unreadable: 'unknown (unreadable time)',
} as const;

const NA_STANDING = NOTES.standing;

/**
 * A snapshot time as ISO 8601 UTC to the second. The loader checked it is an RFC 3339 date-time;
 * one that still does not parse is not written as a date (null), and its note says so.
 */
export function isoUtc(value: string): string | null {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return null;
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/** A date and its note: exactly one of the two is non-empty. */
function dated(value: string | null | undefined, whenNull: string): [string, string] {
  if (value === null || value === undefined) return ['', whenNull];
  const iso = isoUtc(value);
  return iso ? [iso, ''] : ['', NOTES.unreadable];
}

const yn = (b: boolean | undefined | null) => (b === undefined || b === null ? NOTES.unknown : b ? 'yes' : 'no');

function row(p: AccessPathDetail, position: number, facts: PathFactIndex): Cell[] {
  const f = facts.facts(p);
  const c = p.controls;
  const jit = !p.standing;
  const open = facts.findings(position).filter((x) => x.status === 'open');
  const w = p.window;
  // A standing path has no activation, so no activation controls and no effective window.
  const control = (value: () => string) => (jit ? (c ? value() : NOTES.unknown) : NA_STANDING);
  const eligible = jit ? dated(p.schedule ? p.schedule.end : null, p.schedule ? NOTES.none : NOTES.ended) : (['', NA_STANDING] as [string, string]);
  const assignment = p.kind === 'pim-active' ? dated(p.activeUntil, NOTES.none) : (['', jit ? NOTES.jit : NOTES.notPimAssignment] as [string, string]);
  const lastActivation = p.controls ? dated(f.lastActivation, f.activationsKnown ? NOTES.none : NOTES.unknown) : (['', NOTES.notPim] as [string, string]);
  const lastUsed = dated(f.lastUsed, f.usageKnown ? NOTES.none : NOTES.unknown);
  return [
    p.principal.upn ?? p.principal.identityCenterUserId,
    p.principalDetail.displayName,
    p.account.id,
    p.account.name,
    p.account.environment,
    p.permissionSet.name,
    p.permissionSet.tier,
    p.kind,
    p.group?.name ?? '',
    p.group?.id ?? '',
    p.standing ? 'standing' : 'JIT',
    ...eligible,
    ...assignment,
    control(() => (c!.activationMaximum ? isoToWords(c!.activationMaximum) : NOTES.unknown)),
    jit ? (w ? (w.unbounded ? 'unbounded' : w.total ? isoToWords(w.total) : totalWords(w)) : NOTES.unknown) : NA_STANDING,
    jit ? (w ? (w.unbounded ? 'unbounded' : (w.total ?? NOTES.unknown)) : NOTES.unknown) : NA_STANDING,
    control(() => yn(c!.mfaOnActivation || c!.authenticationContext !== null)),
    control(() => yn(c!.approvalRequired)),
    control(() => yn(c!.justificationOnActivation)),
    ...lastActivation,
    ...lastUsed,
    open.length,
    [...new Set(open.map((x) => x.ruleId))].join('; '),
    p.id,
    // Open findings about a holder who can give themselves this path without PIM: counted, not listed.
    facts.takeovers(position),
    // The reviewer's: reviewer, decision, comment, reviewed at.
    '',
    '',
    '',
    '',
  ];
}

/** The rows (without the header), in review order: by person, account name, permission set, path id. */
export function accessReviewRows(result: AuditResult): Cell[][] {
  const facts = new PathFactIndex(result);
  const all = result.analysis.accessPaths;
  // Positions, sorted: a path's findings are found by its position (their impact lists positions).
  // Code-point order, not locale order: the same bytes on every machine.
  const order = all
    .map((_, i) => i)
    .sort((i, j) => {
      const a = all[i]!;
      const b = all[j]!;
      return (
        cmp(a.principal.upn ?? '', b.principal.upn ?? '') ||
        cmp(a.account.name, b.account.name) ||
        cmp(a.permissionSet.name, b.permissionSet.name) ||
        cmp(a.id, b.id)
      );
    });
  return order.map((i) => row(all[i]!, i, facts));
}

const ID_COLUMNS: ReadonlySet<number> = new Set(ACCESS_REVIEW_KINDS.flatMap((k, i) => (k === 'id' ? [i] : [])));

export function renderAccessReview(result: AuditResult, rows: Cell[][] = accessReviewRows(result)): string {
  return toCsv([...ACCESS_REVIEW_COLUMNS], rows, { quotedColumns: ID_COLUMNS });
}
