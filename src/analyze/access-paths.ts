// Access paths: every way a person reaches (account, permission set).
//
// Start from Identity Center account assignments (what AWS will honour), walk back to the principal:
//   GROUP assignment → Identity Center group → Entra group (by ExternalIds) → who is in it, and how:
//     PIM eligibility (JIT), PIM active assignment (standing even with an end date), plain member,
//     owner (can add themselves), or — with no Entra source — the Identity Center memberships.
//   USER assignment  → direct-assignment (Entra-sourced user) or unmanaged-ic (no Entra source).
// Traps: activated PIM members also appear in /members, eligible ones do not;
// nested groups are not provisioned by SCIM; a PIM group id may 404.
import type { AccountAssignmentT, EntraGroupT, PimInstanceT } from '../model/snapshot-schema.js';
import type { PimRoleSettings } from './pim-policy.js';
import { inForce, scheduleEnd, type SnapshotIndex } from './snapshot-index.js';
import type { AccessPathDetail, PathKind, PrincipalRef, ResourceItem, ResourceRef } from './types.js';
import { effectiveWindow, term, unboundedTerm, type EffectiveWindow, type WindowTerm } from './window.js';
import { pointerAt } from '../util/json-pointer.js';
import { COMPUTED_FIELDS } from '../util/computed-fields.js';
import type { PathParts } from './path-parts.js';

/**
 * The access paths as drawn, in the order found, with the numbers of each one's grant, target and
 * window (path-parts.ts) beside them: columns, not an object per path (there are hundreds of thousands).
 */
export interface FoundPaths {
  paths: PathItem[];
  grant: number[];
  target: number[];
  window: number[];
}

/** An access path that is its own item of the rules' accessPaths collection, and its own ref. */
export type PathItem = AccessPathDetail & ResourceItem & ResourceRef;

/** The analysis's access paths with what each is made of: what the resource collections are built from. */
export interface PathsWithParts {
  readonly paths: readonly AccessPathDetail[];
  readonly parts: PathParts;
}

type Target = {
  assignment: AccountAssignmentT;
  assignmentPointer: string;
  account: ReturnType<SnapshotIndex['account']>;
  permissionSet: NonNullable<ReturnType<SnapshotIndex['permissionSet']>>;
  parts: TargetParts;
  /** The target's number: one per (account, permission set). */
  no: number;
};

/** A principal and what rules see of them: one pair per person, for all their paths. */
interface Person {
  principal: PrincipalRef;
  detail: AccessPathDetail['principalDetail'];
}

/** One person's access through a group role, whatever account and permission set the group is assigned. */
interface Grant {
  kind: PathKind;
  standing: boolean;
  person: Person;
  /** Whether the path has the group's JIT window (else none: standing access). */
  jit: boolean;
  schedule: AccessPathDetail['schedule'];
  activeNow: boolean;
  activeUntil: string | null;
  /** The snapshot object that gives it. */
  pointer: string;
  /** The grant's number (PathParts). */
  no: number;
}

/** The parts of a path that depend on the account and permission set only, shared by all their paths. */
type TargetParts = Pick<AccessPathDetail, 'account' | 'permissionSet' | 'accountDetail' | 'permissionSetDetail'>;

/**
 * Paths share what they have in common (one account, permission set, person, group, window object
 * for all the paths that have it): a large organisation has hundreds of thousands of paths, and
 * copies would be most of the analysis's memory. Nothing changes a path's parts once it is made.
 */
class SharedParts {
  private readonly targets = new Map<string, { parts: TargetParts; no: number }>();
  private readonly accounts = new Map<string, Pick<TargetParts, 'account' | 'accountDetail'>>();
  private readonly permissionSets = new Map<string, Pick<TargetParts, 'permissionSet' | 'permissionSetDetail'>>();
  private readonly principals = new Map<string, PrincipalRef>();
  private readonly byEntraId = new Map<string, Person>();
  private readonly people = new Map<PrincipalRef, Person>();
  private readonly groups = new Map<string, { id: string; name: string }>();
  /** The four group details there can be, by source: not PIM-managed, PIM-managed. */
  private readonly groupDetails = {
    entra: [{ pimManaged: false, source: 'entra' }, { pimManaged: true, source: 'entra' }],
    'identity-center': [{ pimManaged: false, source: 'identity-center' }, { pimManaged: true, source: 'identity-center' }],
  } as const satisfies Record<string, readonly [NonNullable<AccessPathDetail['groupDetail']>, NonNullable<AccessPathDetail['groupDetail']>]>;
  /** JIT windows by group role and permission set, numbered from 1: 0 is no window (standing access). */
  readonly windows = new Map<string, { window: EffectiveWindow; no: number }>();
  private grantCount = 0;
  private readonly schedules = new Map<object, AccessPathDetail['schedule']>();
  private readonly groupGrants = new Map<string, Grant[]>();

