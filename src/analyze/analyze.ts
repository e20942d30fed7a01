// snapshot + config → the analysed model that rules and reports read.
import type { Config } from '../model/config.js';
import { presentSections, type Snapshot } from '../model/snapshot-schema.js';
import { buildAccessPaths } from './access-paths.js';
import { pathParts } from './path-parts.js';
import { pathsInIdOrder } from './path-order.js';
import { buildResources } from './resources.js';
import { SnapshotIndex, type ListItem } from './snapshot-index.js';
import type { Analysis, ObjectPointers, PointerLookup } from './types.js';
import { pointerAt } from '../util/json-pointer.js';

/** The pointers of one list's items by id, made when asked: each item's position is kept, not its pointer. */
class ListPointers implements PointerLookup {
  private readonly list: string = '';
  private readonly at = new Map<string, number>();

  constructor(items: ReadonlyMap<string, ListItem<unknown>>) {
    for (const [id, item] of items) {
      if (!this.at.size) this.list = item.list;
      else if (item.list !== this.list) throw new Error(`${item.list} and ${this.list} in one index`);
      this.at.set(id, item.index);
    }
  }

  get(id: string): string | undefined {
    const index = this.at.get(id);
    return index === undefined ? undefined : pointerAt(this.list, index);
  }
}

/** Only the pointers are kept of the index: the snapshot it holds goes before the rules run. */
function objectPointers(ix: SnapshotIndex): ObjectPointers {
  const pointers = (items: ReadonlyMap<string, ListItem<unknown>>) => new ListPointers(items);
  const app = ix.snapshot.entra.enterpriseApp.data?.displayName ?? 'enterprise app';
  const job = ix.provisioningJob;
  return {
    entraUser: pointers(ix.usersById),
    identityCenterUser: pointers(ix.icUsersById),
    entraGroup: pointers(ix.groupsById),
    identityCenterGroup: pointers(ix.icGroupsById),
    pimPolicy: pointers(ix.policies),
    permissionSet: pointers(ix.permissionSetsByArn),
    provisioningJob: job
      ? { id: job.value.id, name: `${app} provisioning`, pointer: job.pointer }
      : { id: 'none', name: app, pointer: '/entra/provisioning' },
  };
}

export function analyze(snapshot: Snapshot, config: Config): Analysis {
  const ix = new SnapshotIndex(snapshot, config);
  const warnings = [...snapshot.meta.warnings.map((w) => `${w.section}: ${w.message}`), ...ix.warnings];
  const found = buildAccessPaths(ix, warnings);
  const order = pathsInIdOrder(found);
  const paths = order.map((i) => found.paths[i]!);
  const parts = pathParts(found, order);
  return {
    now: ix.nowIso,
    accessPaths: paths,
    pathParts: parts,
    resources: buildResources(ix, paths, parts),
    objectPointers: objectPointers(ix),
    incomplete: incompleteSections(snapshot),
    warnings,
  };
}

/**
 * Missing sections, and accounts whose IAM users or CloudTrail could not be read, in a stable order.
 * An optional section counts only when the snapshot has it as `missing` (asked for, not read); one
 * the snapshot does not have at all was never asked for (an older snapshot) and is not listed.
 */
export function incompleteSections(snapshot: Snapshot): string[] {
  const out: string[] = [];
  for (const { path, section } of presentSections(snapshot)) {
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
