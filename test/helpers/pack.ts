// Evidence packs for tests: a copy of a pack with another report.json that still verifies.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderManifest, renderSums, sha256, SUMS } from '../../src/evidence/manifest.js';
import { tempDir } from './cli.js';

/** A copy of a pack with another report.json, its hashes and manifest made to match (so that it verifies). */
export function withReport(dir: string, reportJson: string): string {
  const copy = join(tempDir(), 'old');
  cpSync(dir, copy, { recursive: true });
  writeFileSync(join(copy, 'report.json'), reportJson);
  const { manifestSha256: _, ...manifest } = JSON.parse(readFileSync(join(copy, 'manifest.json'), 'utf8'));
  const rehash = (f: { name: string }) => {
    const bytes = readFileSync(join(copy, f.name));
    return { name: f.name, sha256: sha256(bytes), bytes: bytes.length };
  };
  const files = manifest.files.filter((f: { name: string }) => f.name !== SUMS).map(rehash);
  writeFileSync(join(copy, SUMS), renderSums(files));
  manifest.files = manifest.files.map(rehash);
  writeFileSync(join(copy, 'manifest.json'), renderManifest(manifest));
  return copy;
}
