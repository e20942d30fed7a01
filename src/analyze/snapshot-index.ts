// Lookups over a snapshot, built once: every join of the analysis goes through here.
import type { Config } from '../model/config.js';
import type {
  AccountT,
  EntraGroupT,
  EntraUserT,
  PermissionSetT,
  PimInstanceT,
  PimPolicyT,
  PimScheduleT,
  Snapshot,
  SyncJobT,
} from '../model/snapshot-schema.js';
import { classifyAccount, classifyPermissionSet } from './classify.js';
import { readPimPolicy, type PimRoleSettings } from './pim-policy.js';
import { provisioningHealth, type ProvisioningHealth } from './provisioning.js';
import type { AccountRef } from './types.js';
import { isoToSeconds } from '../util/duration.js';
import { pointerAt } from '../util/json-pointer.js';

type IcUser = NonNullable<Snapshot['aws']['identityStore']['data']>['users'][number];
type IcGroup = NonNullable<Snapshot['aws']['identityStore']['data']>['groups'][number];

export type AccountSummary = Readonly<AccountRef & { ouPath: string; tags: Record<string, string>; state: string; pointer: string | null }>;
export type PermissionSetSummary = Readonly<{ arn: string; name: string; tier: string; sessionDuration: string }>;

export interface Indexed<T> {
  readonly value: T;
  readonly pointer: string;
}

/**
 * An item of one of the snapshot's lists, with where it is. The pointer is made when first read:
 * hundreds of thousands are indexed (every user, membership, schedule) and few are ever named.
 */
export class ListItem<T> implements Indexed<T> {
  #pointer: string | undefined;

  constructor(
    readonly value: T,
    /** The list's pointer. */
    readonly list: string,
    /** The item's position in it. */
    readonly index: number,
  ) {}

  get pointer(): string {
    return (this.#pointer ??= pointerAt(this.list, this.index));
  }
}

function indexBy<T>(items: T[] | undefined, base: string, key: (item: T) => string): Map<string, ListItem<T>> {
  const map = new Map<string, ListItem<T>>();
  (items ?? []).forEach((value, i) => {
    const k = key(value);
    if (!map.has(k)) map.set(k, new ListItem(value, base, i));
  });
  return map;
}

function groupBy<T>(items: T[] | undefined, base: string, key: (item: T) => string): Map<string, ListItem<T>[]> {
  const map = new Map<string, ListItem<T>[]>();
  (items ?? []).forEach((value, i) => {
    const k = key(value);
    const list = map.get(k);
    if (list) list.push(new ListItem(value, base, i));
    else map.set(k, [new ListItem(value, base, i)]);
  });
  return map;
}

/** Is a schedule or instance in force at `now`? Start in the past (or none), end in the future (or none). */
export function inForce(start: string | null, end: string | null, now: number): boolean {
  return (start === null || Date.parse(start) <= now) && (end === null || Date.parse(end) > now);
}

/** When a schedule ends: its end date, or start + duration for "afterDuration"; null = never. */
export function scheduleEnd(s: Pick<PimScheduleT, 'scheduleInfo'>): string | null {
  const { startDateTime, expiration } = s.scheduleInfo;
  if (expiration.type.toLowerCase() === 'noexpiration') return null;
  if (expiration.endDateTime) return expiration.endDateTime;
  const seconds = expiration.duration ? isoToSeconds(expiration.duration) : null;
  if (startDateTime && seconds !== null) return new Date(Date.parse(startDateTime) + seconds * 1000).toISOString();
  return null;
}

/** Warnings of one kind listed one by one, at most: a snapshot broken throughout says so in a few lines. */
const REFERENCE_WARNINGS = 10;

/**
 * References to objects the snapshot does not hold, each a warning naming its pointer: an account
 * assignment to an account not in the organisation, a membership of an unknown user or group, a PIM
 * schedule or policy of a group not among the groups. Checked only where the referred-to section was
 * collected (a missing section is reported as incomplete already). Unresolved principals of account
 * assignments and unknown permission sets are warned of where the paths are built.
 */
function danglingReferences(ix: SnapshotIndex): string[] {
  const out: string[] = [];
  const counts = new Map<string, { count: number; first: string; section: string; what: string }>();
  const dangling = (section: string, pointer: string, what: string, id: string) => {
    const key = `${section}|${what}`;
    const seen = counts.get(key) ?? { count: 0, first: pointer, section, what };
    counts.set(key, seen);
    if (seen.count++ < REFERENCE_WARNINGS) out.push(`${section}: ${pointer}: ${what} ${id} is not in the snapshot`);
  };
  const check = <T>(section: string, items: readonly T[] | null | undefined, base: string, field: keyof T & string, known: { has(id: string): boolean } | null, what: string) => {
    if (!items || !known) return;
    // Lists come grouped (memberships by group, schedules by group): the last id found is checked once.
    let found: string | undefined;
    for (let i = 0; i < items.length; i++) {
      const id = String(items[i]![field]);
      if (id === found) continue;
      if (known.has(id)) found = id;
      else dangling(section, `${base}/${i}/${field}`, what, id);
    }
  };
  const { entra, aws } = ix.snapshot;
  const accounts = aws.organization.data ? ix.accountsById : null;
  const groups = entra.groups.data ? ix.groupsById : null;
  const store = aws.identityStore.data;
  check('aws.accountAssignments', aws.accountAssignments.data, '/aws/accountAssignments/data', 'accountId', accounts, 'AWS account');
  check('aws.identityStore', store?.memberships, '/aws/identityStore/data/memberships', 'groupId', store ? ix.icGroupsById : null, 'Identity Center group');
  check('aws.identityStore', store?.memberships, '/aws/identityStore/data/memberships', 'userId', store ? ix.icUsersById : null, 'Identity Center user');
  const pim = entra.pimSchedules.data;
  for (const list of ['eligibilitySchedules', 'assignmentSchedules', 'eligibilityInstances', 'assignmentInstances'] as const) {
    check('entra.pimSchedules', pim?.[list] as { groupId: string }[] | undefined, `/entra/pimSchedules/data/${list}`, 'groupId', groups, 'group');
  }
  check('entra.pimPolicies', entra.pimPolicies.data, '/entra/pimPolicies/data', 'groupId', groups, 'group');
  // Members and owners who are users: the users section holds every user on any path.
  const users = entra.users.data ? ix.usersById : null;
  if (users) {
    (entra.groups.data ?? []).forEach((g, i) => {
      for (const role of ['members', 'owners'] as const) {
        const list = g[role];
        for (let j = 0; j < list.length; j++) {
          const m = list[j]!;
          if (m.type === 'user' && !users.has(m.id)) dangling('entra.groups', `/entra/groups/data/${i}/${role}/${j}/id`, 'user', m.id);
        }
      }
    });
  }
  for (const { count, first, section, what } of counts.values()) {
    if (count > REFERENCE_WARNINGS) out.push(`${section}: ${count - REFERENCE_WARNINGS} more references like ${first} to a ${what} not in the snapshot`);
  }
  return out;
}

/** A PIM policy with what the analysis reads of it. */
export class PolicyItem extends ListItem<PimPolicyT> {
  readonly settings: PimRoleSettings;