  constructor(private readonly ix: SnapshotIndex) {}

  target(account: Target['account'], ps: Target['permissionSet']): { parts: TargetParts; no: number } {
    const key = `${account.id}|${ps.arn}`;
    let target = this.targets.get(key);
    if (!target) {
      target = { parts: { ...this.account(account), ...this.permissionSet(ps) }, no: this.targets.size };
      this.targets.set(key, target);
    }
    return target;
  }

  /** A new grant's number. */
  grantNo(): number {
    return this.grantCount++;
  }

  /** The JIT window of a group role at a target, made once. */
  window(key: string, make: () => EffectiveWindow): { window: EffectiveWindow; no: number } {
    let window = this.windows.get(key);
    if (!window) this.windows.set(key, (window = { window: make(), no: this.windows.size + 1 }));
    return window;
  }

  /** One account and its detail for all the permission sets assigned in it. */
  private account(account: Target['account']): Pick<TargetParts, 'account' | 'accountDetail'> {
    let parts = this.accounts.get(account.id);
    if (!parts) {
      parts = {
        account: { id: account.id, name: account.name, environment: account.environment },
        accountDetail: { ouPath: account.ouPath, tags: account.tags, state: account.state },
      };
      this.accounts.set(account.id, parts);
    }
    return parts;
  }

  /** One permission set and its detail for all the accounts it is assigned in. */
  private permissionSet(ps: Target['permissionSet']): Pick<TargetParts, 'permissionSet' | 'permissionSetDetail'> {
    let parts = this.permissionSets.get(ps.arn);
    if (!parts) {
      parts = { permissionSet: { arn: ps.arn, name: ps.name, tier: ps.tier }, permissionSetDetail: { sessionDuration: ps.sessionDuration } };
      this.permissionSets.set(ps.arn, parts);
    }
    return parts;
  }

  principal(upn: string | null, entraUserId: string | null, identityCenterUserId: string | null): PrincipalRef {
    const key = `${upn}\u0000${entraUserId}\u0000${identityCenterUserId}`;
    let principal = this.principals.get(key);
    if (!principal) this.principals.set(key, (principal = { upn, entraUserId, identityCenterUserId }));
    return principal;
  }

  /** The person behind an Entra user id (the same objects for every path of theirs). */
  entraPerson(entraUserId: string): Person {
    let person = this.byEntraId.get(entraUserId);
    if (!person) {
      const user = this.ix.usersById.get(entraUserId)?.value;
      person = this.person(this.principal(user?.userPrincipalName ?? null, entraUserId, this.ix.icUserForEntra(entraUserId)?.userId ?? null));
      this.byEntraId.set(entraUserId, person);
    }
    return person;
  }

  /** A principal with what rules see of them (principalDetail), made once per principal. */
  person(principal: PrincipalRef): Person {
    let person = this.people.get(principal);
    if (!person) {
      const user = principal.entraUserId ? this.ix.usersById.get(principal.entraUserId)?.value : undefined;
      const ic = principal.identityCenterUserId ? this.ix.icUsersById.get(principal.identityCenterUserId)?.value : undefined;
      const detail = {
        displayName: user?.displayName ?? ic?.displayName ?? null,
        enabled: user?.accountEnabled ?? null,
        userType: user?.userType ?? null,
        mfaRegistered: principal.entraUserId ? (this.ix.mfaByUserId.get(principal.entraUserId) ?? null) : null,
        identityCenterStatus: ic?.status ?? null,
      };
      this.people.set(principal, (person = { principal, detail }));
    }
    return person;
  }

  /** The schedule behind a PIM path: one object per eligibility or assignment, whatever it reaches. */
  schedule(source: object, make: () => AccessPathDetail['schedule']): AccessPathDetail['schedule'] {
    let schedule = this.schedules.get(source);
    if (schedule === undefined) this.schedules.set(source, (schedule = make()));
    return schedule;
  }

