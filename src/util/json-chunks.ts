// Pretty-printed JSON as a list of chunks, byte for byte what JSON.stringify(value, null, 2) gives,
// without ever building the whole text as one string: a large organisation's report is bigger than
// the longest string JavaScript can hold (about 512 MiB). The one exception is asked for: an array
// marked `oneLineEach` has each element on a line of its own, compact (SARIF's results: a diff or
// grep shows one line per result).

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
  toJSON(): unknown[] {
    return [...this.items()];
  }
}

/** Arrays longer than this are written element by element, at any depth; shorter ones in one piece. */
const LONG = 32;
/** The top of a document (a snapshot: the document, its halves, their sections) is always laid out here. */
const TOP_DEPTH = 3;

const isPlainObject = (value: object): boolean => {
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === Object.prototype || proto === null;
};

/**
 * Where to lay a container out here rather than hand it whole to JSON.stringify: the top levels, long
 * arrays at any depth, lazy arrays and any object that holds one of those (a snapshot section's data
 * object with 50,000 users). Everything else (an access path, a finding, a user) is one
 * JSON.stringify: few chunks, none of them large, which is what makes this fast and lean.
 */
function split(value: object, depth: number): boolean {
  if (value instanceof LazyArray) return true;
  if (Array.isArray(value)) return depth < TOP_DEPTH || value.length > LONG;
  if (!isPlainObject(value)) return false;
  if (depth < TOP_DEPTH) return true;
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (v instanceof LazyArray || (Array.isArray(v) && v.length > LONG)) return true;
  }
  return false;
}

export function* jsonChunks(value: unknown): Generator<string | Buffer> {
  yield* jsonChunksAt(value, 0);
  yield '\n';
}

/** A value as it stands at `depth` inside a document (report.json's parts): no line break after it. */
export function jsonChunksAt(value: unknown, depth: number): Generator<string | Buffer> {
  return emit(value, resolve(value, ''), depth);
}

/** What JSON.stringify writes for `value` under `key`: the result of its toJSON, if it has one. */
function resolve(value: unknown, key: string): unknown {
  if (value instanceof LazyArray) return value;
  const json = (value as { toJSON?: (key: string) => unknown } | null | undefined)?.toJSON;
  return typeof json === 'function' ? json.call(value, key) : value;
}

/** Left out of an object by JSON.stringify (and written as null in an array). */
export const omitted = (value: unknown) => value === undefined || typeof value === 'function' || typeof value === 'symbol';

/** A value whose toJSON was applied already (with its key), so that JSON.stringify does not apply it again. */
const applied = (input: unknown, value: unknown): unknown => (input === value ? input : { toJSON: () => value });

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

/** `input` as given, `value` what its toJSON made of it (the same when it has none). */
function* emit(input: unknown, value: unknown, depth: number): Generator<string | Buffer> {
  if (value instanceof LazyArray) {
    yield* emitArray(value.length, value.items(), depth, value.options.oneLineEach ? 'oneLineEach' : 'laidOut');
    return;
  }
  if (value === null || typeof value !== 'object' || !split(value, depth)) {
    yield leaf(applied(input, value), depth);
    return;
  }
  if (Array.isArray(value)) {
    yield* emitArray(value.length, value, depth);
    return;
  }
  const pad = INDENT.repeat(depth + 1);
  let first = true;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    const resolved = resolve(item, key);
    if (omitted(resolved)) continue;
    yield `${first ? '{' : ','}\n${pad}${JSON.stringify(key)}: `;
    first = false;
    yield* emit(item, resolved, depth + 1);
  }
  yield first ? '{}' : `\n${INDENT.repeat(depth)}}`;
}

/** `laidOut`: each element as it stands at its depth; `oneLineEach`: each compact on a line of its own. */
type ArrayLayout = 'laidOut' | 'oneLineEach';

function* emitArray(length: number, items: Iterable<unknown>, depth: number, layout: ArrayLayout = 'laidOut'): Generator<string | Buffer> {
  if (length === 0) {
    yield '[]';
    return;
  }
  const pad = INDENT.repeat(depth + 1);
  yield '[';
  let i = 0;
  for (const item of items) {
    const resolved = resolve(item, String(i));
    yield `${i++ ? ',' : ''}\n${pad}`;
    // JSON.stringify writes undefined, functions and symbols in arrays as null.
    if (omitted(resolved)) yield 'null';
    else if (layout === 'oneLineEach') yield JSON.stringify(applied(item, resolved));
    else yield* emit(item, resolved, depth + 1);
  }
  yield `\n${INDENT.repeat(depth)}]`;
}

/**
 * One output file: a string, bytes as they are (a snapshot copied into an evidence pack), or a
 * function that produces its text chunk by chunk (called once to hash it and once to write it, so
 * the whole text is never held in memory).
 */
export type Rendered = string | Buffer | (() => Iterable<string | Buffer>);

export const chunksOf = (r: Rendered): Iterable<string | Buffer> => (typeof r === 'function' ? r() : [r]);

export function renderedBytes(r: Rendered): number {
  let n = 0;
  for (const chunk of chunksOf(r)) n += Buffer.byteLength(chunk);
  return n;
}
