// Regular expressions built from input — the config's globs, a rule's matches() — run against tenant
// strings, which anyone who can name an account or a group chooses: a pattern such as `*-*-*-prod`
// backtracks for seconds on a long name, `^(a+)+$` for ever. V8 can finish such a match on its
// linear-time engine once backtracking passes a bound; that is switched on here, once, before any
// such expression runs. The linear engine takes no /i flag: callers compare lower-cased text instead.
import { setFlagsFromString } from 'node:v8';

let bounded = false;

export function boundRegExpBacktracking(): void {
  if (bounded) return;
  setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
  bounded = true;
}

/** Why a pattern with a backreference or a lookaround is refused (CEL's matches() takes RE2 syntax, which has neither). */
export const BACKTRACKING_ONLY = 'backreferences and lookarounds are not supported: they can take exponential time';

/**
 * The first backreference (`\1`, `\k<name>`) or lookaround (`(?=`, `(?!`, `(?<=`, `(?<!`) in a
 * pattern, or null: the linear engine cannot run them, so such a pattern stays on the backtracking
 * engine whatever the input. Read as `new RegExp(pattern)` reads it (no u or v flag: a character
 * class holds no class, and every escape is one character after the backslash, or a digit run).
 */
export function backtrackingOnly(pattern: string): string | null {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (!inClass && next >= '1' && next <= '9') return `\\${/^\d+/.exec(pattern.slice(i + 1))![0]}`;
      if (!inClass && next === 'k' && pattern[i + 2] === '<') return pattern.slice(i, pattern.indexOf('>', i) + 1 || undefined);
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(' && pattern[i + 1] === '?') {
      const look = /^\(\?(?:[=!]|<[=!])/.exec(pattern.slice(i, i + 4));
      if (look) return look[0];
    }
  }
  return null;
}
