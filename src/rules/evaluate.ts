// Running the rules over the analysed model: findings, waivers and the gate.
import { createHash } from 'node:crypto';
import type { Analysis, ResourceItem, ResourceRef } from '../analyze/types.js';
import { waiverEnd } from '../analyze/resources.js';
import type { Config } from '../model/config.js';
import { inputError } from '../util/errors.js';
import { toCelValue } from './cel.js';
import type { CompiledRule } from './load-rules.js';
import { SEVERITIES, type Severity } from './rule-schema.js';
import { lookup, renderMessage } from './template.js';

export interface Finding {
  ruleId: string;
  severity: Severity;
  status: 'open' | 'waived';
  resource: { type: string; id: string; name: string };
  account?: ResourceRef['account'];
  principal?: ResourceRef['principal'];
  message: string;
  evidence: Record<string, unknown>;
  fingerprint: string;
  waiver?: { reason: string; owner: string; expires: string };
}

/** A finding with what the reports need besides the JSON contract: the rule and the snapshot location. */
export interface LocatedFinding {
  finding: Finding;
  rule: CompiledRule;
  ref: ResourceRef;
}

export const severityRank = (s: Severity) => SEVERITIES.length - SEVERITIES.indexOf(s);

/** `*` matches any run of characters, `?` one; everything else is literal. Matches ids with / and : as users expect. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
  return re.test(value);
}

export function fingerprint(ruleId: string, ref: ResourceRef): string {
  return createHash('sha256').update(`${ruleId}\u0000${ref.type}\u0000${ref.id}`).digest('hex').slice(0, 32);
}

function pickEvidence(data: Record<string, unknown>, paths: string[] | undefined): Record<string, unknown> {
  if (!paths) return data;
  return Object.fromEntries(paths.map((p) => [p, lookup(data, p) ?? null]));
}

export function evaluateRules(rules: CompiledRule[], analysis: Analysis, config: Config): LocatedFinding[] {
  const now = new Date(analysis.now);
  const nowMs = now.getTime();
  const celCache = new Map<string, Record<string, unknown>[]>();
  const out: LocatedFinding[] = [];
  for (const rule of rules) {
    const items: ResourceItem[] = analysis.resources[rule.def.resource] ?? [];
    let views = celCache.get(rule.def.resource);
    if (!views) {
      views = items.map((item) => toCelValue(item.data, rule.type.durations, rule.type.timestamps));
      celCache.set(rule.def.resource, views);
    }
    items.forEach((item, i) => {
      let fired: unknown;
      try {
        fired = rule.evaluate({ resource: views![i], params: rule.celParams, now });
      } catch (error) {
        throw inputError(`${rule.file}: rule ${rule.def.id}`, null, `evaluation failed on ${item.ref.type} ${item.ref.id}: ${(error as Error).message.split('\n')[0]}`);
      }
      if (fired !== true) {
        if (typeof fired !== 'boolean') {
          throw inputError(`${rule.file}: rule ${rule.def.id}`, '/when', `returned ${typeof fired} on ${item.ref.id}, not a bool`);
        }
        return;
      }
      const waiver = config.waivers.find(
        (w) =>
          w.rule === rule.def.id &&
          (wildcardMatch(w.resource, item.ref.id) || wildcardMatch(w.resource, item.ref.name)) &&
          Date.parse(waiverEnd(w.expires)) >= nowMs,
      );
      const finding: Finding = {
        ruleId: rule.def.id,
        severity: rule.def.severity,
        status: waiver ? 'waived' : 'open',
        resource: { type: item.ref.type, id: item.ref.id, name: item.ref.name },
        ...(item.ref.account ? { account: item.ref.account } : {}),
        ...(item.ref.principal ? { principal: item.ref.principal } : {}),
        message: renderMessage(rule.def.message, { resource: item.data, params: rule.params }),
        evidence: pickEvidence(item.data, rule.def.evidence),
        fingerprint: fingerprint(rule.def.id, item.ref),
        ...(waiver ? { waiver: { reason: waiver.reason, owner: waiver.owner, expires: waiver.expires } } : {}),
      };
      out.push({ finding, rule, ref: item.ref });
    });
  }
  return out.sort(compareFindings);
}

/** Stable report order: severity, rule, resource id. */
function compareFindings(a: LocatedFinding, b: LocatedFinding): number {
  const s = severityRank(b.finding.severity) - severityRank(a.finding.severity);
  if (s) return s;
  if (a.finding.ruleId !== b.finding.ruleId) return a.finding.ruleId < b.finding.ruleId ? -1 : 1;
  return a.finding.resource.id < b.finding.resource.id ? -1 : a.finding.resource.id > b.finding.resource.id ? 1 : 0;
}

export type FailOn = Severity | 'none';

export interface Gate {
  failOn: FailOn;
  passed: boolean;
  /** Open findings at or above failOn. */
  failing: number;
  /** Missing sections that an enabled rule needs. */
  blockingIncomplete: string[];
  allowIncomplete: boolean;
}

export function gate(findings: LocatedFinding[], rules: CompiledRule[], incomplete: string[], failOn: FailOn, allowIncomplete: boolean): Gate {
  const threshold = failOn === 'none' ? Infinity : severityRank(failOn);
  const failing = findings.filter((f) => f.finding.status === 'open' && severityRank(f.finding.severity) >= threshold).length;
  const needed = new Set(rules.flatMap((r) => r.type.needs));
  const blockingIncomplete = incomplete.filter((section) => needed.has(section.replace(/\[.*$/, '')));
  return {
    failOn,
    passed: failing === 0 && (allowIncomplete || blockingIncomplete.length === 0),
    failing,
    blockingIncomplete,
    allowIncomplete,
  };
}
