// Inline rule tests, in the spirit of ESLint's RuleTester: every `pass` case must not fire,
// every `fail` case must fire (and render its message). A fail case may also assert the finding's
// rendered `message` (the exact text, or `{contains: text}`) and its `evidence` (deep equal).
import { isDeepStrictEqual } from 'node:util';
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

/** What a fail case expects of its finding's message: the exact text, or text it contains. */
export type MessageExpectation = string | { contains: string };

/** Why a test case's assertions cannot be read, or null: for the loader, with a pointer below the case. */
export function testCaseProblem(expect: 'pass' | 'fail', testCase: Record<string, unknown>): { pointer: string; message: string } | null {
  for (const key of ['message', 'evidence'] as const) {
    if (expect === 'pass' && Object.hasOwn(testCase, key)) return { pointer: `/${key}`, message: `a pass case has no finding to assert a ${key} of` };
  }
  if (Object.hasOwn(testCase, 'message')) {
    const m = testCase.message;
    const ok = typeof m === 'string' || (m !== null && typeof m === 'object' && !Array.isArray(m) && Object.keys(m).length === 1 && typeof (m as { contains?: unknown }).contains === 'string');
    if (!ok) return { pointer: '/message', message: 'must be the exact message (a string) or {contains: text}' };
  }
  if (Object.hasOwn(testCase, 'evidence')) {
    const e = testCase.evidence;
    if (e === null || typeof e !== 'object' || Array.isArray(e)) return { pointer: '/evidence', message: 'must be an object: the finding\'s evidence, field by field' };
  }
  return null;
}

const shown = (value: unknown) => (value === undefined ? 'nothing' : JSON.stringify(value));

/** The first place two values differ, as one line: `evidence.x: expected 1, got 2`. */
export function firstDifference(at: string, expected: unknown, actual: unknown): string | null {
  if (isDeepStrictEqual(expected, actual)) return null;
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObject(expected) && isObject(actual)) {
    for (const key of [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort()) {
      if (!Object.hasOwn(actual, key)) return `${at}.${key}: expected ${shown(expected[key])}, but the finding has no such field`;
      if (!Object.hasOwn(expected, key)) return `${at}.${key}: not expected, got ${shown(actual[key])}`;
      const inner = firstDifference(`${at}.${key}`, expected[key], actual[key]);
      if (inner) return inner;
    }
  }
  if (Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length) {
    for (let i = 0; i < expected.length; i++) {
      const inner = firstDifference(`${at}[${i}]`, expected[i], actual[i]);
      if (inner) return inner;
    }
  }
  return `${at}: expected ${shown(expected)}, got ${shown(actual)}`;
}

function messageProblem(expected: MessageExpectation, actual: string): string | null {
  if (typeof expected === 'string') {
    if (expected === actual) return null;
    // Where they part, so a long message's one changed word is visible on one line.
    let i = 0;
    while (i < expected.length && expected[i] === actual[i]) i++;
    return `message: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)} (they differ from character ${i + 1})`;
  }
  return actual.includes(expected.contains) ? null : `message: expected to contain ${JSON.stringify(expected.contains)}, got ${JSON.stringify(actual)}`;
}

/** What a test case gives: whether the rule fired and, when it did, the finding's message and evidence. */
export function runTestCase(rule: CompiledRule, testCase: Record<string, unknown>): { fired: unknown; message?: string; evidence?: Record<string, unknown> } {
  const { params: paramPatch, message: _message, evidence: _evidence, ...patch } = testCase as { params?: Record<string, unknown>; message?: unknown; evidence?: unknown };
  const params = { ...rule.params, ...(paramPatch ?? {}) };
  const celParams = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, rule.def.params?.[k] ? celParam(rule.def.params[k], v) : v]));
  const data = mergePatch(rule.type.example, patch) as Record<string, unknown>;
  const fired = rule.evaluate({ resource: toCelValue(data, rule.type.durations, rule.type.timestamps), params: celParams, now: TEST_NOW });
  if (fired !== true) return { fired };
  return {
    fired,
    message: renderMessage(rule.def.message, { resource: data, params, object: EXAMPLE_OBJECT, impact: EXAMPLE_IMPACT }),
    evidence: rule.evidence(data),
  };
}

export function runRuleTests(rules: CompiledRule[]): RuleTestResult[] {
  const results: RuleTestResult[] = [];
  for (const rule of rules) {
    for (const expect of ['pass', 'fail'] as const) {
      rule.def.tests[expect].forEach((testCase, index) => {
        const expected = testCase as { message?: MessageExpectation; evidence?: Record<string, unknown> };
        let problem: string | null = null;
        try {
          const { fired, message, evidence } = runTestCase(rule, testCase);
          if (typeof fired !== 'boolean') problem = `condition returned ${typeof fired}, not a bool`;
          else if (fired !== (expect === 'fail')) problem = expect === 'pass' ? 'fired, but should not' : 'did not fire, but should';
          else if (expect === 'fail') {
            problem =
              (expected.message === undefined ? null : messageProblem(expected.message, message!)) ??
              (expected.evidence === undefined ? null : firstDifference('evidence', expected.evidence, evidence));
          }
        } catch (error) {
          problem = `evaluation failed: ${(error as Error).message.split('\n')[0]}`;
        }
        results.push({ rule: rule.def.id, file: rule.file, expect, index, ok: problem === null, problem });
      });
    }
  }
  return results;
}
