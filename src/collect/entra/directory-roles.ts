// Entra directory roles: who holds or may activate a role that can change the AWS app's groups, PIM
// for Groups or the app itself, without going through the groups' PIM. Four reads (RoleManagement.Read.Directory):
//   GET /roleManagement/directory/roleAssignments?$expand=principal          active (standing or activated)
//   GET /roleManagement/directory/roleAssignmentScheduleInstances             which of them are activations
//   GET /roleManagement/directory/roleEligibilitySchedules?$expand=principal  PIM-eligible, with schedule
//   GET /roleManagement/directory/roleDefinitions                             kept: the roles named above
//   GET /policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole'
//       and roleDefinitionId eq '…'&$expand=policy($expand=rules)          per eligible role, batched
//   GET /directory/administrativeUnits/{id}/members/microsoft.graph.group?$select=id
//       per administrative unit a role is scoped to, batched (AdministrativeUnit.Read.All)
//   GET /groups/{id}/members and /groups/{id}/owners ?$select=id,displayName,userPrincipalName,appId
//       per group that holds a role (a role-assignable group), batched (GroupMember.Read.All): its
//       direct members hold the role through it, and an owner can add themselves
//   GET /identityGovernance/privilegedAccess/group/eligibilitySchedules?$filter=groupId eq '…'&$expand=principal
//   GET /policies/roleManagementPolicyAssignments?$filter=scopeId eq '…' and scopeType eq 'Group'
//       per role-holding group, batched (PrivilegedEligibilitySchedule.Read.AzureADGroup,
//       RoleManagementPolicy.Read.AzureADGroup): who may activate its membership or ownership, and how
// The scope (directoryScopeId) is kept as Graph writes it: "/" tenant-wide, an administrative unit, or one object.
// A unit whose members cannot be read is kept with groupIds null and why: its reach stays unknown.
import type {
  UnifiedRoleAssignment,
  UnifiedRoleAssignmentScheduleInstance,
  UnifiedRoleDefinition,
  UnifiedRoleEligibilitySchedule,
  UnifiedRoleManagementPolicyAssignment,
} from '@microsoft/microsoft-graph-types';
import type { DirectoryPrincipalT, DirectoryRolesT } from '../../model/snapshot-schema.js';
import { accessIdOf, bool, iso, sortBy, str, strings, type EntraRun } from './common.js';
import { OWNER_SELECT, principalOf, principalsOf } from './directory-principal.js';
import { odataString, q } from './graph-client.js';
import { keptRules, policyIdOf, policyPath } from './pim-policies.js';
import { groupFilter, scheduleInfoOf } from './pim-schedules.js';

export const DIRECTORY_ROLES_SOURCE =
  'GET /roleManagement/directory/{roleAssignments,roleAssignmentScheduleInstances,roleEligibilitySchedules,roleDefinitions}, /policies/roleManagementPolicyAssignments (scopeType DirectoryRole), /directory/administrativeUnits/{id}/members/microsoft.graph.group, /groups/{id}/{members,owners} and /identityGovernance/privilegedAccess/group/eligibilitySchedules, /policies/roleManagementPolicyAssignments (scopeType Group) (role-holding groups)';

const BASE = '/roleManagement/directory';
export const ASSIGNMENTS_PATH = `${BASE}/roleAssignments?$select=id,principalId,roleDefinitionId,directoryScopeId&$expand=principal`;
export const INSTANCES_PATH = `${BASE}/roleAssignmentScheduleInstances?$select=id,principalId,roleDefinitionId,directoryScopeId,assignmentType,memberType,startDateTime,endDateTime,roleAssignmentOriginId,roleAssignmentScheduleId`;
export const ELIGIBILITIES_PATH = `${BASE}/roleEligibilitySchedules?$select=id,principalId,roleDefinitionId,directoryScopeId,memberType,status,scheduleInfo&$expand=principal`;
export const DEFINITIONS_PATH = `${BASE}/roleDefinitions?$select=id,displayName,isBuiltIn,isEnabled,templateId,rolePermissions`;
export const rolePolicyPath = (roleDefinitionId: string) =>
  `/policies/roleManagementPolicyAssignments?$filter=${q(`scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq ${odataString(roleDefinitionId)}`)}` +
  `&$select=id,policyId,scopeId,scopeType,roleDefinitionId&$expand=${q('policy($expand=rules)')}`;

