// What changed since the previous evidence pack: access paths and findings added, removed, changed.
//
// Access paths are matched on (person, group, member-or-owner, account, permission set) — not on
// their id, which contains the kind — so a person moving from PIM-eligible to a plain member is one
// *changed* path (kind, standing), not one removed and one added. Findings are matched on their
// fingerprint (rule + object), the same key SARIF alerts track across runs: a finding whose impact
// grew is one *changed* finding.
//
// The current side is the audit itself; the previous side is the previous pack's report.json, of
// either version:
// - version 2 (`schemaVersion: 2`): paths refer to grants and tables (json-report.ts), expanded here
//   (a finding's impact is read for its counts only, whatever form its `paths` take);
// - version 1 (no `schemaVersion`): paths carry their objects inline, findings name a `resource`.
//   Findings of rules over access paths were one per access path then, with per-path fingerprints
//   that no finding has now: comparing them would list every one as resolved and every grouped
//   finding as new. So across this upgrade those rules' findings are left out of the comparison (and
//   the diff says which rules and why: `findingsNotCompared`); the access paths compare as ever, and
//   so do the other rules' findings, which were one per object already — without their impact,
//   which version 1 did not record.
import { Type as T } from '@sinclair/typebox';
import type { AccessPath, AccessPathDetail } from '../analyze/types.js';
import type { Finding } from '../rules/evaluate.js';
import { principalKey } from '../rules/path-objects.js';
import { SEVERITIES } from '../rules/rule-schema.js';
import type { AuditResult } from '../report/audit-result.js';
import { REPORT_SCHEMA_VERSION } from '../report/json-report.js';
import { ReportSchema } from '../report/report-schema.js';
import { Nullable, Timestamp } from '../model/schema-helpers.js';
import { describeAjvError, validatorFor } from '../util/ajv.js';
import { compareStrings as cmp } from '../util/compare.js';
import { jsonPointer } from '../util/json-pointer.js';

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
  /** The object's name. */
  object: string;
  /** The impact's counts; null for a finding that affects no access path (or a version-1 report's). */
  people: number | null;
  accounts: number | null;
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

export interface PackSide {
  collectedAt: string;
  snapshotSha256: string;
  /** report.json's schema version: 1 for a report without `schemaVersion`. */
  reportSchemaVersion: number;
}

export interface PackDiff {
  previous: PackSide;
  current: PackSide;
  accessPaths: Delta<PathView>;
  /** Every finding when both reports are version 2; else as `findingsNotCompared` says. */
  findings: Delta<FindingView>;
  /** Only against a version-1 previous report: the rules whose findings are left out, and why. */
  findingsNotCompared?: { rules: string[]; reason: string };
}

export const V1_FINDINGS_REASON =
  'findings were per access path before report v2; compare access paths, not findings, across this upgrade. ' +
  'The findings of rules over access paths are not compared; the other rules\' findings are, without their impact (report v1 did not record it).';

/** A previous pack's report.json, read and reduced to what the diff compares. */
export interface PreviousReport {
  side: PackSide;
  paths: PathView[];
  findings: FindingView[];
  /** Version 1 only: the rules whose findings were one per access path. */
  perPathRules: Set<string> | null;
}