  constructor(value: PimPolicyT, list: string, index: number) {
    super(value, list, index);
    this.settings = readPimPolicy(value);
  }
}

export class SnapshotIndex {
  readonly now: number;
  readonly nowIso: string;
  readonly usersById: Map<string, ListItem<EntraUserT>>;
  readonly mfaByUserId: Map<string, boolean>;
  readonly groupsById: Map<string, ListItem<EntraGroupT>>;
  readonly icUsersById: Map<string, ListItem<IcUser>>;
  readonly icGroupsById: Map<string, ListItem<IcGroup>>;
  readonly icUserByEntraId = new Map<string, IcUser>();
  readonly icUserByName = new Map<string, IcUser>();
  readonly icMembersByGroup: Map<string, ListItem<{ groupId: string; userId: string }>[]>;
  readonly accountsById: Map<string, ListItem<AccountT>>;
  readonly permissionSetsByArn: Map<string, ListItem<PermissionSetT>>;
  readonly policies = new Map<string, PolicyItem>();
  readonly eligibilityByGroup: Map<string, ListItem<PimScheduleT>[]>;
  readonly assignmentSchedulesById: Map<string, ListItem<PimScheduleT>>;
  readonly assignmentInstancesByGroup: Map<string, ListItem<PimInstanceT>[]>;
  readonly pimManagedGroups = new Set<string>();
  readonly provisioningJob: Indexed<SyncJobT> | null;
  readonly provisioning: ProvisioningHealth;

