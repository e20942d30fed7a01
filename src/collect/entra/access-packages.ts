// Entitlement-management access packages that hand out one of the AWS app's groups: another way into
// the group, often without PIM. Three reads (EntitlementManagement.Read.All):
//   GET /identityGovernance/entitlementManagement/accessPackages?$expand=resourceRoleScopes($expand=role,scope)
//       every package with its resource roles, listed whole (paged); kept when a role is a group
//       role (originSystem AadGroup) on a group assigned to the app
//   GET …/accessPackages/{id}?$expand=assignmentPolicies          per kept package, batched
//   GET …/assignments?$filter=accessPackage/id eq '…'&$expand=target,assignmentPolicy   per kept package, batched
//   GET /roleManagement/entitlementManagement/roleAssignments?$expand=principal        once, when a package is kept:
//       catalog owners, access package managers and assignment managers of the kept packages' catalogs
//       (or tenant-wide), who can change the packages' policies or assign anyone to them directly
// Only the app's groups are followed: policies and assignments are read per package, so following every
// package that holds some group would multiply the calls and the snapshot by data nothing audits (and
// AWS's SCIM does not provision nested groups, so a package on another group gives no AWS access).
// A kept package keeps all its resource roles, so the analysis sees the whole package.
// A tenant without the licence answers 403 NoLicense ("Tenant does not meet license requirement"):
// the section is missing with the licence as its fix, never "no packages".
import type {
  AccessPackage,
  AccessPackageCatalog,
  AccessPackageApprovalStage,
  AccessPackageAssignment,
  AccessPackageAssignmentPolicy,
  AccessPackageResourceRoleScope,
  ExpirationPattern,
  SubjectSet,
  UnifiedRoleAssignment,
} from '@microsoft/microsoft-graph-types';
import { CATALOG_ROLES, type AccessPackagesT, type CatalogRoleAssignmentT } from '../../model/snapshot-schema.js';
import { principalOf } from './directory-principal.js';
import { FailureWithFix, bool, iso, sortBy, str, type EntraRun } from './common.js';
import { GraphFailure, odataString, q, toFailure } from './graph-client.js';

export const ACCESS_PACKAGES_SOURCE =
  'GET /identityGovernance/entitlementManagement/accessPackages (resourceRoleScopes, assignmentPolicies, catalog), /identityGovernance/entitlementManagement/assignments, /roleManagement/entitlementManagement/roleAssignments';
export const ACCESS_PACKAGES_LICENCE_FIX =
  'a Microsoft Entra ID P2 or Microsoft Entra ID Governance licence in the tenant (entitlement management), then EntitlementManagement.Read.All';

const BASE = '/identityGovernance/entitlementManagement';
export const PACKAGES_PATH = `${BASE}/accessPackages?$select=id,displayName,isHidden&$expand=${q('resourceRoleScopes($expand=role,scope)')}`;
export const packagePoliciesPath = (id: string) => `${BASE}/accessPackages/${encodeURIComponent(id)}?$select=id&$expand=assignmentPolicies,catalog`;
export const packageAssignmentsPath = (id: string) =>
  `${BASE}/assignments?$filter=${q(`accessPackage/id eq ${odataString(id)}`)}&$select=id,state,status,expiredDateTime,schedule&$expand=${q('target,assignmentPolicy')}`;

export const CATALOG_ROLE_ASSIGNMENTS_PATH = '/roleManagement/entitlementManagement/roleAssignments?$select=id,principalId,roleDefinitionId,appScopeId,directoryScopeId&$expand=principal';

const CATALOG_SCOPE = /^\/AccessPackageCatalog\/(.+)$/i;

type Package = AccessPackagesT['packages'][number];
type RoleScope = Package['resourceRoleScopes'][number];
type Policy = Package['policies'][number];
type Assignment = Package['assignments'][number];
type Subject = Policy['specificAllowedTargets'][number];
type Expiration = NonNullable<Policy['expiration']>;
type Stage = NonNullable<Policy['requestApprovalSettings']>['stages'][number];