/** A report.json the diff cannot read: where (a JSON pointer) and what is wrong. */
export class ReportShapeError extends Error {
  constructor(
    readonly pointer: string,
    message: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON pointer (RFC 6901) of a report's member. */
const pointer = (...parts: (string | number)[]) => jsonPointer(parts);

function need<T>(ok: boolean, value: T, where: string, what: string): T {
  if (!ok) throw new ReportShapeError(where, what);
  return value;
}

/** A table's entry by key: own keys only (tenant names such as "constructor" are keys too). */
function entry(table: Json, tableName: string, key: unknown, where: string): Json {
  const value = typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined;
  return need(isObject(value), value as Json, where, `${JSON.stringify(key)} is not a key of ${tableName}`);
}

/**
 * What a version-1 report.json must hold for the diff (that version had no published schema): the
 * members read here, typed; anything else it held is let be.
 */
const ReportV1Schema = T.Object({
  snapshot: T.Object({ sha256: T.String({ pattern: '^[0-9a-f]{64}$' }), collectedAt: Timestamp() }),
  accessPaths: T.Array(
    T.Object({
      kind: T.String(),
      standing: T.Boolean(),
      principal: T.Object({ upn: Nullable(T.String()), entraUserId: T.Optional(Nullable(T.String())), identityCenterUserId: Nullable(T.String()) }),
      group: Nullable(T.Object({ id: T.String(), name: T.String() })),
      account: T.Object({ id: T.String(), name: T.String(), environment: T.String() }),
      permissionSet: T.Object({ name: T.String(), tier: T.String() }),
      window: Nullable(T.Object({ unbounded: T.Boolean(), total: Nullable(T.String()) })),
      id: T.String(),
    }),
  ),
  findings: T.Array(
    T.Object({
      ruleId: T.String(),
      severity: T.String(),
      status: T.String(),
      message: T.String(),
      fingerprint: T.String(),
      resource: T.Object({ type: T.String(), name: T.String() }),
    }),
  ),
});

/** The first place where `report` is not as its version's schema has it. */
function checkSchema(report: unknown, version: 1 | 2): void {
  const validate = validatorFor(version === 1 ? ReportV1Schema : ReportSchema);
  if (validate(report)) return;
  const first = describeAjvError(validate.errors![0]!);
  throw new ReportShapeError(first.pointer, `${first.message} (report.json version ${version})`);
}

const role = (kind: string) => (kind === 'owner' ? 'owner' : 'member');
const windowWords = (w: { unbounded: boolean; total: string | null } | null) => (w ? (w.unbounded ? 'unbounded' : (w.total ?? 'unknown')) : null);

/** A path of the audit, or of a version-1 report (the same fields, inline). */
export function pathView(p: AccessPath): PathView {
  const person = principalKey(p.principal);
  return {
    key: [person, p.group?.id ?? '-', role(p.kind), p.account.id, p.permissionSet.name].join('|'),
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
    window: windowWords(p.window),
  };
}

/** The paths of a version-2 report (schema-checked), expanded from its grants and tables. */
function v2PathViews(report: Json): PathView[] {
  const [groups, accounts, permissionSets, windows] = ['groups', 'accounts', 'permissionSets', 'windows'].map((name) => report[name] as Json) as [Json, Json, Json, Json];
  const grants = report.grants as Json[];
  const paths = report.accessPaths as Json[];
  return paths.map((p, i) => {
    const at = (field: string) => pointer('accessPaths', i, field);
    const grant = need(Object.hasOwn(grants, p.grant as number), grants[p.grant as number]!, at('grant'), `${String(p.grant)} is not a position in grants (${grants.length})`);
    const kind = String(grant.kind);
    const groupId = typeof grant.group === 'string' ? grant.group : null;
    const account = entry(accounts, 'accounts', p.account, at('account'));
    const ps = entry(permissionSets, 'permissionSets', p.permissionSet, at('permissionSet'));
    const w = p.window === null ? null : (entry(windows, 'windows', p.window, at('window')) as unknown as { unbounded: boolean; total: string | null });
    const person = String(grant.principal);
    const accountId = String(p.account);
    const psName = String(p.permissionSet);
    return {
      key: [person, groupId ?? '-', role(kind), accountId, psName].join('|'),
      // A path's id (= AccessPathDetail.id): its grant's kind, person and group (`-` for none), then its account and permission set.
      id: `${kind}:${person}:${groupId ?? '-'}:${accountId}:${psName}`,
      person,
      kind,
      standing: grant.standing === true,
      group: groupId === null ? null : String(entry(groups, 'groups', groupId, pointer('grants', p.grant as number, 'group')).name),
      account: accountId,
      accountName: String(account.name),
      environment: String(account.environment),
      permissionSet: psName,
      tier: String(ps.tier),
      window: windowWords(w),
    };
  });
}

type FindingLike = Pick<Finding, 'fingerprint' | 'ruleId' | 'severity' | 'status' | 'message'> & {
  object: { name: string };
  impact?: { people: number; accounts: number };
};

export function findingView(f: FindingLike): FindingView {
  return {
    fingerprint: f.fingerprint,
    ruleId: f.ruleId,
    severity: f.severity,
    status: f.status,
    object: f.object.name,
    people: f.impact?.people ?? null,
    accounts: f.impact?.accounts ?? null,
    message: f.message,
  };
}

/** A version-1 finding: `resource` where version 2 has `object`, and no impact. */
function v1FindingView(f: Json): FindingView {
  const resource = f.resource as Json;
  return findingView({ ...(f as unknown as FindingLike), object: { name: String(resource.name) }, impact: undefined });
}

/**
 * Reads a previous pack's parsed report.json; throws ReportShapeError (with a JSON pointer) when it
 * is not one the diff reads: checked against its version's schema first, so that no value is
 * compared for what it is not (a collection time of 1, a path without its grant).
 */
export function readPreviousReport(parsed: unknown): PreviousReport {
  const report = need(isObject(parsed), parsed as Json, '/', 'must be an object (a jitaudit report)');
  const version = report.schemaVersion === undefined ? 1 : report.schemaVersion;
  if (version !== 1 && version !== REPORT_SCHEMA_VERSION) {
    throw new ReportShapeError('/schemaVersion', `schemaVersion ${JSON.stringify(version)}: this jitaudit reads report.json versions 1 and ${REPORT_SCHEMA_VERSION} (a newer jitaudit wrote it?)`);
  }
  checkSchema(report, version);
  const snapshot = report.snapshot as Json;
  const side: PackSide = { collectedAt: String(snapshot.collectedAt), snapshotSha256: String(snapshot.sha256), reportSchemaVersion: version };
  const findings = report.findings as Json[];
  if (version === REPORT_SCHEMA_VERSION) {
    return { side, paths: v2PathViews(report), findings: findings.map((f) => findingView(f as unknown as FindingLike)), perPathRules: null };
  }
  const perPathRules = new Set<string>();
  const compared: FindingView[] = [];
  for (const f of findings) {
    const view = v1FindingView(f);
    if ((f.resource as Json).type === 'accessPath') perPathRules.add(view.ruleId);
    else compared.push(view);
  }
  const paths = (report.accessPaths as Json[]).map((p) => pathView(p as unknown as AccessPath));
  return { side, paths, findings: compared, perPathRules };
}

const severityOrder = (s: string) => String(Math.max(0, SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]))).padStart(2, '0');
/** Findings listed most severe first, then by rule and object (the fingerprint keeps ties apart). */
const findingOrder = (f: FindingView) => `${severityOrder(f.severity)}|${f.ruleId}|${f.object}|${f.fingerprint}`;

