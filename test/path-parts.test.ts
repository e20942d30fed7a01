// The analysis numbers each access path's grant, target and window; rules read a grant's fields once
// for all its paths (condition-memo.ts). That holds only if paths with one number share those fields,
// object for object: checked here on the demo, whose groups reach several targets.
import { describe, expect, it } from 'vitest';
import { countWhere, pathsWhere, PATH_FIELD_PART, type PathPart } from '../src/analyze/path-parts.js';
import type { AccessPathDetail, Analysis } from '../src/analyze/types.js';
import { analyzeDemo } from './helpers/demo.js';

function fieldsByPart(analysis: Analysis, part: PathPart): Map<number, Record<string, unknown>> {
  const column = analysis.pathParts[part];
  const fields = Object.keys(PATH_FIELD_PART).filter((f) => PATH_FIELD_PART[f] === part);
  const seen = new Map<number, Record<string, unknown>>();
  analysis.accessPaths.forEach((path, i) => {
    const no = column[i]!;
    expect(no).toBeLessThan(analysis.pathParts.counts[part]);
    const first = seen.get(no);
    const here = Object.fromEntries(fields.map((f) => [f, (path as unknown as Record<string, unknown>)[f]]));
    if (!first) seen.set(no, here);
    // The same objects, not just equal ones: the rule memo keys by identity.
    else for (const f of fields) expect(here[f], `${part} ${no}, field ${f}, path ${path.id}`).toBe(first[f]);
  });
  return seen;
}

describe('access path parts', () => {
  const analysis = analyzeDemo();

  it('names the part of every field of a path but its id', () => {
    const fields = Object.keys(analysis.accessPaths[0]!).filter((f) => f !== 'id');
    expect(fields.sort()).toEqual(Object.keys(PATH_FIELD_PART).sort());
  });

  it.each(['grant', 'target', 'window'] as const)('gives paths of one %s the same fields, object for object', (part) => {
    const seen = fieldsByPart(analysis, part);
    // Shared for real: fewer numbers than paths (the demo's groups are assigned to several targets).
    expect(seen.size).toBeLessThan(analysis.accessPaths.length);
  });

  it('numbers standing paths window 0, and JIT paths their window', () => {
    analysis.accessPaths.forEach((p, i) => expect(analysis.pathParts.window[i] === 0, p.id).toBe(p.window === null));
  });
});

describe('paths where a part passes a test', () => {
  const analysis = analyzeDemo();
  const { accessPaths: all, pathParts } = analysis;
  const tests = [
    ['grant', (p: AccessPathDetail) => p.standing],
    ['grant', (p: AccessPathDetail) => p.kind === 'pim-eligible'],
    ['target', (p: AccessPathDetail) => p.account.environment === 'prod'],
    ['window', (p: AccessPathDetail) => p.window?.known === true],
    ['window', (p: AccessPathDetail) => p.window !== null],
  ] as const;

  it.each(tests)('are the paths filter() keeps, asked once per %s number', (part, keep) => {
    const expected = all.flatMap((p, i) => (keep(p) ? [i] : []));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    expect(pathsWhere(all, pathParts, part, keep)).toEqual(expected);
    expect(countWhere(all, pathParts, part, keep)).toBe(expected.length);
    let asked = 0;
    countWhere(all, pathParts, part, (p) => (asked++, keep(p)));
    // Once per number some path has: not once per path.
    expect(asked).toBe(new Set(pathParts[part]).size);
    expect(asked).toBeLessThan(all.length);
  });
});
