// Pretty-printed JSON as a list of chunks, byte for byte what JSON.stringify(value, null, 2) gives,
// without ever building the whole text as one string: a large organisation's report is bigger than
// the longest string JavaScript can hold (about 512 MiB). The one exception is asked for: an array
// marked `oneLineEach` has each element on a line of its own, compact (a report's access paths and
// findings: a third of the bytes, and a diff or grep shows one line per path).

const INDENT = '  ';

/**
 * An array whose elements are made only as they are written (e.g. 200,000 SARIF results): the
 * output is the same as for the array itself.
 */
export class LazyArray<T> {
  constructor(
    readonly length: number,
    readonly items: () => Iterable<T>,
    readonly options: { oneLineEach?: boolean } = {},
  ) {}
  toJSON(): T[] {
    return [...this.items()];
  }
}

/** An array written with each element compact on a line of its own (JSON.stringify of the array is unchanged). */
export function oneLineEach<T>(items: readonly T[]): LazyArray<T> {
  return new LazyArray(items.length, () => items, { oneLineEach: true });
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

/**
 * A value pretty-printed as it stands at `depth`: JSON.stringify indents it there itself when it is
 * wrapped in `depth` arrays, and the wrapping is cut off (faster than re-indenting every line).
 */
function leaf(value: unknown, depth: number): string {
  if (depth === 0) return JSON.stringify(value, null, 2);
  let wrapped = value;
  for (let i = 0; i < depth; i++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  const [head, tail] = frame(depth);
  return text.slice(head, text.length - tail);
}

const frames: [number, number][] = [];
/** How many characters the wrapping adds before and after the value at a depth. */
function frame(depth: number): [number, number] {
  let f = frames[depth];
  if (!f) {
    let wrapped: unknown = 0;
    for (let i = 0; i < depth; i++) wrapped = [wrapped];
    const text = JSON.stringify(wrapped, null, 2);
    const at = text.indexOf('0');
    f = frames[depth] = [at, text.length - at - 1];
  }
  return f;
}

function* emit(value: unknown, depth: number): Generator<string> {
  if (value instanceof LazyArray) {
    yield* emitArray(value.length, value.items(), depth, value.options.oneLineEach === true);
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

function* emitArray(length: number, items: Iterable<unknown>, depth: number, oneLineEach = false): Generator<string> {
  if (length === 0) {
    yield '[]';
    return;
  }
  const pad = INDENT.repeat(depth + 1);
  const line = oneLineEach ? new CompactWriter() : null!;
  yield '[';
  let i = 0;
  for (const item of items) {
    // JSON.stringify writes undefined, functions and symbols in arrays as null.
    const value = item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : item;
    if (oneLineEach) {
      yield `${i++ ? ',' : ''}\n${pad}${line.compact(value)}`;
      continue;
    }
    yield `${i++ ? ',' : ''}\n${pad}`;
    yield* emit(value, depth + 1);
  }
  yield `\n${INDENT.repeat(depth)}]`;
}

/**
 * JSON.stringify(value), compact, for many values that share parts (every access path of a group
 * holds the same window object, every finding on an account the same account object): a part seen
 * a second time is serialised once and its text reused. Parts seen once are not kept; their own
 * parts (a finding's evidence holds the path's shared account and window) are looked at in turn.
 */
export class CompactWriter {
  private readonly seen = new WeakSet<object>();
  private readonly texts = new WeakMap<object, string>();
  private readonly keys = new Map<string, string>();

  compact(value: unknown): string {
    return this.value(value, 0) ?? 'null';
  }

  /** undefined where JSON.stringify leaves the member out. */
  private value(value: unknown, depth: number): string | undefined {
    switch (typeof value) {
      case 'string':
        return JSON.stringify(value);
      case 'boolean':
        return value ? 'true' : 'false';
      case 'object':
        break;
      default:
        return JSON.stringify(value);
    }
    if (value === null) return 'null';
    const known = this.texts.get(value);
    if (known !== undefined) return known;
    if (this.seen.has(value)) {
      const text = JSON.stringify(value);
      this.texts.set(value, text);
      return text;
    }
    this.seen.add(value);
    if (depth >= 2 || Array.isArray(value) || typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(value);
    let out = '';
    for (const key of Object.keys(value)) {
      const text = this.value((value as Record<string, unknown>)[key], depth + 1);
      if (text === undefined) continue;
      let name = this.keys.get(key);
      if (name === undefined) this.keys.set(key, (name = `${JSON.stringify(key)}:`));
      out += out ? `,${name}${text}` : `{${name}${text}`;
    }
    return out ? `${out}}` : '{}';
  }
}

/**
 * One output file: a string, bytes as they are (a snapshot copied into an evidence pack), or a
 * function that produces its text chunk by chunk (called once to hash it and once to write it, so
 * the whole text is never held in memory).
 */
export type Rendered = string | Buffer | (() => Iterable<string>);

export const chunksOf = (r: Rendered): Iterable<string | Buffer> => (typeof r === 'function' ? r() : [r]);

export function renderedBytes(r: Rendered): number {
  let n = 0;
  for (const chunk of chunksOf(r)) n += Buffer.byteLength(chunk);
  return n;
}