function delta<T extends object>(before: T[], after: T[], key: (t: T) => string, ignore: string[], order: (t: T) => string = key): Delta<T> {
  const b = new Map(before.map((t) => [key(t), t]));
  const a = new Map(after.map((t) => [key(t), t]));
  const byOrder = (x: T, y: T) => cmp(order(x), order(y));
  const added = [...a.entries()].filter(([k]) => !b.has(k)).map(([, t]) => t).sort(byOrder);
  const removed = [...b.entries()].filter(([k]) => !a.has(k)).map(([, t]) => t).sort(byOrder);
  const changed: Change<T>[] = [];
  for (const now of [...a.values()].sort(byOrder)) {
    const k = key(now);
    const was = b.get(k);
    if (!was) continue;
    const fields = Object.keys(now).filter(
      (f) => !ignore.includes(f) && JSON.stringify((was as Record<string, unknown>)[f]) !== JSON.stringify((now as Record<string, unknown>)[f]),
    );
    if (fields.length) changed.push({ key: k, before: was, after: now, fields });
  }
  return { added, removed, changed };
}

/** The previous pack's report against this audit. */
export function diffPack(previous: PreviousReport, result: AuditResult): PackDiff {
  const current: PackSide = { collectedAt: result.analysis.now, snapshotSha256: result.snapshot.sha256, reportSchemaVersion: REPORT_SCHEMA_VERSION };
  const overPaths = new Set(result.rules.filter((r) => r.def.resource === 'accessPaths').map((r) => r.def.id));
  const v1 = previous.perPathRules !== null;
  const currentFindings = result.findings.filter(({ rule }) => !v1 || !overPaths.has(rule.def.id)).map(({ finding }) => findingView(finding));
  const pathViews = result.analysis.accessPaths.map((p: AccessPathDetail) => pathView(p));
  return {
    previous: previous.side,
    current,
    // The id follows the kind: a kind change shows as "kind", not as a second field "id".
    accessPaths: delta(previous.paths, pathViews, (p) => p.key, ['key', 'id']),
    findings: delta(previous.findings, currentFindings, (f) => f.fingerprint, v1 ? ['fingerprint', 'people', 'accounts'] : ['fingerprint'], findingOrder),
    ...(v1 ? { findingsNotCompared: { rules: [...new Set([...overPaths, ...previous.perPathRules!])].sort(cmp), reason: V1_FINDINGS_REASON } } : {}),
  };
}

export const diffCounts = (d: PackDiff) => ({
  accessPaths: { added: d.accessPaths.added.length, removed: d.accessPaths.removed.length, changed: d.accessPaths.changed.length },
  findings: { added: d.findings.added.length, removed: d.findings.removed.length, changed: d.findings.changed.length },
});
