// Facts about an access path that the analysis keeps elsewhere, gathered for people-facing outputs
// (explain, the access-review CSV): last activation, last credential fetch, findings. A finding is
// about an object (a grant, a group, a PIM policy…): a path's findings are those whose impact includes
// the path, found through one index by path position built once.
import { requestOutcome } from '../analyze/pim-history.js';
import type { AccessPathDetail } from '../analyze/types.js';
import { pathRole } from '../rules/path-objects.js';
import type { AuditResult } from './audit-result.js';

export interface PathFacts {
  /** Start of the person's latest granted self-activation of this group role (a denied, cancelled or failed request is none), as of the snapshot; null when none is on record. */
  lastActivation: string | null;
  /** Latest Identity Center credential fetch (Federate/GetRoleCredentials) for this account and permission set. */
  lastUsed: string | null;
  /** Whether activation history and CloudTrail were collected at all (else "unknown", not "never"). */
  activationsKnown: boolean;
  usageKnown: boolean;
}

/** A finding whose impact includes a path, as its facts list it; `object` is the finding's object's name. */
export interface PathFinding {
  ruleId: string;
  severity: string;
  status: string;
  object: string;
  message: string;
}

export class PathFactIndex {
  private readonly activations = new Map<string, string>();
  private readonly usage = new Map<string, string>();
  /**
   * By path position (result.analysis.accessPaths); a list is made at a path's first finding, and
   * findings are shared. Made when findings are first asked for: the HTML page reads the facts of a
   * few thousand paths of 300,000, and no finding through here.
   */
  private findingsAt: { at: PathFinding[][]; takeovers: Int32Array } | null = null;
  private readonly activationsKnown: boolean;
  private readonly usageKnown: boolean;

  constructor(private readonly result: AuditResult) {
    const s = result.snapshot.model;
    const now = Date.parse(result.analysis.now);
    this.activationsKnown = s.entra.activations.provenance.status !== 'missing';
    this.usageKnown = s.aws.cloudTrail.provenance.status !== 'missing';
    for (const a of s.entra.activations.data ?? []) {
      if (a.action.toLowerCase() !== 'selfactivate' || requestOutcome(a.status) !== 'granted') continue;
      const start = a.scheduleInfo?.startDateTime ?? a.createdDateTime;
      if (Date.parse(start) > now) continue;
      const key = `${a.principalId}|${a.groupId}|${a.accessId}`;
      const seen = this.activations.get(key);
      if (!seen || seen < start) this.activations.set(key, start);
    }
    for (const item of result.analysis.resources.federationEvents ?? []) {
      const d = item.data as { eventTime: string; accountId: string; permissionSetName: string | null };
      const who = item.ref.principal;
      for (const id of [who?.entraUserId, who?.identityCenterUserId, who?.upn?.toLowerCase()]) {
        if (!id) continue;
        const key = `${id}|${d.accountId}|${d.permissionSetName}`;
        const seen = this.usage.get(key);
        if (!seen || seen < d.eventTime) this.usage.set(key, d.eventTime);
      }
    }
  }

  /**
   * The findings whose impact includes the path at `position` (result.analysis.accessPaths), in report
   * order; not those about someone who can take the path over (takeovers()).
   */
  findings(position: number): PathFinding[] {
    return this.indexFindings().at[position] ?? [];
  }

  /** How many open findings are about a holder who can take the path at `position` over without PIM. */
  takeovers(position: number): number {
    return this.indexFindings().takeovers[position] ?? 0;
  }

  private indexFindings(): { at: PathFinding[][]; takeovers: Int32Array } {
    if (this.findingsAt) return this.findingsAt;
    const at: PathFinding[][] = [];
    const takeovers = new Int32Array(this.result.analysis.accessPaths.length);
    for (const { finding, rule } of this.result.findings) {
      if (!finding.impact) continue;
      if (rule.type.takesOver) {
        if (finding.status === 'open') for (const i of finding.impact.paths) takeovers[i]!++;
        continue;
      }
      const fact = { ruleId: finding.ruleId, severity: finding.severity, status: finding.status, object: finding.object.name, message: finding.message };
      for (const i of finding.impact.paths) (at[i] ??= []).push(fact);
    }
    return (this.findingsAt = { at, takeovers });
  }

  facts(p: AccessPathDetail): PathFacts {
    const accessId = pathRole(p);
    const lastActivation =
      p.principal.entraUserId && p.group ? (this.activations.get(`${p.principal.entraUserId}|${p.group.id}|${accessId}`) ?? null) : null;
    const used = [p.principal.entraUserId, p.principal.identityCenterUserId, p.principal.upn?.toLowerCase()]
      .filter((x): x is string => !!x)
      .map((id) => this.usage.get(`${id}|${p.account.id}|${p.permissionSet.name}`))
      .filter((x): x is string => !!x)
      .sort();
    return {
      lastActivation,
      lastUsed: used.at(-1) ?? null,
      activationsKnown: this.activationsKnown,
      usageKnown: this.usageKnown,
    };
  }
}