  constructor(
    readonly snapshot: Snapshot,
    readonly config: Config,
  ) {
    const { entra, aws } = snapshot;
    this.nowIso = snapshot.meta.collection.endedAt;
    this.now = Date.parse(this.nowIso);
    this.usersById = indexBy(entra.users.data ?? [], '/entra/users/data', (u) => u.id);
    this.mfaByUserId = new Map((entra.mfaRegistration.data ?? []).map((r) => [r.id, r.isMfaRegistered]));
    this.groupsById = indexBy(entra.groups.data ?? [], '/entra/groups/data', (g) => g.id);
    const store = aws.identityStore.data;
    this.icUsersById = indexBy(store?.users, '/aws/identityStore/data/users', (u) => u.userId);
    this.icGroupsById = indexBy(store?.groups, '/aws/identityStore/data/groups', (g) => g.groupId);
    for (const u of store?.users ?? []) {
      for (const ext of u.externalIds) if (!this.icUserByEntraId.has(ext.id)) this.icUserByEntraId.set(ext.id, u);
      this.icUserByName.set(u.userName.toLowerCase(), u);
    }
    this.icMembersByGroup = groupBy(store?.memberships, '/aws/identityStore/data/memberships', (m) => m.groupId);
    this.accountsById = indexBy(aws.organization.data?.accounts, '/aws/organization/data/accounts', (a) => a.id);
    this.permissionSetsByArn = indexBy(aws.permissionSets.data ?? [], '/aws/permissionSets/data', (p) => p.arn);
    (entra.pimPolicies.data ?? []).forEach((policy, i) => {
      this.policies.set(`${policy.groupId}|${policy.roleDefinitionId}`, new PolicyItem(policy, '/entra/pimPolicies/data', i));
      this.pimManagedGroups.add(policy.groupId);
    });
    const pim = entra.pimSchedules.data;
    this.eligibilityByGroup = groupBy(pim?.eligibilitySchedules, '/entra/pimSchedules/data/eligibilitySchedules', (s) => s.groupId);
    this.assignmentSchedulesById = indexBy(pim?.assignmentSchedules, '/entra/pimSchedules/data/assignmentSchedules', (s) => s.id);
    this.assignmentInstancesByGroup = groupBy(pim?.assignmentInstances, '/entra/pimSchedules/data/assignmentInstances', (s) => s.groupId);
    for (const s of [...(pim?.eligibilitySchedules ?? []), ...(pim?.assignmentSchedules ?? [])]) this.pimManagedGroups.add(s.groupId);

    const jobs = entra.provisioning.data?.jobs ?? [];
    const jobIndex = jobs.findIndex((j) => j.schedule.state.toLowerCase() === 'active');
    const chosen = jobIndex >= 0 ? jobIndex : jobs.length ? 0 : -1;
    this.provisioningJob = chosen >= 0 ? { value: jobs[chosen]!, pointer: `/entra/provisioning/data/jobs/${chosen}` } : null;
    this.provisioning = provisioningHealth(this.provisioningJob?.value ?? null, new Date(this.now), config.scim.unhealthyAfter);
    this.warnings = danglingReferences(this);
  }

  /** Dangling references in the snapshot, one line each (for the analysis's warnings). */
  readonly warnings: string[];

  private readonly accounts = new Map<string, AccountSummary>();
  private readonly permissionSetSummaries = new Map<string, PermissionSetSummary | null>();

  /** An account as the analysis sees it, classified once (the same object on every call). */
  account(id: string): AccountSummary {
    let summary = this.accounts.get(id);
    if (!summary) {
      const found = this.accountsById.get(id);
      const account: AccountT = found?.value ?? { id, name: id, email: null, state: 'UNKNOWN', ouPath: '', tags: {} };
      summary = {
        id,
        name: account.name,
        environment: classifyAccount(this.config, account),
        ouPath: account.ouPath,
        tags: account.tags,
        state: account.state,
        pointer: found?.pointer ?? null,
      };
      this.accounts.set(id, summary);
    }
    return summary;
  }

  /** A permission set with its tier, classified once; null when it is not in the snapshot. */
  permissionSet(arn: string): PermissionSetSummary | null {
    let summary = this.permissionSetSummaries.get(arn);
    if (summary === undefined) {
      const ps = this.permissionSetsByArn.get(arn)?.value;
      summary = ps ? { arn, name: ps.name, tier: classifyPermissionSet(this.config, ps), sessionDuration: ps.sessionDuration } : null;
      this.permissionSetSummaries.set(arn, summary);
    }
    return summary;
  }

  /** The Entra group an Identity Center group was provisioned from, by its ExternalIds. */
  entraGroupFor(icGroup: IcGroup): Indexed<EntraGroupT> | null {
    for (const ext of icGroup.externalIds) {
      const g = this.groupsById.get(ext.id);
      if (g) return g;
    }
    return null;
  }

  /** The Identity Center user of an Entra user: by ExternalIds, else by user name = UPN. */
  icUserForEntra(entraUserId: string): IcUser | null {
    const byExt = this.icUserByEntraId.get(entraUserId);
    if (byExt) return byExt;
    const upn = this.usersById.get(entraUserId)?.value.userPrincipalName;
    return upn ? (this.icUserByName.get(upn.toLowerCase()) ?? null) : null;
  }

  /** The Entra user an Identity Center user came from, if any. */
  entraUserForIc(icUser: IcUser): EntraUserT | null {
    for (const ext of icUser.externalIds) {
      const u = this.usersById.get(ext.id);
      if (u) return u.value;
    }
    return null;
  }
}
