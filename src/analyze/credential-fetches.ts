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
//   • a fetch nobody can be matched to (unknown user, no target, no path then or now) is an item of
//     its own (`attribution`), so that a rule reports it rather than it being silently dropped.
// Linear: one pass over the paths (only those to fetched targets are kept), one over the requests
// (assignment and eligibility).
import { isCredentialFetch, type TrailEventT } from '../model/snapshot-schema.js';
import { isoToSeconds } from '../util/duration.js';
import { pathRole } from '../rules/path-objects.js';
import type { PathWithSource } from './access-paths.js';
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
import type { AccountRef, ResourceItem } from './types.js';

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

export function credentialFetches(ix: SnapshotIndex, paths: PathWithSource[], accountRef: (id: string) => AccountRef): ResourceItem[] {
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
  }
  const targets = new Map<string, Map<string, Target>>();
  for (const e of events) {
    if (!isCredentialFetch(e.eventName) || !e.federation?.accountId || !e.federation.roleName) continue;
    let byName = targets.get(e.federation.accountId);
    if (!byName) targets.set(e.federation.accountId, (byName = new Map()));
    if (!byName.has(e.federation.roleName)) byName.set(e.federation.roleName, { grantingRoles: new Set(), byPerson: new Map() });
  }
  if (targets.size) {
    paths.forEach(({ path }, i) => {
      const t = targets.get(path.account.id)?.get(path.permissionSet.name);
      if (!t) return;
      if (path.group) t.grantingRoles.add(`${path.group.id}|${pathRole(path)}`);
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
    for (const p of minePaths) {
      const path = paths[p]!.path;
      const created = path.schedule?.createdAt ?? null;
      if (created !== null && Date.parse(created) > at) continue; // granted after the fetch
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
    // Eligibility since changed or removed, in the group roles that grant the target.
    if (eligibilityCovered) {
      for (const { role, windows } of (entra && target && eligibleRolesByPrincipal.get(entra.id)) || []) {
        if (target!.grantingRoles.has(role) && eligibleAt(windows, at)) eligible = true;
      }
    }

    // PIM history in the group roles that grant the target.
    let activation: AccessWindow | null = null;
    let refused: RefusedRequest | null = null;
    let historyInTarget = false;
    for (const { role, history: h } of (entra && target && rolesByPrincipal.get(entra.id)) || []) {
      if (!target!.grantingRoles.has(role)) continue;
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
        judgedAgainst: assumptions.size
          ? `current access (${[...assumptions].sort().join('; ')})`
          : 'PIM history at the event\'s time (Identity Center assignments as of the snapshot)',
      },
    });
  });
  return out;
}
