// GET /organization: the tenant's id, name and default domain.
import type { Organization } from '@microsoft/microsoft-graph-types';
import type { Snapshot } from '../../model/snapshot-schema.js';
import type { EntraRun } from './common.js';
import { GraphFailure } from './graph-client.js';

export type TenantData = NonNullable<Snapshot['entra']['tenant']['data']>;
export const TENANT_SOURCE = 'GET /organization';

export async function collectTenant(run: EntraRun): Promise<TenantData> {
  const orgs = await run.graph.list<Organization>('/organization?$select=id,displayName,verifiedDomains');
  const org = orgs[0];
  if (!org?.id) throw new GraphFailure(null, 'NoOrganization', 'GET /organization returned no organization');
  const domains = org.verifiedDomains ?? [];
  return {
    id: org.id,
    displayName: org.displayName ?? org.id,
    defaultDomain: domains.find((d) => d.isDefault)?.name ?? null,
  };
}
