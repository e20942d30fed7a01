// CEL with @marcbachmann/cel-js: the environment every rule compiles in, and turning analysed JSON
// into CEL values (ISO durations → duration, RFC 3339 → timestamp, whole numbers → int).
import { Environment, evaluate, type ASTNode } from '@marcbachmann/cel-js';
import { computedFields } from '../util/computed-fields.js';
import { isoToSeconds } from '../util/duration.js';
import { boundRegExpBacktracking } from '../util/linear-regexp.js';

// matches() runs a rule's regular expression over tenant strings.
boundRegExpBacktracking();

// The library exports no Duration constructor, but evaluating a duration literal yields one;
// values built with it behave exactly like CEL's own (comparison, arithmetic, getHours()).
const CelDuration = (evaluate('duration("0s")') as object).constructor as new (seconds: bigint | number, nanos?: number) => object;

export function celDuration(iso: string): object | null {
  const seconds = isoToSeconds(iso);
  if (seconds === null) return null;
  const whole = Math.floor(seconds);
  return new CelDuration(BigInt(whole), Math.round((seconds - whole) * 1e9));
}

/**
 * Bounds on a rule's condition, checked when it loads: the library has no limit on evaluation (no
 * step count or cancellation), and a condition runs on every item of its collection. A rule's
 * condition is a few dozen nodes; a thousand is far beyond any real one.
 */
export const CEL_LIMITS = { maxAstNodes: 1000, maxDepth: 32 } as const;

export const ruleEnvironment = new Environment({ homogeneousAggregateLiterals: false, limits: CEL_LIMITS })
  .registerVariable('resource', 'dyn', { description: 'The item of the rule\'s resource collection.' })
  .registerVariable('params', 'map', { description: 'The rule\'s parameters, defaults overridden by the config.' })
  .registerVariable('now', 'google.protobuf.Timestamp', { description: 'The snapshot\'s collection time.' });

/** The fields of an object that CEL sees as durations or timestamps, or that hold such fields further down. */
interface ObjectSpec {
  fields: Map<string, 'duration' | 'timestamp' | ObjectSpec>;
  /** Converted objects met at this place before: analysed items share sub-objects. */
  memo: WeakMap<object, Record<string, unknown>>;
}

const objectSpec = (): ObjectSpec => ({ fields: new Map(), memo: new WeakMap() });

function specTree(durations: string[], timestamps: string[]): ObjectSpec {
  const root = objectSpec();
  const add = (path: string, kind: 'duration' | 'timestamp') => {
    const keys = path.split('.');
    let node = root;
    keys.forEach((key, i) => {
      if (i === keys.length - 1) {
        node.fields.set(key, kind);
        return;
      }
      let next = node.fields.get(key);
      if (typeof next !== 'object') node.fields.set(key, (next = objectSpec()));
      node = next;
    });
  };
  for (const path of durations) add(path, 'duration');
  for (const path of timestamps) add(path, 'timestamp');
  return root;
}

/**
 * An object of strings, booleans and nulls only, with no field described: CEL sees it as it is, so it
 * is its own view (cheaper to check than to look up, at a dozen such objects per access path).
 */
function isFlat(value: object): boolean {
  if (Array.isArray(value)) return false;
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== null && typeof v !== 'string' && typeof v !== 'boolean') return false;
  }
  return true;
}

/**
 * Turns a collection's items into what CEL sees: whole numbers → int (BigInt), the type's duration
 * fields → duration, timestamp fields → timestamp; everything else as it is, copied so the analysed
 * model is never changed. Analysed items share sub-objects (one account, permission set, window per
 * group…), so a shared sub-object is converted once per converter: one converter per collection,
 * dropped when its rules have run.
 */
export class CelViews {
  private readonly spec: ObjectSpec;
  /** For objects with nothing described inside them, and for arrays (fields are described for objects only). */
  private readonly plain = objectSpec();

  constructor(durations: string[], timestamps: string[]) {
    this.spec = specTree(durations, timestamps);
  }

  /** The CEL value of one item (the item object itself is never memoised: it is seen once). */
  view(data: Record<string, unknown>): Record<string, unknown> {
    return this.object(data, this.spec);
  }

  private nested(value: object, spec: ObjectSpec): unknown {
    let converted = spec.memo.get(value);
    if (converted === undefined) {
      converted = Array.isArray(value)
        ? (value.map((v) => this.element(v)) as unknown as Record<string, unknown>)
        : this.object(value as Record<string, unknown>, spec);
      spec.memo.set(value, converted);
    }
    return converted;
  }

  private element(value: unknown): unknown {
    if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
    if (value !== null && typeof value === 'object') return this.nested(value, this.plain);
    return value;
  }

  private object(data: Record<string, unknown>, spec: ObjectSpec): Record<string, unknown> {
    // A spread copy keeps the object's shape (fast to make and to read); only fields that change are set.
    const out: Record<string, unknown> = { ...data };
    // Fields the item's class computes (an access path's id) are fields to CEL too.
    for (const key of computedFields(data)) out[key] = data[key];
    const fields = spec.fields;
    for (const key in out) {
      const value = out[key];
      switch (typeof value) {
        case 'number':
          if (Number.isInteger(value)) out[key] = BigInt(value);
          break;
        case 'string':
          if (fields.size) {
            const kind = fields.get(key);
            if (kind === 'duration') out[key] = celDuration(value) ?? value;
            else if (kind === 'timestamp') out[key] = new Date(value);
          }
          break;
        case 'object': {
          if (value === null) break;
          const inner = fields.size && !Array.isArray(value) ? fields.get(key) : undefined;
          if (typeof inner === 'object') out[key] = this.nested(value, inner);
          else if (!isFlat(value)) out[key] = this.nested(value, this.plain);
          break;
        }
      }
    }
    return out;
  }
}

/** One item on its own (rule tests, explain). */
export function toCelValue(data: Record<string, unknown>, durations: string[], timestamps: string[]): Record<string, unknown> {
  return new CelViews(durations, timestamps).view(data);
}

/** The macros that iterate over a list (or a map's keys). */
const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

/**
 * How deep comprehensions nest in a condition: one inside another's predicate or transform runs once
 * per element of the outer list, so the work is the product of the lists' lengths (five nested
 * `.all()` over 40 elements: 10^8 steps per item). One on another's result (`l.filter(…).all(…)`)
 * runs after it and adds, so it does not count as deeper.
 */
export function comprehensionNesting(node: ASTNode): number {
  if (node.op === 'rcall' && COMPREHENSIONS.has(node.args[0])) {
    const [, receiver, args] = node.args;
    return Math.max(comprehensionNesting(receiver), 1 + Math.max(0, ...args.map(comprehensionNesting)));
  }
  let deepest = 0;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object' && 'op' in value) deepest = Math.max(deepest, comprehensionNesting(value as ASTNode));
  };
  visit(node.args);
  return deepest;
}

/** At most a comprehension inside another: the built-in pack needs one level; a third multiplies by yet another list. */
export const MAX_COMPREHENSION_NESTING = 2;
