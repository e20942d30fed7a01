// Access packages as a way around the JIT: an entitlement-management policy that lets people add
// themselves to an access package holding one of the AWS app's groups gives them a plain membership
// (or an ownership) of that group — outside PIM, with whatever approval, expiry and reviews the
// policy sets. The accessPackages collection: one item per (package, policy) that allows
// self-requests; its paths are every access path through the package's groups (the shared reach
// arrays of control-plane.ts). A collection of its own, not a kind of controlPlane: `needs` is per
// collection, and a tenant without the Governance licence (entra.accessPackages not read) must not
// hold up the directory-role, app-owner and workload-identity rules.
// People who hold the package now are members of the group already: they are the group's direct-member
// access paths, not items here.
import { CATALOG_ROLES, type AccessPackagesT, type CatalogRoleAssignmentT, type Snapshot } from '../model/snapshot-schema.js';
import { isoToSeconds, isoToWords, secondsToIso } from '../util/duration.js';
import { portalSessionTerm, scimLagTerm } from './access-paths.js';
import type { PathsWithParts } from './access-paths.js';
import { reachesFor, reachFields } from './control-plane.js';
import type { SnapshotIndex } from './snapshot-index.js';
import type { ResourceItem } from './types.js';
import { effectiveWindow, term, type EffectiveWindow } from './window.js';

type Package = AccessPackagesT['packages'][number];
type Policy = Package['policies'][number];
type Subject = Policy['specificAllowedTargets'][number];

/**
 * allowedTargetScope (Graph's allowedTargetScope enum), in words, and whether it is broad: anyone of
 * a whole population may request, not people someone picked. A value not in this table (a new one,
 * or none) is shown as unknown and counted as broad: never a false clean.
 */
export const TARGET_SCOPES: Readonly<Record<string, { words: string; broad: boolean }>> = {
  specificDirectoryUsers: { words: 'specific users of the directory', broad: false },
  specificConnectedOrganizationUsers: { words: 'specific users of connected organisations', broad: false },
  specificDirectoryServicePrincipals: { words: 'specific service principals of the directory', broad: false },
  allMemberUsers: { words: 'all member users of the tenant', broad: true },
  allDirectoryUsers: { words: 'all users of the directory, guests included', broad: true },
  allDirectoryServicePrincipals: { words: 'all service principals of the directory', broad: true },
  allConfiguredConnectedOrganizationUsers: { words: 'all users of every connected organisation', broad: true },
  allExternalUsers: { words: 'any external user, connected organisation or not', broad: true },
};

/** The package's own fields of an access-package item (resource-types.ts documents them). */
export interface AccessPackageFields {
  id: string;
  displayName: string | null;
  isHidden: boolean | null;
  policyId: string;
  policyName: string | null;
  requestorScope: string | null;
  requestorScopeKnown: boolean;
  specificRequestors: string[];
  requestorUserIds: string[];
  selfAdd: boolean | null;
  approvalStages: number;
  approvers: string[];
  justificationRequired: boolean | null;
  expiration: { type: string; endDateTime: string | null; duration: string | null } | null;
  timeBound: boolean;
  grants: { groupId: string; groupName: string | null; access: string }[];
  assignmentCount: number;
  packageAssignmentCount: number;
}

/** Who a subject set is, in words: a user by their userPrincipalName when the snapshot has them. */
function subjectWords(ix: SnapshotIndex, s: Subject): string {
  switch (s.type) {
    case 'singleUser': {
      const user = s.userId ? ix.usersById.get(s.userId)?.value : undefined;
      return user ? user.userPrincipalName : `user ${s.userId ?? '(no id)'}`;
    }
    case 'groupMembers': {
      const group = s.groupId ? ix.groupsById.get(s.groupId)?.value : undefined;
      return `members of group ${group?.displayName ?? s.groupId ?? '(no id)'}`;
    }
    case 'connectedOrganizationMembers':
      return `users of connected organisation ${s.connectedOrganizationId ?? '(no id)'}`;
    case 'requestorManager':
      return s.managerLevel && s.managerLevel > 1 ? `the requestor's manager (level ${s.managerLevel})` : "the requestor's manager";
    case 'attributeRuleMembers':
      return `users matching ${s.membershipRule ?? '(no rule)'}`;
    case 'internalSponsors':
      return 'internal sponsors';
    case 'externalSponsors':
      return 'external sponsors';
    case 'targetUserSponsors':
      return "the requestor's sponsors";
    default:
      return s.type || 'an unknown subject';
  }
}

