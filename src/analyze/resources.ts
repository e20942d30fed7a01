// The resource collections rules iterate (a rule's `resource:`), built from the snapshot index.
// Each item's `data` is what the rule's CEL condition sees as `resource`; field meanings are
// documented with each collection in src/rules/resource-types.ts.
import type { Config } from '../model/config.js';
import type { ConditionalAccessPolicyT, DeletedUserT, EntraGroupT, EntraUserT } from '../model/snapshot-schema.js';
import type { PathItem, PathsWithParts } from './access-paths.js';
import { portalSessionTerm } from './access-paths.js';
import { classifyPermissionSetWithReason } from './classify.js';
import { accessPackages, catalogRoles } from './access-packages.js';
import { awsControlPlane } from './aws-control-plane.js';
import { controlPlane } from './control-plane.js';
import { resourcePolicies } from './resource-policies.js';
import { credentialFetches } from './credential-fetches.js';
import { requestTookEffect } from './pim-history.js';
import { scheduleEnd, type SnapshotIndex } from './snapshot-index.js';
import { isoToSeconds } from '../util/duration.js';
import { firstMentioning } from '../util/first-mentioning.js';
import { mapToArray } from '../util/map-numbers.js';
import type { AccessPathDetail, AccountRef, ResourceItem } from './types.js';
import { firstPathOf, pathsWhere, type PathParts } from './path-parts.js';

const PROD = 'prod';

export function buildResources(ix: SnapshotIndex, paths: readonly PathItem[], parts: PathParts): Record<string, ResourceItem[]> {
  // Made here and let go with the analysis: the shared control-plane reaches are kept under it (control-plane.ts).
  const found: PathsWithParts = { paths, parts };
  const byGroup = groupPaths(found, 'grant', (p) => p.group?.id ?? null);
  const reach = new Reach(found);
  const all = paths.map((_, i) => i);
  const jit = pathsWhere(paths, parts, 'grant', (p) => !p.standing);
  const scope = appScope(ix);
  const caPolicies = conditionalAccessPolicies(ix, scope);
  return {
    // A path is its own item (access-paths.ts).
    accessPaths: [...paths],
    groups: groups(ix, byGroup, reach),
    pimPolicies: pimPolicies(ix, byGroup, paths, reach),
    permissionSets: permissionSets(ix, found, reach),
    // A provisioning job's health and the portal session set every JIT window; sign-in policy, every path.
    provisioningJobs: withPaths(provisioningJobs(ix), jit),
    portalSession: withPaths(portalSession(ix), jit),
    conditionalAccessPolicies: caPolicies.map((item) => (item.data.targetsApp ? { ...item, paths: all } : item)),
    conditionalAccessCoverage: withPaths(conditionalAccessCoverage(ix, caPolicies), all),
    identityCenterUsers: identityCenterUsers(ix, scope),
    iamUsers: iamUsers(ix),
    rootUsers: rootUsers(ix),
    breakglassUsers: breakglassUsers(ix),
    breakglassEvents: breakglassEvents(ix),
    // Judged against the access at each event's time: see credential-fetches.ts.
    federationEvents: credentialFetches(ix, found, (id) => accountRef(ix, id)),
    waivers: waivers(ix.config, ix.now),
    // Who can get around the JIT: each item refers to the paths it can take over (control-plane.ts).
    controlPlane: controlPlane(ix, found, all, byGroup),
    // Access packages people can request for themselves: apart, so that an unread entra.accessPackages
    // (no Governance licence) holds up only their own rules.
    accessPackages: accessPackages(ix, found, all, byGroup),
    // Catalog owners and access-package (assignment) managers: from the same section, with their own fields.
    catalogRoles: catalogRoles(ix, found, all, byGroup),
    // The AWS side: IAM principals that can change Identity Center, and resource policies that let its roles in.
    awsControlPlane: awsControlPlane(ix, found, all, byGroup),
    resourcePolicies: resourcePolicies(ix, found, all, byGroup),
  };
}

/**
 * An access path as rules iterate it and as a finding names it: the item is its own ref (one object
 * per path, not two), and the name is made only for the paths a rule flags.
 */
const withPaths = (items: ResourceItem[], paths: readonly number[]): ResourceItem[] => items.map((item) => ({ ...item, paths }));

/**
 * Where paths lead: environments and tiers they reach, for "does this matter" conditions. They are
 * the paths' targets' (path-parts.ts): counted over the distinct targets, each read once.
 */
class Reach {
  private readonly first: Int32Array;
  private readonly seen: Int32Array;
  private round = 0;

  private readonly all: readonly AccessPathDetail[];
  private readonly parts: PathParts;

  constructor({ paths, parts }: PathsWithParts) {
    this.all = paths;
    this.parts = parts;
    this.first = firstPathOf(parts, 'target');
    this.seen = new Int32Array(this.first.length);
  }

