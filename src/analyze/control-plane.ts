// Who can get around the JIT: people and workloads who can give themselves (or anyone) the AWS app's
// access without going through the groups' PIM. One item per (holder, way), never one per target: a
// Global Administrator reaches every (account, permission set), and holders × paths would be hundreds
// of thousands of items in a large tenant. Each item refers to the existing access paths it can take
// over; holders with the same reach share one array (every Global Administrator: the array of all
// paths), and each distinct reach is computed once.
//
// Ways (kind):
//   entra-role               an active or PIM-eligible directory role whose actions (ROLE_ACTIONS) can
//                            change the app's groups, PIM for Groups, role assignments or the app
//   app-owner                an owner of the AWS app's service principal or application object
//   workload-identity        a service principal with a Microsoft Graph write permission (GRAPH_PERMISSIONS)
//   workload-identity-owner  an owner of such a service principal: adds a credential and acts as it
//   credential-reset         a role that resets other users' passwords or MFA (credential-reset.ts)
// Access packages that let people add themselves to one of the app's groups are a collection of their
// own (access-packages.ts), built on the same reach arrays.
// docs/control-plane.md explains the model and its limits.
import type { DirectoryPrincipalT, DirectoryRolesT, Snapshot } from '../model/snapshot-schema.js';
import { isoToSeconds } from '../util/duration.js';
import type { PathsWithParts } from './access-paths.js';
import { portalSessionTerm, scimLagTerm } from './access-paths.js';
import { pathsWhere, type PathParts } from './path-parts.js';
import { credentialResets } from './credential-reset.js';
import { readPimPolicy, type PimRoleSettings } from './pim-policy.js';
import { inForce, scheduleEnd, type SnapshotIndex } from './snapshot-index.js';
import type { AccessPathDetail, ResourceItem } from './types.js';
import { effectiveWindow, term, type EffectiveWindow } from './window.js';

/** What a holder can change that decides who reaches AWS. */
export const CAPABILITIES = {
  'group-members': "adds anyone as a plain member of the app's groups (not role-assignable ones), outside PIM",
  'group-owners': "makes anyone an owner of the app's groups (not role-assignable ones); an owner adds members",
  'role-assignable-groups': "changes the members and owners of the app's role-assignable groups",
  'pim-for-groups': "makes anyone eligible or active in the app's groups through PIM, and changes the groups' PIM policies",
  'role-assignments': 'assigns any directory role, Global Administrator included, to anyone (itself too)',
  'role-definitions': 'adds any action to a custom role, one it holds included',
  consent: 'grants any application permission, Microsoft Graph ones included, to an app it controls',
  app: "changes the AWS app's single sign-on (SAML signing certificate, settings) or its owners: signs in to AWS as anyone",
  provisioning: "changes or pauses the AWS app's provisioning: what Identity Center is told about groups and members, and when",
} as const;
export type Capability = keyof typeof CAPABILITIES;

/** Capabilities that reach every access path (not just the paths through some groups). */
const EVERY_PATH: ReadonlySet<Capability> = new Set(['role-assignments', 'role-definitions', 'consent', 'app', 'provisioning']);

/**
 * The directory-role actions that matter, as Entra writes them in a role definition's
 * allowedResourceActions (Microsoft Entra built-in roles: permissions reference). A held action covers
 * one of these when it is the same, or the same resource with `allProperties` for the property and/or
 * `allTasks` for the verb (microsoft.directory/groups/allProperties/allTasks covers
 * microsoft.directory/groups/members/update). Matched case-insensitively. The `groups` actions exclude
 * role-assignable groups (isAssignableToRole): only `groupsAssignableToRoles` actions, and the
 * groups' owners, change those.
 */
export const ROLE_ACTIONS: readonly { action: string; capability: Capability }[] = [
  { action: 'microsoft.directory/groups/members/update', capability: 'group-members' },
  { action: 'microsoft.directory/groups.security/members/update', capability: 'group-members' },
  { action: 'microsoft.directory/groups.security.assignedMembership/members/update', capability: 'group-members' },
  // A dynamic group's rule decides its members: a rule that matches the holder adds them.
  { action: 'microsoft.directory/groups/dynamicMembershipRule/update', capability: 'group-members' },
  { action: 'microsoft.directory/groups.security/dynamicMembershipRule/update', capability: 'group-members' },
  { action: 'microsoft.directory/groups/owners/update', capability: 'group-owners' },
  { action: 'microsoft.directory/groups.security/owners/update', capability: 'group-owners' },
  { action: 'microsoft.directory/groups.security.assignedMembership/owners/update', capability: 'group-owners' },
  { action: 'microsoft.directory/groupsAssignableToRoles/allProperties/update', capability: 'role-assignable-groups' },
  { action: 'microsoft.directory/privilegedIdentityManagement/allProperties/allTasks', capability: 'pim-for-groups' },
  { action: 'microsoft.directory/roleAssignments/allProperties/allTasks', capability: 'role-assignments' },
  { action: 'microsoft.directory/directoryRoles/members/update', capability: 'role-assignments' },
  { action: 'microsoft.directory/roleDefinitions/allProperties/update', capability: 'role-definitions' },
  { action: 'microsoft.directory/servicePrincipals/managePermissionGrantsForAll.microsoft-company-admin', capability: 'consent' },
  { action: 'microsoft.directory/servicePrincipals/credentials/update', capability: 'app' },
  { action: 'microsoft.directory/servicePrincipals/authentication/update', capability: 'app' },
  { action: 'microsoft.directory/servicePrincipals/owners/update', capability: 'app' },
  { action: 'microsoft.directory/applications/credentials/update', capability: 'app' },
  { action: 'microsoft.directory/applications/authentication/update', capability: 'app' },
  { action: 'microsoft.directory/applications/owners/update', capability: 'app' },
  { action: 'microsoft.directory/servicePrincipals/synchronizationSchema/manage', capability: 'provisioning' },
  { action: 'microsoft.directory/servicePrincipals/synchronizationJobs/manage', capability: 'provisioning' },
  { action: 'microsoft.directory/servicePrincipals/synchronization.cloudTenantToExternalSystem/schema/manage', capability: 'provisioning' },
  { action: 'microsoft.directory/servicePrincipals/synchronization.cloudTenantToExternalSystem/jobs/manage', capability: 'provisioning' },
];

