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
    expect(users.get('sam.ortiz@northwind.example')).toMatchObject({
      identityCenterStatus: 'ENABLED',
      entraState: 'deleted',
      entraDeletedDateTime: '2026-09-12T16:20:00Z',
      // The deleted user's id: the recycle bin keeps it.
      entraUserId: expect.any(String),
      inAppScope: false,
      staleMemberships: ['AWS - ReadOnly All'],
    });
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

  describe("deleted in Entra vs absent (the directory's deleted items)", () => {
    const sam = 'sam.ortiz@northwind.example';
    const samStore = (s: Snapshot) => s.aws.identityStore.data!.users.find((u) => u.userName === sam)!;
    const withDeleted = (items: (s: Snapshot) => NonNullable<NonNullable<Snapshot['entra']['deletedUsers']>['data']>) => (s: Snapshot) => {
      s.entra.deletedUsers = { provenance: { status: 'collected', source: 'GET /directory/deletedItems/microsoft.graph.user', collectedAt: s.meta.collection.endedAt }, data: items(s) };
    };
    const message = (analysisMutate: (s: Snapshot) => void) =>
      evaluateRules(rule, analyzeDemo(analysisMutate, config), config).find((f) => f.finding.object.name === sam)!.finding;

    it('a source in the deleted items is deleted, with its deletion time, original UPN and id, and still reported', () => {
      const mutate = withDeleted((s) => {
        const id = samStore(s).externalIds[0]!.id;
        // Entra prefixes a deleted user's UPN with its id without hyphens.
        return [{ id, userPrincipalName: `${id.replace(/-/g, '')}${sam}`, displayName: 'Sam Ortiz', deletedDateTime: '2026-01-02T03:04:05.000Z' }];
      });
      const { users, fired } = drift(mutate);
      expect(users.get(sam)).toMatchObject({ entraState: 'deleted', entraDeletedDateTime: '2026-01-02T03:04:05.000Z', entraUpn: sam, inAppScope: false, pendingSync: false });
      expect(users.get(sam)!.entraUserId).toBe((users.get(sam)!.externalIds as string[])[0]);
      expect(fired).toContain(sam);
      const f = message(mutate);
      expect(f.message).toContain('deleted in Entra at 2026-01-02T03:04:05.000Z');
      expect(f.evidence).toMatchObject({ entraState: 'deleted', entraDeletedDateTime: '2026-01-02T03:04:05.000Z' });
    });

    it('matches a deleted user by its UPN before the deletion when the ExternalId does not', () => {
      const { users } = drift(
        withDeleted((s) => {
          samStore(s).externalIds = [{ issuer: 'scim', id: 'not-the-object-id' }];
          const id = '0a1b2c3d-0000-4000-8000-00000000beef';
          return [{ id, userPrincipalName: `0a1b2c3d000040008000${'00000000beef'}${sam.toUpperCase()}`, displayName: null, deletedDateTime: '2026-01-02T03:04:05Z' }];
        }),
      );
      expect(users.get(sam)).toMatchObject({ entraState: 'deleted', entraUserId: '0a1b2c3d-0000-4000-8000-00000000beef', entraUpn: sam.toUpperCase() });
    });

    it('not in the deleted items either: absent, and the message says the deleted items were read', () => {
      const mutate = withDeleted(() => [{ id: 'someone-else', userPrincipalName: 'someoneelseother@northwind.example', displayName: null, deletedDateTime: '2026-01-02T03:04:05Z' }]);
      expect(drift(mutate).users.get(sam)).toMatchObject({ entraState: 'absent', entraDeletedDateTime: null, entraUserId: null });
      expect(message(mutate).message).toContain("not in Entra's deleted items");
    });

    it('without the deleted items (an older snapshot): absent, deleted or unassigned, as the message says', () => {
      const mutate = (s: Snapshot) => {
        delete s.entra.deletedUsers;
      };
      expect(drift(mutate).users.get(sam)).toMatchObject({ entraState: 'absent' });
      expect(message(mutate).message).toContain("deleted or unassigned: Entra's deleted items were not read");
    });

    it('a deletion less than one provisioning interval old is still on its way', () => {
      const { users, fired } = drift(
        withDeleted((s) => {
          const id = samStore(s).externalIds[0]!.id;
          const tenMinutesAgo = new Date(Date.parse(s.meta.collection.endedAt) - 10 * 60_000).toISOString();
          return [{ id, userPrincipalName: null, displayName: null, deletedDateTime: tenMinutesAgo }];
        }),
      );
      expect(users.get(sam)).toMatchObject({ entraState: 'deleted', pendingSync: true, staleMemberships: [] });
      expect(fired).not.toContain(sam);
    });

    it('deleted is a fact even when the Entra users could not be read', () => {
      const { users } = drift((s) => {
        withDeleted((x) => [{ id: samStore(x).externalIds[0]!.id, userPrincipalName: null, displayName: null, deletedDateTime: null }])(s);
        s.entra.users = { provenance: { status: 'missing', error: { status: 403, code: 'Forbidden', message: 'no' }, fix: 'User.Read.All' }, data: null };
      });
      expect(users.get(sam)).toMatchObject({ entraState: 'deleted', entraDeletedDateTime: null, entraStateDetail: 'deleted in Entra (deletion time not returned)' });
      expect(users.get('grace.ito@northwind.example')!.entraState).toBe('unknown');
    });
  });

  it('says unknown, and reports nothing but a deletion, when the Entra users could not be read', () => {
    const { users, fired } = drift((s) => {
      s.entra.users = { provenance: { status: 'missing', error: { status: 403, code: 'Forbidden', message: 'no' }, fix: 'User.Read.All' }, data: null };
    });
    expect(users.get('grace.ito@northwind.example')!.entraState).toBe('unknown');
    // The recycle bin was read: Sam's deletion is a fact whatever else could not be read.
    expect(users.get('sam.ortiz@northwind.example')!.entraState).toBe('deleted');
    expect(fired).toEqual(['sam.ortiz@northwind.example']);
  });

  it('holds at 43,000 Identity Center users', () => {
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
  });
});