  of(indices: readonly number[]) {
    const round = ++this.round;
    const environments = new Set<string>();
    const tiers = new Set<string>();
    const accounts = new Set<string>();
    for (const i of indices) {
      const t = this.parts.target[i]!;
      if (this.seen[t] === round) continue;
      this.seen[t] = round;
      const p = this.all[this.first[t]!]!;
      environments.add(p.account.environment);
      tiers.add(p.permissionSet.tier);
      accounts.add(p.account.id);
    }
    return {
      reachesProd: environments.has(PROD),
      environments: [...environments].sort(),
      tiers: [...tiers].sort(),
      accountCount: accounts.size,
    };
  }
}

/** Paths (their positions, in path order) by a key of one of their parts: the key is read once per grant or target. */
function groupPaths({ paths, parts }: PathsWithParts, part: 'grant' | 'target', key: (path: AccessPathDetail) => string | null): Map<string, number[]> {
  const map = new Map<string, number[]>();
  const listOf = mapToArray(firstPathOf(parts, part), (first) => {
    const k = first < 0 ? null : key(paths[first]!);
    if (k === null) return null;
    let list = map.get(k);
    if (!list) map.set(k, (list = []));
    return list;
  });
  const column = parts[part];
  for (let i = 0; i < paths.length; i++) listOf[column[i]!]?.push(i);
  return map;
}

function groups(ix: SnapshotIndex, byGroup: Map<string, number[]>, reach: Reach): ResourceItem[] {
  // Reviews not yet completed, in snapshot order: each group takes the first whose scope names it.
  const open = (ix.snapshot.entra.accessReviews.data ?? []).filter((r) => r.status.toLowerCase() !== 'completed');
  const reviewOf = firstMentioning(open, (r) => r.scopeQuery ?? '');
  return [...ix.groupsById.values()].map(({ value: g, pointer }) => {
    const review = reviewOf(g.id);
    const paths = byGroup.get(g.id) ?? [];
    return {
      ref: { type: 'group', id: g.id, name: g.displayName, pointer },
      paths,
      data: {
        id: g.id,
        name: g.displayName,
        pimManaged: ix.pimManagedGroups.has(g.id),
        dynamic: g.membershipRule !== null,
        onPremisesSynced: g.onPremisesSyncEnabled === true,
        memberCount: g.members.length,
        ownerCount: g.owners.length,
        accessReview: review
          ? { exists: true, name: review.displayName, recurrence: review.recurrence?.type ?? null }
          : { exists: false, name: null, recurrence: null },
        accessReviewsCollected: ix.snapshot.entra.accessReviews.provenance.status !== 'missing',
        ...reach.of(paths),
      },
    };
  });
}

function pimPolicies(ix: SnapshotIndex, byGroup: Map<string, number[]>, all: readonly AccessPathDetail[], reach: Reach): ResourceItem[] {
  return [...ix.policies.values()].map(({ value: p, pointer, settings }) => {
    const group = ix.groupsById.get(p.groupId)?.value;
    const name = `${group?.displayName ?? p.groupId} (${p.roleDefinitionId})`;
    // The policy governs the paths of its role: owners' for the owner policy, everyone else's for the member one.
    const owner = p.roleDefinitionId === 'owner';
    const paths = (byGroup.get(p.groupId) ?? []).filter((i) => (all[i]!.kind === 'owner') === owner);
    return {
      ref: { type: 'pimPolicy', id: `${p.groupId}:${p.roleDefinitionId}`, name, pointer },
      paths,
      data: {
        groupId: p.groupId,
        groupName: group?.displayName ?? null,
        role: p.roleDefinitionId,
        ...settings,
        ...reach.of(byGroup.get(p.groupId) ?? []),
      },
    };
  });
}

function permissionSets(ix: SnapshotIndex, found: PathsWithParts, reach: Reach): ResourceItem[] {
  const byArn = groupPaths(found, 'target', (p) => p.permissionSet.arn);
  return [...ix.permissionSetsByArn.values()].map(({ value: ps, pointer }) => {
    const mine = byArn.get(ps.arn) ?? [];
    const summary = ix.permissionSet(ps.arn)!;
    return {
      ref: { type: 'permissionSet', id: ps.arn, name: ps.name, pointer },
      paths: mine,
      data: {
        arn: ps.arn,
        name: ps.name,
        tier: summary.tier,
        tierReason: classifyPermissionSetWithReason(ix.config, ps).reason,
        sessionDuration: ps.sessionDuration,
        managedPolicies: ps.managedPolicies.map((m) => m.arn),
        customerManagedPolicies: ps.customerManagedPolicies.map((c) => c.name),
        hasInlinePolicy: ps.inlinePolicy !== null && ps.inlinePolicy.trim() !== '',
        hasPermissionsBoundary: ps.permissionsBoundary !== null,
        ...reach.of(mine),
      },
    };
  });
}

