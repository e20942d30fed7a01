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
