// Entra directory roles: who holds or may activate a role that can change the AWS app's groups, PIM
// for Groups or the app itself, without going through the groups' PIM. Four reads (RoleManagement.Read.Directory):
//   GET /roleManagement/directory/roleAssignments?$expand=principal          active (standing or activated)
//   GET /roleManagement/directory/roleEligibilitySchedules?$expand=principal  PIM-eligible, with schedule
//   GET /roleManagement/directory/roleDefinitions                             kept: the roles named above
//   GET /policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole'
//       and roleDefinitionId eq '…'&$expand=policy($expand=rules)          per eligible role, batched
//   GET /directory/administrativeUnits/{id}/members/microsoft.graph.group?$select=id
//       per administrative unit a role is scoped to, batched (AdministrativeUnit.Read.All)
//   GET /groups/{id}/members and /groups/{id}/owners ?$select=id,displayName,userPrincipalName,appId
//       per group that holds a role (a role-assignable group), batched (GroupMember.Read.All): its
//       direct members hold the role through it, and an owner can add themselves
// The scope (directoryScopeId) is kept as Graph writes it: "/" tenant-wide, an administrative unit, or one object.
// A unit whose members cannot be read is kept with groupIds null and why: its reach stays unknown.
import type {
  UnifiedRoleAssignment,
  UnifiedRoleDefinition,
  UnifiedRoleEligibilitySchedule,
  UnifiedRoleManagementPolicyAssignment,
} from '@microsoft/microsoft-graph-types';
import type { DirectoryPrincipalT, DirectoryRolesT } from '../../model/snapshot-schema.js';
import { bool, sortBy, str, strings, type EntraRun } from './common.js';
import { OWNER_SELECT, principalOf, principalsOf } from './directory-principal.js';
import { odataString, q } from './graph-client.js';
import { keptRules, policyIdOf } from './pim-policies.js';
import { scheduleInfoOf } from './pim-schedules.js';

export const DIRECTORY_ROLES_SOURCE =
  'GET /roleManagement/directory/{roleAssignments,roleEligibilitySchedules,roleDefinitions}, /policies/roleManagementPolicyAssignments (scopeType DirectoryRole), /directory/administrativeUnits/{id}/members/microsoft.graph.group, /groups/{id}/{members,owners} (role-holding groups)';

const BASE = '/roleManagement/directory';
export const ASSIGNMENTS_PATH = `${BASE}/roleAssignments?$select=id,principalId,roleDefinitionId,directoryScopeId&$expand=principal`;
export const ELIGIBILITIES_PATH = `${BASE}/roleEligibilitySchedules?$select=id,principalId,roleDefinitionId,directoryScopeId,memberType,status,scheduleInfo&$expand=principal`;
export const DEFINITIONS_PATH = `${BASE}/roleDefinitions?$select=id,displayName,isBuiltIn,isEnabled,templateId,rolePermissions`;
export const rolePolicyPath = (roleDefinitionId: string) =>
  `/policies/roleManagementPolicyAssignments?$filter=${q(`scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq ${odataString(roleDefinitionId)}`)}` +
  `&$select=id,policyId,scopeId,scopeType,roleDefinitionId&$expand=${q('policy($expand=rules)')}`;

export const auGroupMembersPath = (unitId: string) => `/directory/administrativeUnits/${encodeURIComponent(unitId)}/members/microsoft.graph.group?$select=id`;

export const groupHolderPath = (groupId: string, relation: 'members' | 'owners') => `/groups/${encodeURIComponent(groupId)}/${relation}?${OWNER_SELECT}`;

const AU_PREFIX = '/administrativeunits/';
/** The administrative unit a directoryScopeId names, or null for the tenant or one object. */
export function administrativeUnitOf(scope: string): string | null {
  return scope.toLowerCase().startsWith(AU_PREFIX) && scope.length > AU_PREFIX.length ? scope.slice(AU_PREFIX.length) : null;
}

type Assignment = DirectoryRolesT['assignments'][number];
type Eligibility = DirectoryRolesT['eligibilities'][number];
type Definition = DirectoryRolesT['definitions'][number];
type Policy = DirectoryRolesT['policies'][number];
type AdministrativeUnit = NonNullable<DirectoryRolesT['administrativeUnits']>[number];
type GroupHolder = NonNullable<DirectoryRolesT['groupHolders']>[number];

