// `jitaudit evidence verify DIR`: re-check every hash of a pack. Any difference is a problem:
// a file changed, missing or not listed, a manifest edited (its own digest or its exact text).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../util/errors.js';
import { manifestDigest, MANIFEST, PACK_FORMAT, sha256, type Manifest } from './manifest.js';

export interface Verification {
  ok: boolean;
  checked: number;
  problems: string[];
  manifest: Manifest | null;
  /** sha256 of manifest.json as it is on disk. */
  manifestSha256: string | null;
}

export function verifyPack(dir: string): Verification {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw inputError(dir, null, 'not a directory');
  const problems: string[] = [];
  const manifestPath = join(dir, MANIFEST);
  if (!existsSync(manifestPath)) return { ok: false, checked: 0, problems: [`${MANIFEST}: missing (not an evidence pack, or the manifest was removed)`], manifest: null, manifestSha256: null };
  const bytes = readFileSync(manifestPath);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(bytes.toString('utf8')) as Manifest;
  } catch (error) {
    return { ok: false, checked: 0, problems: [`${MANIFEST}: not valid JSON (${(error as Error).message})`], manifest: null, manifestSha256: sha256(bytes) };
  }
  if (manifest?.format !== PACK_FORMAT || !Array.isArray(manifest.files)) {
    return { ok: false, checked: 0, problems: [`${MANIFEST}: not a ${PACK_FORMAT} manifest`], manifest: null, manifestSha256: sha256(bytes) };
  }
  if (manifest.manifestSha256 !== manifestDigest(manifest)) problems.push(`${MANIFEST}: its content does not match its own digest (manifestSha256): it was edited`);
  else if (bytes.toString('utf8') !== `${JSON.stringify(manifest, null, 2)}\n`) problems.push(`${MANIFEST}: its text was altered (same content, different bytes)`);
  const listed = new Set<string>([MANIFEST]);
  let checked = 1;
  for (const f of manifest.files) {
    if (typeof f?.name !== 'string' || f.name.includes('/') || f.name.includes('\\') || f.name.startsWith('.')) {
      problems.push(`${MANIFEST}: bad file name ${JSON.stringify(f?.name)}`);
      continue;
    }
    listed.add(f.name);
    const path = join(dir, f.name);
    if (!existsSync(path)) {
      problems.push(`${f.name}: missing`);
      continue;
    }
    const content = readFileSync(path);
    checked++;
    const actual = sha256(content);
    if (actual !== f.sha256) problems.push(`${f.name}: SHA-256 mismatch (manifest ${f.sha256}, file ${actual})`);
    else if (content.length !== f.bytes) problems.push(`${f.name}: size mismatch (manifest ${f.bytes}, file ${content.length})`);
  }
  for (const name of readdirSync(dir).sort()) {
    if (!listed.has(name)) problems.push(`${name}: not listed in the manifest`);
  }
  return { ok: problems.length === 0, checked, problems, manifest, manifestSha256: sha256(bytes) };
}
