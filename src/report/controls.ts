// The controls view: every rule's outcome (failed, passed, not evaluable for missing data) and the
// framework controls they map to, rolled up per framework. Auditors need what passed, not only what
// failed.
import type { CompiledRule } from '../rules/load-rules.js';
import type { AuditResult } from './audit-result.js';

export type ControlStatus = 'failed' | 'not-evaluable' | 'passed';

export interface RuleOutcome {
  rule: CompiledRule;
  /** failed: an open finding; not-evaluable: none, but a section the rule reads is missing; else passed. */
  status: ControlStatus;
  open: number;
  waived: number;
  /** Missing snapshot sections the rule reads. */
  missing: string[];
}

const section = (incomplete: string) => incomplete.replace(/\[.*$/, '');

export function ruleOutcomes(result: Pick<AuditResult, 'rules' | 'findings' | 'analysis'>): RuleOutcome[] {
  const counts = new Map<string, { open: number; waived: number }>();
  for (const { finding } of result.findings) {
    const c = counts.get(finding.ruleId) ?? { open: 0, waived: 0 };
    c[finding.status]++;
    counts.set(finding.ruleId, c);
  }
  return result.rules.map((rule) => {
    const { open, waived } = counts.get(rule.def.id) ?? { open: 0, waived: 0 };
    const needs = new Set(rule.type.needs);
    const missing = result.analysis.incomplete.filter((s) => needs.has(section(s)));
    const status: ControlStatus = open > 0 ? 'failed' : missing.length ? 'not-evaluable' : 'passed';
    return { rule, status, open, waived, missing };
  });
}

export interface FrameworkControl {
  id: string;
  status: ControlStatus;
  /** The rules that map to it, by id. */
  rules: string[];
}

export interface FrameworkRollup {
  framework: string;
  failed: number;
  notEvaluable: number;
  passed: number;
  controls: FrameworkControl[];
}

const WORST: ControlStatus[] = ['failed', 'not-evaluable', 'passed'];

/** Per framework, each control it names: failed if any of its rules failed, else not evaluable if any was, else passed. */
export function frameworkRollup(outcomes: RuleOutcome[]): FrameworkRollup[] {
  const byFramework = new Map<string, Map<string, { status: ControlStatus; rules: string[] }>>();
  for (const o of outcomes) {
    for (const ref of o.rule.def.references) {
      const controls = byFramework.get(ref.framework) ?? new Map();
      byFramework.set(ref.framework, controls);
      const c = controls.get(ref.id) ?? { status: 'passed', rules: [] };
      if (!c.rules.includes(o.rule.def.id)) c.rules.push(o.rule.def.id);
      if (WORST.indexOf(o.status) < WORST.indexOf(c.status)) c.status = o.status;
      controls.set(ref.id, c);
    }
  }
  return [...byFramework]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([framework, controls]) => {
      const list = [...controls]
        .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
        .map(([id, c]) => ({ id, status: c.status, rules: c.rules.sort() }));
      return {
        framework,
        failed: list.filter((c) => c.status === 'failed').length,
        notEvaluable: list.filter((c) => c.status === 'not-evaluable').length,
        passed: list.filter((c) => c.status === 'passed').length,
        controls: list,
      };
    });
}