/** The groups that hold a role (principal typed group), each once case-insensitively, spelt as the first holder by id writes it. */
export function roleHoldingGroups(holders: readonly (Assignment | Eligibility)[]): string[] {
  const spelling = new Map<string, string>();
  for (const a of sortBy([...holders], (x) => x.id)) {
    if (a.principal?.type === 'group' && !spelling.has(a.principalId.toLowerCase())) spelling.set(a.principalId.toLowerCase(), a.principalId);
  }
  return [...spelling.values()].sort();
}

const principal = (p: unknown) => (p && typeof p === 'object' ? principalOf(p as Record<string, unknown>) : null);

/** One page of roleAssignments → the model (items without an id, role or principal are not assignments: dropped). */
export function mapRoleAssignments(items: UnifiedRoleAssignment[]): Assignment[] {
  const out: Assignment[] = [];
  for (const a of items) {
    if (!a.id || !a.roleDefinitionId || !a.principalId) continue;
    out.push({ id: a.id, roleDefinitionId: a.roleDefinitionId, principalId: a.principalId, directoryScopeId: a.directoryScopeId ?? '/', principal: principal(a.principal) });
  }
  return out;
}

export function mapRoleEligibilities(items: UnifiedRoleEligibilitySchedule[]): Eligibility[] {
  const out: Eligibility[] = [];
  for (const e of items) {
    if (!e.id || !e.roleDefinitionId || !e.principalId) continue;
    out.push({
      id: e.id,
      roleDefinitionId: e.roleDefinitionId,
      principalId: e.principalId,
      directoryScopeId: e.directoryScopeId ?? '/',
      principal: principal(e.principal),
      memberType: str(e.memberType) ?? 'Direct',
      status: str(e.status),
      scheduleInfo: scheduleInfoOf(e.scheduleInfo),
    });
  }
  return out;
}

export function mapRoleDefinitions(items: UnifiedRoleDefinition[]): Definition[] {
  const out: Definition[] = [];
  for (const d of items) {
    if (!d.id) continue;
    out.push({
      id: d.id,
      displayName: d.displayName ?? d.id,
      isBuiltIn: bool(d.isBuiltIn),
      isEnabled: bool(d.isEnabled),
      templateId: str(d.templateId),
      rolePermissions: (d.rolePermissions ?? []).map((p) => ({ allowedResourceActions: strings(p.allowedResourceActions).sort(), condition: str(p.condition) })),
    });
  }
  return out;
}

/**
 * One unit's members (the group cast) → the group ids, sorted. The cast returns groups only; an item
 * typed as anything else (a user, a device) is not a group and is dropped, as is one without an id.
 */
export function mapAdministrativeUnitGroups(items: Record<string, unknown>[]): string[] {
  const ids = items.filter((m) => typeof m.id === 'string' && m.id !== '' && (m['@odata.type'] === undefined || m['@odata.type'] === '#microsoft.graph.group')).map((m) => m.id as string);
  return [...new Set(ids)].sort();
}

/** A role's policy assignments → its policy (the one whose roleDefinitionId is that role; others ignored). */
export function mapRolePolicies(items: UnifiedRoleManagementPolicyAssignment[], roleDefinitionId: string): Policy[] {
  return items
    .filter((a) => a.roleDefinitionId === roleDefinitionId)
    .map((a) => ({ roleDefinitionId, policyId: policyIdOf(a), rules: keptRules(a) }));
}

