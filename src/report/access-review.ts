// access-review.csv: one row per access path, for the quarterly access review. Its
// findings columns count the findings whose impact includes the path (path-facts.ts).
import type { AccessPathDetail } from '../analyze/types.js';
import { isoToWords } from '../util/duration.js';
import type { AuditResult } from './audit-result.js';
import { toCsv, type Cell } from './csv.js';
import { PathFactIndex } from './path-facts.js';
import { totalWords } from './window-words.js';
import { compareStrings as cmp } from '../util/compare.js';

export const ACCESS_REVIEW_COLUMNS = [
  'person',
  'display name',
  'account id',
  'account name',
  'environment',
  'permission set',
  'tier',
  'path kind',
  'group',
  'group id',
  'standing or JIT',
  'eligible until',
  'active assignment until',
  'activation maximum',
  'effective window',
  'effective window (ISO 8601)',
  'MFA required',
  'approval required',
  'justification required',
  'last activation',
  'last used',
  'open findings',
  'open finding rules',
  'path id',
] as const;

// Code-point order, not locale order: the same bytes on every machine.
const yn = (b: boolean | undefined | null) => (b === undefined || b === null ? '' : b ? 'yes' : 'no');

function row(p: AccessPathDetail, position: number, facts: PathFactIndex): Cell[] {
  const f = facts.facts(p);
  const c = p.controls;
  const jit = !p.standing;
  const open = facts.findings(position).filter((x) => x.status === 'open');
  const w = p.window;
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
    jit ? (p.schedule?.end ?? (p.schedule ? 'no end date' : '')) : '',
    p.kind === 'pim-active' ? (p.activeUntil ?? 'no end date') : '',
    jit ? (c?.activationMaximum ? isoToWords(c.activationMaximum) : 'unknown') : '',
    w ? (w.unbounded ? 'unbounded' : w.total ? isoToWords(w.total) : totalWords(w)) : '',
    w ? (w.unbounded ? 'unbounded' : (w.total ?? 'unknown')) : '',
    jit && c ? yn(c.mfaOnActivation || c.authenticationContext !== null) : '',
    jit && c ? yn(c.approvalRequired) : '',
    jit && c ? yn(c.justificationOnActivation) : '',
    p.controls ? (f.lastActivation ?? (f.activationsKnown ? 'none on record' : 'not collected')) : '',
    f.lastUsed ?? (f.usageKnown ? 'none on record' : 'not collected'),
    open.length,
    [...new Set(open.map((x) => x.ruleId))].join('; '),
    p.id,
  ];
}

export function renderAccessReview(result: AuditResult): string {
  const facts = new PathFactIndex(result);
  const all = result.analysis.accessPaths;
  // Positions, sorted: a path's findings are found by its position (their impact lists positions).
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
  return toCsv([...ACCESS_REVIEW_COLUMNS], order.map((i) => row(all[i]!, i, facts)));
}
