import { describe, expect, it } from 'vitest';
import { locateJsonPointers } from '../src/report/json-locator.js';
import * as momoa from '@humanwhocodes/momoa';
import { checkedInDemo } from './helpers/demo.js';

describe('locateJsonPointers', () => {
  it('finds what a full JSON parser finds, for every pointer in the demo snapshot', () => {
    const text = checkedInDemo();
    const pointers: string[] = [];
    const walk = (v: unknown, p: string) => {
      pointers.push(p);
      if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, `${p}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    };
    walk(JSON.parse(text), '');
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
});
