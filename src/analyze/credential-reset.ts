// Credential resets: a directory role that can reset another user's password or authentication
// methods (MFA, a Temporary Access Pass) lets its holder sign in as that user and use the user's own
// access paths — a way around the JIT the groups' PIM never sees. One item per (holder, role
// assignment) of kind credential-reset in the controlPlane collection; its reach is the access paths of
// the people the role can reset, which depends on the roles those people hold (Microsoft's "Who can
// reset passwords" table, RESETTERS). docs/control-plane.md explains the model and its limits.
import type { DirectoryPrincipalT, DirectoryRolesT } from '../model/snapshot-schema.js';
import {
  activeRoleAssignments,
  actionCovers,
  groupWords,
  holderKey,
  holderWindow,
  personRef,
  principalName,
  principalOf,
  reachFields,
  scopeKind,
  scopeWords,
  type Context,
  type Reach,
} from './control-plane.js';
import { readPimPolicy } from './pim-policy.js';
import { inForce, scheduleEnd } from './snapshot-index.js';
import type { ResourceItem } from './types.js';
import type { PathsWithParts } from './access-paths.js';
import { firstPathOf } from './path-parts.js';

/** Built-in role template ids (Microsoft Entra built-in roles: permissions reference, "All roles"). */
export const ROLE = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  privilegedAuthenticationAdministrator: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  authenticationAdministrator: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  passwordAdministrator: '966707d0-3269-4727-9be2-8c3a10f19b9d',
  partnerTier1Support: '4ba39ca4-527c-499a-b93d-d9b492c50246',
  partnerTier2Support: 'e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8',
  groupsAdministrator: 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
  directoryReaders: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
  guestInviter: '95e79109-95c0-4d8e-aee3-d01accf2d47b',
  messageCenterReader: '790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b',
  reportsReader: '4a5d8f65-41da-4de4-8968-e035b65339cf',
  userExperienceSuccessManager: '27460883-1df1-4691-b032-3b79643e5e63',
  usageSummaryReportsReader: '75934031-6c7e-415a-99d7-48dbd49e875e',
} as const;

const READERS = [ROLE.directoryReaders, ROLE.guestInviter, ROLE.messageCenterReader, ROLE.reportsReader, ROLE.userExperienceSuccessManager, ROLE.usageSummaryReportsReader];

export interface Resetter {
  /** What it resets: password, and for the authentication roles the authentication methods too. */
  resets: readonly ('password' | 'authentication methods')[];
  /** Everyone, or the people whose active directory roles are all among these (template ids): none at all included. */
  targets: 'everyone' | readonly string[];
}

/**
 * "Who can reset passwords" and "Who can perform sensitive actions" (Privileged roles and permissions
 * in Microsoft Entra ID), by the resetting role's template id: the roles whose holders it can still
 * reset. A person with no admin role is resettable by all of them; a member or owner of a
 * role-assignable group only by the Privileged Authentication Administrator and the Global
 * Administrator. The Global Administrator is not listed: its entra-role item reaches every path already.
 * The Partner Tier1/Tier2 Support roles (deprecated) reset non-administrators / everyone.
 */
export const RESETTERS: Readonly<Record<string, Resetter>> = {
  [ROLE.passwordAdministrator]: { resets: ['password'], targets: [ROLE.directoryReaders, ROLE.guestInviter, ROLE.passwordAdministrator] },
  [ROLE.helpdeskAdministrator]: { resets: ['password'], targets: [...READERS, ROLE.helpdeskAdministrator, ROLE.passwordAdministrator] },
  [ROLE.authenticationAdministrator]: { resets: ['password', 'authentication methods'], targets: [...READERS, ROLE.authenticationAdministrator, ROLE.passwordAdministrator] },
  [ROLE.userAdministrator]: {
    resets: ['password'],
    targets: [...READERS, ROLE.groupsAdministrator, ROLE.helpdeskAdministrator, ROLE.passwordAdministrator, ROLE.userAdministrator],
  },
  [ROLE.privilegedAuthenticationAdministrator]: { resets: ['password', 'authentication methods'], targets: 'everyone' },
  [ROLE.partnerTier1Support]: { resets: ['password'], targets: [] },
  [ROLE.partnerTier2Support]: { resets: ['password'], targets: 'everyone' },
};