  /** Who a group gives a role to (groupGrants), worked out the first time an assignment reaches the group. */
  grants(groupId: string, accessId: 'member' | 'owner', make: () => Grant[]): Grant[] {
    const key = `${groupId}|${accessId}`;
    let grants = this.groupGrants.get(key);
    if (!grants) this.groupGrants.set(key, (grants = make()));
    return grants;
  }

  group(id: string, name: string): { id: string; name: string } {
    const key = `${id}\u0000${name}`;
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = { id, name }));
    return group;
  }

  groupDetail(pimManaged: boolean, source: 'entra' | 'identity-center'): NonNullable<AccessPathDetail['groupDetail']> {
    const [unmanaged, managed] = this.groupDetails[source];
    return pimManaged ? managed : unmanaged;
  }
}

export function buildAccessPaths(ix: SnapshotIndex, warnings: string[]): FoundPaths {
  const out: FoundPaths = { paths: [], grant: [], target: [], window: [] };
  const assignments = ix.snapshot.aws.accountAssignments.data ?? [];
  const warnedGroups = new Set<string>();
  const shared = new SharedParts(ix);
  assignments.forEach((assignment, i) => {
    const permissionSet = ix.permissionSet(assignment.permissionSetArn);
    if (!permissionSet) {
      warnings.push(`account assignment ${i}: permission set ${assignment.permissionSetArn} is not in the snapshot`);
      return;
    }
    const account = ix.account(assignment.accountId);
    const { parts, no } = shared.target(account, permissionSet);
    const target: Target = {
      assignment,
      assignmentPointer: pointerAt('/aws/accountAssignments/data', i),
      account,
      permissionSet,
      parts,
      no,
    };
    if (assignment.principalType === 'USER') userAssignmentPaths(ix, shared, target, warnings, out);
    else groupAssignmentPaths(ix, shared, target, warnings, warnedGroups, out);
  });
  return out;
}

/** One more path, with its parts' numbers. */
function found(out: FoundPaths, path: AnalysedPath, grant: number, target: number, window: number): void {
  out.paths.push(path);
  out.grant.push(grant);
  out.target.push(target);
  out.window.push(window);
}

function userAssignmentPaths(ix: SnapshotIndex, shared: SharedParts, t: Target, warnings: string[], out: FoundPaths): void {
  const ic = ix.icUsersById.get(t.assignment.principalId);
  if (!ic) {
    warnings.push(`${t.assignmentPointer}: Identity Center user ${t.assignment.principalId} is not in the identity store`);
    return;
  }
  const entra = ix.entraUserForIc(ic.value);
  const kind: PathKind = entra ? 'direct-assignment' : 'unmanaged-ic';
  const person = shared.person(shared.principal(entra?.userPrincipalName ?? ic.value.userName, entra?.id ?? null, ic.value.userId));
  found(out, makePath(shared, t, t.assignmentPointer, kind, true, person, null, null, null, null), shared.grantNo(), t.no, 0);
}

function groupAssignmentPaths(
  ix: SnapshotIndex,
  shared: SharedParts,
  t: Target,
  warnings: string[],
  warnedGroups: Set<string>,
  out: FoundPaths,
): void {
  const icGroup = ix.icGroupsById.get(t.assignment.principalId);
  if (!icGroup) {
    warnings.push(`${t.assignmentPointer}: Identity Center group ${t.assignment.principalId} is not in the identity store`);
    return;
  }
  const entraGroup = ix.entraGroupFor(icGroup.value);
  if (!entraGroup) {
    // No Entra source (or a dangling one): whoever Identity Center says is in the group has standing access.
    const group = shared.group(icGroup.value.groupId, icGroup.value.displayName);
    for (const m of ix.icMembersByGroup.get(icGroup.value.groupId) ?? []) {
      const ic = ix.icUsersById.get(m.value.userId)?.value;
      if (!ic) continue;
      const entra = ix.entraUserForIc(ic);
      const person = shared.person(shared.principal(entra?.userPrincipalName ?? ic.userName, entra?.id ?? null, ic.userId));
      found(out, makePath(shared, t, m.pointer, 'unmanaged-ic', true, person, group, null, null, null), shared.grantNo(), t.no, 0);
    }
    return;
  }
  entraGroupPaths(ix, shared, t, entraGroup.value, entraGroup.pointer, warnings, warnedGroups, out);
}

