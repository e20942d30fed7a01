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

/** What a field becomes in CEL: a duration, a timestamp, or an object whose fields are described further down. */
type FieldSpec = 'duration' | 'timestamp' | Map<string, FieldSpec>;

function specTree(durations: string[], timestamps: string[]): Map<string, FieldSpec> {
  const root = new Map<string, FieldSpec>();
  const add = (path: string, kind: 'duration' | 'timestamp') => {
    const keys = path.split('.');
    let node = root;
    keys.forEach((key, i) => {
      if (i === keys.length - 1) {
        node.set(key, kind);
        return;
      }
      let next = node.get(key);
      if (!(next instanceof Map)) node.set(key, (next = new Map()));
      node = next;
    });
  };
  for (const path of durations) add(path, 'duration');
  for (const path of timestamps) add(path, 'timestamp');
  return root;
}

/**
 * Turns a collection's items into what CEL sees: whole numbers → int (BigInt), the type's duration
 * fields → duration, timestamp fields → timestamp; everything else as it is, copied so the analysed
 * model is never changed. Analysed items share sub-objects (one account, permission set, window per
 * group…), so a shared sub-object is converted once per converter: one converter per collection,
 * dropped when its rules have run.
 */
export class CelViews {
  private readonly spec: Map<string, FieldSpec>;
  private readonly memo = new Map<Map<string, FieldSpec> | null, WeakMap<object, unknown>>();

  constructor(durations: string[], timestamps: string[]) {
    this.spec = specTree(durations, timestamps);
  }

  /** The CEL value of one item (the item object itself is never memoised: it is seen once). */
  view(data: Record<string, unknown>): Record<string, unknown> {
    return this.object(data, this.spec);
  }

  private value(value: unknown, spec: FieldSpec | undefined): unknown {
    if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
    if (typeof value === 'string') {
      if (spec === 'duration') return celDuration(value) ?? value;
      if (spec === 'timestamp') return new Date(value);
      return value;
    }
    if (value === null || typeof value !== 'object') return value;
    // Fields are described for objects only: an array's elements are converted as plain values.
    const node = Array.isArray(value) || !(spec instanceof Map) ? null : spec;
    let seen = this.memo.get(node);
    if (!seen) this.memo.set(node, (seen = new WeakMap()));
    let converted = seen.get(value);
    if (converted === undefined) {
      converted = Array.isArray(value) ? value.map((v) => this.value(v, undefined)) : this.object(value as Record<string, unknown>, node);
      seen.set(value, converted);
    }
    return converted;
  }

  private object(data: Record<string, unknown>, spec: Map<string, FieldSpec> | null): Record<string, unknown> {
    // A spread copy keeps the object's shape (fast to make and to read); only fields that change are set.
    const out: Record<string, unknown> = { ...data };
    for (const key of Object.keys(data)) {
      const value = data[key];
      if (value === null || typeof value === 'boolean') continue;
      if (typeof value === 'string') {
        const kind = spec?.get(key);
        if (kind === 'duration' || kind === 'timestamp') out[key] = this.value(value, kind);
        continue;
      }
      out[key] = this.value(value, spec?.get(key));
    }
    return out;
  }
}

/** One item on its own (rule tests, explain). */
export function toCelValue(data: Record<string, unknown>, durations: string[], timestamps: string[]): Record<string, unknown> {
  return new CelViews(durations, timestamps).view(data);
}