/** The actions that reset a credential (a custom role holding one is judged by them, not by the table). */
export const RESET_ACTIONS: readonly { action: string; resets: 'password' | 'authentication methods' }[] = [
  { action: 'microsoft.directory/users/password/update', resets: 'password' },
  { action: 'microsoft.directory/users/authenticationMethods/create', resets: 'authentication methods' },
  { action: 'microsoft.directory/users/authenticationMethods/basic/update', resets: 'authentication methods' },
  { action: 'microsoft.directory/users/authenticationMethods/delete', resets: 'authentication methods' },
];

type Definition = DirectoryRolesT['definitions'][number];
type Assignment = DirectoryRolesT['assignments'][number];
type Eligibility = DirectoryRolesT['eligibilities'][number];

const templateOf = (d: Definition | undefined, roleDefinitionId: string) => (d?.isBuiltIn !== false ? (d?.templateId ?? roleDefinitionId) : null);

/**
 * What a role resets and whom, with the held action that gives it; null when it resets nothing. A
 * built-in role of the table is judged by the table. Any other role holding a reset action without a
 * condition (a custom role, a built-in role the table does not list) is counted as resetting everyone:
 * Microsoft does not say whom it can reset, and unknown is not "nobody".
 */
export function resetterOf(definition: Definition | undefined, roleDefinitionId: string): (Resetter & { grantedBy: string[]; fromTable: boolean }) | null {
  const template = templateOf(definition, roleDefinitionId);
  if (template === ROLE.globalAdministrator) return null;
  const held = new Map<string, string>();
  for (const permission of definition?.rolePermissions ?? []) {
    if (permission.condition) continue;
    for (const action of permission.allowedResourceActions) {
      for (const r of RESET_ACTIONS) if (!held.has(r.resets) && actionCovers(action, r.action)) held.set(r.resets, action);
    }
  }
  const known = template !== null ? RESETTERS[template] : undefined;
  if (known) return { ...known, grantedBy: known.resets.map((r) => `${held.get(r) ?? `${r} reset (Who can reset passwords)`} → credential-reset`), fromTable: true };
  if (held.size === 0) return null;
  const resets = (['password', 'authentication methods'] as const).filter((r) => held.has(r));
  return { resets, targets: 'everyone', grantedBy: resets.map((r) => `${held.get(r)} → credential-reset`), fromTable: false };
}

/** Why each person on a path is protected from the table's limited resetters (null: not protected). */
interface Protection {
  /** Member or owner of a role-assignable group: only the all-users roles reset them. */
  roleGroup: boolean;
  /** Template ids (or ids) of the roles they hold actively, tenant-wide. */
  roles: Set<string>;
}

/**
 * The people a limited resetter cannot reset. Only what is known protects: an active tenant-wide role
 * assignment (not an eligibility, nor its activation: the role is theirs only while active), or being a
 * member or owner of a role-assignable group (one that holds a role, read in groupHolders, or one of the
 * app's role-assignable groups through a direct-member, owner or PIM-active path). A person whose
 * lists were not read is counted as resettable: never a false "cannot reset".
 */
