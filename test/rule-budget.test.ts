// No rule condition can hang the audit: a condition that is slow on the data runs out of a time
// budget (exit 2 naming the rule and the item), and matches() refuses the patterns only a
// backtracking engine runs (backreferences, lookarounds), in the rule and in data alike.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONDITION_BUDGET, ConditionBudget, guardCondition, OverBudget, ruleEnvironment } from '../src/rules/cel.js';
import { BACKTRACKING_ONLY, backtrackingOnly } from '../src/util/linear-regexp.js';
import { filesIn, jitaudit, tempDir } from './helpers/cli.js';
import { demoSnapshot, ROOT } from './helpers/demo.js';

const GROUP = '4ef9acbd-7310-4673-af20-232e1e1148ee'; // AWS - Prod Admins, an item of `groups`

function condition(when: string) {
  const compiled = ruleEnvironment.parse(when);
  expect(guardCondition(compiled.ast)).toBeNull();
  return (resource: Record<string, unknown>) => compiled({ resource, params: {}, now: new Date(0) });
}

const numbers = (n: number) => Array.from({ length: n }, (_, i) => BigInt(i));

describe('the time budget of a condition', () => {
  const budget = () => new ConditionBudget({ itemSeconds: 0.05, ruleSeconds: 0.3 });

  it.each([
    ['exists in exists (errors inside all/exists are taken and the loop goes on: the budget still stops it)', 'resource.l.exists(a, resource.l.exists(b, a + b < 0))'],
    ['all in all', 'resource.l.all(a, resource.l.all(b, a + b >= 0))'],
    ['filter in map', 'resource.l.map(a, resource.l.filter(b, a == b)).size() < 0'],
    ['exists_one over exists', 'resource.l.exists_one(a, resource.l.exists(b, a + b < 0))'],
    ['a linear scan per element (`in` a list)', 'resource.l.all(a, a in resource.l)'],
    ['a budget error that `|| true` absorbs', 'resource.l.exists(a, resource.l.exists(b, a + b < 0)) || true'],
  ])('%s: stops within its budget', (_, when) => {
    const evaluate = condition(when);
    const l = numbers(20_000); // 4·10^8 steps: minutes without the budget
    const started = performance.now();
    expect(() => budget().run(() => evaluate({ l }))).toThrow(new OverBudget('ran past the time budget of 0.05 s for one item'));
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('a rule fast on each item but slow on all of them runs out of the rule budget', () => {
    const evaluate = condition('resource.l.all(a, resource.l.all(b, a + b >= 0))');
    const l = numbers(200); // 40,000 steps an item: well under the item's 0.2 s here, even on a busy machine
    const b = new ConditionBudget({ itemSeconds: 0.2, ruleSeconds: 0.3 });
    let items = 0;
    const started = performance.now();
    expect(() => {
      for (;;) {
        expect(b.run(() => evaluate({ l }))).toBe(true);
        items++;
      }
    }).toThrow(new OverBudget("ran past the rule's time budget of 0.3 s for all its items"));
    expect(items).toBeGreaterThan(1);
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('gives a condition within its budget its value, and CEL errors as they are', () => {
    const b = budget();
    expect(b.run(condition('resource.l.exists(a, a == 3)').bind(null, { l: numbers(10) }))).toBe(true);
    expect(b.run(condition('resource.l.filter(a, a > 7).size() == 2').bind(null, { l: numbers(10) }))).toBe(true);
    expect(() => b.run(condition('resource.l.all(a, resource.m[a] > 0)').bind(null, { l: numbers(10), m: {} }))).toThrow(/No such key/);
  });

  it('does not run outside a budget (rule tests, explain): a slow condition is only stopped inside one', () => {
    const evaluate = condition('resource.l.all(a, resource.l.all(b, a + b >= 0))');
    expect(evaluate({ l: numbers(1500) })).toBe(true);
  });
});

describe('matches() patterns only a backtracking engine runs', () => {
  it.each([
    ['(a)\\1', '\\1'],
    ['^(a+)+\\12$', '\\12'],
    ['(?<n>a)\\k<n>', '\\k<n>'],
    ['a(?=b)', '(?='],
    ['a(?!b)', '(?!'],
    ['(?<=a)b', '(?<='],
    ['(?<!a)b', '(?<!'],
  ])('%s is refused, at %s', (pattern, construct) => expect(backtrackingOnly(pattern)).toBe(construct));

  it.each(['^[a-z0-9-]{1,63}$', '[\\1(?=]', '\\(?=a', '(?<name>a)+', '(?:a|b)*', '\\\\1', 'a\\]\\(?!', '\\0'])('%s is not', (pattern) =>
    expect(backtrackingOnly(pattern)).toBeNull(),
  );

  it("finds every pattern V8's linear engine refuses (bounded repeats aside)", () => {
    // The `l` flag (V8's linear engine, asked for directly) refuses what only backtracking can run.
    setFlagsFromString('--enable-experimental-regexp-engine');
    const token = fc.constantFrom('a', 'b', '(', ')', '(?:', '(?=', '(?!', '(?<=', '(?<!', '(?<g>', '\\k<g>', '\\1', '\\2', '\\', '[', ']', '^', '*', '+', '?', '|', '.', '\\b');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 12 }), (tokens) => {
        const pattern = tokens.join('');
        try {
          new RegExp(pattern);
        } catch {
          return; // not a pattern at all: matches() fails on it as before
        }
        let linear = true;
        try {
          new RegExp(pattern, 'l');
        } catch {
          linear = false;
        }
        // Only this way: the scan also refuses what V8 happens to run in linear time (`\1` with no group
        // is a character to V8, `(?=)*` is nothing), which RE2 refuses too.
        if (!linear) expect(backtrackingOnly(pattern), pattern).not.toBeNull();
      }),
      { numRuns: 3000 },
    );
  });
});