/**
 * The Microsoft Graph application permissions the collector keeps (GRAPH_WRITE_PERMISSIONS in
 * src/collect/entra/workload-identities.ts), as capabilities. Group writes reach role-assignable
 * groups only with RoleManagement.ReadWrite.Directory as well, which reaches everything anyway.
 * Application.ReadWrite.OwnedBy reaches the app only when the workload identity owns it.
 */
export const GRAPH_PERMISSIONS: Readonly<Record<string, readonly Capability[]>> = {
  'GroupMember.ReadWrite.All': ['group-members', 'group-owners'],
  'Group.ReadWrite.All': ['group-members', 'group-owners'],
  'Directory.ReadWrite.All': ['group-members', 'group-owners'],
  'RoleManagement.ReadWrite.Directory': ['role-assignments'],
  'RoleAssignmentSchedule.ReadWrite.Directory': ['role-assignments'],
  'RoleEligibilitySchedule.ReadWrite.Directory': ['role-assignments'],
  'PrivilegedAccess.ReadWrite.AzureADGroup': ['pim-for-groups'],
  'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup': ['pim-for-groups'],
  'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup': ['pim-for-groups'],
  'RoleManagementPolicy.ReadWrite.AzureADGroup': ['pim-for-groups'],
  'Application.ReadWrite.All': ['app'],
  'Application.ReadWrite.OwnedBy': ['app'],
  'AppRoleAssignment.ReadWrite.All': ['consent'],
  'Synchronization.ReadWrite.All': ['provisioning'],
};

const OWNED_BY = 'application.readwrite.ownedby';

function splitAction(a: string): { resource: string; property: string; verb: string } | null {
  const parts = a.toLowerCase().split('/');
  if (parts.length === 4) return { resource: `${parts[0]}/${parts[1]}`, property: parts[2]!, verb: parts[3]! };
  if (parts.length === 3) return { resource: `${parts[0]}/${parts[1]}`, property: '', verb: parts[2]! };
  return null;
}

/** Does a held action cover one of the table's? Same action, or the same resource with allProperties / allTasks. */
export function actionCovers(held: string, wanted: string): boolean {
  if (held.toLowerCase() === wanted.toLowerCase()) return true;
  const h = splitAction(held);
  const w = splitAction(wanted);
  if (!h || !w || h.resource !== w.resource || h.property === '') return false;
  return (h.property === 'allproperties' || h.property === w.property) && (h.verb === 'alltasks' || h.verb === w.verb);
}

/** A role definition's capabilities, each with the held action that gives it (first in the definition's order). */
export function roleCapabilities(definition: DirectoryRolesT['definitions'][number]): Map<Capability, string> {
  const out = new Map<Capability, string>();
  for (const permission of definition.rolePermissions) {
    // A condition ($ResourceIsSelf, $SubjectIsOwner…) narrows the actions to objects the holder owns
    // or is: owners are judged as owners (group owner paths, app-owner items), not as role holders.
    if (permission.condition) continue;
    for (const held of permission.allowedResourceActions) {
      for (const { action, capability } of ROLE_ACTIONS) {
        if (!out.has(capability) && actionCovers(held, action)) out.set(capability, held);
      }
    }
  }
  return out;
}

type Principal = { id: string; type: string; displayName: string | null; upn: string | null; appId: string | null };

export const principalOf = (id: string, p: DirectoryPrincipalT | null): Principal => ({
  id,
  type: p?.type ?? 'unknown',
  displayName: p?.displayName ?? null,
  upn: p?.userPrincipalName ?? null,
  appId: p?.appId ?? null,
});

export const principalName = (p: Principal) => p.upn ?? p.displayName ?? p.appId ?? p.id;

/** Where a holder's capabilities take it: the paths it can take over, and what they add up to. */
export interface Reach {
  known: boolean;
  /** Why not, in words; null when known. */
  unknownReason: string | null;
  /** The app's groups it can change; null when it reaches every path whatever the group. */
  groupIds: readonly string[] | null;
  /** How many of the app's groups it can change (all of them for a reach of every path); null when unknown. */
  groupCount: number | null;
  paths: readonly number[];
  pathCount: number;
  accountCount: number;
  prodAccountCount: number;
  tiers: string[];
  reachesProd: boolean;
  reachesAdminInProd: boolean;
  /** The longest permission-set session among the paths, and the set; null with no path. */
  longestSession: { value: string; name: string } | null;
}

const PROD = 'prod';
const ADMIN = 'admin';
const NO_PATHS: readonly number[] = Object.freeze([]);

/** The distinct (account, permission set) pairs of the paths, each with its paths in path order. */
export interface Targets {
  pairs: { account: AccessPathDetail['account']; permissionSet: AccessPathDetail['permissionSet']; paths: number[] }[];
}

