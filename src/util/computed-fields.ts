// Fields an object's class computes when read rather than holds: an access path's id is made from its
// parts on demand, since 340,000 ids held for the whole audit are 40 MiB for the collector to copy and
// mark, and the reports name only the paths they list. Rules see such a field like any other: in CEL,
// in messages and in evidence.

const NONE: ReadonlySet<string> = new Set();
const byPrototype = new WeakMap<object, ReadonlySet<string>>();

/**
 * On a class's prototype: which of its getters are fields of the data (the others serve code, not
 * rules: an access path's getters that make it its own rule item). Without it, every getter is.
 */
export const COMPUTED_FIELDS: unique symbol = Symbol('computed fields');

/** The getters an object's class declares as fields (none for plain objects and arrays). */
export function computedFields(value: object): ReadonlySet<string> {
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto === null || proto === Object.prototype || proto === Array.prototype) return NONE;
  let fields = byPrototype.get(proto);
  if (!fields) {
    const declared = (proto as Record<symbol, readonly string[] | undefined>)[COMPUTED_FIELDS];
    const getters = Object.entries(Object.getOwnPropertyDescriptors(proto)).filter(([key, d]) => d.get !== undefined && (!declared || declared.includes(key)));
    byPrototype.set(proto, (fields = new Set(getters.map(([key]) => key))));
  }
  return fields;
}

/** A field of the data: its own, or one its class computes — never one inherited from Object (`constructor`, `toString`). */
export const hasField = (value: object, key: string): boolean => Object.hasOwn(value, key) || computedFields(value).has(key);

/** Every field of the data as rules see it: its own, then those its class computes. */
export const fieldNames = (value: object): string[] => [...Object.keys(value), ...computedFields(value)];
