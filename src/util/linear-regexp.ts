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
