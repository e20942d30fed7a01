// JSON pointer → line and column in the file it points into: SARIF results point at the line where
// the offending object starts (the snapshot is pretty-printed and stable, so lines mean something in Git).
// JSON: json-locator.ts; YAML (the config, for findings about waivers): here.
import { LineCounter, parseDocument, isMap, isSeq, type Node as YamlNode } from 'yaml';
import { pointerKeys } from '../util/json-pointer.js';

export interface Position {
  line: number;
  column: number;
}


/** Positions in a YAML text (the config file, for findings about waivers). */
export function yamlLocator(text: string): (pointer: string) => Position {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: true });
  return (pointer) => {
    let node: unknown = doc.contents;
    let offset = (doc.contents as YamlNode | null)?.range?.[0] ?? 0;
    for (const key of pointerKeys(pointer)) {
      let next: unknown;
      if (isMap(node)) next = node.get(key, true);
      else if (isSeq(node)) next = node.get(Number(key), true);
      if (!next) break;
      node = next;
      offset = (next as YamlNode).range?.[0] ?? offset;
    }
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
}
