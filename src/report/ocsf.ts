// report.ocsf.json: every finding (open and waived) as an OCSF 1.8.0 Detection Finding (class_uid 2004,
// category Findings), the shape AWS Security Hub, Amazon Security Lake and SIEMs ingest. A JSON array,
// one finding per line. `time` is the snapshot's collection time, never the wall clock: the same
// snapshot and config give the same bytes, and re-importing a report updates rather than duplicates
// (finding_info.uid is the finding's fingerprint: rule + object).
import type { LocatedFinding } from '../rules/evaluate.js';
import type { Severity } from '../rules/rule-schema.js';
import type { Rendered } from '../util/json-chunks.js';
import { TOOL } from '../util/version.js';
import type { AuditResult } from './audit-result.js';

export const OCSF_VERSION = '1.8.0';

const CLASS = { uid: 2004, name: 'Detection Finding' } as const;
const CATEGORY = { uid: 2, name: 'Findings' } as const;
/** Create: each report states its findings afresh. */
const ACTIVITY = { id: 1, name: 'Create' } as const;

export const SEVERITY_ID: Record<Severity, { id: number; name: string }> = {
  critical: { id: 5, name: 'Critical' },
  high: { id: 4, name: 'High' },
  medium: { id: 3, name: 'Medium' },
  low: { id: 2, name: 'Low' },
  info: { id: 1, name: 'Informational' },
};

const STATUS = { open: { id: 1, name: 'New' }, waived: { id: 3, name: 'Suppressed' } } as const;

/** OCSF account type 10: AWS Account. */
const AWS_ACCOUNT = { id: 10, name: 'AWS Account' } as const;

export function ocsfFinding({ finding: f, rule }: LocatedFinding, time: number): Record<string, unknown> {
  const def = rule.def;
  const severity = SEVERITY_ID[f.severity];
  const status = STATUS[f.status];
  const urls = def.references.flatMap((r) => (r.url ? [r.url] : []));
  return {
    activity_id: ACTIVITY.id,
    activity_name: ACTIVITY.name,
    category_uid: CATEGORY.uid,
    category_name: CATEGORY.name,
    class_uid: CLASS.uid,
    class_name: CLASS.name,
    type_uid: CLASS.uid * 100 + ACTIVITY.id,
    type_name: `${CLASS.name}: ${ACTIVITY.name}`,
    severity_id: severity.id,
    severity: severity.name,
    status_id: status.id,
    status: status.name,
    ...(f.waiver ? { comment: `Waived: ${f.waiver.reason} (owner: ${f.waiver.owner}; expires ${f.waiver.expires})` } : {}),
    time,
    message: f.message,
    metadata: {
      version: OCSF_VERSION,
      product: { name: TOOL.name, vendor_name: TOOL.name, version: TOOL.version },
      // The cloud profile: the finding is about something in an AWS account.
      ...(f.account ? { profiles: ['cloud'] } : {}),
    },
    ...(f.account ? { cloud: { provider: 'AWS', account: { uid: f.account.id, name: f.account.name, type_id: AWS_ACCOUNT.id, type: AWS_ACCOUNT.name } } } : {}),
    finding_info: {
      uid: f.fingerprint,
      title: def.title,
      desc: f.message,
      types: [def.resource, ...(def.tags ?? [])],
      analytic: { uid: def.id, name: def.id, type_id: 1, type: 'Rule' },
    },
    resources: [{ uid: f.object.id, name: f.object.name, type: f.object.type, role_id: 1, role: 'Target' }],
    remediation: { desc: def.remediation, ...(urls.length ? { references: urls } : {}) },
    // What OCSF has no attribute for: the impact in counts (report.json lists the paths) and the evidence.
    unmapped: {
      rule_id: def.id,
      ...(f.impact
        ? { impact: { paths: f.impact.paths.length, people: f.impact.people, accounts: f.impact.accounts, prod_accounts: f.impact.prodAccounts, worst_window: f.impact.worstWindow } }
        : {}),
      evidence: f.evidence,
    },
  };
}

/** Milliseconds since the epoch (OCSF timestamp_t) of the snapshot's collection time. */
function snapshotTime(now: string): number {
  const ms = Date.parse(now);
  // The loaded snapshot's collectedAt is schema-checked; an unreadable one must not become 1970.
  if (Number.isNaN(ms)) throw new Error(`snapshot collection time is not a timestamp: ${now}`);
  return ms;
}

/** A JSON array, a finding a line, made as it is written (there can be tens of thousands). */
export function renderOcsf(result: AuditResult): Rendered {
  const time = snapshotTime(result.analysis.now);
  const findings = result.findings;
  return function* () {
    if (!findings.length) {
      yield '[]\n';
      return;
    }
    yield '[\n';
    for (let i = 0; i < findings.length; i++) yield `${JSON.stringify(ocsfFinding(findings[i]!, time))}${i === findings.length - 1 ? '\n' : ',\n'}`;
    yield ']\n';
  };
}