/** How long an assignment lasts, in words, and its window term when it is time-bound. */
function lasting(ix: SnapshotIndex, p: Policy, where: string): { words: string; activation: ReturnType<typeof term> | null } {
  const e = p.expiration;
  if (!e) return { words: 'not said (no expiration in the policy)', activation: null };
  const source = `${where}: expiration (${e.type})`;
  if (e.type === 'afterDuration') {
    const seconds = e.duration ? isoToSeconds(e.duration) : null;
    if (seconds === null) return { words: `unknown (duration ${e.duration ?? 'missing'})`, activation: null };
    return { words: `${isoToWords(e.duration!)} per assignment`, activation: term(e.duration, { status: 'collected', source }) };
  }
  if (e.type === 'afterDateTime') {
    const end = e.endDateTime ? Date.parse(e.endDateTime) : NaN;
    if (Number.isNaN(end)) return { words: `unknown (end ${e.endDateTime ?? 'missing'})`, activation: null };
    const left = Math.max(0, Math.floor((end - ix.now) / 1000));
    return { words: `until ${e.endDateTime}`, activation: term(secondsToIso(left), { status: 'collected', source: `${source}: from the snapshot time to ${e.endDateTime}` }) };
  }
  if (e.type === 'noExpiration') return { words: 'no end (noExpiration)', activation: null };
  return { words: `not said (${e.type})`, activation: null };
}

const sortedUnique = (xs: string[]) => [...new Set(xs)].sort();

/**
 * The accessPackages collection (resource-types.ts documents each field): per package holding one of
 * the app's groups, per policy that lets people add themselves (self-add on, or not said: unknown is
 * not off) and names someone who may request. Empty without entra.accessPackages data.
 */
export function accessPackages(ix: SnapshotIndex, found: PathsWithParts, all: readonly number[], byGroup: ReadonlyMap<string, readonly number[]>): ResourceItem[] {
  const data = (ix.snapshot as Snapshot).entra.accessPackages?.data ?? null;
  if (!data) return [];
  const reaches = reachesFor(ix, found, all, byGroup);
  const out: ResourceItem[] = [];
  data.packages.forEach((pkg, i) => {
    const grants = pkg.resourceRoleScopes
      .filter((rs) => rs.groupId !== null && ix.groupsById.has(rs.groupId))
      .map((rs) => ({ groupId: rs.groupId!, groupName: ix.groupsById.get(rs.groupId!)!.value.displayName ?? null, access: rs.access ?? 'unknown' }))
      .sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : a.access < b.access ? -1 : a.access > b.access ? 1 : 0));
    if (!grants.length) return;
    // Member and owner both reach the group's paths (an owner adds members); an unreadable role counts too.
    const reach = reaches.groups(grants.map((g) => g.groupId));
    const capabilities = sortedUnique(grants.map((g) => (g.access === 'owner' ? 'group-owners' : 'group-members')));
    const packageName = pkg.displayName ?? pkg.id;
    const grantWords = grants.map((g) => `${g.access} of ${g.groupName ?? g.groupId}`).join(', ');
    pkg.policies.forEach((policy, j) => {
      const selfAdd = policy.requestorSettings?.enableTargetsToSelfAddAccess ?? null;
      if (selfAdd === false || policy.allowedTargetScope === 'notSpecified' || policy.automaticRequestSettings !== null) return;
      const where = `access package "${packageName}" policy "${policy.displayName ?? policy.id}"`;
      const scope = policy.allowedTargetScope;
      const known = scope !== null ? TARGET_SCOPES[scope] : undefined;
      const specific = policy.specificAllowedTargets.map((s) => subjectWords(ix, s));
      const requestors = known
        ? known.broad || !specific.length
          ? known.words
          : specific.join(', ')
        : `unknown (${scope ?? 'no allowedTargetScope'}; counted as broad)`;
      const broad = known ? known.broad : true;
      const approval = policy.requestApprovalSettings;
      const approvalRequired = approval?.isApprovalRequiredForAdd ?? null;
      const stages = approvalRequired ? (approval?.stages ?? []) : [];
      const approvers = stages.map((s, n) => `stage ${n + 1}: ${[...s.primaryApprovers, ...s.fallbackPrimaryApprovers].map((a) => subjectWords(ix, a)).join(', ') || '(no approver named)'}`);
      const last = lasting(ix, policy, where);
      const window: EffectiveWindow | null = last.activation
        ? effectiveWindow({
            activation: last.activation,
            scimLag: scimLagTerm(ix),
            portalSession: portalSessionTerm(ix),
            permissionSetSession: reach.longestSession
              ? term(reach.longestSession.value, { status: 'collected', source: `permission set ${reach.longestSession.name}: SessionDuration (the longest among the paths it can take over)` })
              : term(null, { status: 'missing', source: 'no access path to take over' }),
          })
        : null;
      const reviewsEnabled = policy.reviewSettings ? (policy.reviewSettings.isEnabled ?? null) : false;
      const accessPackage: AccessPackageFields = {
        id: pkg.id,
        displayName: pkg.displayName,
        isHidden: pkg.isHidden,
        policyId: policy.id,
        policyName: policy.displayName,
        requestorScope: scope,
        requestorScopeKnown: known !== undefined,
        specificRequestors: specific,
        requestorUserIds: sortedUnique(policy.specificAllowedTargets.filter((s) => s.type === 'singleUser' && s.userId).map((s) => s.userId!)),
        selfAdd,
        approvalStages: stages.length,
        approvers,
        justificationRequired: approval?.isRequestorJustificationRequired ?? null,
        expiration: policy.expiration ? { type: policy.expiration.type, endDateTime: policy.expiration.endDateTime, duration: policy.expiration.duration } : null,
        timeBound: window !== null,
        grants,
        assignmentCount: pkg.assignments.filter((a) => a.assignmentPolicyId === policy.id).length,
        packageAssignmentCount: pkg.assignments.length,
      };
      out.push({
        ref: { type: 'accessPackagePolicy', id: `${pkg.id}:${policy.id}`, name: `access package ${packageName}: policy ${policy.displayName ?? policy.id}`, pointer: `/entra/accessPackages/data/packages/${i}/policies/${j}` },
        paths: reach.paths,
        data: {
          kind: 'access-package',
          holder: requestors,
          how: `may request access package "${packageName}" (policy "${policy.displayName ?? policy.id}"): ${grantWords}`,
          // Without an approver a requestor gets the group whenever they like: standing, as an active role is.
          standing: approvalRequired !== true,
          window,
          capabilities,
          grantedBy: grants.map((g) => `${where}: ${g.access} of ${g.groupName ?? g.groupId} → ${g.access === 'owner' ? 'group-owners' : 'group-members'}`),
          accessPackage,
          requestors,
          broadRequestors: broad,
          approvalRequired,
          accessLasts: last.words,
          reviewsEnabled,
          ...reachFields(reach),
        },
      });
    });
  });
  return out;
}


