// One configured ajv for every JSON Schema the tool owns (snapshot, config, rule files).
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';

// ajv-formats is CommonJS: at run time the default import is the plugin function itself.
const addFormats = addFormatsModule as unknown as (ajv: Ajv, formats: string[]) => Ajv;

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
addFormats(ajv, ['date-time', 'date', 'uri']);

const cache = new WeakMap<TSchema, ValidateFunction>();

export function validatorFor<T>(schema: TSchema): ValidateFunction<T> {
  let validate = cache.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
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
      return { pointer, message: `must match ${String(params.pattern)}` };
    default:
      return { pointer, message: error.message ?? `failed ${error.keyword}` };
  }
}
