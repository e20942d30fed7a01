// A rule's condition is a pure function of the fields of `resource` it reads (params and now are the
// same for every item): items that agree on those fields get the same result. Access paths share
// their sub-objects (one account, permission set, window, person per many paths), so at 338,000
// paths a condition meets a few hundred distinct inputs, and each is evaluated by CEL once.
//
// What a condition reads comes from its syntax tree: every `resource.a.b…` chain of field
// selections. A condition that uses `resource` any other way (bare, or as a macro's variable) is not
// remembered: it is evaluated item by item.
import type { ASTNode } from '@marcbachmann/cel-js';
import { firstPathOf, PATH_FIELD_PART, type PathPart, type PathParts } from '../analyze/path-parts.js';
import { hasField } from '../util/computed-fields.js';

/** The `resource` field chains a condition reads (`[['window', 'known'], ['kind']]`), or null when its result may depend on more. */
export function conditionReads(ast: ASTNode): string[][] | null {
  const chains = new Map<string, string[]>();
  let bare = false;
  const visit = (node: ASTNode): void => {
    if (node.op === 'id') {
      if (node.args === 'resource') bare = true;
      return;
    }
    if (node.op === 'value') return;
    if (node.op === '.') {
      const chain = resourceChain(node);
      if (chain) {
        chains.set(chain.join('.'), chain);
        return;
      }
    }
    walk(node.args);
  };
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object' && 'op' in value) visit(value as ASTNode);
  };
  visit(ast);
  return bare ? null : [...chains.values()];
}

/** `resource.a.b` as ['a', 'b']; null for a selection that does not start at `resource`. */
function resourceChain(node: ASTNode): string[] | null {
  const keys: string[] = [];
  let at: ASTNode = node;
  while (at.op === '.') {
    const [target, key] = at.args as [ASTNode, string];
    keys.unshift(key);
    at = target;
  }
  return at.op === 'id' && at.args === 'resource' ? keys : null;
}

/**
 * Where a chain stops short of its last field: at a null, or at a missing field, at depth d. CEL's
 * outcome (an error, or has() being false) depends on nothing else, so each stands for all such items.
 */
const STOPPED_AT_NULL: object[] = [];
const STOPPED_AT_MISSING: object[] = [];
const stopped = (list: object[], depth: number) => (list[depth] ??= { depth });
/** A chain that runs into a list or a scalar before its last field: rare, and not worth telling apart. */
const UNREMEMBERED = Symbol('unremembered');

