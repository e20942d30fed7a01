// What the reports read of the snapshot, kept from the analysis on: every section's provenance (the
// coverage section, the evidence manifest), and the data of a few small sections (tenant and
// organization names, activations and CloudTrail lookups, IAM credential reports). The rest (groups
// and their members, PIM schedules and policies, the identity store, MFA registration…) is in the
// analysis already, and at 50,000 users it is 130 MiB of heap that every collection would mark while
// the rules run and the reports are written. The type keeps a report from reading a section it no
// longer has.
import type { Snapshot } from '../model/snapshot-schema.js';

/** Sections whose data the reports read: everything else keeps only its provenance. */
const KEPT = {
  entra: ['tenant', 'activations'],
  aws: ['organization', 'identityCenter', 'iamUsers', 'cloudTrail'],
} as const;

type Entra = Snapshot['entra'];
type Aws = Snapshot['aws'];
type KeptSide<S, K extends keyof S> = { [P in keyof S]: P extends K ? S[P] : Pick<S[P], 'provenance' & keyof S[P]> };

export interface ReportedSnapshot {
  meta: Snapshot['meta'];
  entra: KeptSide<Entra, (typeof KEPT.entra)[number]>;
  aws: KeptSide<Aws, (typeof KEPT.aws)[number]>;
}

function keptSide<S extends object>(side: S, kept: readonly string[]): S {
  const out: Record<string, unknown> = {};
  for (const [name, section] of Object.entries(side)) {
    out[name] = kept.includes(name) ? section : { provenance: (section as { provenance: unknown }).provenance };
  }
  return out as S;
}

export function reportedSnapshot(snapshot: Snapshot): ReportedSnapshot {
  return { meta: snapshot.meta, entra: keptSide(snapshot.entra, KEPT.entra), aws: keptSide(snapshot.aws, KEPT.aws) };
}
