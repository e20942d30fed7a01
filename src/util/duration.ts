// ISO-8601 durations (what Graph, AWS and the config speak) <-> seconds (what the math adds up).
// Months and years are refused: their length depends on the calendar, and no API here uses them.
// Neither is a sign: no policy value is negative.
import { Duration } from 'luxon';

export type Seconds = number;

// Pure functions of a handful of distinct inputs (PT1H, PT8H, P90D…) called once per access path and
// finding: memoised, since luxon's parsing and shifting dominated large audits. Bounded,
// so a hostile snapshot with millions of distinct durations cannot grow them without limit.
const MEMO_LIMIT = 10_000;
function memo<K, V>(fn: (key: K) => V): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    // One lookup when cached (a value is never undefined): the loader checks 100,000s of fields.
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const value = fn(key);
    if (cache.size >= MEMO_LIMIT) cache.clear();
    cache.set(key, value);
    return value;
  };
}

/**
 * The durations the tool can add up: weeks, days, hours, minutes and seconds (a fraction only on
 * seconds), never negative, at most 15 digits a part (so
 * that four of them still add up to a plain ISO number, not 1e+21). Luxon alone also takes "-PT100H", "P-1D", "P"
 * (zero) and fractions of any unit: a negative or accidental zero window would hide findings.
 */
const USABLE_DURATION = /^P(?!$)(?:\d{1,15}W)?(?:\d{1,15}D)?(?:T(?=\d)(?:\d{1,15}H)?(?:\d{1,15}M)?(?:\d{1,15}(?:\.\d{1,9})?S)?)?$/;

/**
 * The longest duration read from input: 10,000 years, CEL's duration range. Far beyond any policy
 * value, and small enough that a window adding four of them stays exact and a usable duration
 * (P999999999999999W alone would make a window of 16 digits of days that nothing could read back).
 */
export const MAX_INPUT_SECONDS: Seconds = 315_576_000_000;

/** What a duration must look like, for input errors ("must be …"). */
export const DURATION_EXPECTED = 'an ISO-8601 duration such as PT8H or P90D (weeks, days, hours, minutes, seconds, at most P3652500D; no years, months or sign)';

/** Seconds of a usable duration (see USABLE_DURATION); null for anything else, never a negative number. */
export const isoToSeconds: (iso: string) => Seconds | null = memo((iso: string): Seconds | null => {
  if (typeof iso !== 'string' || !USABLE_DURATION.test(iso)) return null;
  const parsed = Duration.fromISO(iso);
  const seconds = parsed.isValid ? parsed.as('seconds') : NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
});

/** Seconds of a duration read from a snapshot, config or rule: usable and at most MAX_INPUT_SECONDS; else null. */
export function inputDurationSeconds(value: unknown): Seconds | null {
  const seconds = typeof value === 'string' ? isoToSeconds(value) : null;
  return seconds !== null && seconds <= MAX_INPUT_SECONDS ? seconds : null;
}

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
