// Identity Center credential fetches (CloudTrail Federate, GetRoleCredentials), each judged against the
// access the person had at the event's time, not today's:
//   • who: userIdentity.onBehalfOf.userId (2025+ events), else userIdentity.principalId, else userName
//     (older portal events: an Identity Center user id, or the user name);
//   • what reached the target then: the person's current paths whose PIM schedule already existed at
//     the event, and the PIM history of the snapshot (granted activations with their real ends, admin
//     assignments until their removal) in any group role that grants the account and permission set;
//   • eligibility then, from the eligibility schedule requests when they were collected: an
//     eligibility removed after the fetch still counts, one given after it does not; without them,
//     today's eligibility schedules decide, and judgedAgainst says so;
//   • Identity Center, where CloudTrail's assignment and membership changes were looked up: a path
//     whose account assignment (or Identity Center group membership) was created after the fetch
//     did not exist then; one deleted after the fetch did. Without those lookups, today's assignments
//     and memberships stand for the event's time, and judgedAgainst says so;
//   • a fetch nobody can be matched to (unknown user, no target, no path then or now) is an item of
//     its own (`attribution`), so that a rule reports it rather than it being silently dropped.
// Linear: one pass over the paths (only those to fetched targets are kept), one over the requests
// (assignment and eligibility), one over the Identity Center changes (indexed by account and
// permission set, and by group).
import { ACCOUNT_ASSIGNMENT_EVENTS, GROUP_MEMBERSHIP_EVENTS, isCredentialFetch, type Snapshot, type TrailEventT } from '../model/snapshot-schema.js';
import { isoToSeconds } from '../util/duration.js';
import { pathRole } from '../rules/path-objects.js';
import type { PathsWithParts } from './access-paths.js';
import {
  buildEligibilityHistory,
  buildPimHistory,
  covers,
  eligibleAt,
  historyKey,
  lastStartingBy,
  latestCovering,
  type AccessWindow,
  type EligibilityWindow,
  type RefusedRequest,
  type RoleHistory,
} from './pim-history.js';
import type { SnapshotIndex } from './snapshot-index.js';
import type { AccessPathDetail, AccountRef, ResourceItem } from './types.js';

export type Attribution = 'attributed' | 'unknown-user' | 'unknown-target' | 'no-path';

type IcUser = NonNullable<ReturnType<SnapshotIndex['icUsersById']['get']>>['value'];

/** The Identity Center user a fetch names, trying each field the two event shapes use. */
function icUserOf(ix: SnapshotIndex, e: TrailEventT): IcUser | null {
  const u = e.userIdentity;
  for (const id of [u.onBehalfOfUserId, u.principalId ?? null, u.userName]) {
    const found = id ? ix.icUsersById.get(id)?.value : undefined;
    if (found) return found;
  }
  return (u.userName && ix.icUserByName.get(u.userName.toLowerCase())) || null;
}

/** What the event names as its person, for messages, when it cannot be resolved. */
const namedAs = (e: TrailEventT) => e.userIdentity.onBehalfOfUserId ?? e.userIdentity.principalId ?? e.userIdentity.userName ?? null;

function addPath(byPerson: Map<string, number[]>, who: string, i: number): void {
  const list = byPerson.get(who);
  if (list) list.push(i);
  else byPerson.set(who, [i]);
}

interface Change {
  at: number;
  action: 'create' | 'delete';
}

/**
 * Whether an assignment or membership held at time t, from its changes (oldest first) and whether it
 * holds today: the last change by t decides; with none by then, the first one after (a deletion means
 * it held); with no change at all in the look-back, today's state held throughout.
 */
function heldAt(changes: readonly Change[] | undefined, t: number, today: boolean): boolean {
  if (!changes?.length) return today;
  let last: Change | null = null;
  for (const c of changes) {
    if (c.at > t) return last ? last.action === 'create' : c.action === 'delete';
    last = c;
  }
  return last!.action === 'create';
}

