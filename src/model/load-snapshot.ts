// Loading a snapshot: parse, validate against the schema, check section invariants.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { describeAjvError, validatorFor } from '../util/ajv.js';
import { inputError } from '../util/errors.js';
import { AsciiJsonText, parseJsonText, readBytes, unreadable } from '../util/read-input.js';
import { presentSections, SnapshotSchema, type ProvenanceT, type Snapshot } from './snapshot-schema.js';
import { identityFrom, sameFile, type FileIdentity } from './file-identity.js';
import { checkSnapshot } from './snapshot-checks.js';

export interface LoadedSnapshot {
  file: string;
  sha256: string;
  /** The file as it was read: the bytes read again later must come from this same file, unchanged. */
  identity: FileIdentity;
  snapshot: Snapshot;
}

function identityOf(file: string): FileIdentity {
  try {
    return identityFrom(statSync(file, { bigint: true }));
  } catch (error) {
    throw unreadable(file, error);
  }
}

const changedWhileAudited = (file: string) => inputError(file, null, 'changed while it was being audited; run the audit again');

/**
 * The text is not kept: a large organisation's snapshot is hundreds of megabytes, twice that as a
 * JavaScript string. Reports that point into it or copy it read the bytes again (snapshotBytes,
 * withSnapshotFile).
 */
export function loadSnapshot(file: string): LoadedSnapshot {
  const { identity, sha256, ascii } = readSnapshot(file);
  // Text that is not one-byte (mostly non-ASCII, or unusual escapes) is read again and decoded as UTF-8.
  const value = parseJsonText(file, ascii, () => readBytes(file));
  const snapshot = validateSnapshot(file, value);
  // What the schema cannot say: usable durations (also in PIM policy rules) and unique ids.
  checkSnapshot(file, snapshot);
  return { file, sha256, identity, snapshot };
}

/** A snapshot is read in pieces of this many bytes. */
const PIECE = 16 * 2 ** 20;

/**
 * The snapshot's identity, hash and one-byte text (asciiJsonText), read a piece at a time: its bytes
 * are never all held beside its text. At 50,000 users the file is 176 MiB; read whole, its bytes and
 * a copy with the few non-ASCII characters escaped stood beside the text while it was parsed, the
 * audit's peak.
 */
function readSnapshot(file: string) {
  const identity = identityOf(file);
  const hash = createHash('sha256');
  const text = new AsciiJsonText(identity.size);
  let read = 0;
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw unreadable(file, error);
  }
  try {
    const piece = Buffer.allocUnsafe(Math.min(PIECE, Math.max(identity.size, 1)));
    for (;;) {
      const n = readSync(fd, piece, 0, piece.length, null);
      if (n === 0) break;
      const bytes = piece.subarray(0, n);
      hash.update(bytes);
      text.write(bytes);
      read += n;
    }
  } catch (error) {
    throw unreadable(file, error);
  } finally {
    closeSync(fd);
  }
  if (identity.size !== read) throw inputError(file, null, 'changed while it was being read; run the audit again');
  return { identity, sha256: hash.digest('hex'), ascii: text.end() };
}

/** The snapshot's bytes, read again (withSnapshotFile). */
export function snapshotBytes(loaded: Pick<LoadedSnapshot, 'file' | 'identity'>): Buffer {
  return withSnapshotFile(loaded, (fd) => {
    try {
      return readFileSync(fd);
    } catch (error) {
      throw unreadable(loaded.file, error);
    }
  });
}

/**
 * The snapshot file, open, for a reader (SARIF's locator takes it in pieces): refused if it is not
 * the file the audit was made on, before or after the reading (same inode, size and modification
 * time, as build tools judge it: hashing again would cost as much as reading).
 */
export function withSnapshotFile<T>(loaded: Pick<LoadedSnapshot, 'file' | 'identity'>, read: (fd: number) => T): T {
  let fd: number;
  try {
    fd = openSync(loaded.file, 'r');
  } catch (error) {
    throw unreadable(loaded.file, error);
  }
  try {
    const unchanged = () => sameFile(identityFrom(fstatSync(fd, { bigint: true })), loaded.identity);
    if (!unchanged()) throw changedWhileAudited(loaded.file);
    const value = read(fd);
    if (!unchanged()) throw changedWhileAudited(loaded.file);
    return value;
  } finally {
    closeSync(fd);
  }
}

export function validateSnapshot(file: string, value: unknown): Snapshot {
  const validate = validatorFor<Snapshot>(SnapshotSchema);
  if (!validate(value)) {
    const { pointer, message } = describeAjvError(validate.errors![0]!);
    throw inputError(file, pointer, message);
  }
  // Optional sections too, when present: a reader trusts `data` to be there unless the section is missing.
  for (const { side, name, section } of presentSections<{ provenance: ProvenanceT; data: unknown }>(value)) {
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
