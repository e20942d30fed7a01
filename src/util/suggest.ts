// "Did you mean …?" for a name the user typed that is not there: the nearest known name by edit
// distance (fastest-levenshtein), when it is near enough to be a typo.
import { distance } from 'fastest-levenshtein';

/**
 * The known name nearest to `typed` (case ignored), if it is a typo away: two edits (a swap of two
 * letters is two), three in a name of 16 characters or more. Names that share a long part (a
 * domain) are otherwise near by length alone. Ties go to the first in sorted order.
 */
export function nearest(typed: string, known: Iterable<string>): string | null {
  const wanted = typed.toLowerCase();
  const limit = wanted.length >= 16 ? 3 : 2;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const name of [...new Set(known)].sort()) {
    const d = distance(wanted, name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= limit ? best : null;
}

/** `; did you mean "x"?` when a known name is near `typed`, else nothing. */
export function didYouMean(typed: string, known: Iterable<string>): string {
  const near = nearest(typed, known);
  return near === null ? '' : `; did you mean "${near}"?`;
}
