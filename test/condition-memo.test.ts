import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../src/model/snapshot-schema.js';
import { CelViews, ruleEnvironment, toCelValue } from '../src/rules/cel.js';
import { ConditionMemo, conditionReads, PartMemo, PathPartValues } from '../src/rules/condition-memo.js';
import { loadRules } from '../src/rules/load-rules.js';
import { analyzeDemo, demoConfig } from './helpers/demo.js';

const reads = (when: string) => conditionReads(ruleEnvironment.parse(when).ast);

describe('conditionReads', () => {
  it('lists every resource field chain a condition selects, once', () => {
    expect(reads('!resource.standing && resource.window != null && resource.window.known && resource.window.total > params.max')).toEqual([
      ['standing'],
      ['window'],
      ['window', 'known'],
      ['window', 'total'],
    ]);
    expect(reads('resource.kind == "owner" || resource.kind == "member"')).toEqual([['kind']]);
  });

  it('finds chains inside calls, macros, lists, indexes and has()', () => {
    expect(reads('has(resource.a.b) && resource.tags.exists(t, t == "x") && resource.m["k"] == 1 && size([resource.c]) > 0')).toEqual([
      ['a', 'b'],
      ['tags'],
      ['m'],
      ['c'],
    ]);
  });

  it('reads nothing of the item when the condition names only params and now', () => {
    expect(reads('params.on && now > timestamp("2020-01-01T00:00:00Z")')).toEqual([]);
  });

  it('gives up (null) when resource is used as a whole or rebound by a macro', () => {
    expect(reads('size(resource) > 2')).toBeNull();
    expect(reads('resource == {"a": 1}')).toBeNull();
    expect(reads('params.list.exists(resource, resource.kind == "x")')).toBeNull();
  });
});

describe('ConditionMemo', () => {
  const NOW = new Date('2026-01-01T00:00:00Z');

  /** Every item through the memo, evaluating only on a miss, against CEL on every item. */
  function compare(when: string, items: Record<string, unknown>[], params: Record<string, unknown> = {}) {
    const run = ruleEnvironment.parse(when);
    const direct = (data: Record<string, unknown>): unknown => {
      try {
        return run({ resource: toCelValue(data, ['window.total'], []), params, now: NOW });
      } catch (error) {
        return `error: ${(error as Error).message.split('\n')[0]}`;
      }
    };
    const memo = new ConditionMemo(conditionReads(run.ast));
    let evaluated = 0;
    const remembered = items.map((data) => {
      const known = memo.recall(data);
      if (known !== undefined) return known;
      evaluated++;
      const result = direct(data);
      if (typeof result === 'boolean') memo.remember(result);
      return result;
    });
    expect(remembered).toEqual(items.map(direct));
    return evaluated;
  }

  const account = (environment: string) => ({ id: environment, environment });
  const prod = account('prod');
  const dev = account('dev');
  const longWindow = { known: true, total: 'PT10H' };
  const shortWindow = { known: true, total: 'PT1H' };

  it('evaluates once per distinct input and agrees with CEL item by item', () => {
    const items = Array.from({ length: 200 }, (_, i) => ({
      standing: i % 3 === 0,
      account: i % 2 ? prod : dev,
      window: i % 3 === 0 ? null : i % 5 ? longWindow : shortWindow,
    }));
    const when = '!resource.standing && resource.window != null && resource.window.total > duration("4h") && resource.account.environment == "prod"';
    const evaluated = compare(when, items);
    // standing × account × window: far fewer than 200.
    expect(evaluated).toBeLessThanOrEqual(12);
  });

  it('tells a null apart from a missing field and from a value, as CEL and has() do', () => {
    const items = [{ a: null }, { a: {} }, { a: { b: false } }, { a: { b: true } }, {}, { a: null }, { a: {} }, { a: { b: 1 } }];
    compare('has(resource.a.b)', items);
    compare('resource.a.b == true', items);
    compare('resource.a == null || resource.a.b == true', items);
  });

  it('keys objects by identity: equal-looking objects are evaluated apart, shared ones once', () => {
    const shared = { environment: 'prod' };
    const items = [{ account: shared }, { account: shared }, { account: { environment: 'prod' } }, { account: { environment: 'dev' } }];
    expect(compare('resource.account == {"environment": "prod"}', items)).toBe(3);
  });

  it('does not remember a condition that uses resource as a whole', () => {
    const items = [{ a: 1 }, { a: 1 }, { a: 2, b: 3 }];
    expect(compare('size(resource) == 1', items)).toBe(3);
  });

  it('does not remember a chain that runs into a scalar or a list', () => {
    const items = [{ a: 'x' }, { a: 'x' }, { a: ['y'] }];
    expect(compare('resource.a.b == 1', items)).toBe(3);
  });

  it('remembers a condition that reads nothing of the item once', () => {
    expect(compare('params.on', [{ a: 1 }, { a: 2 }, { b: 3 }], { on: true })).toBe(1);
  });
});

describe('PartMemo: a path rule\'s result by what it reads of the path\'s grant, target and window', () => {
  // Every path rule of the pack on the demo, and on a variant where paths of one grant differ in what
  // their targets and windows give (several accounts, environments and sessions): the memo's answer
  // for each path is what CEL says on that path itself.
  it.each([
    ['the demo', undefined],
    ['the demo with every account production', (s: Snapshot) => s.aws.organization.data!.accounts.forEach((a) => (a.tags = { ...a.tags, environment: 'prod' }))],
  ])('agrees with CEL on every path of %s', (_, mutate) => {
    const analysis = analyzeDemo(mutate);
    const rules = loadRules({ dirs: [], config: demoConfig() }).filter((r) => r.def.resource === 'accessPaths');
    const items = analysis.resources.accessPaths!;
    const values = new PathPartValues(analysis.pathParts, (i) => items[i]!.data, rules.map((r) => r.reads));
    const { durations, timestamps } = rules[0]!.type;
    const views = new CelViews(durations, timestamps);
    const now = new Date(analysis.now);
    let remembered = 0;
    for (const rule of rules) {
      const memo = PartMemo.for(rule.reads, values);
      expect(memo, rule.def.id).not.toBeNull();
      items.forEach((item, i) => {
        const direct = rule.evaluate({ resource: views.view(item.data), params: rule.celParams, now });
        const known = memo!.recall(item.data, i);
        if (known === undefined) memo!.remember(direct as boolean);
        else {
          remembered++;
          expect(known, `${rule.def.id} on ${item.ref.id}`).toBe(direct);
        }
      });
    }
    // Most answers came from the memo, not from CEL.
    expect(remembered).toBeGreaterThan(items.length * rules.length * 0.5);
  });
});
