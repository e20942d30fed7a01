// Identity Center drift and the PIM history judge a request's status the same way: a request that was
// refused, is still pending, or has a status Graph may add later changed nobody's access, so it puts
// nothing "on its way" through SCIM (pendingSync) and cannot hide drift.
import { describe, expect, it } from 'vitest';
import { requestTookEffect } from '../src/analyze/pim-history.js';
import type { Snapshot } from '../src/model/snapshot-schema.js';
import { evaluateRules } from '../src/rules/evaluate.js';
import { loadRules } from '../src/rules/load-rules.js';
import { analyzeDemo, demoConfig } from './helpers/demo.js';

const config = demoConfig();
const rule = loadRules({ dirs: [], config }).filter((r) => r.def.id === 'identity-center-user-drift');
const QUINN = 'quinn.adler@northwind.example';

/** Quinn taken out of the app's scope, with one PIM request of this action and status ten minutes before the snapshot's end. */
function driftWith(action: string, status: string) {
  const analysis = analyzeDemo((s: Snapshot) => {
    const id = s.entra.users.data!.find((u) => u.userPrincipalName === QUINN)!.id;
    s.entra.enterpriseApp.data!.appRoleAssignments = s.entra.enterpriseApp.data!.appRoleAssignments.filter((a) => a.principalId !== id);
    const a = s.entra.activations.data![0]!;
    const at = new Date(Date.parse(s.meta.collection.endedAt) - 10 * 60_000).toISOString();
    s.entra.activations.data!.push({ ...a, id: 'recent', principalId: id, action, status, createdDateTime: at, completedDateTime: at, scheduleInfo: null });
  }, config);
  const user = analysis.resources.identityCenterUsers!.find((u) => u.data.userName === QUINN)!.data;
  const fired = evaluateRules(rule, analysis, config).some((f) => f.finding.object.name === QUINN);
  return { pendingSync: user.pendingSync, fired };
}

describe('Identity Center drift uses the PIM history’s decision on request statuses', () => {
  it.each([
    // Statuses the old pattern (denied|failed|cancel) took for a change SCIM had still to make.
    ['selfActivate', 'TimedOut'],
    ['selfActivate', 'Invalid'],
    ['selfActivate', 'PendingApproval'],
    ['selfActivate', 'Revoked'],
    ['selfActivate', 'SomethingGraphAddsLater'],
    ['selfDeactivate', 'PendingApproval'],
  ])('%s %s changed nothing: the drift is reported, not pending', (action, status) => {
    expect(requestTookEffect({ action, status })).toBe(false);
    expect(driftWith(action, status)).toEqual({ pendingSync: false, fired: true });
  });

  it.each([
    ['selfActivate', 'Provisioned'],
    ['selfActivate', 'Granted'],
    ['adminAssign', 'PendingProvisioning'],
    // A removal that took effect: Graph answers it Revoked.
    ['adminRemove', 'Revoked'],
    ['selfDeactivate', 'Provisioned'],
  ])('%s %s changed access less than one sync ago: pending, not drift', (action, status) => {
    expect(requestTookEffect({ action, status })).toBe(true);
    expect(driftWith(action, status)).toEqual({ pendingSync: true, fired: false });
  });

  it('refused statuses stay refused', () => {
    for (const status of ['Denied', 'AdminDenied', 'Failed', 'FailedAsResourceIsLocked', 'Canceled']) {
      expect(requestTookEffect({ action: 'selfActivate', status })).toBe(false);
      expect(driftWith('selfActivate', status).pendingSync).toBe(false);
    }
  });
});