function entraGroupPaths(
  ix: SnapshotIndex,
  shared: SharedParts,
  t: Target,
  g: EntraGroupT,
  groupPointer: string,
  warnings: string[],
  warnedGroups: Set<string>,
  out: FoundPaths,
): void {
  const group = shared.group(g.id, g.displayName);
  const pimManaged = ix.pimManagedGroups.has(g.id);
  const warnNested = (what: string) => {
    const key = `${g.id}|${what}`;
    if (warnedGroups.has(key)) return;
    warnedGroups.add(key);
    warnings.push(`group "${g.displayName}" (${g.id}): ${what}; SCIM to Identity Center does not provision nested groups, so no path is drawn for it`);
  };
  for (const accessId of ['member', 'owner'] as const) {
    const controls = pimManaged ? (ix.policies.get(`${g.id}|${accessId}`)?.settings ?? null) : null;
    const window = shared.window(`${g.id}|${accessId}|${t.permissionSet.arn}`, () => jitWindow(ix, t, g, accessId, controls));
    for (const grant of shared.grants(g.id, accessId, () => groupGrants(ix, shared, g, groupPointer, accessId, warnNested))) {
      const path = makePath(shared, t, grant.pointer, grant.kind, grant.standing, grant.person, group, grant.jit ? window.window : null, controls, grant.schedule, pimManaged);
      path.activeNow = grant.activeNow;
      path.activeUntil = grant.activeUntil;
      found(out, path, grant.no, t.no, grant.jit ? window.no : 0);
    }
  }
}

/**
 * Who group g gives the member or owner role to, and how: the same for every account and permission
 * set the group is assigned (SharedParts.grants keeps them), so worked out once per group.
 */
function groupGrants(
  ix: SnapshotIndex,
  shared: SharedParts,
  g: EntraGroupT,
  groupPointer: string,
  accessId: 'member' | 'owner',
  warnNested: (what: string) => void,
): Grant[] {
  const out: Grant[] = [];
  const instances = (ix.assignmentInstancesByGroup.get(g.id) ?? []).filter((s) =>
    inForce(s.value.startDateTime, s.value.endDateTime, ix.now),
  );
  const instanceOf = (principalId: string, type: 'assigned' | 'activated') =>
    instances.find((s) => s.value.principalId === principalId && s.value.accessId === accessId && s.value.assignmentType === type);
  const standingKind: PathKind = accessId === 'owner' ? 'owner' : 'direct-member';
  const jitKind: PathKind = accessId === 'owner' ? 'owner' : 'pim-eligible';
  const seen = new Set<string>();
  /** A schedule whose principal is a group: said once, and no path. */
  const nestedGroup = (s: { memberType: string; principalId: string }, what: 'eligible' | 'active') => {
    if (s.memberType.toLowerCase() !== 'group' && !ix.groupsById.has(s.principalId)) return false;
    warnNested(`${what} ${accessId} ${s.principalId} is a group`);
    return true;
  };

  // JIT: eligibility in force now.
  for (const e of ix.eligibilityByGroup.get(g.id) ?? []) {
    const s = e.value;
    if (s.accessId !== accessId || !inForce(s.scheduleInfo.startDateTime, scheduleEnd(s), ix.now) || nestedGroup(s, 'eligible')) continue;
    const activation = instanceOf(s.principalId, 'activated');
    seen.add(s.principalId);
    out.push({
      kind: jitKind,
      standing: false,
      person: shared.entraPerson(s.principalId),
      jit: true,
      schedule: shared.schedule(s, () => ({ start: s.scheduleInfo.startDateTime, end: scheduleEnd(s), createdAt: s.createdDateTime })),
      activeNow: activation !== undefined,
      activeUntil: activation?.value.endDateTime ?? null,
      pointer: e.pointer,
      no: shared.grantNo(),
    });
  }

  // Standing under PIM: active assignments ("assigned", not "activated"), with or without an end date.
  for (const inst of instances) {
    const s = inst.value;
    if (s.accessId !== accessId || s.assignmentType !== 'assigned' || nestedGroup(s, 'active')) continue;
    seen.add(s.principalId);
    out.push({
      kind: accessId === 'owner' ? 'owner' : 'pim-active',
      standing: true,
      person: shared.entraPerson(s.principalId),
      jit: false,
      schedule: shared.schedule(s, () => scheduleOfInstance(ix, s)),
      activeNow: true,
      activeUntil: s.endDateTime,
      pointer: inst.pointer,
      no: shared.grantNo(),
    });
  }

  // Plain members and owners: anyone in /members or /owners that PIM does not account for.
  const list = accessId === 'member' ? g.members : g.owners;
  const listPointer = `${groupPointer}/${accessId}s`;
  list.forEach((m, i) => {
    if (seen.has(m.id)) return;
    if (m.type === 'group') return warnNested(`${accessId} "${m.displayName ?? m.id}" is a group`);
    if (m.type !== 'user') return;
    const activated = instanceOf(m.id, 'activated');
    // A live activation whose eligibility has since ended: still JIT, and in the group until it ends.
    if (activated) {
      out.push({
        kind: jitKind,
        standing: false,
        person: shared.entraPerson(m.id),
        jit: true,
        schedule: null,
        activeNow: true,
        activeUntil: activated.value.endDateTime,
        pointer: activated.pointer,
        no: shared.grantNo(),
      });
      return;
    }
    out.push({
      kind: standingKind,
      standing: true,
      person: shared.entraPerson(m.id),
      jit: false,
      schedule: null,
      activeNow: true,
      activeUntil: null,
      pointer: pointerAt(listPointer, i),
      no: shared.grantNo(),
    });
  });
  return out;
}

