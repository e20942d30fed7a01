// Pretty-printed JSON as a list of chunks, byte for byte what JSON.stringify(value, null, 2) gives,
// without ever building the whole text as one string: a large organisation's report is bigger than
// the longest string JavaScript can hold (about 512 MiB).

const INDENT = '  ';

/** Containers down to `splitDepth` are laid out here; anything deeper is one JSON.stringify per element. */
export function jsonChunks(value: unknown, splitDepth = 4): string[] {
  const out: string[] = [];
  emit(value, 0, splitDepth, out);
  out.push('\n');
  return out;
}

function leaf(value: unknown, depth: number): string {
  const text = JSON.stringify(value, null, 2);
  return depth === 0 ? text : text.replace(/\n/g, `\n${INDENT.repeat(depth)}`);
}

function emit(value: unknown, depth: number, splitDepth: number, out: string[]): void {
  const json = (value as { toJSON?: () => unknown } | null)?.toJSON;
  if (typeof json === 'function') value = json.call(value);
  if (depth >= splitDepth || value === null || typeof value !== 'object') {
    out.push(leaf(value, depth));
    return;
  }
  const pad = INDENT.repeat(depth + 1);
  if (Array.isArray(value)) {
    if (value.length === 0) return void out.push('[]');
    out.push('[');
    value.forEach((item, i) => {
      out.push(`${i ? ',' : ''}\n${pad}`);
      // JSON.stringify writes undefined, functions and symbols in arrays as null.
      emit(item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : item, depth + 1, splitDepth, out);
    });
    out.push(`\n${INDENT.repeat(depth)}]`);
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol',
  );
  if (entries.length === 0) return void out.push('{}');
  out.push('{');
  entries.forEach(([key, item], i) => {
    out.push(`${i ? ',' : ''}\n${pad}${JSON.stringify(key)}: `);
    emit(item, depth + 1, splitDepth, out);
  });
  out.push(`\n${INDENT.repeat(depth)}}`);
}

/** Text of one output, whether it was rendered as one string or as chunks. */
export type Rendered = string | string[];

export const renderedBytes = (r: Rendered): number =>
  typeof r === 'string' ? Buffer.byteLength(r) : r.reduce((n, c) => n + Buffer.byteLength(c), 0);
