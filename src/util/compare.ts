// Ordering by code units, not locale: reports must sort the same on every machine.
export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A comparator over items by a string key. */
export const byString =
  <T>(key: (item: T) => string) =>
  (a: T, b: T): number =>
    compareStrings(key(a), key(b));