function scheduleOfInstance(ix: SnapshotIndex, s: PimInstanceT): AccessPathDetail['schedule'] {
  const schedule = s.scheduleId ? ix.assignmentSchedulesById.get(s.scheduleId)?.value : undefined;
  if (schedule) return { start: schedule.scheduleInfo.startDateTime, end: scheduleEnd(schedule), createdAt: schedule.createdDateTime };
  return { start: s.startDateTime, end: s.endDateTime, createdAt: null };
}

/** The four terms of a JIT path through group g for the member or owner role (window.ts adds them up). */
function jitWindow(
  ix: SnapshotIndex,
  t: Target,
  g: EntraGroupT,
  accessId: 'member' | 'owner',
  controls: PimRoleSettings | null,
): EffectiveWindow {
  const policies = ix.snapshot.entra.pimPolicies;
  const activation: WindowTerm =
    controls?.activationMaximum != null
      ? term(controls.activationMaximum, {
          status: 'collected',
          source: `PIM ${accessId} policy of "${g.displayName}": activation maximum (Expiration_EndUser_Assignment)`,
        })
      : term(null, {
          status: 'missing',
          source:
            policies.provenance.status === 'missing'
              ? 'PIM policies could not be collected'
              : `no PIM ${accessId} policy with an activation maximum for "${g.displayName}"`,
        });
  return effectiveWindow({
    activation,
    scimLag: scimLagTerm(ix),
    portalSession: portalSessionTerm(ix),
    permissionSetSession: term(t.permissionSet.sessionDuration, {
      status: 'collected',
      source: `permission set ${t.permissionSet.name}: SessionDuration`,
    }),
  });
}

export function scimLagTerm(ix: SnapshotIndex): WindowTerm {
  const section = ix.snapshot.entra.provisioning;
  if (section.provenance.status === 'missing') {
    return term(ix.config.scim.assumedLag, {
      status: 'declared',
      source: 'assumed (config scim.assumedLag): the provisioning job could not be read',
    });
  }
  const health = ix.provisioning;
  if (health.state === 'unhealthy') {
    return unboundedTerm({ status: 'collected', source: `unbounded: ${health.reason}` });
  }
  // Degraded (per-object errors) still syncs at the interval; the degradation goes with the term.
  return term(ix.provisioningJob!.value.schedule.interval, {
    status: 'collected',
    source: health.state === 'healthy' ? 'provisioning job schedule interval (healthy)' : `provisioning job schedule interval (degraded: ${health.reason})`,
  });
}

export function portalSessionTerm(ix: SnapshotIndex): WindowTerm {
  const section = ix.snapshot.aws.portalSession;
  if (section.data) {
    return term(section.data.duration, {
      status: section.provenance.status === 'collected' ? 'collected' : 'declared',
      source: section.provenance.status === 'declared' ? `declared (${section.provenance.source}); no AWS API exposes it` : 'collected',
    });
  }
  const configured = ix.config.portalSessionDuration;
  return configured.explicit
    ? term(configured.value, { status: 'declared', source: 'declared in config (aws.portalSessionDuration); no AWS API exposes it' })
    : term(configured.value, {
        status: 'default',
        source: 'AWS default (8 h) assumed: no AWS API exposes it; declare aws.portalSessionDuration in the config',
      });
}