export const auGroupMembersPath = (unitId: string) => `/directory/administrativeUnits/${encodeURIComponent(unitId)}/members/microsoft.graph.group?$select=id`;

export const groupHolderPath = (groupId: string, relation: 'members' | 'owners') => `/groups/${encodeURIComponent(groupId)}/${relation}?${OWNER_SELECT}`;

export const groupEligibilitiesPath = (groupId: string) =>
  `/identityGovernance/privilegedAccess/group/eligibilitySchedules?${groupFilter(groupId)}&$select=id,groupId,principalId,accessId,memberType,status,createdDateTime,scheduleInfo&$expand=principal`;

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
type GroupPim = NonNullable<GroupHolder['pim']>;
type GroupEligibility = NonNullable<GroupPim['eligibilities']>[number];
type GroupPolicy = NonNullable<GroupPim['policies']>[number];

/** One role assignment schedule instance, as much as the join and the model need. */
export interface AssignmentInstance {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  assignmentType: 'assigned' | 'activated' | null;
  endDateTime: string | null;
  roleAssignmentOriginId: string | null;
}

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

/** One page of roleAssignmentScheduleInstances → the instances (items without an id, role or principal dropped). */
export function mapRoleAssignmentInstances(items: UnifiedRoleAssignmentScheduleInstance[]): AssignmentInstance[] {
  const out: AssignmentInstance[] = [];
  for (const i of items) {
    if (!i.id || !i.roleDefinitionId || !i.principalId) continue;
    const type = String(i.assignmentType ?? '').toLowerCase();
    out.push({
      id: i.id,
      principalId: i.principalId,
      roleDefinitionId: i.roleDefinitionId,
      directoryScopeId: i.directoryScopeId ?? '/',
      // Graph writes Assigned / Activated; anything else is not guessed.
      assignmentType: type === 'assigned' || type === 'activated' ? type : null,
      endDateTime: iso(i.endDateTime),
      roleAssignmentOriginId: str(i.roleAssignmentOriginId),
    });
  }
  return out;
}

const instanceKey = (a: Pick<AssignmentInstance, 'principalId' | 'roleDefinitionId' | 'directoryScopeId'>) =>
  `${a.principalId}|${a.roleDefinitionId}|${a.directoryScopeId}`.toLowerCase();

/**
 * Each assignment marked assigned or activated (with its end) from its schedule instance: the one whose
 * roleAssignmentOriginId (or id) is the assignment's id, else the only kind among the instances of the
 * same holder, role and scope. No instance, or instances that disagree: null (read as standing, and said).
 */
export function withAssignmentTypes(assignments: Assignment[], instances: AssignmentInstance[]): Assignment[] {
  const byId = new Map<string, AssignmentInstance>();
  const byKey = new Map<string, AssignmentInstance[]>();
  for (const i of sortBy([...instances], (x) => x.id)) {
    for (const id of [i.roleAssignmentOriginId, i.id]) if (id && !byId.has(id)) byId.set(id, i);
    const k = instanceKey(i);
    byKey.set(k, [...(byKey.get(k) ?? []), i]);
  }
  return assignments.map((a) => {
    let found = byId.get(a.id) ?? null;
    if (!found) {
      const same = byKey.get(instanceKey(a)) ?? [];
      found = same.length > 0 && same.every((i) => i.assignmentType === same[0]!.assignmentType) ? same[0]! : null;
    }
    return { ...a, assignmentType: found?.assignmentType ?? null, endDateTime: found?.endDateTime ?? null };
  });
}

/** A role-holding group's PIM for Groups eligibilities (member and owner) → the model; unknown accessId or no principal: dropped. */
export function mapGroupEligibilities(items: Record<string, unknown>[]): GroupEligibility[] {
  const out: GroupEligibility[] = [];
  for (const r of items) {
    const accessId = accessIdOf(r.accessId);
    if (!accessId || typeof r.id !== 'string' || typeof r.groupId !== 'string' || typeof r.principalId !== 'string') continue;
    out.push({
      id: r.id,
      groupId: r.groupId,
      principalId: r.principalId,
      accessId,
      memberType: str(r.memberType) ?? 'Direct',
      status: str(r.status),
      createdDateTime: iso(r.createdDateTime),
      scheduleInfo: scheduleInfoOf(r.scheduleInfo as Parameters<typeof scheduleInfoOf>[0]),
      principal: principal(r.principal),
    });
  }
  return sortBy(out, (e) => e.id);
}