function protections(roles: DirectoryRolesT, { paths, parts }: PathsWithParts, now: number, isRoleAssignable: (groupId: string) => boolean): Map<string, Protection> {
  const out = new Map<string, Protection>();
  const of = (id: string) => {
    let p = out.get(id);
    if (!p) out.set(id, (p = { roleGroup: false, roles: new Set() }));
    return p;
  };
  const definitions = new Map(roles.definitions.map((d) => [d.id, d]));
  const eligible = new Set(roles.eligibilities.filter((e) => inForce(e.scheduleInfo.startDateTime, scheduleEnd(e), now)).map(holderKey));
  for (const a of roles.assignments) {
    if (a.directoryScopeId !== '/' || eligible.has(holderKey(a))) continue;
    of(a.principalId).roles.add(templateOf(definitions.get(a.roleDefinitionId), a.roleDefinitionId) ?? a.roleDefinitionId);
  }
  for (const g of roles.groupHolders ?? []) for (const m of [...(g.members ?? []), ...(g.owners ?? [])]) of(m.id).roleGroup = true;
  // What is read of a path is its grant's: once per grant (path-parts.ts).
  for (const first of firstPathOf(parts, 'grant')) {
    if (first < 0) continue;
    const path = paths[first]!;
    const id = path.principal.entraUserId;
    if (id && path.group && (path.kind === 'direct-member' || path.kind === 'owner' || path.kind === 'pim-active') && isRoleAssignable(path.group.id)) of(id).roleGroup = true;
  }
  return out;
}

