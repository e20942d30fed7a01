// The object a finding about access paths names (path-object-kinds.ts): for one path, its type, id,
// name and where it starts in the snapshot. Paths of one object give the same id, so a rule's matches
// group by it; the id depends on the object alone (not on who else or what else it reaches), so its
// fingerprint holds while people join and accounts are added.
import type { AccessPathDetail, ObjectPointers, PrincipalRef, ResourceRef } from '../analyze/types.js';
import type { PathObjectKind } from './path-object-kinds.js';

/** How a person is named in ids: the same as in an access path's id. */
export const principalKey = (p: PrincipalRef): string => p.upn ?? p.entraUserId ?? p.identityCenterUserId ?? 'unknown';

/** What a person's grant in a group is called, by the path kind it gives. */
const GRANT_TYPES = {
  'pim-eligible': { type: 'eligibility', as: 'PIM-eligible member' },
  'pim-active': { type: 'activeAssignment', as: 'PIM active member' },
  'direct-member': { type: 'membership', as: 'member' },
  owner: { type: 'ownership', as: 'owner' },
} as const;

/** The role a path holds in its group, as PIM policies are keyed. */
export const pathRole = (path: AccessPathDetail): 'member' | 'owner' => (path.kind === 'owner' ? 'owner' : 'member');

function grant(path: AccessPathDetail, pointer: string, at: ObjectPointers): ResourceRef {
  const who = principalKey(path.principal);
  if (!path.group || path.kind === 'direct-assignment') {
    // A direct Identity Center assignment: one user × one permission set, in whatever accounts.
    return {
      type: 'directAssignment',
      id: `${path.kind}:${who}:${path.permissionSet.name}`,
      name: `${who} assigned ${path.permissionSet.name} directly in Identity Center`,
      pointer,
      principal: path.principal,
    };
  }
  // A plain member of a group that PIM does not govern, or anyone in an Identity Center group with no
  // Entra source, has the access because of how the group is run: the change is to the group (put it
  // under PIM, give it a source), not to each of its members.
  if ((path.kind === 'direct-member' && !path.groupDetail?.pimManaged) || path.kind === 'unmanaged-ic') {
    const unmanaged = path.kind === 'unmanaged-ic';
    const found = unmanaged ? at.identityCenterGroup.get(path.group.id) : at.entraGroup.get(path.group.id);
    return { type: unmanaged ? 'identityCenterGroup' : 'group', id: path.group.id, name: path.group.name, pointer: found ?? pointer };
  }
  const { type, as } = GRANT_TYPES[path.kind as keyof typeof GRANT_TYPES];
  if (path.kind === 'owner' && !path.standing) {
    return { type: 'ownershipEligibility', id: `${path.kind}:${who}:${path.group.id}`, name: `${who} as PIM-eligible owner of "${path.group.name}"`, pointer, principal: path.principal };
  }
  return { type, id: `${path.kind}:${who}:${path.group.id}`, name: `${who} as ${as} of "${path.group.name}"`, pointer, principal: path.principal };
}

function principal(path: AccessPathDetail, pointer: string, at: ObjectPointers): ResourceRef {
  const p = path.principal;
  const name = p.upn ?? path.principalDetail.displayName ?? principalKey(p);
  const found = (p.entraUserId && at.entraUser.get(p.entraUserId)) || (p.identityCenterUserId && at.identityCenterUser.get(p.identityCenterUserId));
  return { type: 'principal', id: principalKey(p), name, pointer: found || pointer, principal: p };
}

function group(path: AccessPathDetail, pointer: string, at: ObjectPointers): ResourceRef {
  if (!path.group) return grant(path, pointer, at);
  const unmanaged = path.groupDetail?.source === 'identity-center';
  const found = unmanaged ? at.identityCenterGroup.get(path.group.id) : at.entraGroup.get(path.group.id);
  return { type: unmanaged ? 'identityCenterGroup' : 'group', id: path.group.id, name: path.group.name, pointer: found ?? pointer };
}

function pimPolicy(path: AccessPathDetail, pointer: string, at: ObjectPointers): ResourceRef {
  if (!path.group) return grant(path, pointer, at);
  const role = pathRole(path);
  const found = at.pimPolicy.get(`${path.group.id}|${role}`) ?? at.entraGroup.get(path.group.id);
  // The id of a pimPolicies item: a rule over policies and one over their paths name the same object.
  return { type: 'pimPolicy', id: `${path.group.id}:${role}`, name: `${path.group.name} (${role})`, pointer: found ?? pointer };
}

function assignee(path: AccessPathDetail, pointer: string, at: ObjectPointers): ResourceRef {
  if (path.group) {
    if (path.groupDetail?.source === 'identity-center') return group(path, pointer, at);
    return { type: 'group', id: path.group.id, name: path.group.name, pointer: at.entraGroup.get(path.group.id) ?? pointer };
  }
  const icId = path.principal.identityCenterUserId;
  return {
    type: 'identityCenterUser',
    id: icId ?? principalKey(path.principal),
    name: path.principal.upn ?? principalKey(path.principal),
    pointer: (icId && at.identityCenterUser.get(icId)) || pointer,
    principal: path.principal,
  };
}

/**
 * The object of this kind that a path belongs to; `pointer` is where the path itself starts. (A path
 * that is its own object is named by its item's ref: resources.ts.)
 */
export function pathObject(kind: Exclude<PathObjectKind, 'path'>, path: AccessPathDetail, pointer: string, at: ObjectPointers): ResourceRef {
  switch (kind) {
    case 'grant':
      return grant(path, pointer, at);
    case 'principal':
      return principal(path, pointer, at);
    case 'group':
      return group(path, pointer, at);
    case 'pimPolicy':
      return pimPolicy(path, pointer, at);
    case 'permissionSet':
      return { type: 'permissionSet', id: path.permissionSet.arn, name: path.permissionSet.name, pointer: at.permissionSet.get(path.permissionSet.arn) ?? pointer };
    case 'provisioningJob':
      return { type: 'provisioningJob', ...at.provisioningJob };
    case 'assignee':
      return assignee(path, pointer, at);
  }
}
