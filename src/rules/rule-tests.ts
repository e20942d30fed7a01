// Inline rule tests, in the spirit of ESLint's RuleTester: every `pass` case must not fire,
// every `fail` case must fire (and render its message).
import { celParam, type CompiledRule } from './load-rules.js';
import { toCelValue } from './cel.js';
import { renderMessage } from './template.js';

export interface RuleTestResult {
  rule: string;
  file: string;
  expect: 'pass' | 'fail';
  index: number;
  ok: boolean;
  problem: string | null;
}

/** Objects merge key by key; arrays, scalars and null replace. */
export function mergePatch(base: unknown, patch: unknown): unknown {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch) || !base || typeof base !== 'object' || Array.isArray(base)) {
    return patch;
  }
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) out[k] = mergePatch(out[k], v);
  return out;
}

/** What a failing case's message is rendered with besides its item. */
const EXAMPLE_OBJECT = { type: 'example', id: 'example', name: 'example object' };
const EXAMPLE_IMPACT = { paths: [0], people: 1, accounts: 1, prodAccounts: 1, worstWindow: 'PT10H40M' };

/** A fixed "now" for inline tests, so cases with dates never go stale. */
export const TEST_NOW = new Date('2026-10-01T00:00:00Z');

export function runRuleTests(rules: CompiledRule[]): RuleTestResult[] {
  const results: RuleTestResult[] = [];
  for (const rule of rules) {
    for (const expect of ['pass', 'fail'] as const) {
      rule.def.tests[expect].forEach((testCase, index) => {
        const { params: paramPatch, ...patch } = testCase as { params?: Record<string, unknown> };
        const params = { ...rule.params, ...(paramPatch ?? {}) };
        const celParams = Object.fromEntries(
          Object.entries(params).map(([k, v]) => [k, rule.def.params?.[k] ? celParam(rule.def.params[k], v) : v]),
        );
        const data = mergePatch(rule.type.example, patch) as Record<string, unknown>;
        let problem: string | null = null;
        try {
          const fired = rule.evaluate({ resource: toCelValue(data, rule.type.durations, rule.type.timestamps), params: celParams, now: TEST_NOW });
          if (typeof fired !== 'boolean') problem = `condition returned ${typeof fired}, not a bool`;
          else if (fired !== (expect === 'fail')) problem = expect === 'pass' ? 'fired, but should not' : 'did not fire, but should';
          else if (expect === 'fail') renderMessage(rule.def.message, { resource: data, params, object: EXAMPLE_OBJECT, impact: EXAMPLE_IMPACT });
        } catch (error) {
          problem = `evaluation failed: ${(error as Error).message.split('\n')[0]}`;
        }
        results.push({ rule: rule.def.id, file: rule.file, expect, index, ok: problem === null, problem });
      });
    }
  }
  return results;
}
