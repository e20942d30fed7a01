// The IAM Identity Center enterprise app: its service principal (by configured service-principal
// id, else app id, else display name) and the users and groups assigned to it (appRoleAssignedTo).
import type { AppRoleAssignment, ServicePrincipal } from '@microsoft/microsoft-graph-types';
import type { Snapshot } from '../../model/snapshot-schema.js';
import { sortBy, type EntraRun } from './common.js';
import { GraphFailure, odataString, q } from './graph-client.js';

export type EnterpriseAppData = NonNullable<Snapshot['entra']['enterpriseApp']['data']>;
export const ENTERPRISE_APP_SOURCE = 'GET /servicePrincipals/{id}/appRoleAssignedTo';

/** The gallery app's display name (the exact string is unverified: configure the id when you can). */
export const DEFAULT_APP_DISPLAY_NAME = 'AWS IAM Identity Center (successor to AWS Single Sign-On)';

const SP_SELECT = '$select=id,appId,displayName';

export async function findServicePrincipal(run: EntraRun): Promise<ServicePrincipal> {
  const wanted = run.ctx.config.raw.entra?.enterpriseApp ?? {};
  const g = run.graph;
  if (wanted.servicePrincipalId) {
    return g.get<ServicePrincipal>(`/servicePrincipals/${encodeURIComponent(wanted.servicePrincipalId)}?${SP_SELECT}`);
  }
  if (wanted.appId) {
    return g.get<ServicePrincipal>(`/servicePrincipals(appId=${q(odataString(wanted.appId))})?${SP_SELECT}`);
  }
  const name = wanted.displayName ?? DEFAULT_APP_DISPLAY_NAME;
  const found = await g.list<ServicePrincipal>(`/servicePrincipals?$filter=${q(`displayName eq ${odataString(name)}`)}&${SP_SELECT}&$top=999`);
  if (found.length === 0) {
    throw new GraphFailure(404, 'EnterpriseAppNotFound', `no service principal is named "${name}"; set entra.enterpriseApp.servicePrincipalId or appId in the config`);
  }
  if (found.length > 1) {
    const ids = sortBy(found, (s) => s.id).map((s) => s.id).join(', ');
    throw new GraphFailure(null, 'EnterpriseAppAmbiguous', `${found.length} service principals are named "${name}" (${ids}); set entra.enterpriseApp.servicePrincipalId in the config`);
  }
  return found[0]!;
}

export async function collectEnterpriseApp(run: EntraRun): Promise<EnterpriseAppData> {
  const sp = await findServicePrincipal(run);
  if (!sp.id || !sp.appId) throw new GraphFailure(null, 'IncompleteServicePrincipal', 'the service principal has no id or appId');
  const assigned = await run.graph.list<AppRoleAssignment>(
    `/servicePrincipals/${encodeURIComponent(sp.id)}/appRoleAssignedTo?$select=principalId,principalType,principalDisplayName,appRoleId&$top=999`,
    (n) => run.tick('entra.enterpriseApp', `${n} assignments`),
  );
  return {
    servicePrincipalId: sp.id,
    appId: sp.appId,
    displayName: sp.displayName ?? sp.appId,
    appRoleAssignments: sortBy(
      assigned
        .filter((a) => a.principalId)
        .map((a) => ({
          principalId: a.principalId!,
          principalType: a.principalType ?? 'Unknown',
          principalDisplayName: a.principalDisplayName ?? null,
          appRoleId: a.appRoleId ?? '00000000-0000-0000-0000-000000000000',
        })),
      (a) => a.principalId,
      (a) => a.appRoleId,
    ),
  };
}

/** The group ids assigned to the app, sorted. */
export const assignedGroupIds = (app: EnterpriseAppData) =>
  [...new Set(app.appRoleAssignments.filter((a) => a.principalType.toLowerCase() === 'group').map((a) => a.principalId))].sort();

export const assignedUserIds = (app: EnterpriseAppData) =>
  app.appRoleAssignments.filter((a) => a.principalType.toLowerCase() === 'user').map((a) => a.principalId);
