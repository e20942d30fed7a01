// The built-in rule pack: every rule proves itself (inline tests), and the demo exercises every rule.
import { describe, expect, it } from 'vitest';
import { evaluateRules } from '../src/rules/evaluate.js';
import { loadRules } from '../src/rules/load-rules.js';
import { RESOURCE_TYPES } from '../src/rules/resource-types.js';
import { runRuleTests } from '../src/rules/rule-tests.js';
import { fieldNames } from '../src/util/computed-fields.js';
import { analyzeDemo, demoConfig } from './helpers/demo.js';

const config = demoConfig();
const rules = loadRules({ dirs: [], config });

describe('rule pack', () => {
  it('has rules in several themes, each file named after its id', () => {
    expect(rules.length).toBeGreaterThanOrEqual(40);
    for (const r of rules) expect(r.file).toMatch(new RegExp(`^rules/[a-z-]+/${r.def.id}\\.yaml$`));
  });

  describe('inline tests', () => {
    const results = runRuleTests(rules);
    for (const r of results) {
      it(`${r.rule}: tests.${r.expect}[${r.index}]`, () => {
        expect(r.problem).toBeNull();
      });
    }
  });

  it('keeps evidence to what the rule judged: a finding carries its account and principal beside it already', () => {
    for (const r of rules.filter((x) => x.def.resource === 'accessPaths')) {
      expect(r.def.evidence, r.def.id).toBeDefined();
      expect(r.def.evidence, r.def.id).not.toContain('account');
      expect(r.def.evidence, r.def.id).not.toContain('principal');
    }
  });

  it('groups every rule over access paths by the object a person changes, never one finding per path', () => {
    for (const r of rules.filter((x) => x.def.resource === 'accessPaths')) expect(r.object, r.def.id).not.toBe('path');
  });

  it('every rule cites at least two framework references and says how to fix it', () => {
    for (const r of rules) {
      expect(r.def.references.length, r.def.id).toBeGreaterThanOrEqual(2);
      expect(r.def.remediation.length, r.def.id).toBeGreaterThan(40);
    }
  });
});

// The demo's provisioning job is healthy by design (it carries the AWS blog's 40-minute lag), so the
// two rules about an unhealthy job fire on a variant of it instead.
const NEED_UNHEALTHY_JOB = ['effective-window-unbounded', 'scim-provisioning-unhealthy'];
// Likewise the degraded-job rule: on a variant whose last run escrowed objects.
const NEED_DEGRADED_JOB = ['scim-provisioning-degraded'];

describe('the demo exercises the rule pack', () => {
  const fired = (analysis = analyzeDemo()) => new Set(evaluateRules(rules, analysis, config).map((f) => f.finding.ruleId));

  it('fires every rule at least once', () => {
    const demo = fired();
    const missing = rules.map((r) => r.def.id).filter((id) => !demo.has(id) && !NEED_UNHEALTHY_JOB.includes(id) && !NEED_DEGRADED_JOB.includes(id));
    expect(missing).toEqual([]);
  });

  it('fires the unhealthy-job rules once the job is quarantined', () => {
    const quarantined = fired(
      analyzeDemo((s) => {
        s.entra.provisioning.data!.jobs[0]!.status.code = 'Quarantine';
      }),
    );
    for (const id of NEED_UNHEALTHY_JOB) expect(quarantined.has(id), id).toBe(true);
    for (const id of NEED_DEGRADED_JOB) expect(quarantined.has(id), id).toBe(false);
  });

  it('fires the degraded-job rule once the last run ends with per-object errors, and not the unhealthy ones', () => {
    const degraded = fired(
      analyzeDemo((s) => {
        const last = s.entra.provisioning.data!.jobs[0]!.status.lastExecution!;
        last.state = 'EntryLevelErrors';
        last.countEscrowed = 7;
      }),
    );
    for (const id of NEED_DEGRADED_JOB) expect(degraded.has(id), id).toBe(true);
    for (const id of NEED_UNHEALTHY_JOB) expect(degraded.has(id), id).toBe(false);
  });

  it('leaves most access paths clean', () => {
    const analysis = analyzeDemo();
    const flagged = new Set(
      evaluateRules(rules, analysis, config)
        .filter((f) => f.rule.def.resource === 'accessPaths')
        .flatMap((f) => f.finding.impact?.paths ?? []),
    );
    expect(flagged.size).toBeLessThan(analysis.accessPaths.length / 2);
  });
});

describe('resource collections', () => {
  const analysis = analyzeDemo();
  for (const [name, type] of Object.entries(RESOURCE_TYPES)) {
    it(`${name}: every item has exactly the fields its example documents`, () => {
      const items = analysis.resources[name];
      expect(items, name).toBeDefined();
      for (const item of items!) expect(fieldNames(item.data).sort()).toEqual(Object.keys(type.example).sort());
    });
  }
});