export class Reaches {
  private readonly cache = new Map<string, Reach>();
  private readonly unknown = new Map<string, Reach>();
  private readonly paths: readonly AccessPathDetail[];
  private readonly parts: PathParts;

  constructor(
    found: PathsWithParts,
    private readonly all: readonly number[],
    private readonly byGroup: ReadonlyMap<string, readonly number[]>,
    private readonly appGroupCount: number,
  ) {
    this.paths = found.paths;
    this.parts = found.parts;
  }

  every(): Reach {
    return this.memo('*', () => ({ ...this.stats(this.all, null), groupCount: this.appGroupCount }));
  }

  groups(ids: string[]): Reach {
    const sorted = [...new Set(ids)].sort();
    return this.memo(`g:${sorted.join('|')}`, () => {
      // One group: its list, in path order already. Several: one pass over the paths (no sort).
      const wanted = new Set(sorted);
      const paths =
        sorted.length === 0
          ? NO_PATHS
          : sorted.length === 1
            ? (this.byGroup.get(sorted[0]!) ?? NO_PATHS)
            : this.byGrant((p) => p.group !== null && wanted.has(p.group.id));
      return this.stats(paths, sorted);
    });
  }

  /** The paths of some (account, permission set) pairs (numbers in targets()), once per distinct set: every path when they are all. */
  pairs(numbers: readonly number[]): Reach {
    const sorted = [...new Set(numbers)].sort((a, b) => a - b);
    const t = this.targetsWithPaths();
    if (sorted.length === t.pairs.length) return this.every();
    return this.memo(`p:${sorted.join(',')}`, () => {
      const paths = sorted.length === 1 ? t.pairs[sorted[0]!]!.paths : sorted.flatMap((n) => t.pairs[n]!.paths).sort((a, b) => a - b);
      return this.stats(paths, null);
    });
  }

  private withPaths: Targets | null = null;

  /** The pairs with their paths: one pass over the paths, made only when asked (resource policies). */
  targetsWithPaths(): Targets {
    if (!this.withPaths) {
      const t = this.targetIndex();
      const pairs: Targets['pairs'] = t.example.map((i) => ({ account: this.paths[i]!.account, permissionSet: this.paths[i]!.permissionSet, paths: [] }));
      for (let i = 0; i < this.paths.length; i++) pairs[t.of[i]!]!.paths.push(i);
      this.withPaths = { pairs };
    }
    return this.withPaths;
  }

  /**
   * The paths whose grant `keep` selects, once per key (credential-reset.ts: the paths of the people a
   * role can reset); every path is every(). `keep` is asked once per grant, with the grant's first path:
   * it reads only what a path has of its grant (path-parts.ts).
   */
  select(key: string, keep: (path: AccessPathDetail) => boolean): Reach {
    return this.memo(`s:${key}`, () => {
      const paths = this.byGrant(keep);
      return paths.length === this.all.length ? this.every() : this.stats(paths, null);
    });
  }

  /** The paths (`all` is every path) whose grant `keep` selects, asked once per grant. */
  private byGrant(keep: (path: AccessPathDetail) => boolean): number[] {
    return pathsWhere(this.paths, this.parts, 'grant', keep);
  }

  unknownBecause(reason: string): Reach {
    let r = this.unknown.get(reason);
    if (!r) {
      r = { ...this.stats(NO_PATHS, []), known: false, unknownReason: reason, groupIds: null, groupCount: null };
      this.unknown.set(reason, r);
    }
    return r;
  }

  private memo(key: string, make: () => Reach): Reach {
    let r = this.cache.get(key);
    if (!r) this.cache.set(key, (r = make()));
    return r;
  }

  /** Each path's (account, permission set) as a number, and one path per number: made on the first reach asked for. */
  private targets: { of: Int32Array; example: number[]; seen: Int32Array; round: number } | null = null;

  private targetIndex() {
    if (!this.targets) {
      // The analysis's target numbers (path-parts.ts), renumbered in the order the paths first meet them.
      const of = Int32Array.from(this.parts.target);
      const numbers = new Int32Array(of.reduce((m, t) => Math.max(m, t + 1), 0)).fill(-1);
      const example: number[] = [];
      of.forEach((target, i) => {
        if (numbers[target] === -1) {
          numbers[target] = example.length;
          example.push(i);
        }
        of[i] = numbers[target]!;
      });
      this.targets = { of, example, seen: new Int32Array(example.length), round: 0 };
    }
    return this.targets;
  }

  /**
   * Once per distinct reach. What it counts depends on the paths' accounts and permission sets only,
   * so the paths are first reduced to their distinct (account, permission set) pairs: a few thousand
   * where a Global Administrator's reach is every one of 340,000 paths.
   */
  private stats(paths: readonly number[], groupIds: string[] | null): Reach {
    const t = this.targetIndex();
    const round = ++t.round;
    const distinct: number[] = [];
    for (const i of paths) {
      const n = t.of[i]!;
      if (t.seen[n] === round) continue;
      t.seen[n] = round;
      distinct.push(t.example[n]!);
    }
    const accounts = new Set<string>();
    const prodAccounts = new Set<string>();
    const tiers = new Set<string>();
    let adminInProd = false;
    let longest: { seconds: number; value: string; name: string } | null = null;
    const seenSets = new Set<string>();
    for (const i of distinct) {
      const p = this.paths[i]!;
      accounts.add(p.account.id);
      tiers.add(p.permissionSet.tier);
      if (p.account.environment === PROD) {
        prodAccounts.add(p.account.id);
        if (p.permissionSet.tier === ADMIN) adminInProd = true;
      }
      if (seenSets.has(p.permissionSet.arn)) continue;
      seenSets.add(p.permissionSet.arn);
      const value = p.permissionSetDetail.sessionDuration;
      const seconds = isoToSeconds(value);
      if (seconds !== null && (!longest || seconds > longest.seconds || (seconds === longest.seconds && p.permissionSet.name < longest.name))) {
        longest = { seconds, value, name: p.permissionSet.name };
      }
    }
    return {
      known: true,
      unknownReason: null,
      groupIds,
      groupCount: groupIds === null ? null : groupIds.length,
      paths,
      pathCount: paths.length,
      accountCount: accounts.size,
      prodAccountCount: prodAccounts.size,
      tiers: [...tiers].sort(),
      reachesProd: prodAccounts.size > 0,
      reachesAdminInProd: adminInProd,
      longestSession: longest ? { value: longest.value, name: longest.name } : null,
    };
  }
}

