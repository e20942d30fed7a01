// PIM activation requests as Graph returns them (test/fixtures/graph/assignment-schedule-requests):
// only requests that granted access are activations; a deactivation ends one early; an activation ends
// at the earliest of its schedule end, its deactivation and the policy's maximum.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PrivilegedAccessGroupAssignmentScheduleRequest } from '@microsoft/microsoft-graph-types';
import { buildPimHistory, historyKey, requestOutcome } from '../src/analyze/pim-history.js';
import { normaliseRequest } from '../src/collect/entra/activations.js';
import type { ActivationRequestT, Snapshot } from '../src/model/snapshot-schema.js';
import { loadRules } from '../src/rules/load-rules.js';
import { evaluateRules } from '../src/rules/evaluate.js';
import { runAudit } from '../src/audit.js';
import { PathFactIndex } from '../src/report/path-facts.js';
import { tempDir } from './helpers/cli.js';
import { analyzeDemo, demoConfig, demoSnapshot } from './helpers/demo.js';

type GraphRequest = PrivilegedAccessGroupAssignmentScheduleRequest;
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`fixtures/graph/assignment-schedule-requests/${name}`, import.meta.url), 'utf8'));
const selfActivate: GraphRequest = fixture('self-activate.json');
const adminAssign: GraphRequest = fixture('list-admin-assign.json').value[0];
const GROUP = '2b5ed229-4072-478d-9504-a047ebd4b07d';
const PRINCIPAL = '3cce9d87-3986-4f19-8335-7ed075408ca2';

describe('the collector keeps every request with its real action and status', () => {
  it('normalises the Graph reference samples', () => {
    expect(normaliseRequest(selfActivate, GROUP, 0)).toMatchObject({
      id: '6aacaee8-4089-4048-9510-3119367fc943',
      action: 'selfActivate',
      status: 'Provisioned',
      scheduleInfo: { startDateTime: '2023-02-07T07:05:55.340Z', expiration: { type: 'afterDuration', duration: 'PT2H', endDateTime: null } },
    });
    // Admin assignments are history too (when standing access began), not dropped.
    expect(normaliseRequest(adminAssign, GROUP, 0)).toMatchObject({ action: 'adminAssign', status: 'Provisioned', scheduleInfo: { expiration: { endDateTime: '2023-02-07T19:56:00.000Z' } } });
  });

  it('keeps deactivations and refused requests as Graph names them, and a missing status as Unknown', () => {
    expect(normaliseRequest({ ...selfActivate, action: 'selfDeactivate' }, GROUP, 0)?.action).toBe('selfDeactivate');
    expect(normaliseRequest({ ...selfActivate, status: 'Denied' }, GROUP, 0)?.status).toBe('Denied');
    expect(normaliseRequest({ ...selfActivate, status: null } as unknown as GraphRequest, GROUP, 0)?.status).toBe('Unknown');
    expect(normaliseRequest(selfActivate, GROUP, Date.parse('2024-01-01T00:00:00Z'))).toBeNull();
  });
});

describe('which statuses granted access', () => {
  it('reads the documented statuses', () => {
    for (const s of ['Provisioned', 'Granted', 'PendingProvisioning', 'ScheduleCreated', 'PendingScheduleCreation', 'AdminApproved']) expect(requestOutcome(s), s).toBe('granted');
    for (const s of ['Denied', 'AdminDenied', 'Canceled', 'Failed', 'FailedAsResourceIsLocked', 'Revoked', 'TimedOut']) expect(requestOutcome(s), s).toBe('refused');
    for (const s of ['PendingApproval', 'PendingAdminDecision']) expect(requestOutcome(s), s).toBe('pending');
    expect(requestOutcome('SomethingNew')).toBe('unknown');
  });
});

const asSnapshot = (r: GraphRequest, patch: Partial<ActivationRequestT> = {}): ActivationRequestT => ({ ...normaliseRequest(r, GROUP, 0)!, ...patch });

