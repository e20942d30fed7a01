// A rule's condition is a pure function of the fields of `resource` it reads (params and now are the
// same for every item): items that agree on those fields get the same result. Access paths share
// their sub-objects (one account, permission set, window, person per many paths), so at 338,000
// paths a condition meets a few hundred distinct inputs, and each is evaluated by CEL once.
//
// What a condition reads comes from its syntax tree: every `resource.a.b…` chain of field
// selections. A condition that uses `resource` any other way (bare, or as a macro's variable) is not
// remembered: it is evaluated item by item.
import type { ASTNode } from '@marcbachmann/cel-js';
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
