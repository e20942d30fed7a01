// ISO-8601 durations (what Graph, AWS and the config speak) <-> seconds (what the math adds up).
// Months and years are refused: their length depends on the calendar, and no API here uses them.
import { Duration } from 'luxon';

export type Seconds = number;

// Pure functions of a handful of distinct inputs (PT1H, PT8H, P90D…) called once per access path and
// finding: memoised, since luxon's parsing and shifting dominated large audits. Bounded,
// so a hostile snapshot with millions of distinct durations cannot grow them without limit.
const MEMO_LIMIT = 10_000;
function memo<K, V>(fn: (key: K) => V): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    if (cache.has(key)) return cache.get(key) as V;
    const value = fn(key);
    if (cache.size >= MEMO_LIMIT) cache.clear();
    cache.set(key, value);
    return value;
  };
}

export const isoToSeconds: (iso: string) => Seconds | null = memo((iso: string): Seconds | null => {
  const datePart = iso.split('T')[0] ?? '';
  if (/[YM]/.test(datePart)) return null;
  const parsed = Duration.fromISO(iso);
  return parsed.isValid ? parsed.as('seconds') : null;
});

/** Canonical ISO form: PT10H40M, P1DT12H, P90D, PT0S. */
export const secondsToIso: (seconds: Seconds) => string = memo((seconds: Seconds): string => {
  return Duration.fromObject({ seconds }).shiftTo('days', 'hours', 'minutes', 'seconds').toISO() ?? 'PT0S';
});

/** Words for people: "10 h 40 min", "90 days", "1 day 12 h", "0 min". */
export const secondsToWords: (seconds: Seconds) => string = memo((seconds: Seconds): string => {
  const d = Duration.fromObject({ seconds }).shiftTo('days', 'hours', 'minutes', 'seconds');
  const parts: string[] = [];
  if (d.days) parts.push(`${d.days} ${d.days === 1 ? 'day' : 'days'}`);
  if (d.hours) parts.push(`${d.hours} h`);
  if (d.minutes) parts.push(`${d.minutes} min`);
  if (d.seconds) parts.push(`${Math.round(d.seconds)} s`);
  return parts.length ? parts.join(' ') : '0 min';
});

export function isoToWords(iso: string): string {
  const seconds = isoToSeconds(iso);
  return seconds === null ? iso : secondsToWords(seconds);
}
