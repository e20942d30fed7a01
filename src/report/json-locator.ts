// JSON pointer → line and column, for many pointers at once, in one pass over the file's bytes and
// without building a syntax tree (a large organisation's snapshot is hundreds of megabytes; its tree
// would not fit in memory). Containers that hold no wanted pointer are skipped, bracket by bracket,
// without naming what is inside. The bytes are valid JSON: the loader has parsed and validated them.
//
// The file is read in pieces that end at a line break, so the scan never holds more than a piece
// (and the longest line): a JSON string, key or number never spans lines, only containers do, and
// a container's state (the stack, the depth being skipped) carries over from piece to piece.
import { readSync } from 'node:fs';
import type { Position } from './locations.js';
import { pointerToken } from '../util/json-pointer.js';

/** A pointer as the positions found are keyed: the whole document is '' ('/' is taken to mean it too). */
export const documentPointer = (pointer: string): string => (pointer === '/' ? '' : pointer);

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

/**
 * Index of the quote that closes the string opened at `open` (in the same line, so in the piece). A
 * plain loop: most strings are short, and a native indexOf per string costs more than it saves.
 */
function stringEnd(bytes: Uint8Array, open: number, end: number): number {
  for (let j = open + 1; j < end; j++) {
    const c = bytes[j];
    if (c === BACKSLASH) j++;
    else if (c === QUOTE) return j;
  }
  return end - 1;
}

/** Columns count UTF-16 code units, as editors and SARIF viewers do. */
function column(bytes: Buffer, lineStart: number, at: number): number {
  for (let k = lineStart; k < at; k++) {
    if (bytes[k]! >= 0x80) return bytes.toString('utf8', lineStart, at).length + 1;
  }
  return at - lineStart + 1;
}

const isDelimiter = (c: number) => c === 44 || c === 125 || c === 93 || c === 32 || c === NEWLINE || c === 13 || c === 9;

/** The scan's state between pieces. */
class PointerScanner {
  readonly found = new Map<string, Position>();
  private readonly wanted = new Set<string>();
  /** Every container on the way to a wanted pointer: only these are walked into. */
  private readonly onTheWay = new Set<string>();
  private readonly stack: Frame[] = [];
  private expectKey = false;
  private line = 1;
  /** Brackets open in the container being skipped (0: walking). */
  private skipDepth = 0;

  constructor(pointers: Iterable<string>) {
    for (const p of pointers) {
      const pointer = documentPointer(p);
      this.wanted.add(pointer);
      for (let at = pointer.lastIndexOf('/'); at >= 0; at = pointer.lastIndexOf('/', at - 1)) {
        this.onTheWay.add(pointer.slice(0, at));
        if (at === 0) break;
      }
    }
  }

  get done(): boolean {
    return this.found.size >= this.wanted.size;
  }

  private currentPointer(): string {
    const top = this.stack[this.stack.length - 1];
    if (!top) return '';
    return top.array ? `${top.pointer}/${top.index}` : `${top.pointer}/${pointerToken(top.key)}`;
  }

  private mark(pointer: string, bytes: Buffer, lineStart: number, at: number): void {
    if (this.wanted.has(pointer) && !this.found.has(pointer)) this.found.set(pointer, { line: this.line, column: column(bytes, lineStart, at) });
  }

  /** bytes[0, end) are whole lines: `end` is just past a line break, or the end of the file. */
  scan(bytes: Buffer, end: number): void {
    let i = 0;
    let lineStart = 0;
    while (i < end && !this.done) {
      if (this.skipDepth > 0) {
        // The hot loop: most of a large snapshot is skipped here. A third of a pretty-printed
        // snapshot's bytes are indentation and more than half are inside strings: each gets a loop
        // of its own, tighter than one loop asking what every byte means. Byte values are written
        // out: V8 reads a module's constants from its context at every use (1.5x the time here).
        let depth = this.skipDepth;
        let line = this.line;
        while (i < end) {
          const c = bytes[i++]!;
          if (c === 32) {
            // spaces
            while (i < end && bytes[i] === 32) i++;
          } else if (c === 34) {
            // a string: to its closing quote, over escapes
            while (i < end) {
              const d = bytes[i++]!;
              if (d === 34) break;
              if (d === 92) i++;
            }
          } else if (c === 10) {
            line++;
            lineStart = i;
          } else if (c === 123 || c === 91) depth++; // { [
          else if ((c === 125 || c === 93) && --depth === 0) break; // } ]
        }
        this.skipDepth = depth;
        this.line = line;
        continue;
      }
      const c = bytes[i]!;
      switch (c) {
        case NEWLINE:
          this.line++;
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
          const top = this.stack[this.stack.length - 1]!;
          if (top.array) top.index++;
          else this.expectKey = true;
          i++;
          break;
        }
        case 125: // }
        case 93: // ]
          this.stack.pop();
          i++;
          break;
        case QUOTE: {
          const close = stringEnd(bytes, i, end);
          if (this.expectKey) {
            const raw = bytes.toString('utf8', i, close + 1);
            this.stack[this.stack.length - 1]!.key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
            this.expectKey = false;
          } else {
            this.mark(this.currentPointer(), bytes, lineStart, i);
          }
          i = close + 1;
          break;
        }
        case 123: // {
        case 91: {
          // [
          const pointer = this.currentPointer();
          this.mark(pointer, bytes, lineStart, i);
          if (this.onTheWay.has(pointer)) {
            this.stack.push({ pointer, array: c === 91, index: 0, key: '' });
            this.expectKey = c === 123;
          } else {
            this.skipDepth = 1;
          }
          i++;
          break;
        }
        default: {
          // a number, true, false or null
          this.mark(this.currentPointer(), bytes, lineStart, i);
          while (i < end && !isDelimiter(bytes[i]!)) i++;
        }
      }
    }
  }
}

export function locateJsonPointers(source: Buffer | string, pointers: Iterable<string>): Map<string, Position> {
  const bytes = typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
  const scanner = new PointerScanner(pointers);
  if (!scanner.done) scanner.scan(bytes, bytes.length);
  return scanner.found;
}

/** Pieces of 16 MiB: large enough that the scan runs at full speed, small beside a large snapshot. */
const PIECE_BYTES = 16 << 20;

/** The same, reading an open file from its start in pieces of whole lines (a longer line grows the piece). */
export function locateJsonPointersInFile(fd: number, pointers: Iterable<string>, pieceBytes = PIECE_BYTES): Map<string, Position> {
  const scanner = new PointerScanner(pointers);
  let buffer = Buffer.allocUnsafe(pieceBytes);
  let filled = 0;
  let position = 0;
  let eof = false;
  while (!scanner.done && !(eof && filled === 0)) {
    while (!eof && filled < buffer.length) {
      const n = readSync(fd, buffer, filled, buffer.length - filled, position);
      if (n === 0) eof = true;
      filled += n;
      position += n;
    }
    const lastBreak = eof ? filled - 1 : buffer.lastIndexOf(NEWLINE, filled - 1);
    if (lastBreak < 0) {
      // One line longer than the piece (compact JSON): a larger piece, until the line fits.
      const larger = Buffer.allocUnsafe(buffer.length * 2);
      buffer.copy(larger, 0, 0, filled);
      buffer = larger;
      continue;
    }
    scanner.scan(buffer, lastBreak + 1);
    buffer.copy(buffer, 0, lastBreak + 1, filled);
    filled -= lastBreak + 1;
  }
  return scanner.found;
}
