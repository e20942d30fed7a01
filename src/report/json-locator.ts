// JSON pointer → line and column, for many pointers at once, in one pass over the text and without
// building a syntax tree (a large organisation's snapshot is hundreds of megabytes; its tree would
// not fit in memory). The text is valid JSON: the loader has parsed and validated it already.
import type { Position } from './locations.js';

const escapeSegment = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

export function locateJsonPointers(text: string, pointers: Iterable<string>): Map<string, Position> {
  const wanted = new Set<string>();
  for (const p of pointers) wanted.add(p === '/' ? '' : p);
  const found = new Map<string, Position>();
  // One frame per open container: its pointer, and for arrays the index of the next element.
  const stack: { pointer: string; array: boolean; index: number; key: string | null }[] = [];
  let line = 1;
  let lineStart = 0;
  let expectKey = false;

  const valueStarts = (at: number) => {
    const top = stack[stack.length - 1];
    let pointer = '';
    if (top) {
      pointer = top.array ? `${top.pointer}/${top.index}` : `${top.pointer}/${escapeSegment(top.key ?? '')}`;
    }
    if (wanted.has(pointer) && !found.has(pointer)) found.set(pointer, { line, column: at - lineStart + 1 });
    return pointer;
  };

  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    switch (c) {
      case 10: // \n
        line++;
        lineStart = i + 1;
        break;
      case 34: {
        // a string: a key, or a value
        let j = i + 1;
        while (text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 ? 2 : 1;
        if (expectKey) {
          stack[stack.length - 1]!.key = JSON.parse(text.slice(i, j + 1)) as string;
          expectKey = false;
        } else {
          valueStarts(i);
        }
        i = j;
        break;
      }
      case 123: // {
      case 91: {
        // [
        const pointer = valueStarts(i);
        stack.push({ pointer, array: c === 91, index: 0, key: null });
        expectKey = c === 123;
        break;
      }
      case 125: // }
      case 93: // ]
        stack.pop();
        break;
      case 44: {
        // ,
        const top = stack[stack.length - 1]!;
        if (top.array) top.index++;
        else expectKey = true;
        break;
      }
      case 58: // :
      case 32:
      case 9:
      case 13:
        break;
      default: {
        // a number, true, false or null
        valueStarts(i);
        while (i + 1 < text.length && !',}] \n\r\t'.includes(text[i + 1]!)) i++;
      }
    }
    if (found.size === wanted.size) break;
  }
  return found;
}
