// What the schema cannot say about a snapshot (or a config), checked once it has been validated:
// durations the window math can use, and ids that name one object each. Every problem is one input
// error at its JSON pointer; nothing here walks more than the fields it checks.
import type { TSchema } from '@sinclair/typebox';
import { DURATION_EXPECTED, inputDurationSeconds } from '../util/duration.js';
import { inputError } from '../util/errors.js';
import { admitsType, ISO_DURATION_PATTERN } from './schema-helpers.js';
import { SnapshotSchema, type Snapshot } from './snapshot-schema.js';
import { jsonPointer } from '../util/json-pointer.js';

/** A step of a field's path: a property name, or EVERY element of an array / value of a record. */
const EVERY = Symbol('every');
type Step = string | typeof EVERY;

/**
 * The paths of a schema's ISO-8601 duration fields (IsoDuration: the pattern admits years and months,
 * which have no fixed length). Read from the schema itself, so a duration field added later is
 * checked too. Memoised per schema.
 */
const fieldsMemo = new WeakMap<TSchema, Step[][]>();
export function durationFields(schema: TSchema): Step[][] {
  let fields = fieldsMemo.get(schema);
  if (!fields) {
    fields = [];
    collect(schema as Record<string, unknown>, [], fields);
    fieldsMemo.set(schema, fields);
  }
  return fields;
}

function collect(schema: Record<string, unknown>, at: Step[], out: Step[][]): void {
  if (admitsType(schema, 'string') && schema.pattern === ISO_DURATION_PATTERN) out.push(at);
  for (const member of (schema.anyOf ?? []) as Record<string, unknown>[]) collect(member, at, out);
  const properties = schema.properties as Record<string, Record<string, unknown>> | undefined;
  for (const [name, property] of Object.entries(properties ?? {})) collect(property, [...at, name], out);
  const patterns = schema.patternProperties as Record<string, Record<string, unknown>> | undefined;
  for (const value of Object.values(patterns ?? {})) collect(value, [...at, EVERY], out);
  if (schema.items && typeof schema.items === 'object') collect(schema.items as Record<string, unknown>, [...at, EVERY], out);
}

/** `value` with a short, JSON-quoted copy of it: a line names what it refused, never a whole document. */
export function quoted(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/** Every duration field of `value` (validated against `schema`) must be one the tool can add up. */
export function checkDurations(file: string, schema: TSchema, value: unknown): void {
  // The pointer is spelled out only for the value refused: a large snapshot has 100,000s of these fields.
  const at: (string | number)[] = [];
  const visit = (v: unknown) => {
    if (typeof v === 'string' && inputDurationSeconds(v) === null) {
      throw inputError(file, jsonPointer(at), `must be ${DURATION_EXPECTED}, not ${quoted(v)}`);
    }
  };
  for (const path of durationFields(schema)) walk(value, path, 0, at, visit);
}

function walk(value: unknown, path: Step[], i: number, at: (string | number)[], visit: (value: unknown) => void): void {
  if (i === path.length) return visit(value);
  if (value === null || typeof value !== 'object') return;
  const step = path[i]!;
  if (step !== EVERY) {
    if (!Object.hasOwn(value, step)) return;
    at.push(step);
    walk((value as Record<string, unknown>)[step], path, i + 1, at, visit);
    at.pop();
  } else if (Array.isArray(value)) {
    for (let k = 0; k < value.length; k++) {
      at.push(k);
      walk(value[k], path, i + 1, at, visit);
      at.pop();
    }
  } else {
    for (const key of Object.keys(value)) {
      at.push(key);
      walk((value as Record<string, unknown>)[key], path, i + 1, at, visit);
      at.pop();
    }
  }
}

/**
 * A PIM policy's rules are kept as Graph returns them (any property): the expiration rules'
 * maximumDuration is the activation maximum and the eligibility and assignment limits, so a value
 * there that is no usable duration ("-PT100H", "P1Y", "") would make a window negative or unknown.
 * Null (not set) stays unknown.
 */
function checkPimPolicies(file: string, snapshot: Snapshot): void {
  (snapshot.entra.pimPolicies.data ?? []).forEach((policy, i) => {
    policy.rules.forEach((rule, j) => {
      if (!Object.hasOwn(rule, 'maximumDuration')) return;
      const value = (rule as Record<string, unknown>).maximumDuration;
      if (value === null) return;
      if (inputDurationSeconds(value) === null) {
        throw inputError(file, `/entra/pimPolicies/data/${i}/rules/${j}/maximumDuration`, `must be ${DURATION_EXPECTED}, not ${quoted(value)}`);
      }
    });
  });
}

/** Each id once in its list: a second one would be silently ignored by every lookup (first wins). */
function checkUnique<T>(file: string, items: readonly T[] | null | undefined, base: string, field: keyof T & string, key = (item: T) => String(item[field])): void {
  if (!items) return;
  const seen = new Set<string>();
  for (let i = 0; i < items.length; i++) {
    const k = key(items[i]!);
    const size = seen.size;
    if (seen.add(k).size > size) continue;
    const earlier = items.findIndex((item) => key(item) === k);
    throw inputError(file, `${base}/${i}/${field}`, `duplicate ${quoted(k)}: already at ${base}/${earlier}`);
  }
}

function checkIds(file: string, snapshot: Snapshot): void {
  const { entra, aws } = snapshot;
  checkUnique(file, entra.users.data, '/entra/users/data', 'id');
  checkUnique(file, entra.groups.data, '/entra/groups/data', 'id');
  checkUnique(file, aws.identityStore.data?.users, '/aws/identityStore/data/users', 'userId');
  checkUnique(file, aws.identityStore.data?.groups, '/aws/identityStore/data/groups', 'groupId');
  checkUnique(file, aws.permissionSets.data, '/aws/permissionSets/data', 'arn');
  checkUnique(file, aws.organization.data?.accounts, '/aws/organization/data/accounts', 'id');
  // One policy per group and role (member, owner): a second would silently replace the first.
  checkUnique(file, entra.pimPolicies.data, '/entra/pimPolicies/data', 'roleDefinitionId', (p) => `${p.groupId} ${p.roleDefinitionId}`);
}

/** The checks of a schema-valid snapshot: the first problem is an input error at its pointer. */
export function checkSnapshot(file: string, snapshot: Snapshot): void {
  checkDurations(file, SnapshotSchema, snapshot);
  checkPimPolicies(file, snapshot);
  checkIds(file, snapshot);
}