function provisioningJobs(ix: SnapshotIndex): ResourceItem[] {
  const job = ix.provisioningJob;
  const section = ix.snapshot.entra.provisioning;
  if (section.provenance.status === 'missing') return [];
  const app = ix.snapshot.entra.enterpriseApp.data;
  if (!job) {
    return [
      {
        ref: { type: 'provisioningJob', id: 'none', name: app?.displayName ?? 'enterprise app', pointer: '/entra/provisioning/data/jobs' },
        data: {
          id: null,
          statusCode: 'NotConfigured',
          scheduleState: null,
          interval: null,
          state: ix.provisioning.state,
          healthy: false,
          signal: ix.provisioning.signal,
          reason: ix.provisioning.reason,
          lastRun: null,
          lastRunState: null,
          escrowed: null,
          lastSuccessfulRun: null,
          quarantined: false,
        },
      },
    ];
  }
  const j = job.value;
  return [
    {
      ref: { type: 'provisioningJob', id: j.id, name: `${app?.displayName ?? 'enterprise app'} provisioning`, pointer: job.pointer },
      data: {
        id: j.id,
        statusCode: j.status.code,
        scheduleState: j.schedule.state,
        interval: j.schedule.interval,
        // healthy / degraded (per-object errors, still syncing) / unhealthy (not syncing), and the field that decided.
        state: ix.provisioning.state,
        healthy: ix.provisioning.state === 'healthy',
        signal: ix.provisioning.signal,
        reason: ix.provisioning.reason,
        lastRun: j.status.lastExecution?.timeEnded ?? j.status.lastExecution?.timeBegan ?? null,
        lastRunState: j.status.lastExecution?.state ?? null,
        escrowed: j.status.lastExecution?.countEscrowed ?? null,
        lastSuccessfulRun: j.status.lastSuccessfulExecution?.timeEnded ?? null,
        quarantined: j.status.code.toLowerCase() === 'quarantine',
      },
    },
  ];
}

function portalSession(ix: SnapshotIndex): ResourceItem[] {
  const t = portalSessionTerm(ix);
  return [
    {
      ref: { type: 'portalSession', id: 'access-portal-session', name: 'AWS access portal session duration', pointer: '/aws/portalSession' },
      data: { duration: t.value, provenance: t.provenance.status, source: t.provenance.source },
    },
  ];
}

/** Does a CA policy apply to the Identity Center app (by app id, or All)? */
function targetsApp(p: ConditionalAccessPolicyT, appId: string | null): boolean {
  const apps = p.conditions.applications;
  if (appId && apps.excludeApplications.includes(appId)) return false;
  return apps.includeApplications.some((a) => a.toLowerCase() === 'all' || (appId !== null && a === appId));
}

// Methods that are multifactor on their own (passwordless, certificate MFA, TAP, federated MFA):
// a combination of one of these, or of two methods, satisfies MFA; "password" or "sms" alone does not.
const MULTIFACTOR_ALONE = new Set(
  ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor', 'deviceBasedPush', 'temporaryAccessPassOneTime', 'temporaryAccessPassMultiUse', 'federatedMultiFactor'].map((m) => m.toLowerCase()),
);
// The built-in strengths: Multifactor authentication, Passwordless MFA, Phishing-resistant MFA.
const BUILT_IN_MFA_STRENGTHS = new Set(['00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000004']);

export function combinationIsMultifactor(combination: string): boolean {
  const methods = new Set(combination.split(',').map((m) => m.trim().toLowerCase()).filter(Boolean));
  if (methods.size >= 2) return true;
  const [only] = methods;
  return only !== undefined && MULTIFACTOR_ALONE.has(only);
}

type Strength = NonNullable<NonNullable<ConditionalAccessPolicyT['grantControls']>['authenticationStrength']>;

/** An authentication strength counts as MFA when every combination it allows is multifactor. */
export function strengthIsMfa(s: Strength): boolean {
  if (s.allowedCombinations?.length) return s.allowedCombinations.every(combinationIsMultifactor);
  // The combinations were not read (an older snapshot): the built-in strengths, or Graph's own claim.
  return BUILT_IN_MFA_STRENGTHS.has(s.id) || s.requirementsSatisfied?.toLowerCase() === 'mfa';
}