/** A licence refusal carries the licence as its fix; any other failure keeps the section's permission. */
export function withLicenceFix(error: unknown): GraphFailure {
  const f = toFailure(error);
  const licence = f.code.toLowerCase() === 'nolicense' || /licen[cs]e requirement/i.test(f.message);
  return licence ? new FailureWithFix(f, ACCESS_PACKAGES_LICENCE_FIX) : f;
}

/** A group role: "Member_<groupId>" / "Owner_<groupId>" in the role's originId, the group in the scope's. */
export function roleScopeOf(rs: AccessPackageResourceRoleScope): RoleScope | null {
  if (!rs.id) return null;
  const role = rs.role ?? null;
  const scope = rs.scope ?? null;
  const roleSystem = str(role?.originSystem);
  const roleOrigin = str(role?.originId);
  let groupId: string | null = null;
  let access: RoleScope['access'] = null;
  if (roleSystem === 'AadGroup') {
    const m = /^(Member|Owner)_(.+)$/i.exec(roleOrigin ?? '');
    access = m ? (m[1]!.toLowerCase() as 'member' | 'owner') : null;
    // The scope names the group; the role's originId repeats it after the role name.
    groupId = (str(scope?.originSystem) === 'AadGroup' ? str(scope?.originId) : null) ?? str(role?.resource?.originId) ?? m?.[2] ?? null;
  }
  return {
    id: rs.id,
    role: { displayName: str(role?.displayName), originSystem: roleSystem, originId: roleOrigin },
    scope: { displayName: str(scope?.displayName), originSystem: str(scope?.originSystem), originId: str(scope?.originId), isRootScope: bool(scope?.isRootScope) },
    groupId,
    access,
  };
}

