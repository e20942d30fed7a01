// What every Entra API-surface module shares: the run context, the least-privilege permission
// behind each section, normalisation (timestamps, enum casing) and deterministic ordering.
import type { CollectorContext } from '../collectors.js';
import { GraphFailure, type Graph } from './graph-client.js';
import { compareStrings as cmp } from '../../util/compare.js';

export interface EntraRun {
  graph: Graph;
  ctx: CollectorContext;
  /** When collection started: the look-back is measured from here. */
  startedAt: Date;
  /** Report a page or an item count of a running section to the live display. */
  tick(section: string, detail: string): void;
}

/** The least-privileged Graph application permission that lets each section be read (docs/entra-collector.md). */
export const PERMISSION = {
  tenant: 'Organization.Read.All',
  enterpriseApp: 'Application.Read.All',
  provisioning: 'Synchronization.Read.All',
  groups: 'GroupMember.Read.All',
  users: 'User.Read.All',
  deletedUsers: 'User.Read.All',
  mfaRegistration: 'AuditLog.Read.All',
  pimSchedules: 'PrivilegedEligibilitySchedule.Read.AzureADGroup and PrivilegedAssignmentSchedule.Read.AzureADGroup',
  pimPolicies: 'RoleManagementPolicy.Read.AzureADGroup',
  activations: 'PrivilegedAssignmentSchedule.Read.AzureADGroup',
  eligibilityRequests: 'PrivilegedEligibilitySchedule.Read.AzureADGroup',
  conditionalAccess: 'Policy.Read.All',
  accessReviews: 'AccessReview.Read.All',
  directoryRoles: 'RoleManagement.Read.Directory',
  appOwners: 'Application.Read.All',
  workloadIdentities: 'Application.Read.All',
  accessPackages: 'EntitlementManagement.Read.All',
} as const;

export type EntraSection = keyof typeof PERMISSION;

/** The PIM schedule permissions are two: name the one whose endpoint failed. */
export const PIM_ELIGIBILITY_PERMISSION = 'PrivilegedEligibilitySchedule.Read.AzureADGroup';
export const PIM_ASSIGNMENT_PERMISSION = 'PrivilegedAssignmentSchedule.Read.AzureADGroup';

/** A section that could not even be tried because one it depends on is missing. */
export class DependencyMissing extends GraphFailure {
  constructor(
    readonly dependency: EntraSection,
    cause: GraphFailure,
  ) {
    super(cause.status, cause.code, `needs entra.${dependency}, which could not be collected: ${cause.message}`);
  }
}

/** A failure that carries its own fix (e.g. one of the two PIM schedule permissions). */
export class FailureWithFix extends GraphFailure {
  constructor(
    cause: GraphFailure,
    readonly fix: string,
  ) {
    super(cause.status, cause.code, cause.message);
  }
}

/** ISO-8601 timestamp in UTC, or null. */
export function iso(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

export const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
export const bool = (value: unknown): boolean | null => (typeof value === 'boolean' ? value : null);
export const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** PascalCase or lowercase enum from Graph → the model's lowercase member/owner (null for unknownFutureValue). */
export function accessIdOf(value: unknown): 'member' | 'owner' | null {
  const v = String(value ?? '').toLowerCase();
  return v === 'member' || v === 'owner' ? v : null;
}

/** Sort by one or more string keys: the same tenant always gives the same snapshot. */
export function sortBy<T>(items: T[], ...keys: ((item: T) => string | null | undefined)[]): T[] {
  return [...items].sort((x, y) => {
    for (const key of keys) {
      const c = cmp(key(x) ?? '', key(y) ?? '');
      if (c) return c;
    }
    return 0;
  });
}