/** The MFA control of a policy ("mfa" or the strength's name), or null when MFA is not required. */
function mfaControl(p: ConditionalAccessPolicyT): string | null {
  const g = p.grantControls;
  if (!g) return null;
  const controls = g.builtInControls.map((c) => c.toLowerCase());
  const strength = g.authenticationStrength;
  const strengthMfa = strength ? strengthIsMfa(strength) : false;
  const mfa = controls.includes('mfa') || strengthMfa;
  if (!mfa) return null;
  // With OR, any one control lets the user through: MFA is required only if every control is MFA.
  if (g.operator.toUpperCase() !== 'AND' && (controls.some((c) => c !== 'mfa') || (strength && !strengthMfa))) return null;
  return strengthMfa ? `authentication strength "${strength!.displayName ?? strength!.id}"` : 'mfa';
}

function grantControlNames(p: ConditionalAccessPolicyT): string[] {
  const g = p.grantControls;
  if (!g) return [];
  const strength = g.authenticationStrength ? [`authentication strength "${g.authenticationStrength.displayName ?? g.authenticationStrength.id}"`] : [];
  return [...g.builtInControls, ...strength];
}

function caAppliesToAll(p: ConditionalAccessPolicyT): boolean {
  return p.conditions.users.includeUsers.some((u) => u.toLowerCase() === 'all');
}

const isAll = (values: readonly string[]) => values.some((v) => v.toLowerCase() === 'all');
const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
const locationName = (l: string) => (l === 'AllTrusted' ? 'all trusted locations' : l);

/**
 * The conditions of a policy that leave part of the app's users out, each said in a few words: the
 * users it does not include or excludes, locations, client app types, platforms, risk levels, a
 * device filter. An excluded user who is not in the app's assignment scope (an emergency-access
 * account with no AWS access, say) leaves nobody out of AWS; with the scope unknown every one counts.
 */
function carveOuts(p: ConditionalAccessPolicyT, scope: ReadonlySet<string> | null): string[] {
  const c = p.conditions;
  const u = c.users;
  const out: string[] = [];
  if (!caAppliesToAll(p)) {
    const included = [
      u.includeUsers.length && plural(u.includeUsers.length, 'user'),
      u.includeGroups.length && plural(u.includeGroups.length, 'group'),
      u.includeRoles.length && plural(u.includeRoles.length, 'role'),
      u.includeGuestsOrExternalUsers && 'guests or external users',
    ].filter(Boolean);
    out.push(`users: only ${included.length ? included.join(', ') : 'none'} (not All users)`);
  }
  const excludedUsers = u.excludeUsers.filter((id) => id !== 'GuestsOrExternalUsers' && (scope === null || scope.has(id)));
  if (excludedUsers.length) out.push(`users: excludes ${plural(excludedUsers.length, scope ? 'user assigned to the app' : 'user')}`);
  if (u.excludeGroups.length) out.push(`users: excludes ${plural(u.excludeGroups.length, 'group')}`);
  if (u.excludeRoles.length) out.push(`users: excludes ${plural(u.excludeRoles.length, 'directory role')}`);
  if (u.excludeUsers.includes('GuestsOrExternalUsers') || u.excludeGuestsOrExternalUsers) {
    out.push(`users: excludes guests or external users${u.excludeGuestsOrExternalUsers?.guestOrExternalUserTypes ? ` (${u.excludeGuestsOrExternalUsers.guestOrExternalUserTypes})` : ''}`);
  }
  if (c.clientAppTypes === undefined) {
    // Written before jitaudit kept the other conditions: they cannot be judged, so nothing is assumed.
    out.push('locations, client apps and platforms not recorded in this snapshot (collect again)');
    return out;
  }
  if (c.locations) {
    if (!isAll(c.locations.includeLocations)) out.push(`locations: only ${c.locations.includeLocations.map(locationName).join(', ') || 'none'}`);
    if (c.locations.excludeLocations.length) out.push(`locations: excludes ${c.locations.excludeLocations.map(locationName).join(', ')}`);
  }
  if (c.clientAppTypes.length && !isAll(c.clientAppTypes)) out.push(`client apps: only ${c.clientAppTypes.join(', ')}`);
  if (c.platforms) {
    if (!isAll(c.platforms.includePlatforms)) out.push(`platforms: only ${c.platforms.includePlatforms.join(', ') || 'none'}`);
    if (c.platforms.excludePlatforms.length) out.push(`platforms: excludes ${c.platforms.excludePlatforms.join(', ')}`);
  }
  if (c.signInRiskLevels?.length) out.push(`sign-in risk: only ${c.signInRiskLevels.join(', ')}`);
  if (c.userRiskLevels?.length) out.push(`user risk: only ${c.userRiskLevels.join(', ')}`);
  if (c.deviceFilter) out.push(`devices: ${c.deviceFilter.mode === 'exclude' ? 'excludes' : 'only'} devices matching ${c.deviceFilter.rule}`);
  return out;
}

/**
 * Who the app provisions: users assigned to it and direct members of the groups assigned to it (SCIM
 * does not provision nested members nor owners). Null when the app or its groups could not be read.
 */
