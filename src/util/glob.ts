// The config's globs (ouPaths, accountNames, permission set and policy names), matched in linear time.
// They run over names a tenant chooses; a backtracking matcher took minutes on `*-*-*-prod` against a
// long name. Each glob becomes a regular expression with no lookaround and no /i flag (case is
// ignored by lower-casing both sides), which V8 can finish on its linear-time engine
// (linear-regexp.ts). What a glob means (picomatch's, for this syntax):
//   *   any run of characters but `/`        ?   one character but `/`
//   **  as a whole path segment: any number of segments (`Root/**`, `**/prod`, `a/**/b`); elsewhere as *
// Every other character stands for itself.
import { boundRegExpBacktracking } from './linear-regexp.js';

boundRegExpBacktracking();

const escape = (c: string) => (/[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c);

function source(glob: string): string {
  // `**/**` means what `**` does.
  const segments = glob.toLowerCase().split('/').filter((s, i, all) => !(s === '**' && all[i - 1] === '**'));
  let out = '';
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === '**') {
      // Zero or more whole segments: with the slash that follows (or, at the end, the one before).
      if (segments.length === 1) out += '.*';
      else if (last) out = `${out.slice(0, -1)}(?:/.*)?`;
      else out += '(?:.*/)?';
      return;
    }
    for (let k = 0; k < segment.length; k++) {
      const c = segment[k]!;
      if (c === '*') {
        while (segment[k + 1] === '*') k++;
        out += '[^/]*';
      } else out += c === '?' ? '[^/]' : escape(c);
    }
    if (!last) out += '/';
  });
  return `^${out}$`;
}

/** A case-insensitive matcher for one glob. */
export function globMatcher(glob: string): (value: string) => boolean {
  const re = new RegExp(source(glob));
  return (value) => re.test(value.toLowerCase());
}
