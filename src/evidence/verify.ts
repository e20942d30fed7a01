// `jitaudit evidence verify DIR`: re-check every hash of a pack. Any difference is a problem:
// a file changed, missing or not listed, a manifest edited (its own digest or its exact text), or a
// manifest that is not the one whose hash was kept elsewhere (`expectedManifestSha256`).
//
// A pack may come from anyone (last quarter's, a copy from a ticket): its members are read only when
// they are regular files in the folder itself. A FIFO would block the reader for ever, a device
// would be read without end, a symbolic link would read (and vouch for) a file outside the pack: such
// a member is refused as an input error naming it, before it is opened.
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { inputError, type InputError } from '../util/errors.js';
import { manifestDigest, MANIFEST, PACK_FORMAT, sha256, type Manifest } from './manifest.js';

export interface Verification {
  ok: boolean;
  checked: number;
  problems: string[];
  manifest: Manifest | null;
  /** sha256 of manifest.json as it is on disk. */
  manifestSha256: string | null;
}

export interface VerifyOptions {
  /** The manifest's SHA-256 as kept elsewhere (lower-case hex): any other manifest fails verification. */
  expectedManifestSha256?: string;
}

function kindOf(stats: Stats): string {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

const refused = (dir: string, name: string, kind: string): InputError =>
  inputError(join(dir, name), null, `${kind}, not a regular file: an evidence pack holds regular files only (not opened)`);

// Where the platform has them (not Windows): open no link, and do not wait for a writer on a FIFO.
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
const NO_BLOCK = constants.O_NONBLOCK ?? 0;

/**
 * A pack member's bytes, or null when there is none of that name. Anything but a regular file in
 * the folder is refused (InputError): checked with lstat before opening, and again on the open file
 * (opened without following a link or blocking), in case the member was swapped in between.
 */
export function readMember(dir: string, name: string): Buffer | null {
  const path = join(dir, name);
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw inputError(path, null, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (!stats.isFile()) throw refused(dir, name, kindOf(stats));
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | NO_FOLLOW | NO_BLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') throw refused(dir, name, 'a symbolic link');
    throw inputError(path, null, `cannot be read (${code ?? (error as Error).message})`);
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) throw refused(dir, name, kindOf(opened));
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Every entry of the pack folder, each a regular file (else an InputError naming the first that is not). */
function members(dir: string): string[] {
  const names = readdirSync(dir).sort();
  return names.filter((name) => {
    let stats: Stats;
    try {
      stats = lstatSync(join(dir, name));
    } catch {
      return false; // gone since it was listed: it is not a member
    }
    if (!stats.isFile()) throw refused(dir, name, kindOf(stats));
    return true;
  });
}

export function verifyPack(dir: string, options: VerifyOptions = {}): Verification {
  let folder: Stats | undefined;
  try {
    folder = statSync(dir);
  } catch {
    folder = undefined;
  }
  if (!folder?.isDirectory()) throw inputError(dir, null, 'not a directory');
  // Before anything is opened: a member that is not a regular file is refused, listed or not.
  const names = members(dir);
  const result = (v: Omit<Verification, 'ok'>): Verification => {
    const expected = options.expectedManifestSha256;
    if (expected !== undefined && v.manifestSha256 !== null && v.manifestSha256 !== expected) {
      v.problems.unshift(`${MANIFEST}: SHA-256 ${v.manifestSha256} is not the expected ${expected} (--manifest-sha256): this is another manifest`);
    }
    return { ok: v.problems.length === 0, ...v };
  };
  const problems: string[] = [];
  const bytes = readMember(dir, MANIFEST);
  if (!bytes) return result({ checked: 0, problems: [`${MANIFEST}: missing (not an evidence pack, or the manifest was removed)`], manifest: null, manifestSha256: null });
  const manifestSha256 = sha256(bytes);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(bytes.toString('utf8')) as Manifest;
  } catch (error) {
    return result({ checked: 0, problems: [`${MANIFEST}: not valid JSON (${(error as Error).message})`], manifest: null, manifestSha256 });
  }
  if (manifest?.format !== PACK_FORMAT || !Array.isArray(manifest.files)) {
    return result({ checked: 0, problems: [`${MANIFEST}: not a ${PACK_FORMAT} manifest`], manifest: null, manifestSha256 });
  }
  if (manifest.manifestSha256 !== manifestDigest(manifest)) problems.push(`${MANIFEST}: its content does not match its own digest (manifestSha256): it was edited`);
  else if (bytes.toString('utf8') !== `${JSON.stringify(manifest, null, 2)}\n`) problems.push(`${MANIFEST}: its text was altered (same content, different bytes)`);
  const listed = new Set<string>([MANIFEST]);
  let checked = 1;
  for (const f of manifest.files) {
    if (typeof f?.name !== 'string' || f.name === '' || f.name.includes('/') || f.name.includes('\\') || f.name.startsWith('.')) {
      problems.push(`${MANIFEST}: bad file name ${JSON.stringify(f?.name)}`);
      continue;
    }
    listed.add(f.name);
    const content = readMember(dir, f.name);
    if (!content) {
      problems.push(`${f.name}: missing`);
      continue;
    }
    checked++;
    const actual = sha256(content);
    if (actual !== f.sha256) problems.push(`${f.name}: SHA-256 mismatch (manifest ${f.sha256}, file ${actual})`);
    else if (content.length !== f.bytes) problems.push(`${f.name}: size mismatch (manifest ${f.bytes}, file ${content.length})`);
  }
  for (const name of names) {
    if (!listed.has(name)) problems.push(`${name}: not listed in the manifest`);
  }
  return result({ checked, problems, manifest, manifestSha256 });
}