export async function collectDirectoryRoles(run: EntraRun): Promise<DirectoryRolesT> {
  const tick = (what: string) => (n: number) => run.tick('entra.directoryRoles', `${n} ${what}`);
  const [assignments, eligibilities, allDefinitions] = await Promise.all([
    run.graph.listMapped(ASSIGNMENTS_PATH, mapRoleAssignments, tick('assignments')),
    run.graph.listMapped(ELIGIBILITIES_PATH, mapRoleEligibilities, tick('eligibilities')),
    run.graph.listMapped(DEFINITIONS_PATH, mapRoleDefinitions, tick('definitions')),
  ]);
  const named = new Set([...assignments, ...eligibilities].map((a) => a.roleDefinitionId));
  // An assignment names a role by its id, which for a built-in role is also its templateId.
  const definitions = allDefinitions.filter((d) => named.has(d.id) || (d.templateId !== null && named.has(d.templateId)));
  const eligibleRoles = [...new Set(eligibilities.map((e) => e.roleDefinitionId))].sort();
  // Each unit once, case-insensitively (Graph ids are GUIDs, written in either case across objects),
  // spelt as the first holder by id writes it: the same bytes whatever order the pages came in.
  const spelling = new Map<string, string>();
  for (const a of sortBy([...assignments, ...eligibilities], (x) => x.id)) {
    const id = administrativeUnitOf(a.directoryScopeId);
    if (id && !spelling.has(id.toLowerCase())) spelling.set(id.toLowerCase(), id);
  }
  const unitIds = [...spelling.values()].sort();
  // The role policies and the units' members do not depend on each other: read side by side.
  const groupIds = roleHoldingGroups([...assignments, ...eligibilities]);
  const groupReads = groupIds.flatMap((id) => (['members', 'owners'] as const).map((relation) => ({ key: `${relation}|${id}`, path: groupHolderPath(id, relation) })));
  // The role policies, the units' members and the role groups' members do not depend on each other: read side by side.
  const [results, unitResults, groupResults] = await Promise.all([
    run.graph.batchList<UnifiedRoleManagementPolicyAssignment, Policy>(
      eligibleRoles.map((id) => ({ key: id, path: rolePolicyPath(id) })),
      (done, total) => run.tick('entra.directoryRoles', `${done}/${total} role policies`),
      (items, id) => mapRolePolicies(items, id),
    ),
    run.graph.batchList<Record<string, unknown>, string>(
      unitIds.map((id) => ({ key: id, path: auGroupMembersPath(id) })),
      (done, total) => run.tick('entra.directoryRoles', `${done}/${total} administrative units`),
      (items) => mapAdministrativeUnitGroups(items),
    ),
    run.graph.batchList<Record<string, unknown>, DirectoryPrincipalT>(
      groupReads,
      (done, total) => run.tick('entra.directoryRoles', `${done}/${total} role group members and owners`),
      (items) => principalsOf(items),
    ),
  ]);
  const policies: Policy[] = [];
  for (const id of eligibleRoles) {
    const r = results.get(id)!;
    if (!r.ok) throw r.error;
    policies.push(...r.items);
  }
  const administrativeUnits: AdministrativeUnit[] = unitIds.map((id) => {
    const r = unitResults.get(id)!;
    return r.ok ? { id, groupIds: r.items, unreadReason: null } : { id, groupIds: null, unreadReason: `${r.error.status ?? 'no status'} ${r.error.code}: ${r.error.message}` };
  });
  const unread = administrativeUnits.filter((u) => u.groupIds === null);
  if (unread.length) {
    run.ctx.warn('entra.directoryRoles', `the members of ${unread.length} administrative unit(s) could not be read (the reach of roles scoped to them stays unknown; AdministrativeUnit.Read.All): ${unread.slice(0, 5).map((u) => `${u.id} (${u.unreadReason})`).join(', ')}`);
  }
  // A refused read keeps that list null with why: the group stays the only named holder, never "no members".
  const groupHolders: GroupHolder[] = groupIds.map((groupId) => {
    const [members, owners] = (['members', 'owners'] as const).map((relation) => groupResults.get(`${relation}|${groupId}`)!);
    const why = (['members', 'owners'] as const).flatMap((relation, i) => {
      const r = [members, owners][i]!;
      return r.ok ? [] : [`${relation}: ${r.error.status ?? 'no status'} ${r.error.code}: ${r.error.message}`];
    });
    return { groupId, members: members!.ok ? members!.items : null, owners: owners!.ok ? owners!.items : null, unreadReason: why.length ? why.join('; ') : null };
  });
  const unreadGroups = groupHolders.filter((g) => g.unreadReason !== null);
  if (unreadGroups.length) {
    run.ctx.warn('entra.directoryRoles', `the members or owners of ${unreadGroups.length} role-holding group(s) could not be read (the group stays the only holder named; GroupMember.Read.All): ${unreadGroups.slice(0, 5).map((g) => `${g.groupId} (${g.unreadReason})`).join(', ')}`);
  }
  const unknown = [...named].filter((id) => !definitions.some((d) => d.id === id || d.templateId === id)).sort();
  if (unknown.length) {
    run.ctx.warn('entra.directoryRoles', `${unknown.length} role(s) named by an assignment or eligibility have no definition: ${unknown.slice(0, 5).join(', ')}`);
  }
  return {
    definitions: sortBy(definitions, (d) => d.id),
    assignments: sortBy(assignments, (a) => a.id),
    eligibilities: sortBy(eligibilities, (e) => e.id),
    policies: sortBy(policies, (p) => p.roleDefinitionId, (p) => p.policyId),
    administrativeUnits,
    groupHolders,
  };
}
