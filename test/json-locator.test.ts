import { describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateJsonPointers, locateJsonPointersInFile } from '../src/report/json-locator.js';
import * as momoa from '@humanwhocodes/momoa';
import { checkedInDemo } from './helpers/demo.js';

/** Every pointer in a JSON text, in document order. */
function allPointers(text: string, into: string[] = []): string[] {
  const walk = (v: unknown, p: string) => {
    into.push(p);
    if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, `${p}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  };
  walk(JSON.parse(text), '');
  return into;
}

/** The file's positions read in pieces of `pieceBytes`. */
function locateInFile(text: string, pointers: string[], pieceBytes: number) {
  const file = join(mkdtempSync(join(tmpdir(), 'jitaudit-locator-')), 'snapshot.json');
  writeFileSync(file, text);
  const fd = openSync(file, 'r');
  try {
    return locateJsonPointersInFile(fd, pointers, pieceBytes);
  } finally {
    closeSync(fd);
  }
}

describe('locateJsonPointers', () => {
  it('finds what a full JSON parser finds, for every pointer in the demo snapshot', () => {
    const text = checkedInDemo();
    const pointers: string[] = [];
    allPointers(text, pointers);
    const fast = locateJsonPointers(text, pointers);
    // The reference: a full JSON parser's syntax tree.
    const doc = momoa.parse(text, { mode: 'json' });
    const slow = (pointer: string) => {
      let node: momoa.AnyNode = doc.body;
      for (const key of pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))) {
        node = node.type === 'Object' ? node.members.find((m) => m.name.type === 'String' && m.name.value === key)!.value : (node as momoa.ArrayNode).elements[Number(key)]!.value;
      }
      return { line: node.loc.start.line, column: node.loc.start.column };
    };
    expect(pointers.length).toBeGreaterThan(4000);
    for (const p of pointers) expect(fast.get(p), p).toEqual(slow(p));
  });

  it('copes with escapes, odd keys and compact JSON', () => {
    const text = '{"a\\"b":[1,{"x/y":"q\\\\"},true],"~k":{"n":null}}';
    const found = locateJsonPointers(text, ['/a"b/1/x~1y', '/~0k/n', '/a"b/2']);
    expect(found.get('/a"b/1/x~1y')).toEqual({ line: 1, column: 19 });
    expect(found.get('/~0k/n')).toEqual({ line: 1, column: 42 });
    expect(found.get('/a"b/2')).toEqual({ line: 1, column: 26 });
  });

  it('counts columns in UTF-16 code units after non-ASCII text, and finds pointers past skipped containers', () => {
    const text = '{"naïve 🙂": {"skip": [{"x": "}]\\"", "y": [1, [2]]}], "n": "é"}, "list": [{"a": 1}, {"b": "🙂"}, {"c": 3}]}';
    const found = locateJsonPointers(Buffer.from(text, 'utf8'), ['/list/2', '/naïve 🙂/n', '/list/1/b']);
    expect(found.get('/list/2')).toEqual({ line: 1, column: text.indexOf('{"c"') + 1 });
    expect(found.get('/naïve 🙂/n')).toEqual({ line: 1, column: text.indexOf('"é"') + 1 });
    expect(found.get('/list/1/b')).toEqual({ line: 1, column: text.indexOf('"🙂"}') + 1 });
    expect(locateJsonPointers(text, []).size).toBe(0);
  });

  it('reads a file in pieces of whole lines and finds what the one-buffer scan finds, at every piece size', () => {
    const demo = checkedInDemo();
    const pointers = allPointers(demo);
    const whole = locateJsonPointers(demo, pointers);
    for (const pieceBytes of [1, 7, 64, 4096, 1 << 20]) {
      const found = locateInFile(demo, pointers, pieceBytes);
      expect(found.size).toBe(whole.size);
      for (const p of pointers) expect(found.get(p), `${p} at ${pieceBytes}`).toEqual(whole.get(p));
    }
  });

  it('grows a piece for a line longer than it (compact JSON), and stops reading once everything is found', () => {
    const compact = JSON.stringify(JSON.parse(checkedInDemo()));
    const pointers = allPointers(compact).filter((_, i) => i % 7 === 0);
    const whole = locateJsonPointers(compact, pointers);
    const found = locateInFile(compact, pointers, 16);
    for (const p of pointers) expect(found.get(p), p).toEqual(whole.get(p));
    // Strings with brackets, quotes and non-ASCII across many small pieces.
    const text = '{\n"a": ["}]\\"", {"k": "é🙂"}],\n"b": {\n"c": [1,\n2]},\n"d": "x"\n}\n';
    const some = ['/a/1/k', '/b/c/1', '/d'];
    expect(locateInFile(text, some, 3)).toEqual(locateJsonPointers(text, some));
    expect(locateInFile(text, ['/d'], 5).get('/d')).toEqual({ line: 6, column: 6 });
  });
});