type ScopeKind = 'tenant' | 'object' | 'administrativeUnit';

export function scopeKind(scope: string): ScopeKind {
  if (scope === '/' || scope === '') return 'tenant';
  return scope.toLowerCase().startsWith('/administrativeunits/') ? 'administrativeUnit' : 'object';
}

export interface Context {
  ix: SnapshotIndex;
  reaches: Reaches;
  /** The app's groups (ids), split by isAssignableToRole. */
  plainGroups: string[];
  roleAssignableGroups: string[];
  appServicePrincipalId: string | null;
  /** Administrative units by lower-case id: their group members, or why they are unknown. */
  units: ReadonlyMap<string, { groupIds: ReadonlySet<string> | null; unreadReason: string | null }>;
}

/**
 * Where capabilities held at a scope reach. Tenant-wide: every path for a capability in EVERY_PATH,
 * else the app's groups it can change. One object: that group (when it is one of the app's) or the
 * app's service principal (every path); another object reaches nothing of the app. An administrative
 * unit: the app's groups among its members; unknown when its members were not collected or not read.
 */
function reachOf(ctx: Context, capabilities: readonly Capability[], scope: string): Reach | null {
  if (capabilities.length === 0) return null;
  const kind = scopeKind(scope);
  if (kind === 'administrativeUnit') {
    // Role assignments, consent and apps are not managed through administrative units; groups are:
    // the unit's groups that are the app's, split as at tenant scope (plain vs role-assignable).
    const unitPlain = capabilities.some((c) => c === 'group-members' || c === 'group-owners');
    const unitAssignable = capabilities.includes('role-assignable-groups');
    if (!unitPlain && !unitAssignable) return null;
    const unitId = scope.slice('/administrativeUnits/'.length);
    const unit = ctx.units.get(unitId.toLowerCase());
    if (!unit) return ctx.reaches.unknownBecause(`scoped to administrative unit ${unitId}, whose members were not collected`);
    const members = unit.groupIds;
    if (!members) return ctx.reaches.unknownBecause(`scoped to administrative unit ${unitId}, whose members could not be read (${unit.unreadReason ?? 'no reason given'})`);
    const ids = [...(unitPlain ? ctx.plainGroups : []), ...(unitAssignable ? ctx.roleAssignableGroups : [])].filter((g) => members.has(g.toLowerCase()));
    return ids.length ? ctx.reaches.groups(ids) : null;
  }
  const plain = capabilities.some((c) => c === 'group-members' || c === 'group-owners' || c === 'pim-for-groups');
  const assignable = capabilities.some((c) => c === 'role-assignable-groups' || c === 'pim-for-groups');
  if (kind === 'object') {
    const id = scope.slice(1);
    if (ctx.appServicePrincipalId !== null && id === ctx.appServicePrincipalId && capabilities.some((c) => c === 'app' || c === 'provisioning')) return ctx.reaches.every();
    const plainHit = plain && ctx.plainGroups.includes(id);
    const assignableHit = assignable && ctx.roleAssignableGroups.includes(id);
    return plainHit || assignableHit ? ctx.reaches.groups([id]) : null;
  }
  if (capabilities.some((c) => EVERY_PATH.has(c))) return ctx.reaches.every();
  const ids = [...(plain ? ctx.plainGroups : []), ...(assignable ? ctx.roleAssignableGroups : [])];
  return ids.length ? ctx.reaches.groups(ids) : null;
}

/** How long a JIT holder's takeover can last: the access-path math, with the role's activation maximum. */
export function holderWindow(ctx: Context, roleName: string, controls: PimRoleSettings | null, reach: Reach): EffectiveWindow {
  const activation =
    controls?.activationMaximum != null
      ? term(controls.activationMaximum, { status: 'collected', source: `PIM policy of directory role "${roleName}": activation maximum (Expiration_EndUser_Assignment)` })
      : term(null, { status: 'missing', source: `no PIM policy with an activation maximum for directory role "${roleName}"` });
  const session = reach.longestSession
    ? term(reach.longestSession.value, { status: 'collected', source: `permission set ${reach.longestSession.name}: SessionDuration (the longest among the paths it can take over)` })
    : term(null, { status: 'missing', source: reach.known ? 'no access path to take over' : 'reach unknown' });
  return effectiveWindow({ activation, scimLag: scimLagTerm(ctx.ix), portalSession: portalSessionTerm(ctx.ix), permissionSetSession: session });
}

