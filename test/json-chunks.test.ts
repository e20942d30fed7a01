import { describe, expect, it } from 'vitest';
import { jsonChunks, LazyArray } from '../src/util/json-chunks.js';
import { demoSnapshot } from './helpers/demo.js';

const same = (value: unknown) => expect([...jsonChunks(value)].join('')).toBe(`${JSON.stringify(value, null, 2)}\n`);

describe('jsonChunks', () => {
  it('gives exactly JSON.stringify(value, null, 2), short and long arrays, nested at any depth', () => {
    const odd = { b: [], c: {}, d: 'x\ny "q"', e: null, u: undefined, f: () => 1 };
    const long = Array.from({ length: 40 }, (_, i) => (i % 3 ? { i, odd, deep: { list: Array.from({ length: 35 }, (_, j) => [j, undefined]) } } : undefined));
    const value = { a: [1, odd, [[]], undefined], long, n: -0.5, t: true, date: new Date(0), k: { 'we"ird': [{}], nested: { long } } };
    same(value);
    same([value, long]);
    same([]);
    same({});
    same('text');
  });

  it('matches on the demo snapshot, in many chunks', () => {
    const snapshot = demoSnapshot();
    same(snapshot);
    expect([...jsonChunks(snapshot)].length).toBeGreaterThan(20);
  });

  it('writes a LazyArray as the array it stands for, making its items only while writing', () => {
    let made = 0;
    const lazy = new LazyArray(3, function* () {
      for (let i = 0; i < 3; i++) {
        made++;
        yield { i, nested: [i, { deep: 'x' }] };
      }
    });
    const chunks = jsonChunks({ results: lazy, empty: new LazyArray(0, () => []) });
    expect(made).toBe(0);
    const text = [...chunks].join('');
    expect(made).toBe(3);
    expect(text).toBe(`${JSON.stringify({ results: [0, 1, 2].map((i) => ({ i, nested: [i, { deep: 'x' }] })), empty: [] }, null, 2)}\n`);
  });
});

describe('oneLineEach', () => {
  it('writes each element as JSON.stringify(element) on a line of its own; the value is unchanged', () => {
    const shared = { account: { id: '1', name: 'prod "x"', tags: ['a', 'b'] }, when: new Date(0) };
    const items = Array.from({ length: 50 }, (_, i) => ({
      id: `p${i}`,
      n: i % 7 === 0 ? -0.5 : i,
      on: i % 2 === 0,
      none: null,
      skipped: undefined,
      fn: () => 1,
      shared,
      again: shared.account,
      evidence: { shared, own: { deep: { deeper: [i, { k: shared }] } } },
      list: [undefined, shared],
    }));
    const oneLineEach = <T>(list: T[]) => new LazyArray(list.length, () => list, { oneLineEach: true });
    const value = { header: { n: 1 }, items: oneLineEach(items), empty: oneLineEach([]) };
    const text = [...jsonChunks(value)].join('');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
    const lines = text.split('\n');
    for (const [i, item] of items.entries()) {
      expect(lines).toContain(`    ${JSON.stringify(item)}${i < items.length - 1 ? ',' : ''}`);
    }
    expect(text).toContain('"empty": []');
  });
});
