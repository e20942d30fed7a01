// JSON pointer → line and column, for many pointers at once, in one pass over the file's bytes and
// without building a syntax tree (a large organisation's snapshot is hundreds of megabytes; its tree
// would not fit in memory). Containers that hold no wanted pointer are skipped, bracket by bracket,
// without naming what is inside. The bytes are valid JSON: the loader has parsed and validated them.
import type { Position } from './locations.js';

const escapeSegment = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

const QUOTE = 34;
const BACKSLASH = 92;
const NEWLINE = 10;

interface Frame {
  pointer: string;
  array: boolean;
  /** Next element's index (arrays). */
  index: number;
  /** The key whose value comes next (objects). */
  key: string;
}

export function locateJsonPointers(source: Buffer | string, pointers: Iterable<string>): Map<string, Position> {
  const bytes = typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
  const wanted = new Set<string>();
  // Every container on the way to a wanted pointer: only these are walked into.
  const onTheWay = new Set<string>();
  for (const p of pointers) {
    const pointer = p === '/' ? '' : p;
    wanted.add(pointer);
    for (let at = pointer.lastIndexOf('/'); at >= 0; at = pointer.lastIndexOf('/', at - 1)) {
      onTheWay.add(pointer.slice(0, at));
      if (at === 0) break;
    }
  }
  const found = new Map<string, Position>();
  if (wanted.size === 0) return found;

  let line = 1;
  let lineStart = 0;
  const stack: Frame[] = [];
  let expectKey = false;

  /** Index of the quote that closes the string opened at `open`. */
  const stringEnd = (open: number): number => {
    let j = open;
    for (;;) {
      j = bytes.indexOf(QUOTE, j + 1);
      let backslashes = 0;
      while (bytes[j - 1 - backslashes] === BACKSLASH) backslashes++;
      if (backslashes % 2 === 0) return j;
    }
  };
  const column = (at: number): number => {
    for (let k = lineStart; k < at; k++) {
      // Columns count UTF-16 code units, as editors and SARIF viewers do.
      if (bytes[k]! >= 0x80) return bytes.toString('utf8', lineStart, at).length + 1;
    }
    return at - lineStart + 1;
  };
  /** From an opening bracket to just past its closing one, counting lines on the way. */
  const skipContainer = (open: number): number => {
    let depth = 0;
    let k = open;
    for (; k < bytes.length; k++) {
      const c = bytes[k]!;
      if (c === QUOTE) {
        // A JSON string holds no raw line break: no line to count inside it.
        k = stringEnd(k);
      } else if (c === NEWLINE) {
        line++;
        lineStart = k + 1;
      } else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        if (--depth === 0) return k + 1;
      }
    }
    return k;
  };
  const currentPointer = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    return top.array ? `${top.pointer}/${top.index}` : `${top.pointer}/${escapeSegment(top.key)}`;
  };

  let i = 0;
  while (i < bytes.length && found.size < wanted.size) {
    const c = bytes[i]!;
    switch (c) {
      case NEWLINE:
        line++;
        lineStart = i + 1;
        i++;
        break;
      case 32:
      case 9:
      case 13:
      case 58: // :
        i++;
        break;
      case 44: {
        // ,
        const top = stack[stack.length - 1]!;
        if (top.array) top.index++;
        else expectKey = true;
        i++;
        break;
      }
      case 125: // }
      case 93: // ]
        stack.pop();
        i++;
        break;
      case QUOTE: {
        const end = stringEnd(i);
        if (expectKey) {
          const raw = bytes.toString('utf8', i, end + 1);
          stack[stack.length - 1]!.key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
          expectKey = false;
        } else {
          const pointer = currentPointer();
          if (wanted.has(pointer) && !found.has(pointer)) found.set(pointer, { line, column: column(i) });
        }
        i = end + 1;
        break;
      }
      case 123: // {
      case 91: {
        // [
        const pointer = currentPointer();
        if (wanted.has(pointer) && !found.has(pointer)) found.set(pointer, { line, column: column(i) });
        if (onTheWay.has(pointer)) {
          stack.push({ pointer, array: c === 91, index: 0, key: '' });
          expectKey = c === 123;
          i++;
        } else {
          i = skipContainer(i);
        }
        break;
      }
      default: {
        // a number, true, false or null
        const pointer = currentPointer();
        if (wanted.has(pointer) && !found.has(pointer)) found.set(pointer, { line, column: column(i) });
        while (i < bytes.length && !isDelimiter(bytes[i]!)) i++;
      }
    }
  }
  return found;
}

const isDelimiter = (c: number) => c === 44 || c === 125 || c === 93 || c === 32 || c === NEWLINE || c === 13 || c === 9;