describe('activation windows', () => {
  const none = () => null;
  const key = historyKey(PRINCIPAL, GROUP, 'member');

  it('ends at the schedule end when nothing else ends it first', () => {
    const h = buildPimHistory([asSnapshot(selfActivate)], none).get(key)!;
    expect(h.activations).toEqual([
      { requestId: selfActivate.id, action: 'selfActivate', status: 'Provisioned', start: '2023-02-07T07:05:55.340Z', end: '2023-02-07T09:05:55.340Z', endedBy: 'schedule' },
    ]);
  });

  it('a selfDeactivate ends the activation early; one before it does not', () => {
    const deactivate = (id: string, at: string) => asSnapshot(selfActivate, { id, action: 'selfDeactivate', createdDateTime: at, scheduleInfo: { startDateTime: at, expiration: { type: 'noExpiration', endDateTime: null, duration: null } } });
    const h = buildPimHistory([asSnapshot(selfActivate), deactivate('d-before', '2023-02-07T06:00:00Z'), deactivate('d1', '2023-02-07T07:30:00Z')], none).get(key)!;
    expect(h.activations.map((w) => [w.end, w.endedBy])).toEqual([['2023-02-07T07:30:00Z', 'deactivation']]);
  });

  it("the policy's activation maximum caps a longer request", () => {
    const h = buildPimHistory([asSnapshot(selfActivate)], () => 'PT1H').get(key)!;
    expect(h.activations.map((w) => [w.end, w.endedBy])).toEqual([['2023-02-07T08:05:55.340Z', 'policy-maximum']]);
  });

  it('a denied, cancelled, failed or revoked request is no activation, but is kept as a refused request', () => {
    for (const status of ['Denied', 'Canceled', 'Failed', 'Revoked', 'AdminDenied']) {
      const h = buildPimHistory([asSnapshot(selfActivate, { status })], none).get(key)!;
      expect(h.activations, status).toEqual([]);
      expect(h.refused.map((r) => r.status), status).toEqual([status]);
    }
    // A request still awaiting approval has granted nothing yet.
    expect(buildPimHistory([asSnapshot(selfActivate, { status: 'PendingApproval' })], none).get(key)!.activations).toEqual([]);
  });

  it('an admin assignment lasts until its removal', () => {
    const removal = asSnapshot(adminAssign, { id: 'rm', action: 'adminRemove', createdDateTime: '2023-02-07T09:00:00Z', scheduleInfo: { startDateTime: '2023-02-07T09:00:00Z', expiration: { type: 'noExpiration', endDateTime: null, duration: null } } });
    const h = buildPimHistory([asSnapshot(adminAssign), removal], none).get(key)!;
    expect(h.assignments.map((w) => [w.start, w.end, w.endedBy])).toEqual([['2023-02-07T06:57:55.618Z', '2023-02-07T09:00:00Z', 'deactivation']]);
  });
});

describe('the audit counts only activations that granted access', () => {
  const config = demoConfig();
  const rules = loadRules({ dirs: [], config });
  const BOB_LIVE = '2026-10-01T05:10:00Z';
  const bobsActivation = (s: Snapshot) => {
    const bob = s.entra.users.data!.find((u) => u.userPrincipalName.startsWith('bob.lee@'))!;
    return s.entra.activations.data!.find((a) => a.principalId === bob.id && a.createdDateTime === '2026-10-01T05:00:00Z')!;
  };
  const findingsFor = (mutate: (s: Snapshot) => void) => {
    const analysis = analyzeDemo(mutate);
    const item = analysis.resources.federationEvents!.find((f) => f.data.eventTime === BOB_LIVE)!;
    const findings = evaluateRules(rules, analysis, config).filter((f) => f.finding.object.id === item.ref.id);
    return { data: item.data, rules: findings.map((f) => f.finding.ruleId).sort() };
  };

  it('a fetch during a granted activation is fine', () => {
    expect(findingsFor(() => {}).rules).toEqual([]);
  });

  it('a fetch inside a denied request is access without an activation, with the request as evidence', () => {
    for (const status of ['Denied', 'Canceled', 'Failed', 'Revoked']) {
      const { data, rules: fired } = findingsFor((s) => {
        bobsActivation(s).status = status;
      });
      expect(fired, status).toEqual(['access-without-activation']);
      expect(data.activation, status).toBeNull();
      expect(data.refusedRequest, status).toMatchObject({ status, start: '2026-10-01T05:00:00Z', end: '2026-10-01T07:00:00Z' });
    }
  });

  it('a selfDeactivate before the fetch ends the activation: the fetch is after it ended', () => {
    const { data, rules: fired } = findingsFor((s) => {
      const a = bobsActivation(s);
      s.entra.activations.data!.push({ ...a, id: 'bob-deactivates', action: 'selfDeactivate', createdDateTime: '2026-10-01T05:05:00Z', scheduleInfo: { startDateTime: '2026-10-01T05:05:00Z', expiration: { type: 'noExpiration', endDateTime: null, duration: null } } });
    });
    expect(fired).toEqual(['access-after-activation-expired']);
    expect(data.activation).toMatchObject({ start: '2026-10-01T05:00:00Z', end: '2026-10-01T05:05:00Z', endedBy: 'deactivation' });
  });
});

describe("a path's last activation (explain, access review) is the last granted one", () => {
  it('skips a denied request', () => {
    const lastOfBob = (mutate: (s: Snapshot) => void) => {
      const s = demoSnapshot();
      mutate(s);
      const file = join(tempDir(), 'snapshot.json');
      writeFileSync(file, `${JSON.stringify(s)}\n`);
      const result = runAudit({ snapshotFile: file, displayPath: 'snapshot.json', config: demoConfig(), ruleDirs: [], failOn: 'high', allowIncomplete: false });
      const facts = new PathFactIndex(result);
      const path = result.analysis.accessPaths.find((p) => p.principal.upn?.startsWith('bob.lee@') && p.kind === 'pim-eligible' && p.account.id === '222222222222')!;
      return facts.facts(path).lastActivation;
    };
    expect(lastOfBob(() => {})).toBe('2026-10-01T05:00:00Z');
    expect(
      lastOfBob((s) => {
        s.entra.activations.data!.find((a) => a.createdDateTime === '2026-10-01T05:00:00Z')!.status = 'Denied';
      }),
    ).toBe('2026-09-28T09:00:00Z');
  });
});