/** The credential-reset items of the controlPlane collection (control-plane.ts calls this with its context). */
export function credentialResets(ctx: Context, roles: DirectoryRolesT, found: PathsWithParts): ResourceItem[] {
  const definitions = new Map(roles.definitions.map((d) => [d.id, d]));
  const roleAssignable = new Set(ctx.roleAssignableGroups);
  let protectedBy: Map<string, Protection> | null = null;
  const names = new Map(roles.definitions.map((d) => [templateOf(d, d.id) ?? d.id, d.displayName]));
  const roleName = (id: string) => names.get(id) ?? id;
  // One reach per distinct target set, each one pass over the paths. An Identity Center user with no
  // Entra source is not an Entra user: an Entra reset does not reach their paths.
  const reachFor = (targets: Resetter['targets']): Reach => {
    if (targets === 'everyone') return ctx.reaches.every();
    protectedBy ??= protections(roles, found, ctx.ix.now, (g) => roleAssignable.has(g));
    const allowed = new Set(targets);
    const p = protectedBy;
    return ctx.reaches.select(`reset:${[...allowed].sort().join(',')}`, (path) => {
      if (path.kind === 'unmanaged-ic') return false;
      const who = path.principal.entraUserId === null ? undefined : p.get(path.principal.entraUserId);
      if (!who) return true;
      if (who.roleGroup) return false;
      for (const r of who.roles) if (!allowed.has(r)) return false;
      return true;
    });
  };
  const whom = (r: Resetter) =>
    r.targets === 'everyone'
      ? 'anyone, administrators included'
      : r.targets.length === 0
        ? 'people with no admin role'
        : `people with no admin role, or only ${[...new Set(r.targets)].map(roleName).sort().join(', ')}`;
  const policies = new Map(roles.policies.map((p) => [p.roleDefinitionId, readPimPolicy(p)]));
  const groupHolders = new Map((roles.groupHolders ?? []).map((holder, index) => [holder.groupId.toLowerCase(), { holder, index }]));
  const roleHolders = new Set([...roles.assignments, ...roles.eligibilities].map((a) => a.principalId));
  for (const g of roles.groupHolders ?? []) for (const m of [...(g.members ?? []), ...(g.owners ?? [])]) roleHolders.add(m.id);
  const out: ResourceItem[] = [];

  const item = (a: Assignment | Eligibility, index: number, jit: boolean, activeNow: boolean) => {
    const definition = definitions.get(a.roleDefinitionId);
    if (definition?.isEnabled === false) return;
    const resetter = resetterOf(definition, a.roleDefinitionId);
    if (!resetter) return;
    const kind = scopeKind(a.directoryScopeId);
    // A role scoped to an administrative unit resets the unit's users, which are not collected.
    const reach =
      kind === 'tenant'
        ? reachFor(resetter.targets)
        : ctx.reaches.unknownBecause(`credential reset scoped to ${scopeWords(a.directoryScopeId)}, whose users are not collected`);
    if (reach.known && reach.pathCount === 0) return;
    const name = definition?.displayName ?? roleName(a.roleDefinitionId);
    const principal = principalOf(a.principalId, a.principal);
    const controls = jit ? (policies.get(a.roleDefinitionId) ?? null) : null;
    const verb = jit ? 'eligible for' : 'holds';
    const what = `can reset the ${resetter.resets.join(' and ')} of ${whom(resetter)}${resetter.fromTable ? '' : ' (not in Microsoft\'s table: counted as anyone)'}, and sign in as them`;
    const how = `${verb} directory role ${name}: ${what}`;
    const group = principal.type === 'group' ? (groupHolders.get(a.principalId.toLowerCase()) ?? null) : null;
    const refName = `${principalName(principal)}: ${name} (${scopeWords(a.directoryScopeId)}), credential reset`;
    const base: ResourceItem = {
      ref: {
        type: jit ? 'roleEligibility' : 'roleAssignment',
        id: `${a.id}/credential-reset`,
        name: refName,
        pointer: `/entra/directoryRoles/data/${jit ? 'eligibilities' : 'assignments'}/${index}`,
        ...personRef(principal),
      },
      paths: reach.paths,
      data: {
        kind: 'credential-reset',
        holder: principalName(principal),
        principal,
        holdsDirectoryRole: true,
        how: principal.type === 'group' ? `${how} (${groupWords(group)})` : how,
        role: { id: a.roleDefinitionId, name, templateId: definition?.templateId ?? null },
        ownerOf: null,
        workloadIdentity: null,
        graphPermissions: [],
        scope: a.directoryScopeId,
        scopeKind: kind,
        standing: !jit,
        assignment: jit ? 'eligible' : 'active',
        activeNow,
        controls,
        window: jit ? holderWindow(ctx, name, controls, reach) : null,
        capabilities: ['credential-reset'],
        grantedBy: resetter.grantedBy,
        ...reachFields(reach),
      },
    };
    out.push(base);
    if (!group) return;
    // The people who hold the role through its group (direct members; owners, who add themselves), as
    // for entra-role items.
    const groupName = principalName(principal);
    const through = (p: DirectoryPrincipalT, relation: 'members' | 'owners', j: number) => {
      const person = principalOf(p.id, p);
      const owner = relation === 'owners';
      out.push({
        ref: {
          ...base.ref,
          id: `${a.id}/credential-reset/${relation}/${p.id}`,
          name: `${principalName(person)}: ${name} (${scopeWords(a.directoryScopeId)}) via group ${groupName}${owner ? ' (owner)' : ''}, credential reset`,
          pointer: `/entra/directoryRoles/data/groupHolders/${group.index}/${relation}/${j}`,
          ...personRef(person),
        },
        paths: base.paths,
        data: {
          ...base.data,
          holder: principalName(person),
          principal: person,
          holdsDirectoryRole: owner ? roleHolders.has(p.id) : true,
          how: owner
            ? `owner of group ${groupName}, which ${jit ? 'is eligible for' : 'holds'} directory role ${name} (can add themselves): ${what}`
            : `${verb} directory role ${name} via group ${groupName}: ${what}`,
        },
      });
    };
    (group.holder.members ?? []).forEach((m, j) => through(m, 'members', j));
    (group.holder.owners ?? []).forEach((o, j) => through(o, 'owners', j));
  };

  // As for entra-role items: an active assignment that is an eligibility activated is judged as the eligibility.
  const { eligible, standing, activeUntil } = activeRoleAssignments(roles, ctx.ix.now);
  standing.forEach(([a, i]) => item(a, i, false, false));
  roles.eligibilities.forEach((e, i) => {
    if (eligible.has(e)) item(e, i, true, activeUntil.has(holderKey(e)));
  });
  return out;
}
