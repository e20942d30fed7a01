// PIM for Groups history from the snapshot's assignment schedule requests: which requests granted
// access, and the windows they opened. Status values are Graph's (privilegedAccessSchedule.status:
// Canceled, Denied, Failed, Granted, PendingAdminDecision, PendingApproval, PendingProvisioning,
// PendingScheduleCreation, Provisioned, Revoked, ScheduleCreated; the service enum also has
// AdminApproved, AdminDenied, TimedOut, FailedAsResourceIsLocked, ProvisioningStarted…).
import type { ActivationRequestT } from '../model/snapshot-schema.js';
import { isoToSeconds } from '../util/duration.js';

export type RequestOutcome = 'granted' | 'refused' | 'pending' | 'unknown';

// Granted: access was (or is being) given. A request still awaiting approval has given nothing yet.
const GRANTED = new Set(['provisioned', 'granted', 'pendingprovisioning', 'provisioningstarted', 'schedulecreated', 'pendingschedulecreation', 'adminapproved', 'pendingexternalprovisioning']);
const REFUSED = new Set(['denied', 'admindenied', 'canceled', 'cancelled', 'failed', 'failedasresourceislocked', 'revoked', 'timedout', 'invalid']);
const PENDING = new Set(['pendingapproval', 'pendingadmindecision', 'pendingapprovalprovisioning', 'pendingevaluation', 'accepted']);

/** What a request's status says: an unknown status is "unknown", never taken as granted. */
export function requestOutcome(status: string): RequestOutcome {
  const s = status.toLowerCase();
  return GRANTED.has(s) ? 'granted' : REFUSED.has(s) ? 'refused' : PENDING.has(s) ? 'pending' : 'unknown';
}

// Actions that give access and those that take it away (Graph's privilegedAccessScheduleRequest.action).
const GIVES = new Set(['selfactivate', 'adminassign', 'adminupdate', 'adminextend', 'adminrenew']);
const ENDS = new Set(['selfdeactivate', 'adminremove']);

/**
 * Did a removal or deactivation take effect? Graph answers a completed adminRemove with status
 * "Revoked" (the eligibility request samples in test/fixtures/graph/eligibility-schedule-requests/):
 * for a request that takes access away, Revoked is its success, not a refusal.
 */
const endTookEffect = (status: string) => requestOutcome(status) === 'granted' || status.toLowerCase() === 'revoked';

/**
 * Did a request change anyone's access? A deactivation or removal when it took effect (Revoked
 * included); any other action only when granted. Refused, pending and unknown statuses changed
 * nothing: the history and the Identity Center drift judge a request by this one answer.
 */
export function requestTookEffect(r: { action: string; status: string }): boolean {
  return ENDS.has(r.action.toLowerCase()) ? endTookEffect(r.status) : requestOutcome(r.status) === 'granted';
}

export interface AccessWindow {
  requestId: string;
  /** selfActivate (JIT) or an admin action (an active assignment). */
  action: string;
  status: string;
  start: string;
  /** ISO; null when neither the schedule, a deactivation nor the policy maximum bounds it. */
  end: string | null;
  /** What ended it first: the schedule, a deactivation/removal, or the policy's maximum. */
  endedBy: 'schedule' | 'deactivation' | 'policy-maximum' | null;
}

export interface RefusedRequest {
  requestId: string;
  status: string;
  start: string;
  end: string | null;
}

/** One person's history in one group role: granted windows and refused requests, by start. */
export interface RoleHistory {
  activations: AccessWindow[];
  assignments: AccessWindow[];
  refused: RefusedRequest[];
}

