// The snapshot's text (one string of hundreds of megabytes, outside V8's heap) is garbage once it is
// parsed, but V8 frees it only at its next full collection, by which time the analysis has added as
// much again: that was the audit's peak. The jitaudit process asks for that collection right after
// parsing; V8 hands its collector to a context made after --expose-gc is set.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null = null;

/** From now on, releaseParsedText collects: for the jitaudit process (tests calling in do not pay for it). Call once, at start-up. */
export function collectAfterParsing(): void {
  setFlagsFromString('--expose-gc');
  collect = runInNewContext('gc') as () => void;
}

/** A full collection once the snapshot is parsed, if the process asked for it at start-up. */
export function releaseParsedText(): void {
  collect?.();
}