function appScope(ix: SnapshotIndex): Set<string> | null {
  const app = ix.snapshot.entra.enterpriseApp.data;
  const groups = ix.snapshot.entra.groups.data;
  if (!app || !groups) return null;
  const scope = new Set<string>();
  for (const a of app.appRoleAssignments) if (a.principalType.toLowerCase() === 'user') scope.add(a.principalId);
  const assigned = new Set(app.appRoleAssignments.filter((a) => a.principalType.toLowerCase() === 'group').map((a) => a.principalId));
  for (const g of groups) if (assigned.has(g.id)) for (const m of g.members) if (m.type === 'user') scope.add(m.id);
  return scope;
}

function conditionalAccessPolicies(ix: SnapshotIndex, scope: ReadonlySet<string> | null): ResourceItem[] {
  const appId = ix.snapshot.entra.enterpriseApp.data?.appId ?? null;
  return (ix.snapshot.entra.conditionalAccess.data ?? []).map((p, i) => {
    const mfa = mfaControl(p);
    const controls = grantControlNames(p);
    return {
      ref: { type: 'conditionalAccessPolicy', id: p.id, name: p.displayName, pointer: `/entra/conditionalAccess/data/${i}` },
      data: {
        id: p.id,
        name: p.displayName,
        state: p.state,
        reportOnly: p.state === 'enabledForReportingButNotEnforced',
        targetsApp: targetsApp(p, appId),
        requiresMfa: mfa !== null,
        mfaControl: mfa,
        grantControls: controls,
        blocks: controls.some((c) => c.toLowerCase() === 'block'),
        allUsers: caAppliesToAll(p),
        excludedUsers: p.conditions.users.excludeUsers.length,
        excludedGroups: p.conditions.users.excludeGroups.length,
        carveOuts: carveOuts(p, scope),
      },
    };
  });
}

function conditionalAccessCoverage(ix: SnapshotIndex, policies: readonly ResourceItem[]): ResourceItem[] {
  const ca = ix.snapshot.entra.conditionalAccess;
  const app = ix.snapshot.entra.enterpriseApp.data;
  if (ca.provenance.status === 'missing' || !app) return [];
  type P = { name: string; state: string; targetsApp: boolean; requiresMfa: boolean; carveOuts: string[]; excludedUsers: number; excludedGroups: number };
  const mfa = policies.map((item) => item.data as unknown as P).filter((p) => p.targetsApp && p.requiresMfa);
  const enabled = mfa.filter((p) => p.state === 'enabled');
  // Enforced for everyone: enabled, and no condition leaves any of the app's users out.
  const enforced = enabled.filter((p) => p.carveOuts.length === 0);
  const partial = enabled.filter((p) => p.carveOuts.length > 0);
  const reportOnly = mfa.filter((p) => p.state === 'enabledForReportingButNotEnforced');
  return [
    {
      ref: { type: 'enterpriseApp', id: app.appId, name: app.displayName, pointer: '/entra/enterpriseApp/data' },
      data: {
        appId: app.appId,
        appName: app.displayName,
        enforcedMfaPolicies: enforced.map((p) => p.name).sort(),
        partialMfaPolicies: partial.map((p) => `${p.name} (${p.carveOuts.join('; ')})`).sort(),
        reportOnlyMfaPolicies: reportOnly.map((p) => p.name).sort(),
        mfaEnforced: enforced.length > 0,
        excludedFromEnforcement: enforced.length ? Math.min(...enforced.map((p) => p.excludedUsers + p.excludedGroups)) : 0,
      },
    },
  ];
}

/**
 * Identity Center users with the state of their Entra source beside them. SCIM should disable or
 * remove a user whose Entra source is disabled, deleted or out of the app's assignment scope, and
 * remove a membership whose Entra membership ended; one still enabled after that is drift. A change
 * that a PIM activation made less than one provisioning interval ago is still on its way
 * (pendingSync), not drift; so is a deletion made less than one interval ago. A source not among the
 * users read is `deleted` when it is in the directory's deleted items (when those were read), else
 * `absent`. Linear in users, memberships and activations.
 */
const NO_STALE_MEMBERSHIPS: string[] = [];

/** A deleted user's userPrincipalName before the deletion: Entra prefixes it with the id without hyphens. */
function originalUpn(u: DeletedUserT): string | null {
  const upn = u.userPrincipalName;
  if (!upn) return null;
  const prefix = u.id.replace(/-/g, '').toLowerCase();
  return upn.length > prefix.length && upn.toLowerCase().startsWith(prefix) ? upn.slice(prefix.length) : upn;
}

