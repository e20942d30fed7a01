// PIM eligibility history (eligibility schedule requests, test/fixtures/graph/eligibility-schedule-requests):
// a credential fetch is judged against the eligibility of its own time — one removed after the fetch
// still counts, one given after it does not — and says so when the history was not collected.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PrivilegedAccessGroupEligibilityScheduleRequest } from '@microsoft/microsoft-graph-types';
import { credentialFetches } from '../src/analyze/credential-fetches.js';
import { buildAccessPaths } from '../src/analyze/access-paths.js';
import { pathParts } from '../src/analyze/path-parts.js';
import { buildEligibilityHistory, buildPimHistory, eligibleAt, historyKey, type EligibilityWindow } from '../src/analyze/pim-history.js';
import { SnapshotIndex } from '../src/analyze/snapshot-index.js';
import { normaliseRequest } from '../src/collect/entra/activations.js';
import { normaliseEvent } from '../src/collect/aws/cloudtrail.js';
import type { ActivationRequestT, EligibilityRequestT, Snapshot, TrailEventT } from '../src/model/snapshot-schema.js';
import { validateSnapshot } from '../src/model/load-snapshot.js';
import { evaluateRules } from '../src/rules/evaluate.js';
import { loadRules } from '../src/rules/load-rules.js';
import { analyzeDemo, demoConfig, demoSnapshot } from './helpers/demo.js';

type GraphRequest = PrivilegedAccessGroupEligibilityScheduleRequest;
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`fixtures/graph/eligibility-schedule-requests/${name}`, import.meta.url), 'utf8'));
const assignSample: GraphRequest = fixture('list-admin-assign.json').value[0];
const removeSample: GraphRequest = fixture('get-admin-remove.json');
const GROUP = '2b5ed229-4072-478d-9504-a047ebd4b07d';
const PRINCIPAL = '3cce9d87-3986-4f19-8335-7ed075408ca2';
const KEY = historyKey(PRINCIPAL, GROUP, 'member');
const ms = (iso: string) => Date.parse(iso);

const assigned = normaliseRequest(assignSample, GROUP, 0)!;
const removed = normaliseRequest({ ...removeSample, id: 'remove-1' }, GROUP, 0)!;
const windowsOf = (requests: ActivationRequestT[]) => buildEligibilityHistory(requests).get(KEY) ?? [];
const req = (over: Partial<ActivationRequestT>): ActivationRequestT => ({ ...assigned, ...over });
const during = (windows: EligibilityWindow[], iso: string) => eligibleAt(windows, ms(iso))?.requestId ?? null;

describe('the Graph samples normalise to the snapshot', () => {
  it('keeps the adminAssign and the adminRemove with their real status and schedule', () => {
    expect(assigned).toMatchObject({ id: '534b3d4d-3ba0-8429-3568-5e9cce6c2cbd', action: 'adminAssign', status: 'Provisioned', principalId: PRINCIPAL, accessId: 'member' });
    expect(assigned.scheduleInfo).toEqual({ startDateTime: '2022-04-12T09:05:41.853Z', expiration: { type: 'afterDateTime', endDateTime: '2024-04-10T00:00:00.000Z', duration: null } });
    expect(removed).toMatchObject({ action: 'adminRemove', status: 'Revoked', scheduleInfo: null, createdDateTime: '2022-04-12T09:12:18.187Z', completedDateTime: null });
  });
});

