// manifest.json of an evidence pack: the SHA-256 of every file, what produced them (tool version,
// rule-pack and config digests) and when the data was collected. The manifest protects itself with
// `manifestSha256`, the hash of its own canonical text without that field, so that changing any
// byte of any file in the pack — the manifest included — makes `jitaudit evidence verify` fail.
// (Integrity, not authenticity: whoever can rewrite the whole pack can rewrite the hashes. Sign the
// manifest, or keep its hash somewhere else — a commit, a ticket — for that.)
import { createHash } from 'node:crypto';
import { chunksOf, type Rendered } from '../util/json-chunks.js';
import type { CompiledRule } from '../rules/load-rules.js';
import { canonicalJson } from '../util/canonical-json.js';
import { byString } from '../util/compare.js';

export const MANIFEST = 'manifest.json';
export const SUMS = 'SHA256SUMS';
export const PACK_FORMAT = 'jitaudit-evidence/1';

export const sha256 = (data: Buffer | Rendered) => {
  const hash = createHash('sha256');
  for (const chunk of Buffer.isBuffer(data) ? [data] : chunksOf(data)) hash.update(chunk);
  return hash.digest('hex');
};

export interface ManifestFile {
  name: string;
  sha256: string;
  bytes: number;
}

export interface Manifest {
  format: typeof PACK_FORMAT;
  tool: { name: string; version: string };
  snapshot: {
    file: string;
    sha256: string;
    collectedAt: string;
    collection: { startedAt: string; endedAt: string };
    collectedBy: { name: string; version: string };
    /** Each section's provenance status and, when collected, its time. */
    sections: Record<string, { status: string; collectedAt?: string }>;
  };
  rulePack: { sha256: string; rules: number };
  config: { file: string | null; sha256: string };
  gate: { failOn: string; passed: boolean };
  previous: { collectedAt: string; snapshotSha256: string; manifestSha256: string } | null;
  files: ManifestFile[];
  manifestSha256?: string;
}

/** What the rules are, not where they sit: id, definition and effective parameters, by id. */
export function rulePackDigest(rules: CompiledRule[]): string {
  const list = [...rules]
    .sort(byString((r) => r.def.id))
    .map((r) => ({ id: r.def.id, file: r.file, def: r.def, params: r.params }));
  return sha256(canonicalJson(list));
}

/** The manifest's own digest: over its canonical form without `manifestSha256`. */
export function manifestDigest(m: Manifest): string {
  const { manifestSha256: _omit, ...rest } = m;
  return sha256(canonicalJson(rest));
}

export function renderManifest(m: Omit<Manifest, 'manifestSha256'>): string {
  const full: Manifest = { ...m, manifestSha256: manifestDigest(m as Manifest) };
  return `${JSON.stringify(full, null, 2)}\n`;
}

/** `sha256sum -c SHA256SUMS` works without jitaudit. */
export function renderSums(files: ManifestFile[]): string {
  return files.map((f) => `${f.sha256}  ${f.name}\n`).join('');
}