const STATE_DETAIL: Record<string, string> = {
  enabled: 'enabled and in the app\'s assignment scope',
  disabled: 'disabled (accountEnabled false)',
  notInScope: 'enabled but not in the app\'s assignment scope',
  noSource: 'none (made in Identity Center)',
  unknown: 'unknown (the Entra side was not read)',
};

function identityCenterUsers(ix: SnapshotIndex, scope: ReadonlySet<string> | null): ResourceItem[] {
  const { entra, aws } = ix.snapshot;
  const store = aws.identityStore.data;
  if (!store) return [];
  // Without the users or the scope, an Entra user not found says nothing: "unknown", never drift.
  const entraKnown = entra.users.data !== null && scope !== null;
  const byUpn = new Map<string, EntraUserT>();
  for (const u of entra.users.data ?? []) byUpn.set(u.userPrincipalName.toLowerCase(), u);
  // Deleted users, when read: a positive fact (deleted), whatever else could be read.
  const deletedItems = entra.deletedUsers?.data ?? null;
  const deletedById = new Map<string, DeletedUserT>();
  const deletedByUpn = new Map<string, DeletedUserT>();
  for (const d of deletedItems ?? []) {
    deletedById.set(d.id, d);
    const upn = originalUpn(d)?.toLowerCase();
    // A name deleted twice: the latest deletion is the one Identity Center's user came from.
    const held = upn ? deletedByUpn.get(upn) : undefined;
    if (upn && (!held || (d.deletedDateTime ?? '') > (held.deletedDateTime ?? ''))) deletedByUpn.set(upn, d);
  }
  // An Entra group's user members, made the first time a membership asks (of the groups SCIM provisions).
  const membersOf = new Map<string, Set<string>>();
  const isMember = (g: EntraGroupT, userId: string) => {
    let members = membersOf.get(g.id);
    if (!members) membersOf.set(g.id, (members = new Set(g.members.filter((m) => m.type === 'user').map((m) => m.id))));
    return members.has(userId);
  };
  // Each Identity Center group's Entra source, looked up once (null: made in Identity Center, or not read).
  const sourceOf = new Map<string, { icGroup: { displayName: string }; entraGroup: EntraGroupT } | null>();
  const sourceOfGroup = (groupId: string) => {
    let source = sourceOf.get(groupId);
    if (source === undefined) {
      const icGroup = ix.icGroupsById.get(groupId)?.value;
      const entraGroup = icGroup && entraKnown ? ix.entraGroupFor(icGroup)?.value : undefined;
      sourceOf.set(groupId, (source = icGroup && entraGroup ? { icGroup, entraGroup } : null));
    }
    return source;
  };

  // The last change PIM made to each principal (and to each of its group memberships).
  const lagSeconds = isoToSeconds(ix.provisioningJob?.value.schedule.interval ?? ix.config.scim.assumedLag) ?? 0;
  const recent = ix.now - lagSeconds * 1000;
  const lastChange = new Map<string, number>();
  const touch = (key: string, at: number) => {
    if (at > (lastChange.get(key) ?? -Infinity)) lastChange.set(key, at);
  };
  for (const r of entra.activations.data ?? []) {
    // A refused, pending or unknown request changed nothing, so SCIM has nothing on its way for it.
    if (!requestTookEffect(r)) continue;
    const end = r.scheduleInfo ? scheduleEnd({ scheduleInfo: r.scheduleInfo }) : null;
    const at = Math.max(Date.parse(r.completedDateTime ?? r.createdDateTime), end === null ? -Infinity : Date.parse(end));
    touch(r.principalId, at);
    touch(`${r.groupId}|${r.principalId}`, at);
  }
  const pending = (key: string) => (lastChange.get(key) ?? -Infinity) >= recent;

  const membershipsOf = new Map<string, string[]>();
  for (const m of store.memberships) {
    const list = membershipsOf.get(m.userId);
    if (list) list.push(m.groupId);
    else membershipsOf.set(m.userId, [m.groupId]);
  }
  const assignedPrincipals = new Set((aws.accountAssignments.data ?? []).map((a) => a.principalId));

  return store.users.map((u, i) => {
    const scim = u.externalIds.length > 0;
    let source = ix.entraUserForIc(u);
    if (!source && scim) source = byUpn.get(u.userName.toLowerCase()) ?? null;
    let deleted: DeletedUserT | null = null;
    if (!source && scim) {
      for (const ext of u.externalIds) deleted ??= deletedById.get(ext.id) ?? null;
      deleted ??= deletedByUpn.get(u.userName.toLowerCase()) ?? null;
    }
    const inScope = source && scope ? scope.has(source.id) : null;
    const entraState = !scim
      ? 'noSource'
      : deleted
        ? 'deleted'
        : !entraKnown
          ? 'unknown'
          : !source
            ? 'absent'
            : source.accountEnabled === false
              ? 'disabled'
              : inScope
                ? 'enabled'
                : 'notInScope';
    const entraId = source?.id ?? deleted?.id ?? null;
    const deletedAt = deleted?.deletedDateTime ? Date.parse(deleted.deletedDateTime) : null;
    // A deletion less than one interval old: SCIM has not had its turn for the user or its memberships.
    const deletedRecently = entraState === 'deleted' && deletedAt !== null && deletedAt >= recent;
    const pendingSync = deletedRecently || (entraId !== null && (entraState === 'notInScope' || entraState === 'absent') && pending(entraId));
    const entraStateDetail =
      entraState === 'deleted'
        ? `deleted in Entra${deleted!.deletedDateTime ? ` at ${deleted!.deletedDateTime}` : ' (deletion time not returned)'}`
        : entraState === 'absent'
          ? deletedItems
            ? "absent: not among the users in the app's assignment scope and not in Entra's deleted items (unassigned, or deleted more than 30 days ago)"
            : "absent: not among the users in the app's assignment scope (deleted or unassigned: Entra's deleted items were not read)"
          : STATE_DETAIL[entraState]!;
    const staleMemberships: string[] = [];
    let assigned = assignedPrincipals.has(u.userId);
    for (const groupId of membershipsOf.get(u.userId) ?? []) {
      if (assignedPrincipals.has(groupId)) assigned = true;
      const source = scim ? sourceOfGroup(groupId) : null;
      if (!source) continue; // a group made in Identity Center, or not read: not SCIM's
      const member = entraId !== null && isMember(source.entraGroup, entraId);
      if (!member && !deletedRecently && !(entraId !== null && pending(`${source.entraGroup.id}|${entraId}`))) staleMemberships.push(source.icGroup.displayName);
    }
    staleMemberships.sort();
    return {
      ref: { type: 'identityCenterUser', id: u.userId, name: u.userName, pointer: `/aws/identityStore/data/users/${i}` },
      data: {
        userId: u.userId,
        userName: u.userName,
        displayName: u.displayName,
        identityCenterStatus: u.status ?? 'unknown',
        scim,
        externalIds: u.externalIds.map((e) => e.id),
        entraUserId: entraId,
        entraUpn: source?.userPrincipalName ?? (deleted ? originalUpn(deleted) : null),
        entraAccountEnabled: source?.accountEnabled ?? null,
        entraState,
        entraStateDetail,
        entraDeletedDateTime: deleted?.deletedDateTime ?? null,
        inAppScope: entraState === 'absent' || entraState === 'deleted' ? false : inScope,
        pendingSync,
        // One shared empty list: a rule's results are remembered per distinct list (condition-memo.ts).
        staleMemberships: staleMemberships.length ? staleMemberships : NO_STALE_MEMBERSHIPS,
        assigned,
      },
    };
  });
}

