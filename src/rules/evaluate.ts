// Running the rules over the analysed model: findings, waivers and the gate.
import { hash } from 'node:crypto';
import type { Analysis, ResourceItem, ResourceRef } from '../analyze/types.js';
import { waiverEnd } from '../analyze/resources.js';
import type { Config } from '../model/config.js';
import { inputError } from '../util/errors.js';
import { CelViews } from './cel.js';
import type { CompiledRule } from './load-rules.js';
import { SEVERITIES, type Severity } from './rule-schema.js';

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
export function wildcardPattern(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
}

export function fingerprint(ruleId: string, ref: ResourceRef): string {
  return hash('sha256', `${ruleId}\u0000${ref.type}\u0000${ref.id}`, 'hex').slice(0, 32);
}

/** The waivers in force at the snapshot's time, each matching one rule's resources by id or name. */
function activeWaivers(config: Config, nowMs: number) {
  return config.waivers
    .filter((w) => Date.parse(waiverEnd(w.expires)) >= nowMs)
    .map((w) => ({ waiver: w, pattern: wildcardPattern(w.resource) }));
}

export function evaluateRules(rules: CompiledRule[], analysis: Analysis, config: Config): LocatedFinding[] {
  const now = new Date(analysis.now);
  const waivers = activeWaivers(config, now.getTime());
  const out: LocatedFinding[] = [];
  // Item by item, every rule of a collection on one CEL view of the item: the view is made once.
  const byResource = new Map<string, CompiledRule[]>();
  for (const rule of rules) {
    const list = byResource.get(rule.def.resource);
    if (list) list.push(rule);
    else byResource.set(rule.def.resource, [rule]);
  }
  for (const [resource, collectionRules] of byResource) {
    const items: ResourceItem[] = analysis.resources[resource] ?? [];
    const { durations, timestamps } = collectionRules[0]!.type;
    const views = new CelViews(durations, timestamps);
    for (const item of items) {
      const view = views.view(item.data);
      for (const rule of collectionRules) {
        let fired: unknown;
        try {
          fired = rule.evaluate({ resource: view, params: rule.celParams, now });
        } catch (error) {
          throw inputError(`${rule.file}: rule ${rule.def.id}`, null, `evaluation failed on ${item.ref.type} ${item.ref.id}: ${(error as Error).message.split('\n')[0]}`);
        }
        if (fired === true) out.push(finding(rule, item, waivers));
        else if (typeof fired !== 'boolean') {
          throw inputError(`${rule.file}: rule ${rule.def.id}`, '/when', `returned ${typeof fired} on ${item.ref.id}, not a bool`);
        }
      }
    }
  }
  return out.sort(compareFindings);
}

function finding(rule: CompiledRule, item: ResourceItem, waivers: ReturnType<typeof activeWaivers>): LocatedFinding {
  const waiver = waivers.find(
    ({ waiver: w, pattern }) => w.rule === rule.def.id && (pattern.test(item.ref.id) || pattern.test(item.ref.name)),
  )?.waiver;
  const finding: Finding = {
    ruleId: rule.def.id,
    severity: rule.def.severity,
    status: waiver ? 'waived' : 'open',
    resource: { type: item.ref.type, id: item.ref.id, name: item.ref.name },
    ...(item.ref.account ? { account: item.ref.account } : {}),
    ...(item.ref.principal ? { principal: item.ref.principal } : {}),
    message: rule.message(item.data),
    evidence: rule.evidence(item.data),
    fingerprint: fingerprint(rule.def.id, item.ref),
    ...(waiver ? { waiver: { reason: waiver.reason, owner: waiver.owner, expires: waiver.expires } } : {}),
  };
  return { finding, rule, ref: item.ref };
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
  const blocking = blockingIncomplete(rules, incomplete);
  return {
    failOn,
    passed: failing === 0 && (allowIncomplete || blocking.length === 0),
    failing,
    blockingIncomplete: blocking,
    allowIncomplete,
  };
}

/** The missing sections that an enabled rule needs (known before the rules run). */
export function blockingIncomplete(rules: CompiledRule[], incomplete: string[]): string[] {
  const needed = new Set(rules.flatMap((r) => r.type.needs));
  return incomplete.filter((section) => needed.has(section.replace(/\[.*$/, '')));
}
