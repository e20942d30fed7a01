// CEL with @marcbachmann/cel-js: the environment every rule compiles in, and turning analysed JSON
// into CEL values (ISO durations → duration, RFC 3339 → timestamp, whole numbers → int).
import { Environment, evaluate, type ASTNode } from '@marcbachmann/cel-js';
import { computedFields, hasField } from '../util/computed-fields.js';
import { isoToSeconds } from '../util/duration.js';
import { BACKTRACKING_ONLY, backtrackingOnly, boundRegExpBacktracking } from '../util/linear-regexp.js';

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
 * Bounds on a rule's condition, checked when it loads; a condition runs on every item of its
 * collection. A rule's condition is a few dozen nodes; a thousand is far beyond any real one. What
 * no load-time bound catches (a comprehension over a list the tenant made long) the time budget
 * below does.
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

  /**
   * The CEL value of one item (the item object itself is never memoised: it is seen once). With
   * `fields`, of those fields only: every field the conditions read (an access path has fifteen, and
   * its id is made when read).
   */
  view(data: Record<string, unknown>, fields?: ReadonlySet<string>): Record<string, unknown> {
    if (!fields) return this.object(data, this.spec);
    const picked: Record<string, unknown> = {};
    for (const key of fields) if (hasField(data, key)) picked[key] = data[key];
    return this.object(picked, this.spec);
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

// ---------------------------------------------------------------------------------------------------
// The time budget. cel-js has no step limit, timeout or cancellation. Outside comprehensions a
// condition evaluates each of its ≤ 1,000 nodes once, so only a comprehension can run long; each one's
// loop calls its `condition` before every element (to stop `exists` at the first match), and that
// callback is where the budget is kept: a counter, and the clock every STEPS_PER_CLOCK_READ elements.
// A budget in time, not in steps: one element's predicate can itself cost a list's length (`x in
// resource.bigList`), which a step count would not see. The clock costs two reads per evaluation
// (the memo leaves a few hundred per rule), nothing per element but a decrement.

/**
 * How long a rule's condition may run: on one item, and on all its items in one audit. A real
 * condition takes microseconds per item, and the built-in pack well under a second in all on the
 * largest benchmark; the margin is for a garbage collection or a busy machine during one evaluation
 * (wall time, not work, is what is read), so that only a condition that would run for minutes fails.
 */
export const CONDITION_BUDGET = { itemSeconds: 5, ruleSeconds: 30 } as const;

const STEPS_PER_CLOCK_READ = 1024;

/** When the running evaluation's budget ends (performance.now()); Infinity outside a budgeted evaluation (rule tests, explain). */
let deadline = Infinity;
let stepsUntilClock = STEPS_PER_CLOCK_READ;
/** Set once the deadline has passed, so that no later element runs: `all`/`exists` take an element's error and go on. */
let overBudget = false;

const OUT_OF_TIME = new Error('out of time');

function step(): true {
  if (overBudget) throw OUT_OF_TIME;
  if (--stepsUntilClock > 0) return true;
  stepsUntilClock = STEPS_PER_CLOCK_READ;
  if (performance.now() <= deadline) return true;
  overBudget = true;
  throw OUT_OF_TIME;
}

/** A condition that ran past its budget: what ran out. */
export class OverBudget extends Error {}

/** One rule's time in one audit. */
export class ConditionBudget {
  private spentMs = 0;

  constructor(private readonly limits: { itemSeconds: number; ruleSeconds: number } = CONDITION_BUDGET) {}

  /** The condition's result, or OverBudget: thrown even when CEL's `||`/`&&` absorbed the error and gave a value. */
  run<T>(evaluate: () => T): T {
    const { itemSeconds, ruleSeconds } = this.limits;
    const itemMs = itemSeconds * 1000;
    const limitMs = Math.min(itemMs, ruleSeconds * 1000 - this.spentMs);
    const started = performance.now();
    deadline = started + limitMs;
    stepsUntilClock = STEPS_PER_CLOCK_READ;
    overBudget = false;
    let value: T | undefined;
    let failure: { error: unknown } | undefined;
    try {
      value = evaluate();
    } catch (error) {
      failure = { error };
    }
    deadline = Infinity;
    // Two reads of the clock per evaluation, no more: on a virtual machine each costs ~0.1 µs.
    const elapsedMs = performance.now() - started;
    this.spentMs += elapsedMs;
    if (overBudget || elapsedMs > limitMs) {
      overBudget = false;
      throw new OverBudget(
        limitMs === itemMs
          ? `ran past the time budget of ${itemSeconds} s for one item`
          : `ran past the rule's time budget of ${ruleSeconds} s for all its items`,
      );
    }
    if (failure) throw failure.error;
    return value as T;
  }
}

/** The parts of cel-js's parsed nodes used below: not in its typings, and covered by test/rule-budget.test.ts. */
interface ParsedNode {
  op: string;
  args: unknown;
  readonly meta: { alternate?: ParsedNode };
  clone(op: { name: string; check: unknown; evaluate: unknown }, args: unknown): ParsedNode;
  setMeta(key: string, value: unknown): ParsedNode;
}
interface ComprehensionArgs {
  condition?: (accumulator: unknown) => boolean;
}

/** A matches() pattern computed from data: checked as it is evaluated, before any RegExp is made of it. */
const CHECKED_PATTERN = {
  name: 'checkedPattern',
  check: (chk: { check(node: unknown, ctx: unknown): unknown }, node: ParsedNode, ctx: unknown) => chk.check(node.args, ctx),
  evaluate: (ev: { run(node: unknown, ctx: unknown): unknown }, node: ParsedNode, ctx: unknown) => {
    const pattern = ev.run(node.args, ctx);
    if (typeof pattern === 'string') {
      const problem = patternProblem(pattern);
      if (problem !== null) throw new Error(problem);
    }
    return pattern;
  },
};

function patternProblem(pattern: string): string | null {
  const construct = backtrackingOnly(pattern);
  if (construct === null) return null;
  // A pattern from data can be as long as the tenant likes: the error line shows its start.
  const shown = pattern.length > 120 ? `${pattern.slice(0, 120)}…` : pattern;
  return `matches() pattern "${shown}", at ${construct}: ${BACKTRACKING_ONLY}`;
}

/**
 * Readies a parsed condition, before its first evaluation: the problem with it (a matches() pattern
 * only a backtracking engine runs), or null once its comprehensions keep the time budget and its
 * patterns computed from data are checked as they are made.
 */
export function guardCondition(ast: ASTNode): string | null {
  let problem: string | null = null;
  const visit = (node: ParsedNode): void => {
    if (node.op === 'rcall') {
      const [name, , args] = node.args as [string, ParsedNode, ParsedNode[]];
      if (name === 'matches' && args.length === 1) {
        const pattern = args[0]!;
        if (pattern.op === 'value') {
          if (typeof pattern.args === 'string') problem ??= patternProblem(pattern.args);
        } else if (pattern.op !== CHECKED_PATTERN.name) {
          // Our environment registers no asynchronous function: the check is as synchronous as the pattern.
          args[0] = pattern.clone(CHECKED_PATTERN, pattern).setMeta('async', false);
        }
      }
      const loop = node.meta.alternate;
      if (loop?.op === 'comprehension') {
        const comprehension = loop.args as ComprehensionArgs;
        const condition = comprehension.condition;
        if (!(condition as { budgeted?: true } | undefined)?.budgeted) {
          comprehension.condition = Object.assign(condition ? (accumulator: unknown) => step() && condition(accumulator) : step, { budgeted: true as const });
        }
      }
    }
    walk(node.args);
  };
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object' && 'op' in value) visit(value as ParsedNode);
  };
  visit(ast as unknown as ParsedNode);
  return problem;
}