/** How long a PIM-for-Groups-eligible holder of a role group can keep the role: the group's activation maximum, then the access-path math. */
function groupPimWindow(ctx: Context, groupName: string, accessId: string, controls: PimRoleSettings | null, reach: Reach): EffectiveWindow {
  const activation =
    controls?.activationMaximum != null
      ? term(controls.activationMaximum, { status: 'collected', source: `PIM policy of group "${groupName}" (${accessId}): activation maximum (Expiration_EndUser_Assignment)` })
      : term(null, { status: 'missing', source: `no PIM policy with an activation maximum for group "${groupName}" (${accessId})` });
  const session = reach.longestSession
    ? term(reach.longestSession.value, { status: 'collected', source: `permission set ${reach.longestSession.name}: SessionDuration (the longest among the paths it can take over)` })
    : term(null, { status: 'missing', source: reach.known ? 'no access path to take over' : 'reach unknown' });
  return effectiveWindow({ activation, scimLag: scimLagTerm(ctx.ix), portalSession: portalSessionTerm(ctx.ix), permissionSetSession: session });
}

type Assignment = DirectoryRolesT['assignments'][number];
type Eligibility = DirectoryRolesT['eligibilities'][number];

export const holderKey = (a: Pick<Assignment, 'principalId' | 'roleDefinitionId' | 'directoryScopeId'>) => `${a.principalId}|${a.roleDefinitionId}|${a.directoryScopeId}`;

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The reach in words, for messages and reports: never "0 paths" when it is unknown. */
export function reachWords(reach: Pick<Reach, 'known' | 'unknownReason' | 'pathCount' | 'accountCount' | 'prodAccountCount' | 'tiers'>): string {
  if (!reach.known) return `unknown (${reach.unknownReason})`;
  if (reach.pathCount === 0) return 'no access path today';
  return `${plural(reach.pathCount, 'access path')} into ${plural(reach.accountCount, 'account')} (${reach.prodAccountCount.toLocaleString('en-US')} production; tiers ${reach.tiers.join(', ')})`;
}

export function reachFields(reach: Reach) {
  return {
    reachSummary: reachWords(reach),
    reachKnown: reach.known,
    reachUnknownReason: reach.unknownReason,
    groupCount: reach.groupCount,
    pathCount: reach.pathCount,
    accountCount: reach.accountCount,
    prodAccountCount: reach.prodAccountCount,
    tiers: reach.tiers,
    reachesProd: reach.reachesProd,
    reachesAdminInProd: reach.reachesAdminInProd,
  };
}

const NONE: string[] = [];

const sharedReaches = new WeakMap<PathsWithParts, Reaches>();

/**
 * One Reaches per analysis, shared by the Entra and the AWS ways around the JIT: every holder that
 * reaches every path refers to the same array, counted once. Keyed by the object the resource
 * collections are built from, which goes when the analysis is done (findings keep `all`: a Reaches
 * kept by it would keep its memos for the rest of the audit).
 */
export function reachesFor(ix: SnapshotIndex, found: PathsWithParts, all: readonly number[], byGroup: ReadonlyMap<string, readonly number[]>): Reaches {
  let r = sharedReaches.get(found);
  if (!r) sharedReaches.set(found, (r = new Reaches(found, all, byGroup, ix.groupsById.size)));
  return r;
}

/** The controlPlane collection (resource-types.ts documents each field). */
/**
 * The directory-role assignments that are standing, and the eligibilities in use. An activated
 * assignment (roleAssignmentScheduleInstances: assignmentType Activated) whose holder has the
 * eligibility — directly, or as a member of an eligible role group — is that eligibility in use:
 * judged as the eligibility (activeNow), not as standing access. One activated with no eligibility
 * found stays standing, and says so. An assignment Graph calls Assigned is standing even beside an
 * eligibility. Without the type (an older snapshot, or no instance matched) an assignment with an
 * eligibility of the same holder, role and scope is read as its activation, any other as standing,
 * and the note says what was assumed.
 */
export function activeRoleAssignments(roles: DirectoryRolesT, now: number) {
  const eligible = new Set(roles.eligibilities.filter((e) => inForce(e.scheduleInfo.startDateTime, scheduleEnd(e), now)));
  const eligibleKeys = new Set([...eligible].map(holderKey));
  const groupHolders = new Map((roles.groupHolders ?? []).map((holder) => [holder.groupId.toLowerCase(), holder]));
  // Who is eligible through a role-holding group (as a member read in its list): for an activation of theirs.
  const eligibleThroughGroup = new Set<string>();
  for (const e of eligible) {
    if (e.principal?.type !== 'group') continue;
    for (const m of groupHolders.get(e.principalId.toLowerCase())?.members ?? []) eligibleThroughGroup.add(holderKey({ ...e, principalId: m.id }));
  }
  /** The activations in force, by holder key, with their end (null: not said, or an older snapshot). */
  const activeUntil = new Map<string, string | null>();
  /** Standing assignments with their position, and what was assumed (null: nothing). */
  const standing: [DirectoryRolesT['assignments'][number], number, string | null][] = [];
  roles.assignments.forEach((a, i) => {
    const key = holderKey(a);
    const type = a.assignmentType;
    const hasEligibility = eligibleKeys.has(key) || eligibleThroughGroup.has(key);
    if (type === 'assigned') standing.push([a, i, null]);
    else if (type === 'activated') {
      if (hasEligibility) activeUntil.set(key, a.endDateTime ?? null);
      else standing.push([a, i, `activated${a.endDateTime ? ` until ${a.endDateTime}` : ''}, but no eligibility for it was found: judged as standing`]);
    } else if (eligibleKeys.has(key)) activeUntil.set(key, a.endDateTime ?? null);
    else standing.push([a, i, type === null ? 'no PIM schedule instance found for it: read as standing' : 'activations not told apart in this snapshot: read as standing']);
  });
  return { eligible, standing, activeUntil };
}

