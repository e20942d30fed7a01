// The resource collections rules iterate (a rule's `resource:`), built from the snapshot index.
// Each item's `data` is what the rule's CEL condition sees as `resource`; field meanings are
// documented with each collection in src/rules/resource-types.ts.
import type { Config } from '../model/config.js';
import type { ConditionalAccessPolicyT } from '../model/snapshot-schema.js';
import type { PathWithSource } from './access-paths.js';
import { portalSessionTerm } from './access-paths.js';
import type { SnapshotIndex } from './snapshot-index.js';
import { isoToSeconds } from '../util/duration.js';
import type { AccessPathDetail, AccountRef, ResourceItem, ResourceRef } from './types.js';

const PROD = 'prod';

export function buildResources(ix: SnapshotIndex, paths: PathWithSource[]): Record<string, ResourceItem[]> {
  const byGroup = groupPaths(paths, (p) => p.group?.id ?? null);
  const all = paths.map((_, i) => i);
  const jit = all.filter((i) => !paths[i]!.path.standing);
  return {
    accessPaths: paths.map(({ path, pointer }) => ({ ref: new AccessPathRef(path, pointer), data: path as unknown as Record<string, unknown> })),
    groups: groups(ix, byGroup, paths),
    pimPolicies: pimPolicies(ix, byGroup, paths),
    permissionSets: permissionSets(ix, paths),
    // A provisioning job's health and the portal session set every JIT window; sign-in policy, every path.
    provisioningJobs: withPaths(provisioningJobs(ix), jit),
    portalSession: withPaths(portalSession(ix), jit),
    conditionalAccessPolicies: conditionalAccessPolicies(ix).map((item) => (item.data.targetsApp ? { ...item, paths: all } : item)),
    conditionalAccessCoverage: withPaths(conditionalAccessCoverage(ix), all),
    iamUsers: iamUsers(ix),
    rootUsers: rootUsers(ix),
    breakglassUsers: breakglassUsers(ix),
    breakglassEvents: breakglassEvents(ix),
    federationEvents: federationEvents(ix, paths),
    waivers: waivers(ix.config, ix.now),
  };
}

/** An access path as a finding names it; the name is made only for the paths a rule flags. */
class AccessPathRef implements ResourceRef {
  readonly type = 'accessPath';
  constructor(
    private readonly path: AccessPathDetail,
    readonly pointer: string,
  ) {}
  get id() {
    return this.path.id;
  }
  get name() {
    const { principal, account, permissionSet } = this.path;
    return `${principal.upn ?? principal.identityCenterUserId} → ${account.name} / ${permissionSet.name}`;
  }
  get account() {
    return this.path.account;
  }
  get principal() {
    return this.path.principal;
  }
}

const withPaths = (items: ResourceItem[], paths: readonly number[]): ResourceItem[] => items.map((item) => ({ ...item, paths }));

/** Where paths lead: environments and tiers they reach, for "does this matter" conditions. */
function reach(indices: readonly number[], all: PathWithSource[]) {
  const environments = new Set<string>();
  const tiers = new Set<string>();
  const accounts = new Set<string>();
  for (const i of indices) {
    const p = all[i]!.path;
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

/** Paths (their positions) by a key, in path order. */
function groupPaths(paths: PathWithSource[], key: (path: AccessPathDetail) => string | null): Map<string, number[]> {
  const map = new Map<string, number[]>();
  paths.forEach(({ path }, i) => {
    const k = key(path);
    if (k === null) return;
    const list = map.get(k);
    if (list) list.push(i);
    else map.set(k, [i]);
  });
  return map;
}

function groups(ix: SnapshotIndex, byGroup: Map<string, number[]>, all: PathWithSource[]): ResourceItem[] {
  // Reviews not yet completed, in snapshot order: each group takes the first whose scope names it.
  const open = (ix.snapshot.entra.accessReviews.data ?? []).filter((r) => r.status.toLowerCase() !== 'completed');
  return [...ix.groupsById.values()].map(({ value: g, pointer }) => {
    const review = open.find((r) => (r.scopeQuery ?? '').includes(g.id));
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
        ...reach(paths, all),
      },
    };
  });
}

function pimPolicies(ix: SnapshotIndex, byGroup: Map<string, number[]>, all: PathWithSource[]): ResourceItem[] {
  return [...ix.policies.values()].map(({ value: p, pointer, settings }) => {
    const group = ix.groupsById.get(p.groupId)?.value;
    const name = `${group?.displayName ?? p.groupId} (${p.roleDefinitionId})`;
    // The policy governs the paths of its role: owners' for the owner policy, everyone else's for the member one.
    const owner = p.roleDefinitionId === 'owner';
    const paths = (byGroup.get(p.groupId) ?? []).filter((i) => (all[i]!.path.kind === 'owner') === owner);
    return {
      ref: { type: 'pimPolicy', id: `${p.groupId}:${p.roleDefinitionId}`, name, pointer },
      paths,
      data: {
        groupId: p.groupId,
        groupName: group?.displayName ?? null,
        role: p.roleDefinitionId,
        ...settings,
        ...reach(byGroup.get(p.groupId) ?? [], all),
      },
    };
  });
}