/**
 * Whether the catalog roles were asked for: 'absent' (no accessPackages section, or one collected
 * before catalog roles were read: not assessed, never "nobody"), 'not-read' (the section is missing),
 * 'read'.
 */
export function catalogRolesStatus(snapshot: Snapshot): 'absent' | 'not-read' | 'read' {
  const section = snapshot.entra.accessPackages;
  if (!section) return 'absent';
  if (!section.data) return 'not-read';
  return section.data.roleAssignments ? 'read' : 'absent';
}

/** The package's fields of a catalog-role item (resource-types.ts documents them). */
interface CatalogPackage {
  id: string;
  displayName: string | null;
  grants: AccessPackageFields['grants'];
  /** Some policy of the package lets an assignment through without an approver (or does not say). */
  policyWithoutApproval: boolean;
}

const holderName = (a: CatalogRoleAssignmentT) => a.principal?.userPrincipalName ?? a.principal?.displayName ?? a.principal?.appId ?? a.principalId;

/**
 * The catalogRoles collection (resource-types.ts documents each field): one item per entitlement-
 * management role assignment (catalog owner, access package manager, access package assignment
 * manager) on a catalog — or tenant-wide — that holds a package handing out one of the app's groups.
 * Its paths are every path through those groups (the shared reach arrays). These roles have no PIM:
 * the holder acts whenever they like. Empty when the section, or its roleAssignments, is absent.
 */
