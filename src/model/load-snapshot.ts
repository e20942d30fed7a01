// Loading a snapshot: parse, validate against the schema, check section invariants.
import { createHash } from 'node:crypto';
import { describeAjvError, validatorFor } from '../util/ajv.js';
import { inputError } from '../util/errors.js';
import { parseJson, readText } from '../util/read-input.js';
import { SECTION_PATHS, SnapshotSchema, type Snapshot } from './snapshot-schema.js';

export interface LoadedSnapshot {
  file: string;
  text: string;
  sha256: string;
  snapshot: Snapshot;
}

export function loadSnapshot(file: string): LoadedSnapshot {
  const text = readText(file);
  const snapshot = validateSnapshot(file, parseJson(file, text));
  return { file, text, sha256: createHash('sha256').update(text).digest('hex'), snapshot };
}

export function validateSnapshot(file: string, value: unknown): Snapshot {
  const validate = validatorFor<Snapshot>(SnapshotSchema);
  if (!validate(value)) {
    const { pointer, message } = describeAjvError(validate.errors![0]!);
    throw inputError(file, pointer, message);
  }
  for (const path of SECTION_PATHS) {
    const [side, name] = path.split('.') as ['entra' | 'aws', string];
    const section = (value[side] as Record<string, { provenance: { status: string }; data: unknown }>)[name]!;
    const missing = section.provenance.status === 'missing';
    if (missing !== (section.data === null)) {
      throw inputError(
        file,
        `/${side}/${name}/data`,
        missing ? 'must be null when provenance is missing' : 'must not be null unless provenance is missing',
      );
    }
  }
  return value;
}
