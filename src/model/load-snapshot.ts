// Loading a snapshot: parse, validate against the schema, check section invariants.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { describeAjvError, validatorFor } from '../util/ajv.js';
import { inputError } from '../util/errors.js';
import { parseJsonBytes, readBytes, unreadable } from '../util/read-input.js';
import { SECTION_PATHS, SnapshotSchema, type Snapshot } from './snapshot-schema.js';

export interface LoadedSnapshot {
  file: string;
  sha256: string;
  /** The file as it was read: the bytes read again later must come from this same file, unchanged. */
  identity: FileIdentity;
  snapshot: Snapshot;
}

export interface FileIdentity {
  size: number;
  mtimeNs: bigint;
  ino: bigint;
  dev: bigint;
}

function identityOf(file: string): FileIdentity {
  try {
    const st = statSync(file, { bigint: true });
    return { size: Number(st.size), mtimeNs: st.mtimeNs, ino: st.ino, dev: st.dev };
  } catch (error) {
    throw unreadable(file, error);
  }
}

const sameFile = (a: FileIdentity, b: FileIdentity) => a.size === b.size && a.mtimeNs === b.mtimeNs && a.ino === b.ino && a.dev === b.dev;

/**
 * The text is not kept: a large organisation's snapshot is hundreds of megabytes, twice that as a
 * JavaScript string. Reports that point into it or copy it read the bytes again (snapshotBytes).
 */
export function loadSnapshot(file: string): LoadedSnapshot {
  const bytes = readBytes(file);
  const identity = identityOf(file);
  if (identity.size !== bytes.length) throw inputError(file, null, 'changed while it was being read; run the audit again');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const snapshot = validateSnapshot(file, parseJsonBytes(file, bytes));
  return { file, sha256, identity, snapshot };
}

/**
 * The snapshot's bytes, read again: refused if the file is no longer the one the audit was made on
 * (same inode, size and modification time, as build tools judge it: hashing again would cost as
 * much as reading).
 */
export function snapshotBytes(loaded: Pick<LoadedSnapshot, 'file' | 'identity'>): Buffer {
  const changed = () => inputError(loaded.file, null, 'changed while it was being audited; run the audit again');
  if (!sameFile(identityOf(loaded.file), loaded.identity)) throw changed();
  const bytes = readBytes(loaded.file);
  if (!sameFile(identityOf(loaded.file), loaded.identity)) throw changed();
  return bytes;
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
