import { describe, expect, it } from 'vitest';
import { jsonChunks } from '../src/util/json-chunks.js';
import { demoSnapshot } from './helpers/demo.js';

const same = (value: unknown, depth?: number) => expect(jsonChunks(value, depth).join('')).toBe(`${JSON.stringify(value, null, 2)}\n`);

describe('jsonChunks', () => {
  it('gives exactly JSON.stringify(value, null, 2), at any split depth', () => {
    const value = { a: [1, { b: [], c: {}, d: 'x\ny "q"', e: null, u: undefined }, [[]], undefined], n: -0.5, t: true, date: new Date(0), k: { 'we"ird': [{}] } };
    for (const depth of [0, 1, 2, 3, 4, 8]) same(value, depth);
    same([]);
    same('text');
  });

  it('matches on the demo snapshot, in many chunks', () => {
    const snapshot = demoSnapshot();
    same(snapshot);
    expect(jsonChunks(snapshot).length).toBeGreaterThan(100);
  });
});
