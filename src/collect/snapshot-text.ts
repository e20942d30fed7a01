// The snapshot's text, chunk by chunk: byte for byte JSON.stringify(snapshot, null, 2) followed by a
// newline, without ever building a large string. A large organisation's snapshot is 176 MB of text,
// most of it in a few sections (the identity store, PIM schedules and policies); writing a section,
// or a section's data object, as one JSON.stringify built strings of 30–40 MB, their re-indented
// copies and the buffers written from them, which made the write the collection's memory peak.
// Here every container that can be large is laid out piece by piece, down to the elements of long
// arrays at any depth; only small values (an element, a short list) are handed to JSON.stringify.

const INDENT = '  ';

/** Arrays longer than this are written element by element, at any depth; shorter ones in one piece. */
const LONG = 64;
/** The top of the snapshot (the document, its halves, their sections) is always laid out here. */
const TOP_DEPTH = 3;

const isPlainObject = (value: object): boolean => {
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === Object.prototype || proto === null;
};

/** Whether to lay `value` out here rather than hand it whole to JSON.stringify. */
function split(value: object, depth: number): boolean {
  if (Array.isArray(value)) return depth < TOP_DEPTH || value.length > LONG;
  if (!isPlainObject(value)) return false;
  if (depth < TOP_DEPTH) return true;
  // A data object that holds a long list (identity store users, PIM schedules, CloudTrail events).
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (Array.isArray(v) && v.length > LONG) return true;
  }
  return false;
}

/** JSON.stringify(value, null, 2) + '\n', as a sequence of strings. */
export function* snapshotChunks(value: unknown): Generator<string> {
  yield* emit(value, resolve(value, ''), 0);
  yield '\n';
}

/** What JSON.stringify writes for `value` under `key`: the result of its toJSON, if it has one. */
function resolve(value: unknown, key: string): unknown {
  const json = (value as { toJSON?: (key: string) => unknown } | null | undefined)?.toJSON;
  return typeof json === 'function' ? json.call(value, key) : value;
}

/** Left out of an object by JSON.stringify (and written as null in an array). */
const omitted = (value: unknown) => value === undefined || typeof value === 'function' || typeof value === 'symbol';

/** `input` as given, `value` what its toJSON made of it (the same when it has none). */
function* emit(input: unknown, value: unknown, depth: number): Generator<string> {
  if (value === null || typeof value !== 'object' || !split(value, depth)) {
    // toJSON was applied here, with its key, and JSON.stringify must not apply it again.
    const text = JSON.stringify(input === value ? input : { toJSON: () => value }, null, 2);
    yield depth === 0 || !text.includes('\n') ? text : text.replace(/\n/g, `\n${INDENT.repeat(depth)}`);
    return;
  }
  const pad = `\n${INDENT.repeat(depth + 1)}`;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    yield '[';
    for (let i = 0; i < value.length; i++) {
      yield i ? `,${pad}` : pad;
      const item = value[i] as unknown;
      const resolved = resolve(item, String(i));
      if (omitted(resolved)) yield 'null';
      else yield* emit(item, resolved, depth + 1);
    }
    yield `\n${INDENT.repeat(depth)}]`;
    return;
  }
  let first = true;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    const resolved = resolve(item, key);
    if (omitted(resolved)) continue;
    yield `${first ? '{' : ','}${pad}${JSON.stringify(key)}: `;
    first = false;
    yield* emit(item, resolved, depth + 1);
  }
  yield first ? '{}' : `\n${INDENT.repeat(depth)}}`;
}