// ------------------------------------------------------------------------------------------------ CLI

function ruleYaml(id: string, when: string) {
  return `id: ${id}
title: A custom group rule
description: A custom rule over groups.
severity: low
resource: groups
when: ${JSON.stringify(when)}
message: "{{resource.name}}"
remediation: None.
references: [{framework: NIST SP 800-53 Rev. 5, id: AC-6}]
tests:
  pass: [{name: "x"}]
  fail: [{}]
`;
}

/** An audit of the demo snapshot (changed by `mutate`) with one custom rule: exit 2, one line, nothing written. */
function auditFails(id: string, when: string, expected: RegExp, mutate: (s: ReturnType<typeof demoSnapshot>) => void = () => {}) {
  const dir = tempDir();
  const rules = join(dir, 'rules');
  mkdirSync(rules);
  writeFileSync(join(rules, `${id}.yaml`), ruleYaml(id, when));
  const snapshot = demoSnapshot();
  mutate(snapshot);
  writeFileSync(join(dir, 'snapshot.json'), JSON.stringify(snapshot));
  const out = join(dir, 'out');
  const started = Date.now();
  const r = jitaudit(['audit', '--snapshot', join(dir, 'snapshot.json'), '--rules', rules, '--out', out], ROOT);
  const seconds = (Date.now() - started) / 1000;
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(expected);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(filesIn(out)).toEqual([]);
  return seconds;
}

const renameGroup = (name: string) => (s: ReturnType<typeof demoSnapshot>) => {
  s.entra.groups.data!.find((g) => g.id === GROUP)!.displayName = name;
};

describe('jitaudit audit with a condition that is slow on the data', () => {
  it('two nested comprehensions over a name of 100,000 characters: exit 2 within seconds, naming the rule, /when, the item and the budget', { timeout: 120_000 }, () => {
    // 10^10 steps: hours without the budget (the CLI helper gives up after two minutes).
    const when = 'resource.name.split("").exists(a, resource.name.split("").exists(b, a != "x" && b != a))';
    const seconds = auditFails(
      'slow-nested',
      when,
      new RegExp(`^jitaudit: .*slow-nested\\.yaml: rule slow-nested: /when: evaluation on group ${GROUP} ran past the time budget of ${CONDITION_BUDGET.itemSeconds} s for one item\\n$`),
      renameGroup('x'.repeat(100_000)),
    );
    expect(seconds).toBeLessThan(60);
  });
});

describe('jitaudit audit with a matches() pattern that can take exponential time', () => {
  const refused = (pattern: string, at: string) =>
    `matches\\(\\) pattern "${pattern.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}", at ${at.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}: ${BACKTRACKING_ONLY}\\n$`;

  it('a backreference in the rule is refused when the rules load', () =>
    auditFails('backreference', 'resource.name.matches("^(a+)+\\\\1$")', new RegExp(`backreference\\.yaml: rule backreference: /when: ${refused('^(a+)+\\1$', '\\1')}`)));

  it('a lookahead in the rule is refused when the rules load', () =>
    auditFails('lookahead', 'resource.name.matches("^(?=(a+)+b)")', new RegExp(`lookahead\\.yaml: rule lookahead: /when: ${refused('^(?=(a+)+b)', '(?=')}`)));

  it('a pattern taken from the data is refused when it is evaluated, naming the item', () =>
    auditFails(
      'pattern-from-data',
      'resource.name.matches(resource.name)',
      new RegExp(`pattern-from-data\\.yaml: rule pattern-from-data: /when: evaluation failed on group ${GROUP}: ${refused('(a+)+(?<!b)\\1', '(?<!')}`),
      renameGroup('(a+)+(?<!b)\\1'),
    ));
});
