// Conditional Access policies. Their tier allows 1 request per second per tenant and returns 429
// without Retry-After: the client backs off exponentially there.
//
// Every condition that can leave a population out is kept (locations, client app types, platforms,
// risk levels, device filter, guests): a policy that requires MFA only off-network or only in the
// browser is not enforcement for everyone, and the analysis must be able to say which one carved it out.
import type { ConditionalAccessGuestsOrExternalUsers, ConditionalAccessPolicy } from '@microsoft/microsoft-graph-types';
import type { Snapshot } from '../../model/snapshot-schema.js';
import { sortBy, str, strings, type EntraRun } from './common.js';

export type ConditionalAccessData = NonNullable<Snapshot['entra']['conditionalAccess']['data']>;
export const CONDITIONAL_ACCESS_SOURCE = 'GET /identity/conditionalAccess/policies';

type Policy = ConditionalAccessData[number];

function guests(g: ConditionalAccessGuestsOrExternalUsers | null | undefined) {
  if (!g) return null;
  const tenants = g.externalTenants as { membershipKind?: string | null; members?: unknown } | null | undefined;
  return {
    guestOrExternalUserTypes: str(g.guestOrExternalUserTypes) ?? '',
    externalTenants: tenants ? { membershipKind: str(tenants.membershipKind), members: strings(tenants.members) } : null,
  };
}

/** One policy as Graph returns it (v1.0), reduced to what the analysis judges. */
export function normaliseConditionalAccessPolicy(p: ConditionalAccessPolicy & { id: string }): Policy {
  const c = p.conditions;
  const apps = c?.applications;
  const users = c?.users;
  const g = p.grantControls;
  // allowedCombinations is on the expanded authenticationStrengthPolicy; the typings leave it out.
  const strength = g?.authenticationStrength as (NonNullable<typeof g>['authenticationStrength'] & { allowedCombinations?: unknown }) | null | undefined;
  const filter = c?.devices?.deviceFilter;
  return {
    id: p.id,
    displayName: p.displayName ?? p.id,
    state: str(p.state) ?? 'disabled',
    conditions: {
      applications: { includeApplications: strings(apps?.includeApplications), excludeApplications: strings(apps?.excludeApplications) },
      users: {
        includeUsers: strings(users?.includeUsers),
        excludeUsers: strings(users?.excludeUsers),
        includeGroups: strings(users?.includeGroups),
        excludeGroups: strings(users?.excludeGroups),
        includeRoles: strings(users?.includeRoles),
        excludeRoles: strings(users?.excludeRoles),
        includeGuestsOrExternalUsers: guests(users?.includeGuestsOrExternalUsers),
        excludeGuestsOrExternalUsers: guests(users?.excludeGuestsOrExternalUsers),
      },
      clientAppTypes: strings(c?.clientAppTypes),
      locations: c?.locations ? { includeLocations: strings(c.locations.includeLocations), excludeLocations: strings(c.locations.excludeLocations) } : null,
      platforms: c?.platforms ? { includePlatforms: strings(c.platforms.includePlatforms), excludePlatforms: strings(c.platforms.excludePlatforms) } : null,
      signInRiskLevels: strings(c?.signInRiskLevels),
      userRiskLevels: strings(c?.userRiskLevels),
      deviceFilter: filter && str(filter.rule) ? { mode: str(filter.mode) ?? 'include', rule: filter.rule! } : null,
    },
    grantControls: g
      ? {
          operator: g.operator ?? 'OR',
          builtInControls: strings(g.builtInControls),
          authenticationStrength: strength?.id
            ? {
                id: strength.id,
                displayName: strength.displayName ?? null,
                requirementsSatisfied: str(strength.requirementsSatisfied),
                allowedCombinations: strings(strength.allowedCombinations),
              }
            : null,
        }
      : null,
  };
}

export async function collectConditionalAccess(run: EntraRun): Promise<ConditionalAccessData> {
  const policies = await run.graph.list<ConditionalAccessPolicy>(
    '/identity/conditionalAccess/policies?$select=id,displayName,state,conditions,grantControls',
    (n) => run.tick('entra.conditionalAccess', `${n} policies`),
  );
  return sortBy(
    policies.filter((p): p is ConditionalAccessPolicy & { id: string } => !!p.id).map(normaliseConditionalAccessPolicy),
    (p) => p.id,
  );
}
