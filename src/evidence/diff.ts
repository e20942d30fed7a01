// What changed since the previous evidence pack: access paths and findings added, removed, changed.
//
// Access paths are matched on (person, group, member-or-owner, account, permission set) — not on
// their id, which contains the kind — so a person moving from PIM-eligible to a plain member is one
// *changed* path (kind, standing), not one removed and one added. Findings are matched on their
// fingerprint (rule + resource), the same key SARIF alerts track across runs.
import type { AccessPath } from '../analyze/types.js';
import type { Finding } from '../rules/evaluate.js';
import { compareStrings as cmp } from '../util/compare.js';

export interface PathView {
  key: string;
  id: string;
  person: string;
  kind: string;
  standing: boolean;
  group: string | null;
  account: string;
  accountName: string;
  environment: string;
  permissionSet: string;
  tier: string;
  window: string | null;
}

export interface FindingView {
  fingerprint: string;
  ruleId: string;
  severity: string;
  status: string;
  resource: string;
  message: string;
}

export interface Change<T> {
  key: string;
  before: T;
  after: T;
  /** The fields that differ, in a stable order. */
  fields: string[];
}

export interface Delta<T> {
  added: T[];
  removed: T[];
  changed: Change<T>[];
}

export interface PackDiff {
  previous: { collectedAt: string; snapshotSha256: string };
  current: { collectedAt: string; snapshotSha256: string };
  accessPaths: Delta<PathView>;
  findings: Delta<FindingView>;
}

/** The report.json fields the diff reads: any pack's report.json has them. */
export interface ReportLike {
  snapshot: { sha256: string; collectedAt: string };
  accessPaths: AccessPath[];
  findings: Finding[];
}

export function pathView(p: AccessPath): PathView {
  const person = p.principal.upn ?? p.principal.entraUserId ?? p.principal.identityCenterUserId ?? 'unknown';
  const role = p.kind === 'owner' ? 'owner' : 'member';
  const w = p.window;
  return {
    key: [person, p.group?.id ?? '-', role, p.account.id, p.permissionSet.name].join('|'),
    id: p.id,
    person,
    kind: p.kind,
    standing: p.standing,
    group: p.group?.name ?? null,
    account: p.account.id,
    accountName: p.account.name,
    environment: p.account.environment,
    permissionSet: p.permissionSet.name,
    tier: p.permissionSet.tier,
    window: w ? (w.unbounded ? 'unbounded' : (w.total ?? 'unknown')) : null,
  };
}

export function findingView(f: Finding): FindingView {
  return {
    fingerprint: f.fingerprint,
    ruleId: f.ruleId,
    severity: f.severity,
    status: f.status,
    resource: f.resource.name,
    message: f.message,
  };
}


function delta<T extends object>(before: T[], after: T[], key: (t: T) => string, ignore: string[]): Delta<T> {
  const b = new Map(before.map((t) => [key(t), t]));
  const a = new Map(after.map((t) => [key(t), t]));
  const added = [...a.entries()].filter(([k]) => !b.has(k)).sort((x, y) => cmp(x[0], y[0])).map(([, t]) => t);
  const removed = [...b.entries()].filter(([k]) => !a.has(k)).sort((x, y) => cmp(x[0], y[0])).map(([, t]) => t);
  const changed: Change<T>[] = [];
  for (const [k, now] of [...a.entries()].sort((x, y) => cmp(x[0], y[0]))) {
    const was = b.get(k);
    if (!was) continue;
    const fields = Object.keys(now).filter(
      (f) => !ignore.includes(f) && JSON.stringify((was as Record<string, unknown>)[f]) !== JSON.stringify((now as Record<string, unknown>)[f]),
    );
    if (fields.length) changed.push({ key: k, before: was, after: now, fields });
  }
  return { added, removed, changed };
}

export function diffReports(previous: ReportLike, current: ReportLike): PackDiff {
  return {
    previous: { collectedAt: previous.snapshot.collectedAt, snapshotSha256: previous.snapshot.sha256 },
    current: { collectedAt: current.snapshot.collectedAt, snapshotSha256: current.snapshot.sha256 },
    // The id follows the kind: a kind change shows as "kind", not as a second field "id".
    accessPaths: delta(previous.accessPaths.map(pathView), current.accessPaths.map(pathView), (p) => p.key, ['key', 'id']),
    findings: delta(previous.findings.map(findingView), current.findings.map(findingView), (f) => f.fingerprint, ['fingerprint']),
  };
}

export const diffCounts = (d: PackDiff) => ({
  accessPaths: { added: d.accessPaths.added.length, removed: d.accessPaths.removed.length, changed: d.accessPaths.changed.length },
  findings: { added: d.findings.added.length, removed: d.findings.removed.length, changed: d.findings.changed.length },
});
