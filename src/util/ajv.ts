// One configured ajv for every JSON Schema the tool owns (snapshot, config, rule files).
//
// Compiling the snapshot's schema takes a quarter of a second, at every start. The build compiles
// the tool's schemas ahead (scripts/precompile-validators.mjs, ajv's standalone code) into
// validators.cjs beside this module; a validator from there is used only for the very schema it was
// made from (same $id and fingerprint), anything else is compiled here as before.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Ajv, ErrorObject, Options, ValidateFunction } from 'ajv';
import type { TSchema } from '@sinclair/typebox';
import { ISO_DURATION_PATTERN } from '../model/schema-helpers.js';
import { DURATION_EXPECTED } from './duration.js';

const require = createRequire(import.meta.url);

/** The ajv every schema is compiled with, here or ahead by the build (`extra`: its code option). */
export function configuredAjv(extra: Options = {}): Ajv {
  // Loaded only to compile (the build, or a schema it did not compile): 30 ms at every start otherwise.
  // Both are CommonJS: ajv-formats' module is the plugin function itself.
  const { Ajv } = require('ajv') as typeof import('ajv');
  const addFormats = require('ajv-formats') as (ajv: Ajv, formats: string[]) => Ajv;
  const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true, ...extra });
  addFormats(ajv, ['date-time', 'date', 'uri']);
  return ajv;
}

/** What a precompiled validator was made from: the schema's JSON (TypeBox's symbols are not part of it). */
export const schemaFingerprint = (schema: TSchema): string => createHash('sha256').update(JSON.stringify(schema)).digest('hex');

/** The build's module: a validator per schema $id, and `fingerprints` by $id. */
export interface PrecompiledValidators {
  fingerprints: Record<string, string>;
  validators: Record<string, ValidateFunction>;
}

export const PRECOMPILED_FILE = fileURLToPath(new URL('./validators.cjs', import.meta.url));

let precompiled: PrecompiledValidators | null | undefined;

function precompiledFor(schema: TSchema): ValidateFunction | undefined {
  // Absent when the sources run as they are (the unit tests): then everything is compiled here.
  precompiled ??= existsSync(PRECOMPILED_FILE) ? (require(PRECOMPILED_FILE) as PrecompiledValidators) : null;
  const id = schema.$id;
  const validate = id && precompiled?.validators[id];
  return validate && precompiled!.fingerprints[id] === schemaFingerprint(schema) ? validate : undefined;
}

let ajv: Ajv | undefined;
const cache = new WeakMap<TSchema, ValidateFunction>();

export function validatorFor<T>(schema: TSchema): ValidateFunction<T> {
  let validate = cache.get(schema);
  if (!validate) {
    validate = precompiledFor(schema) ?? (ajv ??= configuredAjv()).compile(schema);
    cache.set(schema, validate);
  }
  return validate as ValidateFunction<T>;
}

/** The first problem as "JSON pointer" + "what was expected", in words a user can act on. */
export function describeAjvError(error: ErrorObject): { pointer: string; message: string } {
  const pointer = error.instancePath === '' ? '/' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return { pointer, message: `unknown property "${String(params.additionalProperty)}"` };
    case 'required':
      return { pointer, message: `missing required property "${String(params.missingProperty)}"` };
    case 'enum':
      return { pointer, message: `must be one of ${JSON.stringify(params.allowedValues)}` };
    case 'const':
      return { pointer, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'pattern':
      // A duration's pattern is no help to read: say what it takes, as the duration checks do.
      if (params.pattern === ISO_DURATION_PATTERN) return { pointer, message: `must be ${DURATION_EXPECTED}` };
      return { pointer, message: `must match ${String(params.pattern)}` };
    default:
      return { pointer, message: error.message ?? `failed ${error.keyword}` };
  }
}
