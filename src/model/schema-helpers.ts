// Small building blocks shared by the snapshot and config schemas.
import { Type as T, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';
import type { ErrorObject } from 'ajv';
import { jsonPointer, pointerKeys } from '../util/json-pointer.js';
import { nearest } from '../util/suggest.js';

/** ISO-8601 duration as Graph and AWS write them: P90D, PT1H, PT40M, P1DT2H, PT0.5S. */
export const ISO_DURATION_PATTERN =
  '^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?$';

export const IsoDuration = (description?: string, options: { default?: string } = {}) =>
  T.String({ pattern: ISO_DURATION_PATTERN, ...(description ? { description } : {}), ...options });

export const Timestamp = (description?: string) =>
  T.String({ format: 'date-time', ...(description ? { description } : {}) });

/** Types whose keywords (format, pattern, enum, properties, required, items…) apply to their own values only. */
const TYPED = new Set(['string', 'integer', 'number', 'boolean', 'object', 'array']);

/**
 * A value of the schema, or null. A schema of one type takes null as one more type (and an enum as
 * one more value) rather than as a second schema in an anyOf: the same values pass, since its other
 * keywords do not apply to null, but ajv no longer makes an error object for the branch a value
 * fails, once per null field of a snapshot (hundreds of thousands at 50,000 users).
 */
export const Nullable = <S extends TSchema>(schema: S): TUnsafe<Static<S> | null> => {
  const s = schema as TSchema & { type?: unknown; const?: unknown; enum?: unknown[] };
  if (typeof s.type === 'string' && TYPED.has(s.type) && s.const === undefined) {
    return T.Unsafe<Static<S> | null>({ ...s, type: [s.type, 'null'], ...(s.enum ? { enum: [...s.enum, null] } : {}) });
  }
  return T.Unsafe<Static<S> | null>(T.Union([schema, T.Null()]));
};

/** Whether a schema admits values of a type (its `type` is that type, or a list that has it). */
export const admitsType = (schema: { type?: unknown }, type: string): boolean =>
  schema.type === type || (Array.isArray(schema.type) && schema.type.includes(type));

/** A closed object: unknown keys are a schema error, so typos in hand-written input surface. */
export const Obj: typeof T.Object = ((properties: Parameters<typeof T.Object>[0], options?: object) =>
  T.Object(properties, { additionalProperties: false, ...options })) as typeof T.Object;

/**
 * A closed set of strings as a JSON Schema `enum` (not TypeBox's union of consts): editors offer the
 * values, and ajv's error names them all ("must be one of …") instead of the first const only.
 */
export const StringEnum = <V extends string>(values: readonly V[], options: { description?: string; default?: V } = {}): TUnsafe<V> =>
  T.Unsafe<V>({ type: 'string', enum: [...values], ...options });

/**
 * An ajv `additionalProperties` error as a line the user can act on: the pointer of the unknown key
 * itself, and the nearest known key of that object when it is a typo away (else the known keys).
 * `root` is the schema validated against: the object's known keys are read from it at the error's
 * schemaPath, so every object of the schema gets this without a list of its own.
 */
export function describeUnknownKey(error: ErrorObject, root: TSchema): { pointer: string; message: string } {
  const key = String((error.params as { additionalProperty?: unknown }).additionalProperty);
  const pointer = `${error.instancePath}${jsonPointer([key])}`;
  // "#/properties/a/patternProperties/<pattern>/additionalProperties" (a URI fragment: the pattern is
  // percent-encoded): the object's own schema is the parent.
  let schema: unknown = root;
  for (const step of pointerKeys(decodeURIComponent(error.schemaPath.replace(/^#/, ''))).slice(0, -1)) {
    schema = schema !== null && typeof schema === 'object' ? (schema as Record<string, unknown>)[step] : undefined;
  }
  const object = (schema ?? {}) as { properties?: Record<string, unknown>; patternProperties?: Record<string, unknown> };
  const known = Object.keys(object.properties ?? {});
  if (known.length === 0) {
    const patterns = Object.keys(object.patternProperties ?? {});
    // A record of names (environments, tiers): the key is not unknown, it is not a valid name.
    return { pointer, message: patterns.length ? `"${key}" is not a valid name: must match ${patterns.join(' or ')}` : `unknown key "${key}"` };
  }
  const near = nearest(key, known);
  return {
    pointer,
    message: near !== null ? `unknown key "${key}"; did you mean "${near}"?` : `unknown key "${key}"; known keys: ${known.join(', ')}`,
  };
}
