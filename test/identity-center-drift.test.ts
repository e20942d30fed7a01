// Identity Center drift from Entra: an Identity Center user (or membership) SCIM should have removed,
// reported with the Entra state beside the Identity Center state, assigned or not.
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../src/model/snapshot-schema.js';
import { evaluateRules } from '../src/rules/evaluate.js';
import { loadRules } from '../src/rules/load-rules.js';
import { analyzeDemo, demoConfig } from './helpers/demo.js';

const config = demoConfig();
const rule = loadRules({ dirs: [], config }).filter((r) => r.def.id === 'identity-center-user-drift');

function drift(mutate?: (s: Snapshot) => void) {
  const analysis = analyzeDemo(mutate, config);
  const users = new Map(analysis.resources.identityCenterUsers!.map((u) => [u.data.userName as string, u.data as Record<string, unknown>]));
  const fired = evaluateRules(rule, analysis, config).map((f) => f.finding.object.name).sort();
  return { users, fired };
}
const upn = (s: Snapshot, key: string) => s.entra.users.data!.find((u) => u.userPrincipalName.startsWith(key))!;

describe('identity-center-user-drift', () => {
  it('on the demo: a deleted leaver still enabled, and a membership Entra no longer backs', () => {
    const { users, fired } = drift();
    expect(fired).toEqual(['grace.ito@northwind.example', 'sam.ortiz@northwind.example']);
    expect(users.get('sam.ortiz@northwind.example')).toMatchObject({ identityCenterStatus: 'ENABLED', entraState: 'absent', entraUserId: null, inAppScope: false, staleMemberships: ['AWS - ReadOnly All'] });
    expect(users.get('grace.ito@northwind.example')).toMatchObject({ entraState: 'enabled', inAppScope: true, staleMemberships: ['AWS - Prod Admins'] });
    // Ivan is disabled in Entra and SCIM disabled him in Identity Center: no drift.
    expect(users.get('ivan.roy@northwind.example')).toMatchObject({ entraState: 'disabled', identityCenterStatus: 'DISABLED' });
    expect(users.get('contractor-ops')).toMatchObject({ scim: false, entraState: 'noSource' });
  });

  it('a disabled Entra user still enabled in Identity Center', () => {
    const { users, fired } = drift((s) => {
      upn(s, 'liam.sol').accountEnabled = false;
    });
    expect(fired).toContain('liam.sol@northwind.example');
    expect(users.get('liam.sol@northwind.example')).toMatchObject({ entraState: 'disabled', entraAccountEnabled: false, identityCenterStatus: 'ENABLED' });
  });

  it('a user no longer in the app scope, even with no account assignment; unless PIM changed it within one sync interval', () => {
    const unassign = (s: Snapshot) => {
      const id = upn(s, 'quinn.adler').id;
      s.entra.enterpriseApp.data!.appRoleAssignments = s.entra.enterpriseApp.data!.appRoleAssignments.filter((a) => a.principalId !== id);
      return id;
    };
    const out = drift(unassign);
    expect(out.fired).toContain('quinn.adler@northwind.example');
    expect(out.users.get('quinn.adler@northwind.example')).toMatchObject({ entraState: 'notInScope', inAppScope: false, assigned: false, pendingSync: false });

    const recent = drift((s) => {
      const id = unassign(s);
      const a = s.entra.activations.data![0]!;
      // An activation that ended ten minutes before the snapshot: the 40-minute sync has not run since.
      const start = new Date(Date.parse(s.meta.collection.endedAt) - 70 * 60_000).toISOString();
      s.entra.activations.data!.push({ ...a, id: 'recent', principalId: id, createdDateTime: start, completedDateTime: start, scheduleInfo: { startDateTime: start, expiration: { type: 'afterDuration', endDateTime: null, duration: 'PT1H' } } });
    });
    expect(recent.users.get('quinn.adler@northwind.example')).toMatchObject({ entraState: 'notInScope', pendingSync: true });
    expect(recent.fired).not.toContain('quinn.adler@northwind.example');
  });

  it('says unknown, and reports nothing, when the Entra users could not be read', () => {
    const { users, fired } = drift((s) => {
      s.entra.users = { provenance: { status: 'missing', error: { status: 403, code: 'Forbidden', message: 'no' }, fix: 'User.Read.All' }, data: null };
    });
    expect(users.get('sam.ortiz@northwind.example')!.entraState).toBe('unknown');
    expect(fired).toEqual([]);
  });

  it('stays linear at 43,000 Identity Center users', () => {
    const started = performance.now();
    const { users } = drift((s) => {
      const store = s.aws.identityStore.data!;
      const group = store.groups.find((g) => g.displayName === 'AWS - ReadOnly All')!.groupId;
      for (let i = 0; i < 43_000; i++) {
        const userId = `bulk-${i}`;
        store.users.push({ userId, userName: `bulk${i}@northwind.example`, displayName: null, externalIds: [{ issuer: 'scim', id: `gone-${i}` }], status: 'ENABLED' });
        store.memberships.push({ membershipId: `m-${i}`, groupId: group, userId });
      }
    });
    expect(users.get('bulk42999@northwind.example')).toMatchObject({ entraState: 'absent', staleMemberships: ['AWS - ReadOnly All'] });
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
