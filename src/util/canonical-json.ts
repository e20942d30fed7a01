// JSON with its keys sorted at every level: the same value always hashes the same (config and
// rule-pack digests, the evidence manifest's own digest).
import { compareStrings } from './compare.js';

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => compareStrings(a, b)))
      : v,
  );
}
