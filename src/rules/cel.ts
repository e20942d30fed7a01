// CEL with @marcbachmann/cel-js: the environment every rule compiles in, and turning analysed JSON
// into CEL values (ISO durations → duration, RFC 3339 → timestamp, whole numbers → int).
import { Environment, evaluate } from '@marcbachmann/cel-js';
import { isoToSeconds } from '../util/duration.js';

// The library exports no Duration constructor, but evaluating a duration literal yields one;
// values built with it behave exactly like CEL's own (comparison, arithmetic, getHours()).
const CelDuration = (evaluate('duration("0s")') as object).constructor as new (seconds: bigint | number, nanos?: number) => object;

export function celDuration(iso: string): object | null {
  const seconds = isoToSeconds(iso);
  if (seconds === null) return null;
  const whole = Math.floor(seconds);
  return new CelDuration(BigInt(whole), Math.round((seconds - whole) * 1e9));
}

export const ruleEnvironment = new Environment({ homogeneousAggregateLiterals: false })
  .registerVariable('resource', 'dyn', { description: 'The item of the rule\'s resource collection.' })
  .registerVariable('params', 'map', { description: 'The rule\'s parameters, defaults overridden by the config.' })
  .registerVariable('now', 'google.protobuf.Timestamp', { description: 'The snapshot\'s collection time.' });

/** Whole JS numbers become CEL ints, so `resource.count == 0` reads as it would in any CEL engine. */
function plain(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

function convertAt(target: Record<string, unknown>, path: string[], convert: (v: string) => unknown): void {
  const [head, ...rest] = path;
  if (head === undefined || !(head in target)) return;
  const value = target[head];
  if (rest.length === 0) {
    if (typeof value === 'string') target[head] = convert(value);
  } else if (value && typeof value === 'object' && !Array.isArray(value)) {
    convertAt(value as Record<string, unknown>, rest, convert);
  }
}

export function toCelValue(data: Record<string, unknown>, durations: string[], timestamps: string[]): Record<string, unknown> {
  const copy = plain(data) as Record<string, unknown>;
  for (const path of durations) convertAt(copy, path.split('.'), (v) => celDuration(v) ?? v);
  for (const path of timestamps) convertAt(copy, path.split('.'), (v) => new Date(v));
  return copy;
}
