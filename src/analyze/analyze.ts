// snapshot + config → the analysed model that rules and reports read.
import type { Config } from '../model/config.js';
import { SECTION_PATHS, type Snapshot } from '../model/snapshot-schema.js';
import { buildAccessPaths } from './access-paths.js';
import { pathsInIdOrder } from './path-order.js';
import { buildResources } from './resources.js';
import { SnapshotIndex } from './snapshot-index.js';
import type { Analysis } from './types.js';

export function analyze(snapshot: Snapshot, config: Config): Analysis {
  const ix = new SnapshotIndex(snapshot, config);
  const warnings = snapshot.meta.warnings.map((w) => `${w.section}: ${w.message}`);
  const paths = pathsInIdOrder(buildAccessPaths(ix, warnings));
  return {
    now: ix.nowIso,
    accessPaths: paths.map((p) => p.path),
    resources: buildResources(ix, paths),
    incomplete: incompleteSections(snapshot),
    warnings,
  };
}

/** Missing sections, and accounts whose IAM users or CloudTrail could not be read, in a stable order. */
export function incompleteSections(snapshot: Snapshot): string[] {
  const out: string[] = [];
  for (const path of SECTION_PATHS) {
    const [side, name] = path.split('.') as ['entra' | 'aws', string];
    const section = (snapshot[side] as unknown as Record<string, { provenance: { status: string } }>)[name]!;
    if (section.provenance.status === 'missing') out.push(path);
  }
  for (const acct of snapshot.aws.iamUsers.data ?? []) {
    if (acct.provenance.status === 'missing') out.push(`aws.iamUsers[${acct.accountId}]`);
  }
  for (const lookup of snapshot.aws.cloudTrail.data?.lookups ?? []) {
    if (lookup.provenance.status === 'missing') out.push(`aws.cloudTrail[${lookup.accountId}/${lookup.region}/${lookup.attribute}=${lookup.value}]`);
  }
  return [...new Set(out)];
}
