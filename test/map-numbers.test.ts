import { describe, expect, it } from 'vitest';
import { mapNumbers, mapToArray } from '../src/util/map-numbers.js';

describe('mapNumbers and mapToArray', () => {
  const source = Int32Array.from([5, -1, 0, 7, 3]);

  it('give what TypedArray.from and Array.from give with the same map, index included', () => {
    const map = (v: number, i: number) => v * 2 + i;
    expect(mapNumbers(new Int32Array(source.length), source, map)).toEqual(Int32Array.from(source, map));
    expect(mapNumbers(new Uint8Array(source.length), source, (v) => (v > 0 ? 1 : 0))).toEqual(Uint8Array.from(source, (v) => (v > 0 ? 1 : 0)));
    expect(mapNumbers(new Float64Array(source.length), source, (v) => v / 2)).toEqual(Float64Array.from(source, (v) => v / 2));
    expect(mapToArray(source, (v, i) => `${i}:${v}`)).toEqual(Array.from(source, (v, i) => `${i}:${v}`));
  });

  it('map nothing to an empty result', () => {
    expect(mapNumbers(new Int32Array(0), new Int32Array(0), () => 1)).toEqual(new Int32Array(0));
    expect(mapToArray(new Int32Array(0), () => 1)).toEqual([]);
  });
});