function accountRef(ix: SnapshotIndex, id: string): AccountRef {
  const a = ix.account(id);
  return { id: a.id, name: a.name, environment: a.environment };
}

const isBreakglass = (config: Config, accountId: string, userName: string) =>
  config.breakglass.some((b) => b.account === accountId && b.userName === userName);

function iamUsers(ix: SnapshotIndex): ResourceItem[] {
  return (ix.snapshot.aws.iamUsers.data ?? []).flatMap((acct, a) =>
    (acct.users ?? []).map((u, i) => {
      const account = accountRef(ix, acct.accountId);
      return {
        ref: { type: 'iamUser', id: u.arn, name: u.userName, pointer: `/aws/iamUsers/data/${a}/users/${i}`, account },
        data: {
          accountId: acct.accountId,
          accountName: account.name,
          environment: account.environment,
          userName: u.userName,
          arn: u.arn,
          breakglass: isBreakglass(ix.config, acct.accountId, u.userName),
          passwordEnabled: u.passwordEnabled,
          passwordLastUsed: u.passwordLastUsed,
          mfaActive: u.mfaActive,
          mfaDeviceCount: u.mfaDevices.length,
          activeAccessKeys: u.accessKeys.filter((k) => k.active).length,
          createdAt: u.createdAt,
        },
      };
    }),
  );
}

function rootUsers(ix: SnapshotIndex): ResourceItem[] {
  return (ix.snapshot.aws.iamUsers.data ?? []).flatMap((acct, a) => {
    if (!acct.root) return [];
    const account = accountRef(ix, acct.accountId);
    return [
      {
        ref: { type: 'rootUser', id: `arn:aws:iam::${acct.accountId}:root`, name: `root of ${account.name}`, pointer: `/aws/iamUsers/data/${a}/root`, account },
        data: { accountId: acct.accountId, accountName: account.name, environment: account.environment, ...acct.root },
      },
    ];
  });
}