describe('buildEligibilityHistory', () => {
  it('adminAssign until the adminRemove (Graph answers a removal that took effect with "Revoked")', () => {
    const w = windowsOf([removed, assigned]);
    expect(during(w, '2022-04-12T09:05:00Z')).toBeNull(); // before it was given
    expect(during(w, '2022-04-12T09:10:00Z')).toBe(assigned.id);
    expect(during(w, '2022-04-12T09:20:00Z')).toBeNull(); // after the removal
  });

  it('without a removal, until the schedule ends', () => {
    const w = windowsOf([assigned]);
    expect(during(w, '2024-04-09T00:00:00Z')).toBe(assigned.id);
    expect(during(w, '2024-04-11T00:00:00Z')).toBeNull();
  });

  it('a removal with nothing given on record ended an eligibility given before the history', () => {
    const w = windowsOf([removed]);
    expect(during(w, '2022-04-01T00:00:00Z')).toBe('remove-1');
    expect(during(w, '2022-04-12T09:20:00Z')).toBeNull();
  });

  it('an update sets the schedule anew (shorter too); an extension of an older one shows it held before', () => {
    const update = req({ id: 'update', action: 'adminUpdate', scheduleInfo: { startDateTime: '2023-01-01T00:00:00Z', expiration: { type: 'afterDateTime', endDateTime: '2023-02-01T00:00:00Z', duration: null } } });
    const w = windowsOf([assigned, update]);
    expect(during(w, '2022-12-31T00:00:00Z')).toBe(assigned.id);
    expect(during(w, '2023-01-15T00:00:00Z')).toBe('update');
    expect(during(w, '2023-03-01T00:00:00Z')).toBeNull(); // the old schedule's end no longer holds
    const extendOnly = windowsOf([{ ...update, id: 'extend', action: 'adminExtend' }]);
    expect(during(extendOnly, '2022-06-01T00:00:00Z')).toBe('extend');
  });

  it('a refused, pending or unknown request gives nothing, and a refused removal takes nothing away', () => {
    for (const status of ['Denied', 'Failed', 'Canceled', 'PendingApproval', 'SomethingNew']) {
      expect(windowsOf([req({ status })]), status).toEqual([]);
    }
    const w = windowsOf([assigned, { ...removed, status: 'Failed' }]);
    expect(during(w, '2022-04-12T09:20:00Z')).toBe(assigned.id);
  });

  it('keys by principal, group and role', () => {
    const history = buildEligibilityHistory([assigned, { ...removed, accessId: 'owner' }]);
    expect([...history.keys()].sort()).toEqual([historyKey(PRINCIPAL, GROUP, 'member'), historyKey(PRINCIPAL, GROUP, 'owner')].sort());
    expect(during(history.get(KEY)!, '2022-04-12T09:20:00Z')).toBe(assigned.id);
  });

  it('a deactivation answered "Revoked" also ends an activation', () => {
    const activation = req({ id: 'act', action: 'selfActivate', scheduleInfo: { startDateTime: '2022-04-12T09:00:00Z', expiration: { type: 'afterDuration', endDateTime: null, duration: 'PT8H' } } });
    const deactivation = { ...removed, id: 'deact', action: 'selfDeactivate' };
    const h = buildPimHistory([activation, deactivation], () => null).get(KEY)!;
    expect(h.activations[0]).toMatchObject({ end: '2022-04-12T09:12:18.187Z', endedBy: 'deactivation' });
  });
});

// ------------------------------------------------------------------ credential fetches on the demo

const config = demoConfig();
const rules = loadRules({ dirs: [], config });
const CURRENT = readFileSync(new URL('fixtures/identity-center-federation/get-role-credentials-2025.json', import.meta.url), 'utf8');
const lookup = { accountId: '607481581596', region: 'ap-southeast-2' };
function fetchEvent(id: string, at: string, icUserId: string, target: { account_id: string; role_name: string }): TrailEventT {
  const body = JSON.parse(CURRENT);
  body.eventID = id;
  body.eventTime = at;
  body.userIdentity = { ...body.userIdentity, onBehalfOf: { userId: icUserId, identityStoreArn: 'arn:aws:identitystore::607481581596:identitystore/d-976710cc5d' } };
  body.serviceEventDetails = target;
  return normaliseEvent({ CloudTrailEvent: JSON.stringify(body) }, lookup)!;
}
const person = (s: Snapshot, prefix: string) => {
  const u = s.entra.users.data!.find((x) => x.userPrincipalName.startsWith(prefix))!;
  return { entra: u.id, ic: s.aws.identityStore.data!.users.find((x) => x.externalIds.some((e) => e.id === u.id))!.userId };
};
const groupId = (s: Snapshot, name: string) => s.entra.groups.data!.find((g) => g.displayName === name)!.id;
const collected = (data: EligibilityRequestT[]): NonNullable<Snapshot['entra']['eligibilityRequests']> => ({
  provenance: { status: 'collected', source: 'GET /identityGovernance/privilegedAccess/group/eligibilityScheduleRequests', collectedAt: '2026-10-01T06:00:00Z' },
  data,
});
const eligibilityRequest = (id: string, principalId: string, group: string, action: string, at: string, status = 'Provisioned'): EligibilityRequestT => ({
  ...assigned,
  id,
  principalId,
  groupId: group,
  action,
  status,
  createdDateTime: at,
  completedDateTime: at,
  scheduleInfo: action === 'adminRemove' ? null : { startDateTime: at, expiration: { type: 'noExpiration', endDateTime: null, duration: null } },
});