/** A subjectSet by its @odata.type: who may request, approve or review. */
export function subjectOf(s: SubjectSet): Subject {
  const raw = s as Record<string, unknown>;
  const type = String(raw['@odata.type'] ?? '').replace(/^#?microsoft\.graph\./, '');
  const level = raw.managerLevel;
  return {
    type: type || 'unknown',
    userId: str(raw.userId),
    groupId: str(raw.groupId),
    connectedOrganizationId: str(raw.connectedOrganizationId),
    membershipRule: str(raw.membershipRule),
    managerLevel: typeof level === 'number' && Number.isInteger(level) ? level : null,
  };
}
const subjects = (v: SubjectSet[] | null | undefined): Subject[] => (Array.isArray(v) ? v.map(subjectOf) : []);

export function expirationOf(e: ExpirationPattern | null | undefined): Expiration | null {
  if (!e) return null;
  return { type: str(e.type) ?? 'notSpecified', endDateTime: iso(e.endDateTime), duration: str(e.duration) };
}

function stageOf(s: AccessPackageApprovalStage): Stage {
  return {
    durationBeforeAutomaticDenial: str(s.durationBeforeAutomaticDenial),
    isEscalationEnabled: bool(s.isEscalationEnabled),
    primaryApprovers: subjects(s.primaryApprovers),
    fallbackPrimaryApprovers: subjects(s.fallbackPrimaryApprovers),
    escalationApprovers: subjects(s.escalationApprovers),
    fallbackEscalationApprovers: subjects(s.fallbackEscalationApprovers),
  };
}

export function policyOf(p: AccessPackageAssignmentPolicy): Policy | null {
  if (!p.id) return null;
  const approval = p.requestApprovalSettings;
  const requestor = p.requestorSettings;
  const auto = p.automaticRequestSettings;
  const review = p.reviewSettings;
  return {
    id: p.id,
    displayName: str(p.displayName),
    allowedTargetScope: str(p.allowedTargetScope),
    specificAllowedTargets: subjects(p.specificAllowedTargets),
    requestorSettings: requestor
      ? {
          enableTargetsToSelfAddAccess: bool(requestor.enableTargetsToSelfAddAccess),
          enableOnBehalfRequestorsToAddAccess: bool(requestor.enableOnBehalfRequestorsToAddAccess),
          allowCustomAssignmentSchedule: bool(requestor.allowCustomAssignmentSchedule),
          onBehalfRequestors: subjects(requestor.onBehalfRequestors),
        }
      : null,
    requestApprovalSettings: approval
      ? {
          isApprovalRequiredForAdd: bool(approval.isApprovalRequiredForAdd),
          isApprovalRequiredForUpdate: bool(approval.isApprovalRequiredForUpdate),
          isRequestorJustificationRequired: bool(approval.isRequestorJustificationRequired),
          stages: (approval.stages ?? []).map(stageOf),
        }
      : null,
    automaticRequestSettings: auto
      ? {
          requestAccessForAllowedTargets: bool(auto.requestAccessForAllowedTargets),
          removeAccessWhenTargetLeavesAllowedTargets: bool(auto.removeAccessWhenTargetLeavesAllowedTargets),
          gracePeriodBeforeAccessRemoval: str(auto.gracePeriodBeforeAccessRemoval),
        }
      : null,
    expiration: expirationOf(p.expiration),
    reviewSettings: review
      ? {
          isEnabled: bool(review.isEnabled),
          expirationBehavior: str(review.expirationBehavior),
          recurrence: str(review.schedule?.recurrence?.pattern?.type)
            ? { type: String(review.schedule!.recurrence!.pattern!.type), interval: Number.isInteger(review.schedule?.recurrence?.pattern?.interval) ? review.schedule!.recurrence!.pattern!.interval! : null }
            : null,
          primaryReviewers: subjects(review.primaryReviewers),
        }
      : null,
  };
}

/** Assignments of one package → the model; expired ones are history, not access: dropped. */
export function mapAssignments(items: AccessPackageAssignment[]): Assignment[] {
  const out: Assignment[] = [];
  for (const a of items) {
    if (!a.id) continue;
    const state = str(a.state);
    if (state?.toLowerCase() === 'expired') continue;
    const t = a.target;
    const s = a.schedule;
    out.push({
      id: a.id,
      state,
      status: str(a.status),
      assignmentPolicyId: str(a.assignmentPolicy?.id),
      target: t
        ? { objectId: str(t.objectId), subjectType: str(t.subjectType), displayName: str(t.displayName), principalName: str(t.principalName), email: str(t.email) }
        : null,
      schedule: s ? { startDateTime: iso(s.startDateTime), expiration: expirationOf(s.expiration) } : null,
      expiredDateTime: iso(a.expiredDateTime),
    });
  }
  return out;
}

/** One page of the package listing → the packages with a role on one of `groupIds` (policies and assignments still to read). */
export function mapPackages(items: AccessPackage[], groupIds: ReadonlySet<string>): Package[] {
  const out: Package[] = [];
  for (const p of items) {
    if (!p.id) continue;
    const scopes = (p.resourceRoleScopes ?? []).map(roleScopeOf).filter((r): r is RoleScope => r !== null);
    if (!scopes.some((r) => r.groupId !== null && groupIds.has(r.groupId.toLowerCase()))) continue;
    out.push({
      id: p.id,
      displayName: str(p.displayName),
      isHidden: bool(p.isHidden),
      resourceRoleScopes: sortBy(scopes, (r) => r.id),
      policies: [],
      assignments: [],
    });
  }
  return out;
}

/**
 * One page of entitlement-management role assignments → the capable roles (CATALOG_ROLES) on one of
 * `catalogIds` (compared without case; null: a kept package's catalog is not known, so every catalog),
 * tenant-wide (directoryScopeId "/"), or at a scope jitaudit does not know (kept: the analysis counts
 * its reach as unknown, never as nothing).
 */
export function mapCatalogRoleAssignments(items: UnifiedRoleAssignment[], catalogIds: ReadonlySet<string> | null): CatalogRoleAssignmentT[] {
  const out: CatalogRoleAssignmentT[] = [];
  for (const a of items) {
    if (!a.id || !a.principalId || !a.roleDefinitionId || !CATALOG_ROLES[a.roleDefinitionId.toLowerCase()]) continue;
    const appScopeId = str(a.appScopeId);
    const catalog = appScopeId ? CATALOG_SCOPE.exec(appScopeId)?.[1] : undefined;
    if (catalog !== undefined && catalogIds !== null && !catalogIds.has(catalog.toLowerCase())) continue;
    const p = a.principal as Record<string, unknown> | null | undefined;
    out.push({
      id: a.id,
      roleDefinitionId: a.roleDefinitionId.toLowerCase(),
      principalId: a.principalId,
      principal: p && typeof p === 'object' ? principalOf(p) : null,
      appScopeId,
      directoryScopeId: str(a.directoryScopeId),
    });
  }
  return out;
}

export async function collectAccessPackages(run: EntraRun, groupIds: string[]): Promise<AccessPackagesT> {
  const wanted = new Set(groupIds.map((g) => g.toLowerCase()));
  const tick = (d: string) => run.tick('entra.accessPackages', d);
  let packages: Package[];
  try {
    packages = await run.graph.listMapped<AccessPackage, Package>(PACKAGES_PATH, (items) => mapPackages(items, wanted), (n) => tick(`${n} packages read`));
  } catch (error) {
    throw withLicenceFix(error);
  }
  const results = await run.graph.batchList<Record<string, unknown>, Record<string, unknown>>(
    packages.flatMap((p) => [
      { key: `${p.id}|policies`, path: packagePoliciesPath(p.id) },
      { key: `${p.id}|assignments`, path: packageAssignmentsPath(p.id) },
    ]),
    (done, total) => tick(`${done}/${total} policy and assignment reads`),
  );
  for (const p of packages) {
    const pol = results.get(`${p.id}|policies`)!;
    const asg = results.get(`${p.id}|assignments`)!;
    if (!pol.ok) throw withLicenceFix(pol.error);
    if (!asg.ok) throw withLicenceFix(asg.error);
    // The package itself came back: its expanded policies and catalog are what we keep.
    const self = pol.items[0] as AccessPackage | undefined;
    const policies = (self?.assignmentPolicies ?? []).map(policyOf).filter((x): x is Policy => x !== null);
    p.policies = sortBy(policies, (x) => x.id);
    p.assignments = sortBy(mapAssignments(asg.items as AccessPackageAssignment[]), (a) => a.id);
    p.catalog = catalogOf(self?.catalog);
  }
  // Who can change these packages or assign to them: only asked when a package is kept (no package on
  // the app's groups: no catalog role reaches them, and the list is truly empty).
  let roleAssignments: CatalogRoleAssignmentT[] = [];
  if (packages.length) {
    const catalogIds = packages.every((p) => p.catalog) ? new Set(packages.map((p) => p.catalog!.id.toLowerCase())) : null;
    try {
      roleAssignments = await run.graph.listMapped<UnifiedRoleAssignment, CatalogRoleAssignmentT>(
        CATALOG_ROLE_ASSIGNMENTS_PATH,
        (items) => mapCatalogRoleAssignments(items, catalogIds),
        (n) => tick(`${n} catalog role assignments read`),
      );
    } catch (error) {
      throw withLicenceFix(error);
    }
  }
  return { packages: sortBy(packages, (p) => p.id), roleAssignments: sortBy(roleAssignments, (a) => a.id) };
}

const catalogOf = (c: AccessPackageCatalog | null | undefined): Package['catalog'] => (c?.id ? { id: c.id, displayName: str(c.displayName) } : null);