function breakglassUsers(ix: SnapshotIndex): ResourceItem[] {
  const accounts = ix.snapshot.aws.iamUsers.data ?? [];
  return ix.config.breakglass.map((b) => {
    const a = accounts.findIndex((x) => x.accountId === b.account);
    const acct = accounts[a];
    const i = acct?.users?.findIndex((u) => u.userName === b.userName) ?? -1;
    const user = i >= 0 ? acct!.users![i] : undefined;
    const account = accountRef(ix, b.account);
    return {
      ref: {
        type: 'breakglassUser',
        id: `arn:aws:iam::${b.account}:user/${b.userName}`,
        name: b.userName,
        pointer: user ? `/aws/iamUsers/data/${a}/users/${i}` : a >= 0 ? `/aws/iamUsers/data/${a}` : '/aws/iamUsers',
        account,
      },
      data: {
        accountId: b.account,
        accountName: account.name,
        userName: b.userName,
        accountCollected: acct !== undefined && acct.users !== null,
        exists: user !== undefined,
        // null, not false, when the user is absent: evidence must not claim what was not seen.
        mfaActive: user?.mfaActive ?? null,
        activeAccessKeys: user ? user.accessKeys.filter((k) => k.active).length : null,
        passwordEnabled: user?.passwordEnabled ?? null,
        drills: (b.drills ?? []).length,
      },
    };
  });
}

// Sign-in events that complete a sign-in (the others — CheckMfa, CredentialChallenge,
// CredentialVerification — are steps of one and use nothing by themselves).
const SIGNED_IN = new Set(['consolelogin', 'userauthentication']);

/**
 * What a breakglass or root event says: a use (an API call, failed or not — the caller held the
 * credentials — or a completed sign-in that did not fail), a failed sign-in (someone tried the
 * password: not a use), or a sign-in step. A completed sign-in of unknown outcome counts as a use,
 * so an unreadable record is never a silent pass.
 */
function signInKind(e: { eventName: string; eventSource: string; outcome: string | null }) {
  const signIn = e.eventSource.toLowerCase().startsWith('signin.');
  const failed = signIn && e.outcome?.toLowerCase() === 'failure';
  const completes = SIGNED_IN.has(e.eventName.toLowerCase());
  return { signIn, failedSignIn: failed, use: !signIn || (completes && !failed) };
}

function breakglassEvents(ix: SnapshotIndex): ResourceItem[] {
  const events = ix.snapshot.aws.cloudTrail.data?.events ?? [];
  return events.flatMap((e, i) => {
    const type = e.userIdentity.type.toLowerCase();
    const root = type === 'root';
    const declared = type === 'iamuser' && e.userIdentity.userName !== null && isBreakglass(ix.config, e.accountId, e.userIdentity.userName);
    if (!root && !declared) return [];
    const account = accountRef(ix, e.accountId);
    const day = e.eventTime.slice(0, 10);
    const user = root ? 'root' : e.userIdentity.userName!;
    const drills = root
      ? ix.config.breakglassRoot.filter((r) => r.account === e.accountId).flatMap((r) => r.drills)
      : ix.config.breakglass.find((b) => b.account === e.accountId && b.userName === user)?.drills;
    const drill = drills?.find((d) => d.at === day);
    return [
      {
        ref: { type: 'cloudTrailEvent', id: e.eventId, name: `${e.eventName} by ${user} in ${account.name}`, pointer: `/aws/cloudTrail/data/events/${i}`, account },
        data: {
          eventId: e.eventId,
          eventTime: e.eventTime,
          eventName: e.eventName,
          eventSource: e.eventSource,
          accountId: e.accountId,
          accountName: account.name,
          actor: root ? 'root' : 'breakglass',
          userName: user,
          ...signInKind(e),
          mfaUsed: e.mfaUsed,
          outcome: e.outcome,
          errorMessage: e.errorMessage ?? e.errorCode ?? null,
          region: e.region,
          sourceIpAddress: e.sourceIpAddress,
          declaredDrill: drill ? { ticket: drill.ticket, kind: drill.kind ?? 'drill' } : null,
        },
      },
    ];
  });
}

function waivers(config: Config, now: number): ResourceItem[] {
  return config.waivers.map((w, i) => ({
    ref: { type: 'waiver', id: `waiver:${w.rule}:${w.resource}`, name: `waiver of ${w.rule} for ${w.resource}`, pointer: `/waivers/${i}`, file: 'config' },
    // A waiver works through the whole of its expiry day (UTC), judged at the snapshot's time.
    data: { rule: w.rule, resource: w.resource, reason: w.reason, owner: w.owner, expires: waiverEnd(w.expires), expired: Date.parse(waiverEnd(w.expires)) < now },
  }));
}

export const waiverEnd = (date: string) => `${date}T23:59:59Z`;
