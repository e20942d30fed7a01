// What a finding of a rule over access paths is about: the object a person changes to fix it. A
// rule names one (`object:` in its file); the paths it matches are grouped by that object, one
// finding per object (path-objects.ts says how each is found from a path):
//   path             one finding per path (what a rule gets when it names no object)
//   grant            what gives the access: a group not under PIM (all its plain members) or an Identity
//                    Center group with no Entra source; else one person's membership, ownership,
//                    eligibility or active assignment; a direct assignment (user × permission set)
//   principal        the person
//   group            the group the path goes through
//   pimPolicy        the group's PIM policy for the member or the owner role
//   permissionSet    the permission set
//   provisioningJob  the SCIM provisioning job (its lag is in every JIT window)
//   assignee         the Identity Center group or user the account assignment names
export const PATH_OBJECT_KINDS = [
  'path',
  'grant',
  'principal',
  'group',
  'pimPolicy',
  'permissionSet',
  'provisioningJob',
  'assignee',
] as const;
export type PathObjectKind = (typeof PATH_OBJECT_KINDS)[number];

/**
 * The path fields that are the same on every path of one object: a grouped rule's message and
 * evidence may name only these (through `resource.`), since its finding stands for all the paths.
 * `object` and `impact` describe the rest.
 */
export const CONSTANT_FIELDS: Record<PathObjectKind, readonly string[] | 'all'> = {
  path: 'all',
  grant: ['kind', 'standing', 'group', 'groupDetail', 'controls', 'schedule', 'activeNow', 'activeUntil'],
  principal: ['principal', 'principalDetail'],
  group: ['group', 'groupDetail'],
  pimPolicy: ['group', 'groupDetail', 'controls'],
  permissionSet: ['permissionSet', 'permissionSetDetail'],
  provisioningJob: ['window.terms.scimLag'],
  assignee: ['group', 'groupDetail'],
};

/** Whether a dot path of an access path is the same on every path of one object of this kind. */
export function constantFor(kind: PathObjectKind, dotPath: string): boolean {
  const fields = CONSTANT_FIELDS[kind];
  return fields === 'all' || fields.some((f) => dotPath === f || dotPath.startsWith(`${f}.`));
}

/**
 * The part of a path (path-parts.ts) that decides its object: every path of one grant (or target)
 * has the same object of this kind, so it is found once per grant or target. A direct assignment's
 * grant is its one path; `path` is per path.
 */
export const OBJECT_PART: Record<Exclude<PathObjectKind, 'path'>, 'grant' | 'target'> = {
  grant: 'grant',
  principal: 'grant',
  group: 'grant',
  pimPolicy: 'grant',
  permissionSet: 'target',
  provisioningJob: 'grant',
  assignee: 'grant',
};