function judge(event: (s: Snapshot) => TrailEventT, mutate: (s: Snapshot) => void) {
  const analysis = analyzeDemo((s) => {
    mutate(s);
    s.aws.cloudTrail.data!.events = [event(s)];
    expect(() => validateSnapshot('test', JSON.parse(JSON.stringify(s)))).not.toThrow();
  });
  const item = analysis.resources.federationEvents![0]!;
  const fired = evaluateRules(rules, analysis, config).filter((f) => f.finding.object.id === item.ref.id);
  return { data: item.data, rules: fired.map((f) => f.finding.ruleId).sort() };
}

// bob: eligible in prod-admins (AdministratorAccess in payments-prod 222222222222).
const PROD = { account_id: '222222222222', role_name: 'AdministratorAccess' };
const FETCH = '2026-09-20T10:00:00Z';

/** Bob as if his eligibility had been removed since, with no activation on record. */
function bobRemoved(s: Snapshot) {
  const bob = person(s, 'bob.lee@').entra;
  const pim = s.entra.pimSchedules.data!;
  pim.eligibilitySchedules = pim.eligibilitySchedules.filter((e) => e.principalId !== bob);
  pim.eligibilityInstances = pim.eligibilityInstances.filter((e) => e.principalId !== bob);
  pim.assignmentInstances = pim.assignmentInstances.filter((e) => e.principalId !== bob);
  pim.assignmentSchedules = pim.assignmentSchedules.filter((e) => e.principalId !== bob);
  s.entra.activations.data = s.entra.activations.data!.filter((a) => a.principalId !== bob);
  for (const g of s.entra.groups.data!) g.members = g.members.filter((m) => m.id !== bob);
}

