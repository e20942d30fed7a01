import { describe, expect, it } from 'vitest';
import { ruleEnvironment, toCelValue } from '../src/rules/cel.js';
import { ConditionMemo, conditionReads } from '../src/rules/condition-memo.js';
import { compileMessage, lookupKeys } from '../src/rules/template.js';
import { COMPUTED_FIELDS, computedFields, hasField } from '../src/util/computed-fields.js';
import { analyzeDemo } from './helpers/demo.js';

describe('fields a class computes', () => {
  class Pair {
    constructor(readonly a: string) {}
    get b() {
      return `${this.a}!`;
    }
    method() {
      return 1;
    }
  }

  it('are the getters a class declares, and nothing inherited from Object', () => {
    expect([...computedFields(new Pair('x'))]).toEqual(['b']);
    expect(computedFields({ a: 1 }).size).toBe(0);
    expect(computedFields([1]).size).toBe(0);
    expect(computedFields(Object.create(null) as object).size).toBe(0);
    expect(hasField(new Pair('x'), 'b')).toBe(true);
    for (const inherited of ['constructor', 'toString', '__proto__', 'method']) expect(hasField(new Pair('x'), inherited)).toBe(false);
  });

  it('are only those the class names, when it names them', () => {
    class Named {
      static {
        (Named.prototype as unknown as Record<symbol, readonly string[]>)[COMPUTED_FIELDS] = ['b'];
      }
      get b() {
        return 'b';
      }
      get forCode() {
        return 'not a field';
      }
    }
    expect([...computedFields(new Named())]).toEqual(['b']);
    expect(hasField(new Named(), 'forCode')).toBe(false);
    expect(toCelValue(new Named() as unknown as Record<string, unknown>, [], [])).toEqual({ b: 'b' });
  });

  it('are read by CEL, messages, evidence and the condition memo like own fields', () => {
    const item = new Pair('x') as unknown as Record<string, unknown>;
    expect(toCelValue(item, [], [])).toEqual({ a: 'x', b: 'x!' });
    expect(lookupKeys(item, ['b'])).toBe('x!');
    expect(compileMessage('{{resource.b}}')({ resource: item, params: {} })).toBe('x!');
    const run = ruleEnvironment.parse('resource.b == "x!"');
    const memo = new ConditionMemo(conditionReads(run.ast));
    expect(memo.recall(item)).toBeUndefined();
    memo.remember(true);
    expect(memo.recall(new Pair('x') as unknown as Record<string, unknown>)).toBe(true);
    // Another value of the computed field is another input, not a remembered one.
    expect(memo.recall(new Pair('y') as unknown as Record<string, unknown>)).toBeUndefined();
  });
});

describe("an access path's id, made when read", () => {
  const analysis = analyzeDemo();

  it('is its kind, person, group, account and permission set, and written first in JSON', () => {
    const path = analysis.accessPaths.find((p) => p.group !== null)!;
    const who = path.principal.upn ?? path.principal.entraUserId ?? path.principal.identityCenterUserId;
    expect(path.id).toBe([path.kind, who, path.group!.id, path.account.id, path.permissionSet.name].join(':'));
    const json = JSON.parse(JSON.stringify(path)) as Record<string, unknown>;
    expect(Object.keys(json)[0]).toBe('id');
    expect(json.id).toBe(path.id);
    expect(json.kind).toBe(path.kind);
  });

  it('is the only field a path computes: what makes it its own rule item is not one', () => {
    const path = analysis.accessPaths[0]! as unknown as Record<string, unknown>;
    expect([...computedFields(path)]).toEqual(['id']);
    // As an item it has a ref, data, type, name and pointer; rules and JSON see none of them.
    expect(path.ref).toBe(path);
    expect(path.data).toBe(path);
    expect(typeof path.pointer).toBe('string');
    for (const key of ['ref', 'data', 'type', 'name', 'pointer']) {
      expect(hasField(path, key)).toBe(false);
      expect(Object.keys(toCelValue(path, [], []) as object)).not.toContain(key);
      expect(Object.keys(JSON.parse(JSON.stringify(path)) as object)).not.toContain(key);
    }
  });

  it('is a field to a rule condition over access paths', () => {
    const run = ruleEnvironment.parse('resource.id.startsWith("pim-eligible:")');
    const memo = new ConditionMemo(conditionReads(run.ast));
    const fired = analysis.accessPaths.filter((p) => {
      const data = p as unknown as Record<string, unknown>;
      let result = memo.recall(data);
      if (result === undefined) memo.remember((result = run({ resource: toCelValue(data, [], []), params: {}, now: new Date() }) as boolean));
      return result;
    });
    expect(fired.length).toBeGreaterThan(0);
    expect(fired).toEqual(analysis.accessPaths.filter((p) => p.kind === 'pim-eligible'));
  });
});