/** Index of the last window that starts at or before `at` (ms) in a list sorted by start; -1 when none. */
export function lastStartingBy(list: readonly { start: string }[], at: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (Date.parse(list[mid]!.start) <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

// Per list, the latest end among its first i + 1 windows (an open end is Infinity): made once.
const reach = new WeakMap<readonly unknown[], Float64Array>();
function reachOf(list: readonly { end: string | null }[]): Float64Array {
  let r = reach.get(list);
  if (!r) {
    r = new Float64Array(list.length);
    let max = -Infinity;
    list.forEach((w, i) => {
      max = Math.max(max, w.end === null ? Infinity : Date.parse(w.end));
      r![i] = max;
    });
    reach.set(list, r);
  }
  return r;
}

/**
 * The latest-starting window that holds at `at`: searched back from the last one started by then,
 * stopping where no earlier window reaches `at` (so a long list of past windows is not walked).
 */
export function latestCovering<W extends { start: string; end: string | null }>(list: readonly W[], at: number): W | null {
  const r = reachOf(list);
  for (let i = lastStartingBy(list, at); i >= 0 && r[i]! >= at; i--) if (covers(list[i]!, at)) return list[i]!;
  return null;
}

const toIso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
const startOf = (r: ActivationRequestT) => r.scheduleInfo?.startDateTime ?? r.createdDateTime;

function scheduledEnd(r: ActivationRequestT): number | null {
  const exp = r.scheduleInfo?.expiration;
  const ends: number[] = [];
  if (exp?.endDateTime) ends.push(Date.parse(exp.endDateTime));
  const seconds = exp?.duration ? isoToSeconds(exp.duration) : null;
  if (seconds !== null) ends.push(Date.parse(startOf(r)) + seconds * 1000);
  return ends.length ? Math.min(...ends) : null;
}

/**
 * The history of every (principal, group, role) in the requests, in one pass plus one sort per key.
 * An activation ends at the earliest of its schedule end, the first granted deactivation (or removal)
 * after it started, and the policy's activation maximum (`maxActivation(groupId, accessId)`, ISO).
 */
export function buildPimHistory(
  requests: readonly ActivationRequestT[],
  maxActivation: (groupId: string, accessId: string) => string | null,
): Map<string, RoleHistory> {
  const byKey = new Map<string, ActivationRequestT[]>();
  for (const r of requests) {
    const key = historyKey(r.principalId, r.groupId, r.accessId);
    const list = byKey.get(key);
    if (list) list.push(r);
    else byKey.set(key, [r]);
  }
  const out = new Map<string, RoleHistory>();
  for (const [key, list] of byKey) {
    list.sort((a, b) => Date.parse(startOf(a)) - Date.parse(startOf(b)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const history: RoleHistory = { activations: [], assignments: [], refused: [] };
    // Granted deactivations and removals, by time: each window looks up the first one after its start.
    const stops = list
      .filter((r) => ENDS.has(r.action.toLowerCase()) && requestTookEffect(r))
      .map((r) => Date.parse(startOf(r)));
    let s = 0;
    for (const r of list) {
      const action = r.action.toLowerCase();
      if (!GIVES.has(action)) continue;
      const start = Date.parse(startOf(r));
      const outcome = requestOutcome(r.status);
      if (outcome === 'refused') {
        if (action === 'selfactivate') {
          const end = scheduledEnd(r);
          history.refused.push({ requestId: r.id, status: r.status, start: toIso(start), end: end === null ? null : toIso(end) });
        }
        continue;
      }
      if (outcome !== 'granted') continue;
      while (s < stops.length && stops[s]! < start) s++;
      const candidates: [number, AccessWindow['endedBy']][] = [];
      const planned = scheduledEnd(r);
      if (planned !== null) candidates.push([planned, 'schedule']);
      if (s < stops.length) candidates.push([stops[s]!, 'deactivation']);
      if (action === 'selfactivate') {
        const max = isoToSeconds(maxActivation(r.groupId, r.accessId) ?? '');
        if (max !== null) candidates.push([start + max * 1000, 'policy-maximum']);
      }
      // Earliest end wins; on a tie, the order above (schedule, deactivation, maximum) names it.
      let best: [number, AccessWindow['endedBy']] | null = null;
      for (const c of candidates) if (!best || c[0] < best[0]) best = c;
      const window: AccessWindow = {
        requestId: r.id,
        action: r.action,
        status: r.status,
        start: toIso(start),
        end: best ? toIso(best[0]) : null,
        endedBy: best ? best[1] : null,
      };
      (action === 'selfactivate' ? history.activations : history.assignments).push(window);
    }
    out.set(key, history);
  }
  return out;
}

// ------------------------------------------------------------------ eligibility

// Actions that make a person eligible (or set the eligibility's new schedule).
const GIVES_ELIGIBILITY = new Set(['adminassign', 'adminupdate', 'adminextend', 'adminrenew']);

/** One span of eligibility in one group role, in ms: [start, end]. */
export interface EligibilityWindow {
  /** The request that gave it; for one that began before the history, the removal that ended it. */
  requestId: string;
  /** -Infinity: it began before the history (only its removal is on record). */
  start: number;
  /** Infinity: open (no end scheduled, not removed). */
  end: number;
}

/**
 * The eligibility of every (principal, group, role) from its eligibility schedule requests, in one
 * pass plus one sort per key. A granted adminAssign, adminUpdate, adminExtend or adminRenew makes the
 * person eligible from its start until the earliest of its scheduled end, the next removal that took
 * effect, and the next granted one of these (which sets the schedule anew, longer or shorter). A
 * removal, update or extension with no such request since the last removal acted on an eligibility
 * given before the history began: it held until then. Refused, pending and unknown requests give nothing. The windows of a key do not overlap and
 * are sorted by start.
 */
export function buildEligibilityHistory(requests: readonly ActivationRequestT[]): Map<string, EligibilityWindow[]> {
  const byKey = new Map<string, ActivationRequestT[]>();
  for (const r of requests) {
    const action = r.action.toLowerCase();
    if (!(GIVES_ELIGIBILITY.has(action) || ENDS.has(action)) || !requestTookEffect(r)) continue;
    const key = historyKey(r.principalId, r.groupId, r.accessId);
    const list = byKey.get(key);
    if (list) list.push(r);
    else byKey.set(key, [r]);
  }
  const out = new Map<string, EligibilityWindow[]>();
  for (const [key, list] of byKey) {
    const timed = list.map((r) => ({ r, at: Date.parse(startOf(r)), gives: GIVES_ELIGIBILITY.has(r.action.toLowerCase()) }));
    timed.sort((a, b) => a.at - b.at || (a.r.id < b.r.id ? -1 : a.r.id > b.r.id ? 1 : 0));
    const windows: EligibilityWindow[] = [];
    let open: EligibilityWindow | null = null;
    let lastStop = -Infinity;
    for (const { r, at, gives } of timed) {
      if (gives) {
        // The next one supersedes this one's schedule from its own start.
        if (open && open.end > at) open.end = at;
        // An update or extension changes an eligibility that already existed: with none on record
        // since the last removal, it was given before the history.
        const action = r.action.toLowerCase();
        if (!open && (action === 'adminupdate' || action === 'adminextend')) windows.push({ requestId: r.id, start: lastStop, end: at });
        const planned = scheduledEnd(r);
        open = { requestId: r.id, start: at, end: planned ?? Infinity };
        windows.push(open);
      } else {
        if (open) {
          if (open.end > at) open.end = at;
        } else {
          windows.push({ requestId: r.id, start: lastStop, end: at });
        }
        open = null;
        lastStop = at;
      }
    }
    out.set(key, windows);
  }
  return out;
}

/** The window of a key's eligibility (sorted, not overlapping) that holds at `at` (ms), or null. */
export function eligibleAt(windows: readonly EligibilityWindow[], at: number): EligibilityWindow | null {
  let lo = 0;
  let hi = windows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (windows[mid]!.start <= at) lo = mid + 1;
    else hi = mid;
  }
  const w = windows[lo - 1];
  return w && at <= w.end ? w : null;
}

export const historyKey = (principalId: string, groupId: string, accessId: string) => `${principalId}|${groupId}|${accessId}`;

/** Does a window hold at `at` (ms)? An open end holds for ever. */
export const covers = (w: { start: string; end: string | null }, at: number) => Date.parse(w.start) <= at && (w.end === null || at <= Date.parse(w.end));
