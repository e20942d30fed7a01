// TypedArray.from(source, map) walks its source through the iterator protocol and calls `map` from a
// builtin: about 65 ns an element, where a loop takes 2. The analysis maps columns of 90,000 grants
// and 338,000 paths this way many times over.

/** `out` with each element `map(source[i], i)`: TypedArray.from(source, map) as a loop. */
export function mapNumbers<T extends Int32Array | Uint8Array | Float64Array>(out: T, source: ArrayLike<number>, map: (value: number, index: number) => number): T {
  for (let i = 0; i < source.length; i++) out[i] = map(source[i]!, i);
  return out;
}

/** `Array.from(source, map)` for a typed array, as a loop (Array.from walks it through its iterator too). */
export function mapToArray<T>(source: ArrayLike<number>, map: (value: number, index: number) => T): T[] {
  const out = new Array<T>(source.length);
  for (let i = 0; i < source.length; i++) out[i] = map(source[i]!, i);
  return out;
}