/** What separates the parts of an access path's id. */
export const ID_SEPARATOR = ':';

/** The parts of an access path's id, in order: kind, who, group (or -), account, permission set. */
export function idParts(
  kind: PathKind,
  principal: PrincipalRef,
  group: { id: string } | null,
  account: { id: string },
  permissionSet: { name: string },
): [string, string, string, string, string] {
  const who = principal.upn ?? principal.entraUserId ?? principal.identityCenterUserId ?? 'unknown';
  return [kind, who, group?.id ?? '-', account.id, permissionSet.name];
}

/**
 * An access path. Its id is made from its parts when read (reports name only the paths they list, and
 * held for every path the ids were the largest part of the analysis); computed-fields.ts lets rules
 * read it like the other fields, and toJSON writes it first, as a field. A path is also its own item
 * of the rules' accessPaths collection, and its own ref (where in the snapshot it comes from): no
 * other object per path. What it is as an item is not a field (COMPUTED_FIELDS names the one that is).
 */
class AnalysedPath implements AccessPathDetail, ResourceItem, ResourceRef {
  // Declared in the order report fields have always had (JSON, CEL maps): id first, through toJSON.
  readonly kind: PathKind;
  readonly standing: boolean;
  readonly principal: PrincipalRef;
  readonly group: { id: string; name: string } | null;
  readonly account: AccessPathDetail['account'];
  readonly permissionSet: AccessPathDetail['permissionSet'];
  readonly window: EffectiveWindow | null;
  readonly principalDetail: AccessPathDetail['principalDetail'];
  readonly groupDetail: AccessPathDetail['groupDetail'];
  readonly controls: PimRoleSettings | null;
  readonly schedule: AccessPathDetail['schedule'];
  activeNow = false;
  activeUntil: string | null = null;
  readonly accountDetail: AccessPathDetail['accountDetail'];
  readonly permissionSetDetail: AccessPathDetail['permissionSetDetail'];
  /** The snapshot object that creates this path: a finding about the path points here. */
  readonly #pointer: string;

  constructor(
    shared: SharedParts,
    t: Target,
    pointer: string,
    kind: PathKind,
    standing: boolean,
    { principal, detail }: Person,
    group: { id: string; name: string } | null,
    window: EffectiveWindow | null,
    controls: PimRoleSettings | null,
    schedule: AccessPathDetail['schedule'],
    pimManaged: boolean,
  ) {
    this.kind = kind;
    this.standing = standing;
    this.principal = principal;
    this.group = group;
    this.account = t.parts.account;
    this.permissionSet = t.parts.permissionSet;
    this.window = window;
    this.principalDetail = detail;
    this.groupDetail = group ? shared.groupDetail(pimManaged, kind === 'unmanaged-ic' ? 'identity-center' : 'entra') : null;
    this.controls = controls;
    this.schedule = schedule;
    this.accountDetail = t.parts.accountDetail;
    this.permissionSetDetail = t.parts.permissionSetDetail;
    this.#pointer = pointer;
  }

  // Of the getters, only the id is a field to rules (and JSON): the others make the path its own item and ref.
  static {
    (AnalysedPath.prototype as unknown as Record<symbol, readonly string[]>)[COMPUTED_FIELDS] = ['id'];
  }

  get id(): string {
    return idParts(this.kind, this.principal, this.group, this.account, this.permissionSet).join(ID_SEPARATOR);
  }

  get pointer(): string {
    return this.#pointer;
  }

  get type(): string {
    return 'accessPath';
  }

  get name(): string {
    const { principal, account, permissionSet } = this;
    return `${principal.upn ?? principal.identityCenterUserId} → ${account.name} / ${permissionSet.name}`;
  }

  get ref(): ResourceRef {
    return this;
  }

  get data(): Record<string, unknown> {
    return this as unknown as Record<string, unknown>;
  }

  toJSON(): Record<string, unknown> {
    return { id: this.id, ...(this as object) };
  }
}

function makePath(
  shared: SharedParts,
  t: Target,
  pointer: string,
  kind: PathKind,
  standing: boolean,
  person: Person,
  group: { id: string; name: string } | null,
  window: EffectiveWindow | null,
  controls: PimRoleSettings | null,
  schedule: AccessPathDetail['schedule'],
  pimManaged = false,
): AnalysedPath {
  return new AnalysedPath(shared, t, pointer, kind, standing, person, group, window, controls, schedule, pimManaged);
}