export function controlPlane(ix: SnapshotIndex, found: PathsWithParts, all: readonly number[], byGroup: ReadonlyMap<string, readonly number[]>): ResourceItem[] {
  const { entra } = ix.snapshot as Snapshot;
  const roles = entra.directoryRoles?.data ?? null;
  const owners = entra.appOwners?.data ?? null;
  const workloads = entra.workloadIdentities?.data ?? null;
  if (!roles && !owners && !workloads) return [];
  const groups = [...ix.groupsById.values()].map((g) => g.value);
  const ctx: Context = {
    ix,
    reaches: reachesFor(ix, found, all, byGroup),
    plainGroups: groups.filter((g) => g.isAssignableToRole !== true).map((g) => g.id),
    roleAssignableGroups: groups.filter((g) => g.isAssignableToRole === true).map((g) => g.id),
    appServicePrincipalId: entra.enterpriseApp.data?.servicePrincipalId ?? owners?.servicePrincipalId ?? null,
    units: new Map(
      (roles?.administrativeUnits ?? []).map((u) => [u.id.toLowerCase(), { groupIds: u.groupIds ? new Set(u.groupIds.map((g) => g.toLowerCase())) : null, unreadReason: u.unreadReason }]),
    ),
  };
  // Who holds a directory role of any kind (for "an owner who is no admin"): directly, or as a member or
  // owner of a group that holds one. null when the roles were not read; for someone found nowhere, null
  // too when a role-holding group's members or owners could not be read (they may be among them).
  const roleHolders = roles ? new Set([...roles.assignments, ...roles.eligibilities].map((a) => a.principalId)) : null;
  let groupListsUnknown = false;
  if (roles && roleHolders) {
    const heldByGroup = [...roles.assignments, ...roles.eligibilities].some((a) => a.principal?.type === 'group');
    if (heldByGroup && !roles.groupHolders) groupListsUnknown = true;
    for (const g of roles.groupHolders ?? []) {
      if (g.members === null || g.owners === null || g.pim?.eligibilities === null) groupListsUnknown = true;
      for (const m of [...(g.members ?? []), ...(g.owners ?? [])]) roleHolders.add(m.id);
      // Eligible through PIM for Groups for the group's membership or ownership: a role holder after one activation.
      for (const e of g.pim?.eligibilities ?? []) if (inForce(e.scheduleInfo.startDateTime, scheduleEnd(e), ix.now)) roleHolders.add(e.principalId);
    }
  }
  const holdsRole = (id: string): boolean | null => (roleHolders === null ? null : roleHolders.has(id) ? true : groupListsUnknown ? null : false);
  const out: ResourceItem[] = [];
  const common = (p: Principal) => ({
    holder: principalName(p),
    principal: p,
    holdsDirectoryRole: holdsRole(p.id),
  });

  if (roles) {
    const definitions = new Map(roles.definitions.map((d) => [d.id, d]));
    const capabilitiesOf = new Map<string, Map<Capability, string>>();
    const capsOf = (id: string) => {
      let caps = capabilitiesOf.get(id);
      if (!caps) {
        const d = definitions.get(id);
        capabilitiesOf.set(id, (caps = d && d.isEnabled !== false ? roleCapabilities(d) : new Map()));
      }
      return caps;
    };
    const policies = new Map(roles.policies.map((p) => [p.roleDefinitionId, readPimPolicy(p)]));
    const groupHolders = new Map((roles.groupHolders ?? []).map((holder, index) => [holder.groupId.toLowerCase(), { holder, index }]));
    const groupHolderOf = (id: string) => groupHolders.get(id.toLowerCase()) ?? null;
    const { eligible, standing, activeUntil } = activeRoleAssignments(roles, ix.now);
    const roleItem = (a: Assignment | Eligibility, index: number, jit: boolean, activeNow: boolean, standingNote: string | null = null) => {
      const caps = capsOf(a.roleDefinitionId);
      const capabilities = [...caps.keys()].sort();
      const reach = reachOf(ctx, capabilities, a.directoryScopeId);
      if (!reach) return;
      const definition = definitions.get(a.roleDefinitionId);
      const roleName = definition?.displayName ?? a.roleDefinitionId;
      const principal = principalOf(a.principalId, a.principal);
      const controls = jit ? (policies.get(a.roleDefinitionId) ?? null) : null;
      const pointer = `/entra/directoryRoles/data/${jit ? 'eligibilities' : 'assignments'}/${index}`;
      const until = activeNow ? (activeUntil.get(holderKey(a)) ?? null) : null;
      const how = `${jit ? 'eligible for' : 'holds'} directory role ${roleName}${until ? ` (activated until ${until})` : ''}${standingNote ? ` (${standingNote})` : ''}`;
      const group = principal.type === 'group' ? groupHolderOf(a.principalId) : null;
      out.push({
        ref: { type: jit ? 'roleEligibility' : 'roleAssignment', id: a.id, name: `${principalName(principal)}: ${roleName} (${scopeWords(a.directoryScopeId)})`, pointer, ...personRef(principal) },
        paths: reach.paths,
        data: {
          kind: 'entra-role',
          ...common(principal),
          how: principal.type === 'group' ? `${how} (${groupWords(group)})` : how,
          role: { id: a.roleDefinitionId, name: roleName, templateId: definition?.templateId ?? null },
          ownerOf: null,
          workloadIdentity: null,
          graphPermissions: NONE,
          scope: a.directoryScopeId,
          scopeKind: scopeKind(a.directoryScopeId),
          standing: !jit,
          assignment: jit ? 'eligible' : 'active',
          activeNow,
          controls,
          window: jit ? holderWindow(ctx, roleName, controls, reach) : null,
          capabilities,
          grantedBy: capabilities.map((c) => `${caps.get(c)} → ${c}`),
          ...reachFields(reach),
        },
      });
      if (!group) return;
      // The people who hold the role through the group: each direct member as the group holds it
      // (standing or JIT, the same window), and each owner likewise, since an owner adds themselves as
      // a member at any time (of an eligible group, that gives the eligibility: still an activation
      // away). Nested groups are named as holders, not expanded (one level).
      const groupName = principalName(principal);
      const base = out[out.length - 1]!;
      const through = (p: DirectoryPrincipalT, relation: 'members' | 'owners', j: number) => {
        const person = principalOf(p.id, p);
        const owner = relation === 'owners';
        // A member's own activation of the group's eligibility (an activated assignment of theirs).
        const memberActive = jit && !owner && activeUntil.has(holderKey({ ...a, principalId: p.id }));
        const viaWords = owner
          ? `owner of group ${groupName}, which ${jit ? 'is eligible for' : 'holds'} directory role ${roleName} (can add themselves)`
          : `${how} via group ${groupName}${memberActive ? ' (activated now)' : ''}`;
        out.push({
          ref: {
            type: jit ? 'roleEligibility' : 'roleAssignment',
            id: `${a.id}/${relation}/${p.id}`,
            name: `${principalName(person)}: ${roleName} (${scopeWords(a.directoryScopeId)}) via group ${groupName}${owner ? ' (owner)' : ''}`,
            pointer: `/entra/directoryRoles/data/groupHolders/${group.index}/${relation}/${j}`,
            ...personRef(person),
          },
          paths: base.paths,
          data: {
            ...base.data,
            ...common(person),
            holdsDirectoryRole: owner ? holdsRole(p.id) : true,
            how: viaWords,
            ...(memberActive ? { activeNow: true } : {}),
          },
        });
      };
      (group.holder.members ?? []).forEach((m, j) => through(m, 'members', j));
      (group.holder.owners ?? []).forEach((o, j) => through(o, 'owners', j));
      // PIM for Groups on the role group itself: whoever is eligible for its membership (or ownership,
      // then adds themselves) holds the role after one activation of the group, under the group's policy.
      const pim = group.holder.pim;
      (pim?.eligibilities ?? []).forEach((e, j) => {
        if (!inForce(e.scheduleInfo.startDateTime, scheduleEnd(e), ix.now)) return;
        const person = principalOf(e.principalId, e.principal);
        const policy = pim!.policies?.find((x) => x.roleDefinitionId === e.accessId) ?? null;
        const groupControls = policy ? readPimPolicy(policy) : null;
        const owner = e.accessId === 'owner';
        const second = jit ? `, then an activation of directory role ${roleName}` : '';
        out.push({
          ref: {
            type: 'roleEligibility',
            id: `${a.id}/pim/${e.id}`,
            name: `${principalName(person)}: ${roleName} (${scopeWords(a.directoryScopeId)}) via group ${groupName} (PIM-eligible ${e.accessId})`,
            pointer: `/entra/directoryRoles/data/groupHolders/${group.index}/pim/eligibilities/${j}`,
            ...personRef(person),
          },
          paths: base.paths,
          data: {
            ...base.data,
            ...common(person),
            holdsDirectoryRole: true,
            how: `eligible (PIM for Groups) for ${owner ? 'ownership' : 'membership'} of group ${groupName}, which ${jit ? 'is eligible for' : 'holds'} directory role ${roleName}${owner ? ' (can add themselves once active)' : ''}: through group ${groupName}, PIM-eligible${second}`,
            standing: false,
            assignment: 'eligible',
            activeNow: false,
            controls: groupControls,
            window: groupPimWindow(ctx, groupName, e.accessId, groupControls, reach),
          },
        });
      });
    };
    standing.forEach(([a, i, note]) => roleItem(a, i, false, false, note));
    roles.eligibilities.forEach((e, i) => {
      if (eligible.has(e)) roleItem(e, i, true, activeUntil.has(holderKey(e)));
    });
  }

  // Whoever can reset a credential signs in as that person: credential-reset.ts.
  if (roles) out.push(...credentialResets(ctx, roles, found));

  if (owners) {
    const ownerItems = (list: DirectoryPrincipalT[], what: 'servicePrincipal' | 'application') =>
      list.forEach((o, i) => {
        const principal = principalOf(o.id, o);
        const reach = ctx.reaches.every();
        const objectId = what === 'servicePrincipal' ? owners.servicePrincipalId : `appId:${owners.appId}`;
        out.push({
          ref: {
            type: 'appOwner',
            id: `${objectId}:${o.id}`,
            name: `${principalName(principal)}: owner of the AWS app's ${what === 'servicePrincipal' ? 'service principal' : 'application object'}`,
            pointer: `/entra/appOwners/data/${what}Owners/${i}`,
            ...personRef(principal),
          },
          paths: reach.paths,
          data: {
            kind: 'app-owner',
            ...common(principal),
            how: `owner of the AWS app's ${what === 'servicePrincipal' ? 'service principal' : 'application object'}`,
            role: null,
            ownerOf: what,
            workloadIdentity: null,
            graphPermissions: NONE,
            scope: `/${what === 'servicePrincipal' ? owners.servicePrincipalId : owners.appId}`,
            scopeKind: 'object',
            standing: true,
            assignment: 'ownership',
            activeNow: false,
            controls: null,
            window: null,
            capabilities: ['app'],
            grantedBy: [`ownership of the ${what === 'servicePrincipal' ? 'service principal' : 'application object'} → app`],
            ...reachFields(reach),
          },
        });
      });
    ownerItems(owners.servicePrincipalOwners, 'servicePrincipal');
    ownerItems(owners.applicationOwners, 'application');
  }

  if (workloads) {
    const appOwnerIds = owners ? new Set([...owners.servicePrincipalOwners, ...owners.applicationOwners].map((o) => o.id)) : null;
    workloads.servicePrincipals.forEach((sp, i) => {
      const granted = new Map<Capability, string>();
      let ownedByUnknown = false;
      for (const permission of sp.permissions) {
        if (permission.toLowerCase() === OWNED_BY) {
          // Only the apps it owns: the AWS app when it is among the app's owners.
          if (appOwnerIds === null) ownedByUnknown = true;
          else if (appOwnerIds.has(sp.id) && !granted.has('app')) granted.set('app', permission);
          continue;
        }
        for (const c of GRAPH_PERMISSIONS[permission] ?? []) if (!granted.has(c)) granted.set(c, permission);
      }
      const capabilities = [...granted.keys()].sort();
      let reach = reachOf(ctx, capabilities, '/');
      if (!reach && ownedByUnknown) reach = ctx.reaches.unknownBecause("Application.ReadWrite.OwnedBy: the AWS app's owners were not collected");
      if (!reach) return;
      const principal: Principal = { id: sp.id, type: 'servicePrincipal', displayName: sp.displayName, upn: null, appId: sp.appId };
      const permissions = [...sp.permissions].sort();
      const fields = {
        role: null,
        graphPermissions: permissions,
        scope: '/',
        scopeKind: 'tenant' as ScopeKind,
        standing: true,
        assignment: 'appPermission',
        activeNow: false,
        controls: null,
        window: null,
        capabilities,
        grantedBy: capabilities.map((c) => `${granted.get(c)} → ${c}`),
        ...reachFields(reach),
      };
      const name = sp.displayName ?? sp.appId ?? sp.id;
      out.push({
        ref: { type: 'servicePrincipal', id: sp.id, name: `${name}: Microsoft Graph ${permissions.join(', ')}`, pointer: `/entra/workloadIdentities/data/servicePrincipals/${i}` },
        paths: reach.paths,
        data: {
          kind: 'workload-identity',
          ...common(principal),
          how: `workload identity with Microsoft Graph ${permissions.join(', ')}`,
          ownerOf: null,
          workloadIdentity: { id: sp.id, displayName: sp.displayName, appId: sp.appId, enabled: sp.accountEnabled, ownerCount: sp.owners.length },
          ...fields,
        },
      });
      // Each owner is an item of its own: a different holder (a person, usually) and a different
      // thing to change (the ownership, not the permission).
      sp.owners.forEach((o, j) => {
        const owner = principalOf(o.id, o);
        out.push({
          ref: {
            type: 'workloadIdentityOwner',
            id: `${sp.id}:${o.id}`,
            name: `${principalName(owner)}: owner of workload identity ${name}`,
            pointer: `/entra/workloadIdentities/data/servicePrincipals/${i}/owners/${j}`,
            ...personRef(owner),
          },
          paths: reach!.paths,
          data: {
            kind: 'workload-identity-owner',
            ...common(owner),
            how: `owner of workload identity ${name} (Microsoft Graph ${permissions.join(', ')}): can add a credential and act as it`,
            ownerOf: 'workloadIdentity',
            workloadIdentity: { id: sp.id, displayName: sp.displayName, appId: sp.appId, enabled: sp.accountEnabled, ownerCount: sp.owners.length },
            ...fields,
            assignment: 'ownership',
          },
        });
      });
    });
  }
  return out;
}

