// PIM for Groups: eligibility and assignment schedules and their instances, member and owner, for
// each assigned group. Every list needs $filter=groupId eq '…': four GETs per group,
// in $batch envelopes. A group id that 404s is skipped with a warning ("phantom" group, §11).
import type {
  PrivilegedAccessGroupAssignmentSchedule,
  PrivilegedAccessGroupAssignmentScheduleInstance,
  PrivilegedAccessGroupEligibilitySchedule,
  PrivilegedAccessGroupEligibilityScheduleInstance,
  RequestSchedule,
} from '@microsoft/microsoft-graph-types';
import type { Snapshot } from '../../model/snapshot-schema.js';
import { FailureWithFix, PIM_ASSIGNMENT_PERMISSION, PIM_ELIGIBILITY_PERMISSION, accessIdOf, iso, sortBy, str, type EntraRun } from './common.js';
import { odataString, q, type BatchOutcome } from './graph-client.js';

export type PimSchedulesData = NonNullable<Snapshot['entra']['pimSchedules']['data']>;
type Schedule = PimSchedulesData['eligibilitySchedules'][number];
type Instance = PimSchedulesData['eligibilityInstances'][number];
type ScheduleInfo = Schedule['scheduleInfo'];

export const PIM_SCHEDULES_SOURCE =
  'GET /identityGovernance/privilegedAccess/group/{eligibility,assignment}{Schedules,ScheduleInstances}?$filter=groupId eq …';

const BASE = '/identityGovernance/privilegedAccess/group';
const SCHEDULE_SELECT = 'id,groupId,principalId,accessId,memberType,status,createdDateTime,scheduleInfo';

const ENDPOINTS = {
  eligibilitySchedules: { path: 'eligibilitySchedules', select: SCHEDULE_SELECT, fix: PIM_ELIGIBILITY_PERMISSION },
  assignmentSchedules: { path: 'assignmentSchedules', select: SCHEDULE_SELECT, fix: PIM_ASSIGNMENT_PERMISSION },
  eligibilityInstances: {
    path: 'eligibilityScheduleInstances',
    select: 'id,groupId,principalId,accessId,memberType,startDateTime,endDateTime,eligibilityScheduleId',
    fix: PIM_ELIGIBILITY_PERMISSION,
  },
  assignmentInstances: {
    path: 'assignmentScheduleInstances',
    select: 'id,groupId,principalId,accessId,memberType,startDateTime,endDateTime,assignmentType,assignmentScheduleId',
    fix: PIM_ASSIGNMENT_PERMISSION,
  },
} as const;
type Kind = keyof typeof ENDPOINTS;

export const groupFilter = (groupId: string) => `$filter=${q(`groupId eq ${odataString(groupId)}`)}`;

export function scheduleInfoOf(s: RequestSchedule | null | undefined): ScheduleInfo {
  const e = s?.expiration;
  const type = str(e?.type) ?? 'noExpiration';
  return {
    startDateTime: iso(s?.startDateTime),
    expiration: {
      // Graph writes noExpiration/afterDateTime/afterDuration; keep its spelling, lowercase-first.
      type: type.charAt(0).toLowerCase() + type.slice(1),
      endDateTime: iso(e?.endDateTime),
      duration: str(e?.duration),
    },
  };
}

type Raw = Record<string, unknown> & { id?: string; groupId?: string | null; principalId?: string | null };