function permissionSets(ix: SnapshotIndex, paths: PathWithSource[]): ResourceItem[] {
  const byArn = groupPaths(paths, (p) => p.permissionSet.arn);
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
        sessionDuration: ps.sessionDuration,
        managedPolicies: ps.managedPolicies.map((m) => m.arn),
        customerManagedPolicies: ps.customerManagedPolicies.map((c) => c.name),
        hasInlinePolicy: ps.inlinePolicy !== null && ps.inlinePolicy.trim() !== '',
        hasPermissionsBoundary: ps.permissionsBoundary !== null,
        ...reach(mine, paths),
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
        data: { id: null, statusCode: 'NotConfigured', scheduleState: null, interval: null, healthy: false, reason: ix.provisioning.reason, lastSuccessfulRun: null, quarantined: false },
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
        healthy: ix.provisioning.healthy,
        reason: ix.provisioning.reason,
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

function requiresMfa(p: ConditionalAccessPolicyT): boolean {
  const g = p.grantControls;
  if (!g) return false;
  const strength = g.authenticationStrength?.requirementsSatisfied?.toLowerCase();
  const mfa = g.builtInControls.map((c) => c.toLowerCase()).includes('mfa') || strength === 'mfa';
  // With OR, MFA is only one way through unless it is the only control.
  return mfa && (g.operator.toUpperCase() === 'AND' || g.builtInControls.length + (g.authenticationStrength ? 1 : 0) === 1);
}

function caAppliesToAll(p: ConditionalAccessPolicyT): boolean {
  return p.conditions.users.includeUsers.some((u) => u.toLowerCase() === 'all');
}

function conditionalAccessPolicies(ix: SnapshotIndex): ResourceItem[] {
  const appId = ix.snapshot.entra.enterpriseApp.data?.appId ?? null;
  return (ix.snapshot.entra.conditionalAccess.data ?? []).map((p, i) => ({
    ref: { type: 'conditionalAccessPolicy', id: p.id, name: p.displayName, pointer: `/entra/conditionalAccess/data/${i}` },
    data: {
      id: p.id,
      name: p.displayName,
      state: p.state,
      targetsApp: targetsApp(p, appId),
      requiresMfa: requiresMfa(p),
      blocks: p.grantControls?.builtInControls.map((c) => c.toLowerCase()).includes('block') ?? false,
      allUsers: caAppliesToAll(p),
      excludedUsers: p.conditions.users.excludeUsers.length,
      excludedGroups: p.conditions.users.excludeGroups.length,
    },
  }));
}

function conditionalAccessCoverage(ix: SnapshotIndex): ResourceItem[] {
  const ca = ix.snapshot.entra.conditionalAccess;
  const app = ix.snapshot.entra.enterpriseApp.data;
  if (ca.provenance.status === 'missing' || !app) return [];
  const policies = ca.data ?? [];
  const mfa = policies.filter((p) => targetsApp(p, app.appId) && requiresMfa(p));
  // Enforced for everyone: enabled and scoped to All users (exclusions are counted, not ignored).
  const enforced = mfa.filter((p) => p.state === 'enabled' && caAppliesToAll(p));
  const reportOnly = mfa.filter((p) => p.state === 'enabledForReportingButNotEnforced');
  return [
    {
      ref: { type: 'enterpriseApp', id: app.appId, name: app.displayName, pointer: '/entra/enterpriseApp/data' },
      data: {
        appId: app.appId,
        appName: app.displayName,
        enforcedMfaPolicies: enforced.map((p) => p.displayName).sort(),
        partialMfaPolicies: mfa.filter((p) => p.state === 'enabled' && !caAppliesToAll(p)).map((p) => p.displayName).sort(),
        reportOnlyMfaPolicies: reportOnly.map((p) => p.displayName).sort(),
        mfaEnforced: enforced.length > 0,
        excludedFromEnforcement: enforced.length ? Math.min(...enforced.map((p) => p.conditions.users.excludeUsers.length + p.conditions.users.excludeGroups.length)) : 0,
      },
    },
  ];
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

const SIGN_IN = new Set(['ConsoleLogin']);

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
          signIn: SIGN_IN.has(e.eventName),
          mfaUsed: e.mfaUsed,
          outcome: e.outcome,
          sourceIpAddress: e.sourceIpAddress,
          declaredDrill: drill ? { ticket: drill.ticket, kind: drill.kind ?? 'drill' } : null,
        },
      },
    ];
  });
}

const FEDERATION = new Set(['federate', 'getrolecredentials']);

/**
 * Identity Center credential fetches, each set against the person's JIT activations of the groups
 * that grant that (account, permission set): a fetch after the activation ended means the window
 * (portal session, SCIM lag) let access outlive the activation.
 */