const pushTo = <K, V>(m: Map<K, V[]>, k: K, v: V) => {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
};

/** The Identity Center changes CloudTrail recorded, where both lookups of a pair were made. */
interface IcHistory {
  /** From when the assignment history holds (the lookups' start); null: not collected. */
  assignmentsFrom: number | null;
  membershipsFrom: number | null;
  /** `accountId|permission set name` → principal id (user or group) → changes, oldest first. */
  assignments: Map<string, Map<string, Change[]>>;
  /** Identity Center group id → user id → changes, oldest first. */
  memberships: Map<string, Map<string, Change[]>>;
  /** Identity Center user id → the groups with membership changes for them. */
  groupsByUser: Map<string, Set<string>>;
  /** Times of membership deletions that name no membership known to a creation or today's store. */
  unresolvedDeletions: number[];
}

/** When both lookups of a pair were collected: the later start; else null. */
function collectedFrom(lookups: NonNullable<Snapshot['aws']['cloudTrail']['data']>['lookups'], names: readonly string[]): number | null {
  let from: number | null = null;
  for (const name of names) {
    const mine = lookups.filter((l) => l.attribute === 'EventName' && l.value === name);
    if (!mine.length || mine.some((l) => l.provenance.status === 'missing')) return null;
    for (const l of mine) from = Math.max(from ?? -Infinity, Date.parse(l.startTime));
  }
  return from;
}

function identityCenterHistory(ix: SnapshotIndex, events: readonly TrailEventT[]): IcHistory {
  const lookups = ix.snapshot.aws.cloudTrail.data?.lookups ?? [];
  const h: IcHistory = {
    assignmentsFrom: collectedFrom(lookups, ACCOUNT_ASSIGNMENT_EVENTS),
    membershipsFrom: collectedFrom(lookups, GROUP_MEMBERSHIP_EVENTS),
    assignments: new Map(),
    memberships: new Map(),
    groupsByUser: new Map(),
    unresolvedDeletions: [],
  };
  if (h.assignmentsFrom === null && h.membershipsFrom === null) return h;
  // A deletion names only the membership id: its group and user come from the creation event or
  // from today's identity store.
  const membershipById = new Map<string, { groupId: string; userId: string }>();
  for (const m of ix.snapshot.aws.identityStore.data?.memberships ?? []) if (m.membershipId) membershipById.set(m.membershipId, m);
  for (const e of events) {
    const m = e.groupMembership;
    if (m?.action === 'create' && !e.errorCode && m.membershipId && m.groupId && m.userId) membershipById.set(m.membershipId, { groupId: m.groupId, userId: m.userId });
  }
  // Events are in time order (the collector sorts them); a failed call changed nothing.
  const sorted = [...events].sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : 0));
  for (const e of sorted) {
    if (e.errorCode) continue;
    const at = Date.parse(e.eventTime);
    const a = e.accountAssignment;
    if (a && h.assignmentsFrom !== null && a.accountId && a.permissionSetArn && a.principalId) {
      const name = ix.permissionSet(a.permissionSetArn)?.name;
      if (!name) continue; // a permission set deleted since: no fetch of today's names can reach it
      let byPrincipal = h.assignments.get(`${a.accountId}|${name}`);
      if (!byPrincipal) h.assignments.set(`${a.accountId}|${name}`, (byPrincipal = new Map()));
      pushTo(byPrincipal, a.principalId, { at, action: a.action });
    }
    const m = e.groupMembership;
    if (m && h.membershipsFrom !== null) {
      const known = m.groupId && m.userId ? { groupId: m.groupId, userId: m.userId } : m.membershipId ? membershipById.get(m.membershipId) : undefined;
      if (!known) {
        if (m.action === 'delete') h.unresolvedDeletions.push(at);
        continue;
      }
      let byUser = h.memberships.get(known.groupId);
      if (!byUser) h.memberships.set(known.groupId, (byUser = new Map()));
      pushTo(byUser, known.userId, { at, action: m.action });
      let groups = h.groupsByUser.get(known.userId);
      if (!groups) h.groupsByUser.set(known.userId, (groups = new Set()));
      groups.add(known.groupId);
    }
  }
  return h;
}

