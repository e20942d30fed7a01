// Workload identities that can write: service principals holding a Microsoft Graph application
// permission (an app role of the Microsoft Graph service principal) that can change the AWS app's
// groups, their owners, PIM for Groups, directory roles or the app itself, with each one's owners (who
// can add a credential to it and act as it). Reads (Application.Read.All):
//   GET /servicePrincipals(appId='00000003-0000-0000-c000-000000000000')?$select=id,appRoles
//   GET /servicePrincipals/{graphSpId}/appRoleAssignedTo          every Graph application permission granted
//   per holder: GET /servicePrincipals/{id}, /servicePrincipals/{id}/owners, batched
// appRoleId → permission name through the Graph service principal's own appRoles (never a hard-coded id list).
import type { AppRole, AppRoleAssignment, ServicePrincipal } from '@microsoft/microsoft-graph-types';
import type { WorkloadIdentitiesT } from '../../model/snapshot-schema.js';
import { GraphFailure } from './graph-client.js';
import { bool, sortBy, str, type EntraRun } from './common.js';
import { OWNER_SELECT, principalsOf } from './directory-principal.js';

export const WORKLOAD_IDENTITIES_SOURCE =
  "GET /servicePrincipals(appId='00000003-0000-0000-c000-000000000000')/appRoleAssignedTo, /servicePrincipals/{id}, /servicePrincipals/{id}/owners";

export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/**
 * The Microsoft Graph application permissions kept, and why each one lets a workload identity give
 * someone the AWS app's access without PIM for Groups (names as in Microsoft's permissions reference).
 */
export const GRAPH_WRITE_PERMISSIONS: Readonly<Record<string, string>> = {
  'GroupMember.ReadWrite.All': "adds members and owners to the AWS app's groups (not role-assignable ones)",
  'Group.ReadWrite.All': "changes any group, its members and owners (not role-assignable ones)",
  'Directory.ReadWrite.All': 'changes directory objects, group membership included',
  'RoleManagement.ReadWrite.Directory': 'assigns any directory role, Global Administrator included, to anyone (itself too)',
  'RoleAssignmentSchedule.ReadWrite.Directory': 'creates active directory role assignments through PIM',
  'RoleEligibilitySchedule.ReadWrite.Directory': 'makes anyone eligible for a directory role through PIM',
  'PrivilegedAccess.ReadWrite.AzureADGroup': 'manages PIM for Groups assignments and eligibilities',
  'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup': "creates active PIM for Groups assignments to the AWS app's groups",
  'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup': "makes anyone eligible for the AWS app's groups",
  'RoleManagementPolicy.ReadWrite.AzureADGroup': "weakens the groups' PIM policy (approval, MFA, activation length)",
  'Application.ReadWrite.All': "changes the AWS app and adds credentials to any app or service principal (and acts as them)",
  'Application.ReadWrite.OwnedBy': 'changes the apps it owns: the AWS app when it is one of its owners (entra.appOwners)',
  'AppRoleAssignment.ReadWrite.All': 'assigns anyone to the AWS app, and grants itself any of the permissions above',
  'Synchronization.ReadWrite.All': "changes the AWS app's provisioning job (scope, mappings), so what Identity Center is told",
};

type Holder = WorkloadIdentitiesT['servicePrincipals'][number];

/** appRoleAssignedTo of the Graph service principal → holder id → permissions kept (only service principals). */
export function writePermissionsByHolder(assignments: AppRoleAssignment[], appRoles: AppRole[]): Map<string, { displayName: string | null; permissions: string[] }> {
  const valueOf = new Map(appRoles.filter((r) => r.id && r.value).map((r) => [r.id!, r.value!]));
  const out = new Map<string, { displayName: string | null; permissions: string[] }>();
  for (const a of assignments) {
    if (!a.principalId || String(a.principalType ?? '').toLowerCase() !== 'serviceprincipal') continue;
    const value = a.appRoleId ? valueOf.get(a.appRoleId) : undefined;
    if (!value || !Object.hasOwn(GRAPH_WRITE_PERMISSIONS, value)) continue;
    const entry = out.get(a.principalId) ?? { displayName: str(a.principalDisplayName), permissions: [] };
    if (!entry.permissions.includes(value)) entry.permissions.push(value);
    out.set(a.principalId, entry);
  }
  for (const e of out.values()) e.permissions.sort();
  return out;
}

export async function collectWorkloadIdentities(run: EntraRun): Promise<WorkloadIdentitiesT> {
  const graphSp = await run.graph.get<ServicePrincipal>(`/servicePrincipals(appId='${MICROSOFT_GRAPH_APP_ID}')?$select=id,appId,appRoles`);
  if (!graphSp.id) throw new GraphFailure(null, 'InvalidResponse', 'the Microsoft Graph service principal has no id');
  const assignments = await run.graph.list<AppRoleAssignment>(
    `/servicePrincipals/${encodeURIComponent(graphSp.id)}/appRoleAssignedTo?$select=id,principalId,principalType,principalDisplayName,appRoleId&$top=999`,
    (n) => run.tick('entra.workloadIdentities', `${n} Graph permission grants`),
  );
  const holders = writePermissionsByHolder(assignments, graphSp.appRoles ?? []);
  const ids = [...holders.keys()].sort();
  const results = await run.graph.batchList<Record<string, unknown>>(
    ids.flatMap((id) => [
      { key: `${id}|sp`, path: `/servicePrincipals/${encodeURIComponent(id)}?$select=id,appId,displayName,accountEnabled,servicePrincipalType` },
      { key: `${id}|owners`, path: `/servicePrincipals/${encodeURIComponent(id)}/owners?${OWNER_SELECT}` },
    ]),
    (done, total) => run.tick('entra.workloadIdentities', `${done}/${total} service principals`),
  );
  const out: Holder[] = [];
  for (const id of ids) {
    const sp = results.get(`${id}|sp`)!;
    const owners = results.get(`${id}|owners`)!;
    // Deleted since the grant was listed: the grant goes with it.
    if (!sp.ok && sp.error.status === 404) {
      run.ctx.warn('entra.workloadIdentities', `service principal ${id} holds Graph permissions but GET /servicePrincipals/${id} returned 404: skipped`);
      continue;
    }
    if (!sp.ok) throw sp.error;
    if (!owners.ok) throw owners.error;
    const s = (sp.items[0] ?? {}) as ServicePrincipal;
    const held = holders.get(id)!;
    out.push({
      id,
      appId: str(s.appId),
      displayName: str(s.displayName) ?? held.displayName,
      accountEnabled: bool(s.accountEnabled),
      servicePrincipalType: str(s.servicePrincipalType),
      permissions: held.permissions,
      owners: principalsOf(owners.items),
    });
  }
  return { graphServicePrincipalId: graphSp.id, servicePrincipals: sortBy(out, (s) => s.id) };
}