function federationEvents(ix: SnapshotIndex, paths: PathWithSource[]): ResourceItem[] {
  const events = ix.snapshot.aws.cloudTrail.data?.events ?? [];
  const activations = ix.snapshot.entra.activations.data ?? [];
  // The paths to the (account, permission set) pairs fetched, indexed in one pass: a large
  // organisation has 300,000 paths and fetches of a few thousand of their pairs.
  const byTarget = new Map<string, Map<string, number[]>>();
  for (const e of events) {
    if (!FEDERATION.has(e.eventName.toLowerCase()) || !e.federation?.accountId || e.federation.roleName === null) continue;
    let byName = byTarget.get(e.federation.accountId);
    if (!byName) byTarget.set(e.federation.accountId, (byName = new Map()));
    byName.set(e.federation.roleName, []);
  }
  if (byTarget.size) paths.forEach(({ path }, i) => byTarget.get(path.account.id)?.get(path.permissionSet.name)?.push(i));
  const pathsTo = (accountId: string, permissionSetName: string | null): number[] =>
    (permissionSetName !== null && byTarget.get(accountId)?.get(permissionSetName)) || [];
  const selfActivations = new Map<string, typeof activations>();
  for (const a of activations) {
    if (a.action !== 'selfActivate') continue;
    const list = selfActivations.get(a.principalId);
    if (list) list.push(a);
    else selfActivations.set(a.principalId, [a]);
  }
  return events.flatMap((e, i) => {
    if (!FEDERATION.has(e.eventName.toLowerCase()) || !e.federation?.accountId) return [];
    const icUser =
      (e.userIdentity.onBehalfOfUserId && ix.icUsersById.get(e.userIdentity.onBehalfOfUserId)?.value) ||
      (e.userIdentity.userName && ix.icUserByName.get(e.userIdentity.userName.toLowerCase())) ||
      undefined;
    const entra = icUser ? ix.entraUserForIc(icUser) : null;
    const mineAt = pathsTo(e.federation.accountId, e.federation.roleName).filter((i) => {
      const p = paths[i]!.path;
      return Boolean((icUser && p.principal.identityCenterUserId === icUser.userId) || (entra && p.principal.entraUserId === entra.id));
    });
    const mine = mineAt.map((i) => paths[i]!.path);
    const standing = mine.some((p) => p.standing);
    const jitGroups = new Set(mine.filter((p) => !p.standing && p.group).map((p) => p.group!.id));
    const at = Date.parse(e.eventTime);
    const latest = ((entra && selfActivations.get(entra.id)) || [])
      .filter((a) => jitGroups.has(a.groupId))
      .map((a) => ({ start: a.scheduleInfo?.startDateTime ?? a.createdDateTime, duration: a.scheduleInfo?.expiration.duration ?? null, end: a.scheduleInfo?.expiration.endDateTime ?? null }))
      .filter((a) => Date.parse(a.start) <= at)
      .sort((x, y) => Date.parse(y.start) - Date.parse(x.start))[0];
    const end = latest ? (latest.end ?? (latest.duration ? addIso(latest.start, latest.duration) : null)) : null;
    const account = accountRef(ix, e.federation.accountId);
    // Activation history only reaches back so far: an older fetch cannot be matched to an activation.
    const lookback = isoToSeconds(ix.config.activationLookback) ?? 0;
    const upn = entra?.userPrincipalName ?? icUser?.userName ?? e.userIdentity.userName ?? e.userIdentity.onBehalfOfUserId ?? 'unknown';
    return [
      {
        ref: {
          type: 'cloudTrailEvent',
          id: e.eventId,
          name: `${e.eventName} by ${upn} → ${account.name} / ${e.federation.roleName ?? '?'}`,
          pointer: `/aws/cloudTrail/data/events/${i}`,
          account,
          principal: { upn, entraUserId: entra?.id ?? null, identityCenterUserId: icUser?.userId ?? null },
        },
        paths: mineAt,
        data: {
          eventId: e.eventId,
          eventTime: e.eventTime,
          eventName: e.eventName,
          upn,
          accountId: account.id,
          accountName: account.name,
          environment: account.environment,
          permissionSetName: e.federation.roleName,
          standingAccess: standing,
          jitAccess: jitGroups.size > 0,
          activationHistoryCovered: ix.snapshot.entra.activations.provenance.status !== 'missing' && at >= ix.now - lookback * 1000,
          activation: latest ? { start: latest.start, end } : null,
        },
      },
    ];
  });
}

function addIso(startIso: string, duration: string): string | null {
  const seconds = isoToSeconds(duration);
  return seconds === null ? null : new Date(Date.parse(startIso) + seconds * 1000).toISOString();
}

function waivers(config: Config, now: number): ResourceItem[] {
  return config.waivers.map((w, i) => ({
    ref: { type: 'waiver', id: `waiver:${w.rule}:${w.resource}`, name: `waiver of ${w.rule} for ${w.resource}`, pointer: `/waivers/${i}`, file: 'config' },
    // A waiver works through the whole of its expiry day (UTC), judged at the snapshot's time.
    data: { rule: w.rule, resource: w.resource, reason: w.reason, owner: w.owner, expires: waiverEnd(w.expires), expired: Date.parse(waiverEnd(w.expires)) < now },
  }));
}

export const waiverEnd = (date: string) => `${date}T23:59:59Z`;