/** What became of a role-holding group's members, in words: never "no members" when they were not read. */
export function groupWords(group: { holder: NonNullable<DirectoryRolesT['groupHolders']>[number] } | null): string {
  if (!group) return 'a group: its members and owners were not collected, so the group is the only holder named';
  const { members, owners, unreadReason } = group.holder;
  const listed = [members ? plural(members.length, 'member') : null, owners ? plural(owners.length, 'owner') : null].filter((x) => x !== null);
  const named = listed.length ? `its ${listed.join(' and ')} are named as holders` : 'the group is the only holder named';
  const pim = group.holder.pim;
  // PIM for Groups on the group: its eligible members and owners are holders too (absent: not collected, as before).
  const eligibleWords = !pim
    ? ''
    : pim.eligibilities === null
      ? `; PIM-eligible members and owners not read: ${pim.unreadReason ?? 'no reason given'}`
      : pim.eligibilities.length
        ? `; ${plural(pim.eligibilities.length, 'PIM for Groups eligibility', 'PIM for Groups eligibilities')} read (those in force are named as holders)${pim.policies === null ? ` (its PIM policy not read: ${pim.unreadReason ?? 'no reason given'})` : ''}`
        : '';
  return unreadReason === null ? `a group: ${named}${eligibleWords}` : `a group: ${named}${eligibleWords}; not read: ${unreadReason}`;
}

export function scopeWords(scope: string): string {
  const kind = scopeKind(scope);
  return kind === 'tenant' ? 'tenant-wide' : kind === 'administrativeUnit' ? `administrative unit ${scope.slice('/administrativeUnits/'.length)}` : `object ${scope.slice(1)}`;
}

/** A user holder as a finding's person (explain --user, the report's principals); nothing for others. */
export function personRef(p: Principal) {
  return p.type === 'user' ? { principal: { upn: p.upn, entraUserId: p.id, identityCenterUserId: null } } : {};
}