export async function collectPimSchedules(run: EntraRun, groupIds: string[]): Promise<PimSchedulesData> {
  const kinds = Object.keys(ENDPOINTS) as Kind[];
  const requests = groupIds.flatMap((id) =>
    kinds.map((k) => ({ key: `${id}|${k}`, path: `${BASE}/${ENDPOINTS[k].path}?${groupFilter(id)}&$select=${ENDPOINTS[k].select}` })),
  );
  const unknownAccess = new Set<string>();
  const common = (r: Raw) => {
    const accessId = accessIdOf(r.accessId);
    if (!accessId || !r.id || !r.groupId || !r.principalId) {
      unknownAccess.add(`${r.id} (accessId ${String(r.accessId)})`);
      return null;
    }
    return { id: r.id, groupId: r.groupId, principalId: r.principalId, accessId, memberType: str(r.memberType) ?? 'Direct' };
  };
  const schedule = (r: Raw): Schedule | null => {
    const c = common(r);
    const s = r as PrivilegedAccessGroupEligibilitySchedule | PrivilegedAccessGroupAssignmentSchedule;
    return c ? { ...c, status: str(s.status), createdDateTime: iso(s.createdDateTime), scheduleInfo: scheduleInfoOf(s.scheduleInfo) } : null;
  };
  const instance = (r: Raw, assignment: boolean): Instance | null => {
    const c = common(r);
    if (!c) return null;
    const a = r as PrivilegedAccessGroupAssignmentScheduleInstance;
    const e = r as PrivilegedAccessGroupEligibilityScheduleInstance;
    const type = String(a.assignmentType ?? '').toLowerCase();
    return {
      ...c,
      startDateTime: iso(r.startDateTime),
      endDateTime: iso(r.endDateTime),
      assignmentType: assignment && (type === 'assigned' || type === 'activated') ? (type as 'assigned' | 'activated') : null,
      scheduleId: (assignment ? a.assignmentScheduleId : e.eligibilityScheduleId) ?? null,
    };
  };
  // Each group's lists are mapped as they arrive: the section holds its model, not 4 × groups raw lists.
  const results = await run.graph.batchList<Raw, Schedule | Instance>(
    requests,
    (done, total) => run.tick('entra.pimSchedules', `${done}/${total} requests`),
    (items, key) => {
      const kind = key.slice(key.lastIndexOf('|') + 1) as Kind;
      const out: (Schedule | Instance)[] = [];
      for (const r of items) {
        const m = kind === 'eligibilitySchedules' || kind === 'assignmentSchedules' ? schedule(r) : instance(r, kind === 'assignmentInstances');
        if (m) out.push(m);
      }
      return out;
    },
  );
  const lists = { eligibilitySchedules: [] as Schedule[], assignmentSchedules: [] as Schedule[], eligibilityInstances: [] as Instance[], assignmentInstances: [] as Instance[] };
  for (const id of groupIds) {
    const outcomes = kinds.map((k) => [k, results.get(`${id}|${k}`)!] as [Kind, BatchOutcome<Schedule | Instance>]);
    if (outcomes.every(([, o]) => !o.ok && o.error.status === 404)) {
      run.ctx.warn('entra.pimSchedules', `group ${id}: the PIM schedule endpoints returned 404 (a deleted or "phantom" group): skipped`);
      continue;
    }
    for (const [k, o] of outcomes) {
      if (!o.ok) throw new FailureWithFix(o.error, ENDPOINTS[k].fix);
      const list = lists[k] as (Schedule | Instance)[];
      for (const item of o.items) list.push(item);
    }
  }
  const data = {
    eligibilitySchedules: sortBy(lists.eligibilitySchedules, (s) => s.id),
    assignmentSchedules: sortBy(lists.assignmentSchedules, (s) => s.id),
    eligibilityInstances: sortBy(lists.eligibilityInstances, (s) => s.id),
    assignmentInstances: sortBy(lists.assignmentInstances, (s) => s.id),
  };
  if (unknownAccess.size) {
    run.ctx.warn('entra.pimSchedules', `${unknownAccess.size} schedule item(s) with an unknown accessId or no principal were left out: ${[...unknownAccess].sort().slice(0, 5).join(', ')}`);
  }
  return data;
}

/** Groups PIM governs: those with any schedule (the overview: list PIM only for onboarded groups). */
export const pimGroupIds = (d: PimSchedulesData) =>
  [...new Set([...d.eligibilitySchedules, ...d.assignmentSchedules, ...d.eligibilityInstances, ...d.assignmentInstances].map((s) => s.groupId))].sort();

/** Every principal PIM names. */
export const pimPrincipalIds = (d: PimSchedulesData) =>
  [...d.eligibilitySchedules, ...d.assignmentSchedules, ...d.eligibilityInstances, ...d.assignmentInstances]
    .filter((s) => s.memberType.toLowerCase() !== 'group')
    .map((s) => s.principalId);