/** The value a chain reads in the analysed item: a scalar, an object (by identity), or where it stopped. */
function read(data: Record<string, unknown>, keys: readonly string[]): unknown {
  let value: unknown = data;
  for (let depth = 0; depth < keys.length; depth++) {
    if (value === null) return stopped(STOPPED_AT_NULL, depth);
    if (typeof value !== 'object' || Array.isArray(value)) return UNREMEMBERED;
    const key = keys[depth]!;
    if (!hasField(value, key)) return stopped(STOPPED_AT_MISSING, depth);
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** One rule's results over one collection, keyed by the values its condition reads (a Map per chain). */
export class ConditionMemo {
  private readonly root = new Map<unknown, unknown>();
  private pendingNode: Map<unknown, unknown> | null = null;
  private pendingKey: unknown = undefined;

  constructor(private readonly reads: readonly (readonly string[])[] | null) {}

  /** The result remembered for an item that reads like this one; undefined: evaluate it, then remember(). */
  recall(data: Record<string, unknown>): boolean | undefined {
    this.pendingNode = null;
    const reads = this.reads;
    if (reads === null) return undefined;
    let node = this.root;
    const last = reads.length - 1;
    for (let i = 0; i < last; i++) {
      const key = read(data, reads[i]!);
      if (key === UNREMEMBERED) return undefined;
      let next = node.get(key) as Map<unknown, unknown> | undefined;
      if (next === undefined) node.set(key, (next = new Map()));
      node = next;
    }
    // A condition that reads nothing of the item has one result, kept under the key `undefined`.
    const key = last >= 0 ? read(data, reads[last]!) : undefined;
    if (key === UNREMEMBERED) return undefined;
    const known = node.get(key) as boolean | undefined;
    if (known === undefined) {
      this.pendingNode = node;
      this.pendingKey = key;
    }
    return known;
  }

  /** The result of the item recall() last missed. */
  remember(result: boolean): void {
    this.pendingNode?.set(this.pendingKey, result);
    this.pendingNode = null;
  }
}

/** What one chain reads of each grant, target or window, numbered (-1: read item by item). */
interface ChainValues {
  part: PathPart;
  /** By part number. */
  values: Int32Array;
  /** How many distinct values. */
  count: number;
}

/**
 * What the rules over access paths read of the paths' parts: per chain (`principalDetail.enabled`),
 * the value of each grant, target and window, numbered. Made once for all the rules of an audit, in
 * one sweep per part: each grant's first path is visited once for every chain the rules read of
 * grants (a visit, not the reads, is what costs: the paths lie all over the heap).
 */
export class PathPartValues {
  private readonly chains = new Map<string, ChainValues>();

  constructor(
    readonly pathParts: PathParts,
    dataAt: (index: number) => Record<string, unknown>,
    reads: readonly (readonly (readonly string[])[] | null)[],
  ) {
    const byPart = new Map<PathPart, (readonly string[])[]>();
    const named = new Set<string>();
    for (const chain of reads.flat()) {
      if (!chain) continue;
      const part = Object.hasOwn(PATH_FIELD_PART, chain[0]!) ? PATH_FIELD_PART[chain[0]!]! : null;
      const name = chain.join('.');
      if (!part || named.has(name)) continue;
      named.add(name);
      const list = byPart.get(part);
      if (list) list.push(chain);
      else byPart.set(part, [chain]);
    }
    for (const [part, chains] of byPart) {
      const first = firstPathOf(pathParts, part);
      const numbers = chains.map(() => new Map<unknown, number>());
      const values = chains.map(() => new Int32Array(first.length));
      for (let no = 0; no < first.length; no++) {
        if (first[no] === -1) continue; // no path has this number (one id's paths but one were dropped)
        const data = dataAt(first[no]!);
        for (let c = 0; c < chains.length; c++) {
          const value = read(data, chains[c]!);
          if (value === UNREMEMBERED) {
            values[c]![no] = -1;
            continue;
          }
          let n = numbers[c]!.get(value);
          if (n === undefined) numbers[c]!.set(value, (n = numbers[c]!.size));
          values[c]![no] = n;
        }
      }
      chains.forEach((chain, c) => this.chains.set(chain.join('.'), { part, values: values[c]!, count: Math.max(numbers[c]!.size, 1) }));
    }
  }

  /** The chain's values, or null when it does not start at a field of a part (the path's id). */
  of(chain: readonly string[]): ChainValues | null {
    return this.chains.get(chain.join('.')) ?? null;
  }
}

/** A part a condition reads: each path's part number, and the number of what the condition reads of it. */
interface PartKeys {
  column: Int32Array;
  /** By part number: the number of what the chains read (-1: read item by item). */
  keys: Int32Array;
  /** How many such numbers there are. */
  size: number;
}

/** Results in one array while there are at most this many combinations of what a condition reads; a Map past it. */
const DENSE_LIMIT = 1 << 22;
const UNKNOWN = -1;

/**
 * ConditionMemo for access paths, keyed by what the condition reads of each path's grant, target and
 * window (PathParts): read once per grant, target and window (PathPartValues), not once per path, and
 * numbered, so a path's result is found by typed-array reads alone. At 338,000 paths and a dozen
 * rules: the same results without a Map lookup per path and rule.
 */
export class PartMemo {
  private readonly dense: Int8Array | null;
  private readonly sparse: Map<number, boolean> | null;
  private pendingKey = -1;

  private constructor(
    private readonly parts: readonly PartKeys[],
    combinations: number,
  ) {
    this.dense = combinations <= DENSE_LIMIT ? new Int8Array(combinations).fill(UNKNOWN) : null;
    this.sparse = this.dense ? null : new Map();
  }

  /**
   * The memo for a condition's chains, or null when one does not start at a field of a part (the
   * path's id) or the condition reads nothing of the path: ConditionMemo then.
   */
  static for(reads: readonly (readonly string[])[] | null, values: PathPartValues): PartMemo | null {
    if (!reads?.length) return null;
    const byPart = new Map<PathPart, ChainValues[]>();
    for (const chain of reads) {
      const chainValues = values.of(chain);
      if (!chainValues) return null;
      const list = byPart.get(chainValues.part);
      if (list) list.push(chainValues);
      else byPart.set(chainValues.part, [chainValues]);
    }
    let combinations = 1;
    const parts = (['grant', 'target', 'window'] as const).flatMap((part): PartKeys[] => {
      const chains = byPart.get(part);
      if (!chains) return [];
      // Each part number's chain values as one number (mixed radix), then numbered densely.
      const keys = new Int32Array(values.pathParts.counts[part]);
      const numbers = new Map<number, number>();
      for (let no = 0; no < keys.length; no++) {
        let raw = 0;
        for (const { values: v, count } of chains) {
          const value = v[no]!;
          if (value < 0 || raw < 0) raw = -1;
          else raw = raw * count + value;
        }
        if (raw < 0) {
          keys[no] = -1;
          continue;
        }
        let n = numbers.get(raw);
        if (n === undefined) numbers.set(raw, (n = numbers.size));
        keys[no] = n;
      }
      const size = Math.max(numbers.size, 1);
      combinations *= size;
      return [{ column: values.pathParts[part], keys, size }];
    });
    return Number.isSafeInteger(combinations) ? new PartMemo(parts, combinations) : null;
  }

  /** The result remembered for path `index`; undefined: evaluate it, then remember(). */
  recall(_data: Record<string, unknown>, index: number): boolean | undefined {
    let key = 0;
    for (let p = 0; p < this.parts.length; p++) {
      const part = this.parts[p]!;
      const k = part.keys[part.column[index]!]!;
      if (k < 0) {
        this.pendingKey = -1;
        return undefined;
      }
      key = key * part.size + k;
    }
    this.pendingKey = key;
    if (this.dense) {
      const known = this.dense[key]!;
      return known === UNKNOWN ? undefined : known === 1;
    }
    return this.sparse!.get(key);
  }

  /** The result of the path recall() last missed. */
  remember(result: boolean): void {
    if (this.pendingKey < 0) return;
    if (this.dense) this.dense[this.pendingKey] = result ? 1 : 0;
    else this.sparse!.set(this.pendingKey, result);
  }
}