describe('a credential fetch is judged against the eligibility of its time', () => {
  const bobFetch = (s: Snapshot) => fetchEvent('bob-fetch', FETCH, person(s, 'bob.lee@').ic, PROD);

  it('an eligibility removed after the fetch: eligible then, so a fetch with no activation is reported as such', () => {
    const r = judge(bobFetch, (s) => {
      bobRemoved(s);
      const bob = person(s, 'bob.lee@').entra;
      const g = groupId(s, 'AWS - Prod Admins');
      s.entra.eligibilityRequests = collected([
        eligibilityRequest('e-assign', bob, g, 'adminAssign', '2026-09-10T08:00:00Z'),
        eligibilityRequest('e-remove', bob, g, 'adminRemove', '2026-09-25T08:00:00Z', 'Revoked'),
      ]);
    });
    expect(r.data).toMatchObject({ attribution: 'attributed', jitAccess: true, standingAccess: false, activation: null });
    expect(r.data.judgedAgainst).toBe("PIM history at the event's time (Identity Center assignments as of the snapshot)");
    expect(r.rules).toEqual(['access-without-activation']);
  });

  it('the same fetch after the removal: no path then', () => {
    const r = judge((s) => fetchEvent('bob-late', '2026-09-26T10:00:00Z', person(s, 'bob.lee@').ic, PROD), (s) => {
      bobRemoved(s);
      const bob = person(s, 'bob.lee@').entra;
      const g = groupId(s, 'AWS - Prod Admins');
      s.entra.eligibilityRequests = collected([
        eligibilityRequest('e-assign', bob, g, 'adminAssign', '2026-09-10T08:00:00Z'),
        eligibilityRequest('e-remove', bob, g, 'adminRemove', '2026-09-25T08:00:00Z', 'Revoked'),
      ]);
    });
    expect(r.data).toMatchObject({ attribution: 'no-path', jitAccess: false });
    expect(r.rules).toEqual(['credential-fetch-unattributed']);
  });

  it('without the eligibility history, the removed eligibility is invisible, and judgedAgainst says what was missing', () => {
    // An older snapshot: no eligibility requests at all (the demo's are collected, and none).
    const r = judge(bobFetch, (s) => {
      bobRemoved(s);
      delete s.entra.eligibilityRequests;
    });
    expect(r.data).toMatchObject({ attribution: 'no-path', jitAccess: false });
    expect(r.data.judgedAgainst).toBe('current access (eligibility history not collected)');
    const missing = judge(bobFetch, (s) => {
      bobRemoved(s);
      s.entra.eligibilityRequests = { provenance: { status: 'missing', error: { status: 403, code: 'Forbidden', message: 'no' }, fix: 'PrivilegedEligibilitySchedule.Read.AzureADGroup' }, data: null };
    });
    expect(missing.data.judgedAgainst).toBe('current access (eligibility history not collected)');
  });

  it('an eligibility given after the fetch (today\'s schedule has no creation time): not eligible then', () => {
    const noCreation = (s: Snapshot) => {
      const bob = person(s, 'bob.lee@').entra;
      s.entra.activations.data = s.entra.activations.data!.filter((a) => a.principalId !== bob);
      // Graph gave the schedule no createdDateTime.
      for (const e of s.entra.pimSchedules.data!.eligibilitySchedules) if (e.principalId === bob) e.createdDateTime = null;
      for (const g of s.entra.groups.data!) g.members = g.members.filter((m) => m.id !== bob);
    };
    const without = judge(bobFetch, (s) => {
      noCreation(s);
      delete s.entra.eligibilityRequests;
    });
    expect(without.data).toMatchObject({ attribution: 'attributed', jitAccess: true });
    expect(without.data.judgedAgainst).toMatch(/no history for group AWS - Prod Admins/);

    const after = judge(bobFetch, (s) => {
      noCreation(s);
      s.entra.eligibilityRequests = collected([eligibilityRequest('e-late', person(s, 'bob.lee@').entra, groupId(s, 'AWS - Prod Admins'), 'adminAssign', '2026-09-22T08:00:00Z')]);
    });
    expect(after.data).toMatchObject({ attribution: 'no-path', jitAccess: false });
    expect(after.rules).toEqual(['credential-fetch-unattributed']);

    // No request for it in the look-back: it already held throughout, with nothing assumed.
    const throughout = judge(bobFetch, (s) => {
      noCreation(s);
      s.entra.eligibilityRequests = collected([]);
    });
    expect(throughout.data).toMatchObject({ attribution: 'attributed', jitAccess: true });
    expect(throughout.data.judgedAgainst).toBe("PIM history at the event's time (Identity Center assignments as of the snapshot)");
  });

  it('an eligibility in a group role that does not grant the target changes nothing', () => {
    const r = judge(bobFetch, (s) => {
      bobRemoved(s);
      s.entra.eligibilityRequests = collected([eligibilityRequest('e-other', person(s, 'bob.lee@').entra, groupId(s, 'AWS - ReadOnly All'), 'adminAssign', '2026-09-10T08:00:00Z')]);
    });
    expect(r.data).toMatchObject({ attribution: 'no-path' });
  });
});

describe('linear time', () => {
  it('2,000 groups, 40,000 eligibility requests and 5,000 fetches', () => {
    const snapshot = demoSnapshot();
    const ix0 = new SnapshotIndex(snapshot, config);
    const paths = buildAccessPaths(ix0, []);
    const bob = person(snapshot, 'bob.lee@');
    const g = groupId(snapshot, 'AWS - Prod Admins');
    const requests: EligibilityRequestT[] = Array.from({ length: 40_000 }, (_, i) => {
      const mine = i % 4 === 0;
      const at = new Date(ms('2026-09-05T00:00:00Z') + i * 60_000).toISOString();
      return eligibilityRequest(`e${i}`, mine ? bob.entra : `p${i % 7000}`, mine ? g : `g${i % 2000}`, i % 8 === 4 ? 'adminRemove' : 'adminAssign', at, i % 8 === 4 ? 'Revoked' : 'Provisioned');
    });
    snapshot.entra.eligibilityRequests = collected(requests);
    snapshot.aws.cloudTrail.data!.events = Array.from({ length: 5000 }, (_, i) => fetchEvent(`f${i}`, FETCH, i % 2 ? bob.ic : `u${i}`, PROD));
    const ix = new SnapshotIndex(snapshot, config);
    // The paths found, 100 times over.
    const order = Array.from({ length: 100 * paths.paths.length }, (_, i) => i % paths.paths.length);
    const many = { paths: order.map((i) => paths.paths[i]!), parts: pathParts(paths, order) };
    const t0 = performance.now();
    const items = credentialFetches(ix, many, (id) => ({ id, name: id, environment: 'prod' }));
    expect(items).toHaveLength(5000);
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