/** A role-holding group's policy assignments → its member and owner policies (as the app's groups' are kept). */
export function mapGroupPolicies(items: UnifiedRoleManagementPolicyAssignment[], groupId: string): GroupPolicy[] {
  const out: GroupPolicy[] = [];
  for (const a of items) {
    const role = accessIdOf(a.roleDefinitionId);
    if (role) out.push({ groupId, roleDefinitionId: role, policyId: policyIdOf(a), rules: keptRules(a) });
  }
  return sortBy(out, (p) => p.roleDefinitionId);
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
  // The instances tell a standing assignment from an activation. Same permission as the assignments:
  // a refused read fails the section (never a silent "standing", nor a silent "activated").
  const [rawAssignments, instances, eligibilities, allDefinitions] = await Promise.all([
    run.graph.listMapped(ASSIGNMENTS_PATH, mapRoleAssignments, tick('assignments')),
    run.graph.listMapped(INSTANCES_PATH, mapRoleAssignmentInstances, tick('assignment instances')),
    run.graph.listMapped(ELIGIBILITIES_PATH, mapRoleEligibilities, tick('eligibilities')),
    run.graph.listMapped(DEFINITIONS_PATH, mapRoleDefinitions, tick('definitions')),
  ]);
  const assignments = withAssignmentTypes(rawAssignments, instances);
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
  // Each role group's PIM for Groups eligibilities and policy: its eligible members and owners hold the role after one activation.
  const pimReads = groupIds.flatMap((id) => [
    { key: `eligibilities|${id}`, path: groupEligibilitiesPath(id) },
    { key: `policies|${id}`, path: policyPath(id) },
  ]);
  // The role policies, the units' members and the role groups' members do not depend on each other: read side by side.
  const [results, unitResults, groupResults, pimResults] = await Promise.all([
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
    run.graph.batchList<Record<string, unknown>, GroupEligibility | GroupPolicy>(
      pimReads,
      (done, total) => run.tick('entra.directoryRoles', `${done}/${total} role group PIM reads`),
      (items, key) => {
        const [what, groupId] = [key.slice(0, key.indexOf('|')), key.slice(key.indexOf('|') + 1)];
        return what === 'eligibilities' ? mapGroupEligibilities(items) : mapGroupPolicies(items as UnifiedRoleManagementPolicyAssignment[], groupId);
      },
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
    const elig = pimResults.get(`eligibilities|${groupId}`)!;
    const pol = pimResults.get(`policies|${groupId}`)!;
    const pimWhy = [
      ...(elig.ok ? [] : [`eligibilities: ${elig.error.status ?? 'no status'} ${elig.error.code}: ${elig.error.message}`]),
      ...(pol.ok ? [] : [`policy: ${pol.error.status ?? 'no status'} ${pol.error.code}: ${pol.error.message}`]),
    ];
    const pim: GroupPim = {
      eligibilities: elig.ok ? (elig.items as GroupEligibility[]) : null,
      policies: pol.ok ? (pol.items as GroupPolicy[]) : null,
      unreadReason: pimWhy.length ? pimWhy.join('; ') : null,
    };
    return { groupId, members: members!.ok ? members!.items : null, owners: owners!.ok ? owners!.items : null, unreadReason: why.length ? why.join('; ') : null, pim };
  });
  const unreadGroups = groupHolders.filter((g) => g.unreadReason !== null);
  if (unreadGroups.length) {
    run.ctx.warn('entra.directoryRoles', `the members or owners of ${unreadGroups.length} role-holding group(s) could not be read (the group stays the only holder named; GroupMember.Read.All): ${unreadGroups.slice(0, 5).map((g) => `${g.groupId} (${g.unreadReason})`).join(', ')}`);
  }
  const unreadPim = groupHolders.filter((g) => g.pim!.unreadReason !== null);
  if (unreadPim.length) {
    run.ctx.warn('entra.directoryRoles', `the PIM for Groups eligibilities or policy of ${unreadPim.length} role-holding group(s) could not be read (their eligible members and owners are not named; PrivilegedEligibilitySchedule.Read.AzureADGroup, RoleManagementPolicy.Read.AzureADGroup): ${unreadPim.slice(0, 5).map((g) => `${g.groupId} (${g.pim!.unreadReason})`).join(', ')}`);
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
