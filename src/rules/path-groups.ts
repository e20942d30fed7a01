// The matches of one rule over access paths, grouped by the object each path belongs to
// (path-objects.ts). Paths come in id order (kind, person, group, account, permission set), so the
// paths of one object mostly follow each other: when a path has the same parts as the one before
// it that decide the object, it joins that object's group without the object being named again —
// at 50,000 users that is most of a million matches, each of which made an id, a name and a key.
import type { AccessPathDetail, ObjectPointers, ResourceItem, ResourceRef } from '../analyze/types.js';
import type { PathObjectKind } from './path-object-kinds.js';
import { pathObject } from './path-objects.js';

/** The matches that name one object: its ref, the first path's data (what messages read) and the paths. */
export interface PathGroup {
  ref: ResourceRef;
  data: Record<string, unknown>;
  paths: number[];
}

type GroupedKind = Exclude<PathObjectKind, 'path'>;

/** A grant's object is decided by these (the permission set too, for a direct assignment). */
const sameGrant = (a: AccessPathDetail, b: AccessPathDetail) =>
  a.kind === b.kind &&
  a.standing === b.standing &&
  a.principal === b.principal &&
  a.group === b.group &&
  a.groupDetail === b.groupDetail &&
  (a.permissionSet === b.permissionSet || (a.group !== null && a.kind !== 'direct-assignment'));

/**
 * Whether two paths certainly belong to the same object of a kind: the parts pathObject reads for that
 * kind are the same objects (analysis shares them between paths). False only costs naming it again.
 */
const SAME_OBJECT: Record<GroupedKind, (a: AccessPathDetail, b: AccessPathDetail) => boolean> = {
  grant: sameGrant,
  principal: (a, b) => a.principal === b.principal && a.principalDetail === b.principalDetail,
  group: (a, b) => a.group !== null && a.group === b.group && a.groupDetail === b.groupDetail,
  pimPolicy: (a, b) => a.group !== null && a.group === b.group && (a.kind === 'owner') === (b.kind === 'owner'),
  permissionSet: (a, b) => a.permissionSet === b.permissionSet,
  provisioningJob: () => true,
  assignee: (a, b) => a.group === b.group && a.groupDetail === b.groupDetail && (a.group !== null || a.principal === b.principal),
};

export class PathGroups {
  private readonly byKey = new Map<string, PathGroup>();
  private previous: AccessPathDetail | null = null;
  private previousGroup: PathGroup | null = null;

  constructor(
    private readonly kind: PathObjectKind,
    private readonly pointers: ObjectPointers,
  ) {}

  /** Path `index` (the accessPaths item) matched the rule. */
  add(index: number, item: ResourceItem): void {
    const path = item.data as unknown as AccessPathDetail;
    const kind = this.kind;
    if (kind !== 'path' && this.previous !== null && SAME_OBJECT[kind](this.previous, path)) {
      this.previousGroup!.paths.push(index);
      this.previous = path;
      return;
    }
    // A path that is its own object is named by its item's ref.
    const ref = kind === 'path' ? item.ref : pathObject(kind, path, item.ref.pointer, this.pointers);
    const key = `${ref.type}\u0000${ref.id}`;
    let group = this.byKey.get(key);
    if (group) group.paths.push(index);
    else this.byKey.set(key, (group = { ref, data: item.data, paths: [index] }));
    this.previous = path;
    this.previousGroup = group;
  }

  /** The groups in the order their objects were first met. */
  values(): IterableIterator<PathGroup> {
    return this.byKey.values();
  }
}