/** What a judgement stood on: the histories used, and what it assumed where there was none. */
function judgedAgainst(assumptions: Set<string>, assignments: boolean, memberships: boolean): string {
  const pim = assumptions.size ? `current access (${[...assumptions].sort().join('; ')})` : "PIM history at the event's time";
  if (!assignments && !memberships) return assumptions.size ? pim : `${pim} (Identity Center assignments as of the snapshot)`;
  const ic =
    assignments && memberships
      ? 'Identity Center assignment and group-membership history from CloudTrail'
      : assignments
        ? 'Identity Center assignment history from CloudTrail (group memberships as of the snapshot)'
        : 'Identity Center group-membership history from CloudTrail (assignments as of the snapshot)';
  return `${pim}; ${ic}`;
}

export function credentialFetches(ix: SnapshotIndex, { paths, parts }: PathsWithParts, accountRef: (id: string) => AccountRef): ResourceItem[] {
  const events = ix.snapshot.aws.cloudTrail.data?.events ?? [];
  const requests = ix.snapshot.entra.activations.data ?? [];
  const historyCollected = ix.snapshot.entra.activations.provenance.status !== 'missing';
  const lookback = isoToSeconds(ix.config.activationLookback) ?? 0;
  const historyFrom = ix.now - lookback * 1000;
  // Optional section (older snapshots have none); collected with the same look-back as the activations.
  const eligibilitySection = ix.snapshot.entra.eligibilityRequests;
  const eligibilityRequests = eligibilitySection && eligibilitySection.provenance.status !== 'missing' ? eligibilitySection.data : null;

  // Targets fetched: account → permission set name → what reaches it.
  interface Target {
    /** Group roles (group|role) that grant the target to whoever holds them. */
    grantingRoles: Set<string>;
    /** The target's paths by person key (Identity Center user id or Entra user id). */
    byPerson: Map<string, number[]>;
    /** The principals (Identity Center user and group ids) assigned the target today. */
    assigned: Set<string>;
  }
  const targets = new Map<string, Map<string, Target>>();
  for (const e of events) {
    if (!isCredentialFetch(e.eventName) || !e.federation?.accountId || !e.federation.roleName) continue;
    let byName = targets.get(e.federation.accountId);
    if (!byName) targets.set(e.federation.accountId, (byName = new Map()));
    if (!byName.has(e.federation.roleName)) byName.set(e.federation.roleName, { grantingRoles: new Set(), byPerson: new Map(), assigned: new Set() });
  }
  const icChanges = identityCenterHistory(ix, events);
  if (targets.size && (icChanges.assignments.size || icChanges.memberships.size)) {
    for (const a of ix.snapshot.aws.accountAssignments.data ?? []) {
      const name = targets.has(a.accountId) ? ix.permissionSet(a.permissionSetArn)?.name : undefined;
      if (name) targets.get(a.accountId)!.get(name)?.assigned.add(a.principalId);
    }
  }
  // Today's members of the Identity Center groups asked about (a group can have 150,000).
  const membersToday = new Map<string, Set<string>>();
  const isMemberToday = (groupId: string, userId: string) => {
    let set = membersToday.get(groupId);
    if (!set) membersToday.set(groupId, (set = new Set((ix.icMembersByGroup.get(groupId) ?? []).map((m) => m.value.userId))));
    return set.has(userId);
  };
  // The Identity Center groups provisioned from each Entra group (only needed with assignment changes).
  const icGroupsOfEntra = new Map<string, string[]>();
  if (icChanges.assignments.size) {
    for (const { value: g } of ix.icGroupsById.values()) {
      const entraGroup = ix.entraGroupFor(g);
      if (entraGroup) pushTo(icGroupsOfEntra, entraGroup.value.id, g.groupId);
    }
  }
  if (targets.size) {
    // Looked up once per target and grant (path-parts.ts), not once per path.
    const targetOf: (Target | null)[] = [];
    const roleOf: string[] = [];
    paths.forEach((path, i) => {
      const target = parts.target[i]!;
      const grant = parts.grant[i]!;
      let t = targetOf[target];
      if (t === undefined) targetOf[target] = t = targets.get(path.account.id)?.get(path.permissionSet.name) ?? null;
      if (!t) return;
      if (path.group) t.grantingRoles.add((roleOf[grant] ??= `${path.group.id}|${pathRole(path)}`));
      const { identityCenterUserId: ic, entraUserId: entra } = path.principal;
      if (ic) addPath(t.byPerson, ic, i);
      if (entra && entra !== ic) addPath(t.byPerson, entra, i);
    });
  }

  // PIM history per (principal, group, role), and per principal the group roles it has history in.
  const history = buildPimHistory(requests, (groupId, accessId) => ix.policies.get(`${groupId}|${accessId}`)?.settings.activationMaximum ?? null);
  const rolesByPrincipal = new Map<string, { role: string; history: RoleHistory }[]>();
  for (const [key, h] of history) {
    const cut = key.indexOf('|');
    const principal = key.slice(0, cut);
    const list = rolesByPrincipal.get(principal);
    const entry = { role: key.slice(cut + 1), history: h };
    if (list) list.push(entry);
    else rolesByPrincipal.set(principal, [entry]);
  }

  // Eligibility per (principal, group, role), and per principal the group roles it has any in.
  const eligibility = eligibilityRequests ? buildEligibilityHistory(eligibilityRequests) : new Map<string, EligibilityWindow[]>();
  const eligibleRolesByPrincipal = new Map<string, { role: string; windows: EligibilityWindow[] }[]>();
  for (const [key, windows] of eligibility) {
    const cut = key.indexOf('|');
    const principal = key.slice(0, cut);
    const list = eligibleRolesByPrincipal.get(principal);
    const entry = { role: key.slice(cut + 1), windows };
    if (list) list.push(entry);
    else eligibleRolesByPrincipal.set(principal, [entry]);
  }

  const out: ResourceItem[] = [];
  events.forEach((e, i) => {
    if (!isCredentialFetch(e.eventName) || !e.federation) return;
    const at = Date.parse(e.eventTime);
    const icUser = icUserOf(ix, e);
    const entra = icUser ? ix.entraUserForIc(icUser) : null;
    const accountId = e.federation.accountId;
    const roleName = e.federation.roleName;
    const target = accountId && roleName ? targets.get(accountId)?.get(roleName) : undefined;

    // The person's current paths to the target, and whether each existed at the event's time.
    const mine = new Set<number>();
    for (const who of [icUser?.userId, entra?.id]) for (const p of (who && target?.byPerson.get(who)) || []) mine.add(p);
    const minePaths = [...mine].sort((a, b) => a - b);
    const assumptions = new Set<string>();
    const eligibilityCovered = eligibilityRequests !== null && at >= historyFrom;
    let standing = false;
    let eligible = false;

    // Identity Center at the event's time, where CloudTrail's changes were looked up.
    const assignmentsCovered = icChanges.assignmentsFrom !== null && at >= icChanges.assignmentsFrom;
    const membershipsCovered = icChanges.membershipsFrom !== null && at >= icChanges.membershipsFrom;
    if ((icChanges.assignmentsFrom !== null && !assignmentsCovered) || (icChanges.membershipsFrom !== null && !membershipsCovered)) {
      assumptions.add('the event is older than the Identity Center history');
    }
    const changesHere = target && assignmentsCovered ? icChanges.assignments.get(`${accountId}|${roleName}`) : undefined;
    const assignedAt = (principalId: string) =>
      changesHere?.has(principalId) ? heldAt(changesHere.get(principalId), at, target!.assigned.has(principalId)) : target!.assigned.has(principalId);
    /** The assignment principals a current path comes through: the user, or the Identity Center group(s). */
    const principalsOf = (path: AccessPathDetail): string[] =>
      !path.group
        ? path.principal.identityCenterUserId ? [path.principal.identityCenterUserId] : []
        : path.groupDetail?.source === 'identity-center'
          ? [path.group.id]
          : (icGroupsOfEntra.get(path.group.id) ?? []);
    /** Whether a group role of today's paths granted the target at the event (its assignment then). */
    const grantedThen = new Set<string>();
    const roleGrants = (role: string): boolean => {
      if (grantedThen.has(role)) return true;
      if (!target!.grantingRoles.has(role)) return false;
      const groups = changesHere ? icGroupsOfEntra.get(role.slice(0, role.indexOf('|'))) : undefined;
      return !groups?.length || groups.some(assignedAt);
    };

    for (const p of minePaths) {
      const path = paths[p]!;
      const created = path.schedule?.createdAt ?? null;
      if (created !== null && Date.parse(created) > at) continue; // granted after the fetch
      if (changesHere) {
        const through = principalsOf(path);
        if (through.length && !through.some(assignedAt)) continue; // assigned after the fetch
      }
      if (membershipsCovered && path.groupDetail?.source === 'identity-center' && path.group && icUser) {
        const changes = icChanges.memberships.get(path.group.id)?.get(icUser.userId);
        if (changes && !heldAt(changes, at, true)) continue; // joined the group after the fetch
      }
      const person = path.principal.entraUserId ?? entra?.id;
      if (!path.standing && created === null && eligibilityCovered && path.group && person) {
        // Today's eligibility with no creation time: the history decides. With no request for it in
        // the look-back, it already held throughout.
        const windows = eligibility.get(historyKey(person, path.group.id, pathRole(path)));
        if (!windows || eligibleAt(windows, at)) eligible = true;
        continue;
      }
      if (path.standing) standing = true;
      else eligible = true;
      if (created === null) assumptions.add(path.group ? `no history for group ${path.group.name}` : 'no history for direct assignments');
    }
    // Assignments deleted since: held at the event, gone today.
    for (const [principalId, changes] of changesHere ?? []) {
      if (target!.assigned.has(principalId) || !heldAt(changes, at, false)) continue;
      if (principalId === icUser?.userId) {
        standing = true;
        continue;
      }
      const group = ix.icGroupsById.get(principalId)?.value;
      if (!group || !icUser) continue;
      const source = ix.entraGroupFor(group)?.value;
      if (source) {
        // Membership of the Entra group then: its PIM history (below), else today's membership.
        grantedThen.add(`${source.id}|member`).add(`${source.id}|owner`);
        if (entra && (source.members.some((m) => m.id === entra.id) || source.owners.some((m) => m.id === entra.id))) {
          standing = true;
          assumptions.add(`no history for group ${source.displayName}`);
        }
        for (const e of (entra && ix.eligibilityByGroup.get(source.id)) || []) {
          const since = e.value.createdDateTime;
          if (e.value.principalId === entra!.id && (!since || Date.parse(since) <= at)) eligible = true;
        }
      } else {
        const today = isMemberToday(group.groupId, icUser.userId);
        if (membershipsCovered ? heldAt(icChanges.memberships.get(group.groupId)?.get(icUser.userId), at, today) : today) standing = true;
      }
    }
    // Identity Center group memberships deleted since, in groups assigned the target then.
    if (membershipsCovered && target && icUser) {
      for (const groupId of icChanges.groupsByUser.get(icUser.userId) ?? []) {
        if (isMemberToday(groupId, icUser.userId) || !heldAt(icChanges.memberships.get(groupId)!.get(icUser.userId), at, false)) continue;
        if (assignedAt(groupId)) standing = true;
      }
    }

    // Eligibility since changed or removed, in the group roles that grant the target.
    if (eligibilityCovered) {
      for (const { role, windows } of (entra && target && eligibleRolesByPrincipal.get(entra.id)) || []) {
        if (roleGrants(role) && eligibleAt(windows, at)) eligible = true;
      }
    }

    // PIM history in the group roles that grant the target.
    let activation: AccessWindow | null = null;
    let refused: RefusedRequest | null = null;
    let historyInTarget = false;
    for (const { role, history: h } of (entra && target && rolesByPrincipal.get(entra.id)) || []) {
      if (!roleGrants(role)) continue;
      if (h.activations.length || h.assignments.length) historyInTarget = true;
      if (latestCovering(h.assignments, at)) standing = true;
      const last = h.activations[lastStartingBy(h.activations, at)];
      if (last && (!activation || last.start > activation.start)) activation = last;
      const r = latestCovering(h.refused, at);
      if (r && (!refused || r.start > refused.start)) refused = r;
    }
    // A refused request after the last activation ended: the person asked again and was refused, so
    // the fetch stands against no activation (not "after" the earlier one).
    if (refused && activation && !covers(activation, at) && activation.start < refused.start) activation = null;
    const jit = eligible || historyInTarget;

    const covered = historyCollected && at >= historyFrom;
    if (!covered) assumptions.add(historyCollected ? 'the event is older than the PIM history' : 'PIM history not collected');
    // Eligibility decides only for someone with no standing access then.
    if (!standing && eligibilityRequests === null) assumptions.add('eligibility history not collected');
    else if (!standing && !eligibilityCovered) assumptions.add('the event is older than the PIM history');
    if (membershipsCovered && !standing && !jit && icChanges.unresolvedDeletions.some((t) => t > at)) {
      assumptions.add('a group membership removed after the event names no known group');
    }
    const attribution: Attribution = !icUser
      ? 'unknown-user'
      : !accountId || !roleName
        ? 'unknown-target'
        : standing || jit
          ? 'attributed'
          : 'no-path';
    const why =
      attribution === 'unknown-user'
        ? `the event names ${namedAs(e) ? `"${namedAs(e)}"` : 'no user'}, who is not in the identity store`
        : attribution === 'unknown-target'
          ? `the event names no ${accountId ? 'permission set' : 'account'}`
          : attribution === 'no-path'
            ? 'the person has no path to this account and permission set, now or in the PIM history'
            : null;
    const account = accountId ? accountRef(accountId) : null;
    const upn = entra?.userPrincipalName ?? icUser?.userName ?? e.userIdentity.userName ?? namedAs(e) ?? 'unknown';
    out.push({
      ref: {
        type: 'cloudTrailEvent',
        id: e.eventId,
        name: `${e.eventName} by ${upn} → ${account?.name ?? '?'} / ${roleName ?? '?'}`,
        pointer: `/aws/cloudTrail/data/events/${i}`,
        ...(account ? { account } : {}),
        principal: { upn, entraUserId: entra?.id ?? null, identityCenterUserId: icUser?.userId ?? null },
      },
      paths: minePaths,
      data: {
        eventId: e.eventId,
        eventTime: e.eventTime,
        eventName: e.eventName,
        upn,
        accountId: accountId ?? null,
        accountName: account?.name ?? null,
        environment: account?.environment ?? null,
        permissionSetName: roleName,
        // A failed call (an errorCode) fetched nothing.
        succeeded: e.outcome?.toLowerCase() !== 'failure',
        attribution,
        attributionProblem: why,
        standingAccess: standing,
        jitAccess: jit,
        activationHistoryCovered: covered,
        activation: activation ? { requestId: activation.requestId, start: activation.start, end: activation.end, endedBy: activation.endedBy } : null,
        refusedRequest: refused,
        judgedAgainst: judgedAgainst(assumptions, assignmentsCovered, membershipsCovered),
      },
    });
  });
  return out;
}