export function catalogRoles(ix: SnapshotIndex, found: PathsWithParts, all: readonly number[], byGroup: ReadonlyMap<string, readonly number[]>): ResourceItem[] {
  const data = (ix.snapshot as Snapshot).entra.accessPackages?.data ?? null;
  if (!data?.roleAssignments) return [];
  const reaches = reachesFor(ix, found, all, byGroup);
  // The packages that hand out one of the app's groups, with their catalog (undefined: not read).
  const packages = data.packages.flatMap((pkg) => {
    const grants = pkg.resourceRoleScopes
      .filter((rs) => rs.groupId !== null && ix.groupsById.has(rs.groupId))
      .map((rs) => ({ groupId: rs.groupId!, groupName: ix.groupsById.get(rs.groupId!)!.value.displayName ?? null, access: rs.access ?? 'unknown' }))
      .sort((x, y) => (x.groupId < y.groupId ? -1 : x.groupId > y.groupId ? 1 : x.access < y.access ? -1 : x.access > y.access ? 1 : 0));
    if (!grants.length) return [];
    const item: CatalogPackage = { id: pkg.id, displayName: pkg.displayName, grants, policyWithoutApproval: pkg.policies.some((p) => p.requestApprovalSettings?.isApprovalRequiredForAdd !== true) };
    return [{ item, catalogId: pkg.catalog === undefined || pkg.catalog === null ? null : pkg.catalog.id.toLowerCase(), catalogName: pkg.catalog?.displayName ?? null }];
  });
  if (!packages.length) return [];
  const unknownCatalog = packages.filter((p) => p.catalogId === null).map((p) => p.item.displayName ?? p.item.id);
  const out: ResourceItem[] = [];
  data.roleAssignments.forEach((a, i) => {
    const role = CATALOG_ROLES[a.roleDefinitionId.toLowerCase()];
    if (!role) return;
    const catalogId = a.appScopeId ? (/^\/AccessPackageCatalog\/(.+)$/i.exec(a.appScopeId)?.[1] ?? null) : null;
    const tenantWide = !a.appScopeId && a.directoryScopeId === '/';
    const scopeKind = catalogId !== null ? 'catalog' : tenantWide ? 'tenant' : 'unknown';
    const reached = scopeKind === 'tenant' ? packages : catalogId !== null ? packages.filter((p) => p.catalogId === catalogId.toLowerCase()) : [];
    // A scope jitaudit does not know, or a package whose catalog was not read: reach unknown, never nothing.
    const unknownReason =
      scopeKind === 'unknown'
        ? `scope ${a.appScopeId ?? a.directoryScopeId ?? '(none)'} not understood`
        : scopeKind === 'catalog' && unknownCatalog.length
          ? `the catalog of access package ${unknownCatalog.join(', ')} was not read`
          : null;
    if (!reached.length && unknownReason === null) return;
    const catalogName = reached[0]?.catalogName ?? null;
    // Owners and managers change resource roles too: member and owner of each group are theirs to hand out.
    const groupIds = [...new Set(reached.flatMap((p) => p.item.grants.map((g) => g.groupId)))].sort();
    const reach = unknownReason !== null ? reaches.unknownBecause(unknownReason) : reaches.groups(groupIds);
    const capabilities = role.editsPolicies ? ['group-members', 'group-owners'] : sortedUnique(reached.flatMap((p) => p.item.grants.map((g) => (g.access === 'owner' ? 'group-owners' : 'group-members'))));
    // An assignment manager cannot skip a policy's approval; an owner or a manager can edit it away.
    const approvalRequired = role.editsPolicies ? false : reached.length ? !reached.some((p) => p.item.policyWithoutApproval) : null;
    const names = reached.map((p) => `"${p.item.displayName ?? p.item.id}"`).join(', ');
    const where = scopeKind === 'catalog' ? `catalog ${catalogName ?? catalogId}` : scopeKind === 'tenant' ? 'every catalog (tenant-wide)' : `scope ${a.appScopeId ?? a.directoryScopeId ?? '(none)'}`;
    const power = role.editsPolicies
      ? `can change the policies and resource roles of access package ${names || '(unknown)'} (let anyone, themselves included, request with no approval) and assign anyone directly`
      : `can assign anyone, themselves included, directly to access package ${names || '(unknown)'} (${approvalRequired === true ? 'every policy requires approval' : approvalRequired === false ? 'through a policy with no approval' : 'approval unknown'})`;
    const principal = a.principal;
    const group = principal?.type === 'group';
    out.push({
      ref: {
        type: 'catalogRoleAssignment',
        id: a.id,
        name: `${holderName(a)}: ${role.name} (${where})`,
        pointer: `/entra/accessPackages/data/roleAssignments/${i}`,
        ...(principal?.type === 'user' ? { principal: { upn: principal.userPrincipalName, entraUserId: a.principalId, identityCenterUserId: null } } : {}),
      },
      paths: reach.paths,
      data: {
        kind: 'catalog-role',
        holder: holderName(a),
        principalType: principal?.type ?? 'unknown',
        how: `holds entitlement-management role ${role.name} on ${where}${group ? ' (a group: its members hold the role; not expanded)' : ''}`,
        power,
        role: { id: a.roleDefinitionId, name: role.name, editsPolicies: role.editsPolicies },
        catalog: scopeKind === 'catalog' ? { id: catalogId, name: catalogName } : null,
        scopeKind,
        // No PIM for entitlement-management roles: a standing way in, unless every policy needs an approver.
        standing: approvalRequired !== true,
        approvalRequired,
        window: null,
        capabilities,
        packages: reached.map((p) => p.item),
        grantedBy: reached.flatMap((p) => p.item.grants.map((g) => `${role.name} on ${where}: access package "${p.item.displayName ?? p.item.id}": ${g.access} of ${g.groupName ?? g.groupId}`)),
        ...reachFields(reach),
      },
    });
  });
  return out;
}
