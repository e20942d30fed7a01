// Pretty-printed JSON as a list of chunks, byte for byte what JSON.stringify(value, null, 2) gives,
// without ever building the whole text as one string: a large organisation's report is bigger than
// the longest string JavaScript can hold (about 512 MiB).

const INDENT = '  ';

/**
 * An array whose elements are made only as they are written (e.g. 200,000 SARIF results): the
 * output is the same as for the array itself.
 */
export class LazyArray<T> {
  constructor(
    readonly length: number,
    readonly items: () => Iterable<T>,
  ) {}
  toJSON(): T[] {
    return [...this.items()];
  }
}

/** Arrays longer than this are written element by element; shorter ones in one piece. */
const LONG = 32;

/**
 * Where to lay a container out here rather than hand it whole to JSON.stringify: the top two levels,
 * long arrays, lazy arrays and whatever holds one. Each element of a long array (an access path, a
 * finding) is then one JSON.stringify: few, large chunks, which is what makes this fast.
 */
function split(value: object, depth: number): boolean {
  if (depth < 2 || value instanceof LazyArray) return true;
  if (Array.isArray(value)) return value.length > LONG;
  return Object.values(value).some((v) => v instanceof LazyArray);
}

export function* jsonChunks(value: unknown): Generator<string> {
  yield* emit(value, 0);
  yield '\n';
}

function leaf(value: unknown, depth: number): string {
  const text = JSON.stringify(value, null, 2);
  return depth === 0 ? text : text.replace(/\n/g, `\n${INDENT.repeat(depth)}`);
}

function* emit(value: unknown, depth: number): Generator<string> {
  if (value instanceof LazyArray) {
    yield* emitArray(value.length, value.items(), depth);
    return;
  }
  const json = (value as { toJSON?: () => unknown } | null)?.toJSON;
  if (typeof json === 'function') value = json.call(value);
  if (value === null || typeof value !== 'object' || !split(value, depth)) {
    yield leaf(value, depth);
    return;
  }
  if (Array.isArray(value)) {
    yield* emitArray(value.length, value, depth);
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol',
  );
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  const pad = INDENT.repeat(depth + 1);
  yield '{';
  for (const [i, [key, item]] of entries.entries()) {
    yield `${i ? ',' : ''}\n${pad}${JSON.stringify(key)}: `;
    yield* emit(item, depth + 1);
  }
  yield `\n${INDENT.repeat(depth)}}`;
}

function* emitArray(length: number, items: Iterable<unknown>, depth: number): Generator<string> {
  if (length === 0) {
    yield '[]';
    return;
  }
  const pad = INDENT.repeat(depth + 1);
  yield '[';
  let i = 0;
  for (const item of items) {
    yield `${i++ ? ',' : ''}\n${pad}`;
    // JSON.stringify writes undefined, functions and symbols in arrays as null.
    yield* emit(item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : item, depth + 1);
  }
  yield `\n${INDENT.repeat(depth)}]`;
}

/**
 * One output file: a string, or a function that produces its text chunk by chunk (called once to
 * hash it and once to write it, so the whole text is never held in memory).
 */
export type Rendered = string | (() => Iterable<string>);

export const chunksOf = (r: Rendered): Iterable<string> => (typeof r === 'string' ? [r] : r());

export function renderedBytes(r: Rendered): number {
  let n = 0;
  for (const chunk of chunksOf(r)) n += Buffer.byteLength(chunk);
  return n;
}
