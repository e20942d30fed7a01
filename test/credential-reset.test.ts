// Credential resets (src/analyze/credential-reset.ts): a role that resets other users' passwords or
// MFA reaches the access paths of the people it can reset — Microsoft's "Who can reset passwords" table.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RESETTERS, ROLE } from '../src/analyze/credential-reset.js';
import type { Analysis, ResourceItem } from '../src/analyze/types.js';
import type { Snapshot } from '../src/model/snapshot-schema.js';
import { buildDemoSnapshot } from '../src/demo/demo-snapshot.js';
import { analyzeDemo, auditDemoVariant } from './helpers/demo.js';

type Roles = NonNullable<NonNullable<Snapshot['entra']['directoryRoles']>['data']>;
const roles = (s: Snapshot): Roles => s.entra.directoryRoles!.data!;
const person = (id: string, upn: string) => ({ id, type: 'user', displayName: upn, userPrincipalName: upn, appId: null });
const PAA = ROLE.privilegedAuthenticationAdministrator;
const HD = ROLE.helpdeskAdministrator;
const SECURITY_READER = '5d6b6bb7-de71-4623-b4af-96380a352509';

const definition = (id: string, displayName: string, actions: string[]) => ({ id, displayName, isBuiltIn: true, isEnabled: true, templateId: id, rolePermissions: [{ allowedResourceActions: actions, condition: null }] });
const active = (id: string, roleDefinitionId: string, principalId: string, scope = '/') => ({ id, roleDefinitionId, principalId, directoryScopeId: scope, principal: person(principalId, `${principalId}@example.com`) });
const eligibility = (id: string, roleDefinitionId: string, principalId: string) => ({
  ...active(id, roleDefinitionId, principalId),
  memberType: 'Direct',
  status: 'Provisioned',
  scheduleInfo: { startDateTime: '2026-01-01T00:00:00Z', expiration: { type: 'noExpiration', endDateTime: null, duration: null } },
});

/** The Entra id of a demo user on the paths. */
const userId = (a: Analysis, upnPrefix: string) => a.accessPaths.find((p) => (p.principal.upn ?? '').startsWith(upnPrefix))!.principal.entraUserId!;
const resets = (a: Analysis) => a.resources.controlPlane!.filter((i) => i.data.kind === 'credential-reset');
const reachedUsers = (a: Analysis, item: ResourceItem) => new Set(item.paths!.map((i) => a.accessPaths[i]!.principal.upn));

const demo = analyzeDemo();
const ALICE = userId(demo, 'alice');
const BOB = userId(demo, 'bob');
const CAROL = userId(demo, 'carol');

describe("Microsoft's table", () => {
  it('matches the "Who can reset passwords" table as published', () => {
    const table = JSON.parse(readFileSync(new URL('./fixtures/credential-reset/who-can-reset-passwords.json', import.meta.url), 'utf8')) as {
      columns: Record<string, string>;
      rows: Record<string, string | null>;
      table: Record<string, string[]>;
    };
    for (const [column, template] of Object.entries(table.columns)) {
      if (template === ROLE.globalAdministrator) continue; // its entra-role item reaches every path
      const r = RESETTERS[template]!;
      const resettable = Object.entries(table.table).filter(([, cols]) => cols.includes(column)).map(([row]) => row);
      if (r.targets === 'everyone') {
        expect(resettable.sort(), column).toEqual(Object.keys(table.table).sort());
        continue;
      }
      const roleRows = resettable.map((row) => table.rows[row]).filter((t): t is string => t !== null);
      expect([...new Set(r.targets)].sort(), column).toEqual(roleRows.sort());
      expect(resettable, column).toContain('User (no admin role)');
      expect(resettable, column).not.toContain('User (no admin role, but member or owner of a role-assignable group)');
    }
  });
});

describe('credential-reset items', () => {
  it('a standing Helpdesk Administrator reaches a non-admin AWS user, not one who holds a directory role', () => {
    const a = analyzeDemo((s) => {
      roles(s).definitions.push(definition(SECURITY_READER, 'Security Reader', ['microsoft.directory/users/standard/read']));
      roles(s).definitions.push(definition(ROLE.directoryReaders, 'Directory Readers', ['microsoft.directory/users/standard/read']));
      roles(s).assignments.push(active('sr-alice', SECURITY_READER, ALICE), active('dr-carol', ROLE.directoryReaders, CAROL));
    });
    const [hd] = resets(a).filter((i) => i.data.holder === 'xavier.moss@northwind.example');
    expect(hd!.data).toMatchObject({ kind: 'credential-reset', standing: true, assignment: 'active', window: null, capabilities: ['credential-reset'] });
    expect(hd!.data.how).toContain('can reset the password of people with no admin role, or only');
    const users = reachedUsers(a, hd!);
    expect(users.has('bob.lee@northwind.example')).toBe(true);
    expect(users.has('carol.diaz@northwind.example')).toBe(true); // Directory Readers only: still resettable
    expect(users.has('alice.kim@northwind.example')).toBe(false); // Security Reader: out of reach
  });

  it('an eligible role of the person does not protect them; a role-assignable group they are in does', () => {
    const a = analyzeDemo((s) => {
      roles(s).definitions.push(definition(SECURITY_READER, 'Security Reader', []));
      roles(s).eligibilities.push(eligibility('e-alice', SECURITY_READER, ALICE));
      roles(s).assignments.push({ ...active('g-role', SECURITY_READER, 'grp-1'), principal: { id: 'grp-1', type: 'group', displayName: 'Readers', userPrincipalName: null, appId: null } });
      roles(s).groupHolders = [{ groupId: 'grp-1', members: [person(BOB, 'bob')], owners: [], unreadReason: null }];
    });
    const users = reachedUsers(a, resets(a).find((i) => i.data.holder === 'xavier.moss@northwind.example')!);
    expect(users.has('alice.kim@northwind.example')).toBe(true);
    expect(users.has('bob.lee@northwind.example')).toBe(false);
  });

  it('unknown is resettable: a role group whose members were not read protects nobody; an administrative-unit scope is unknown', () => {
    const a = analyzeDemo((s) => {
      roles(s).definitions.push(definition(SECURITY_READER, 'Security Reader', []));
      roles(s).assignments.push({ ...active('g-role', SECURITY_READER, 'grp-1'), principal: { id: 'grp-1', type: 'group', displayName: 'Readers', userPrincipalName: null, appId: null } });
      roles(s).groupHolders = [{ groupId: 'grp-1', members: null, owners: null, unreadReason: '403 Forbidden: no' }];
      roles(s).assignments.push(active('hd-au', HD, 'au-helper', '/administrativeUnits/au-9'));
    });
    const users = reachedUsers(a, resets(a).find((i) => i.data.holder === 'xavier.moss@northwind.example')!);
    expect(users.has('bob.lee@northwind.example')).toBe(true);
    const au = resets(a).find((i) => i.data.holder === 'au-helper@example.com')!;
    expect(au.data).toMatchObject({ reachKnown: false, scopeKind: 'administrativeUnit' });
  });

  it("an eligible Privileged Authentication Administrator reaches everyone's paths, JIT with the role's window", () => {
    const a = analyzeDemo((s) => {
      roles(s).definitions.push(definition(PAA, 'Privileged Authentication Administrator', ['microsoft.directory/users/authenticationMethods/create', 'microsoft.directory/users/password/update']));
      roles(s).assignments.push(active('sr-alice', ROLE.globalAdministrator, ALICE)); // even a Global Administrator
      roles(s).eligibilities.push(eligibility('e-paa', PAA, 'paa-1'));
    });
    const paa = resets(a).find((i) => i.data.holder === 'paa-1@example.com')!;
    expect(paa.data).toMatchObject({ standing: false, assignment: 'eligible', controls: null, reachKnown: true });
    expect(paa.data.how).toContain('password and authentication methods of anyone');
    expect(paa.paths!.length).toBe(a.accessPaths.length);
    expect(paa.data.window).not.toBeNull();
    expect(reachedUsers(a, paa).has('alice.kim@northwind.example')).toBe(true);
  });

  it('an activated eligibility is JIT in use, an assignment Graph calls Assigned is standing even beside an eligibility (as for entra-role items)', () => {
    const a = analyzeDemo((s) => {
      roles(s).definitions.push(definition(PAA, 'Privileged Authentication Administrator', ['microsoft.directory/users/password/update']));
      roles(s).eligibilities.push(eligibility('e-act', PAA, 'paa-act'), eligibility('e-both', PAA, 'paa-both'));
      roles(s).assignments.push({ ...active('a-act', PAA, 'paa-act'), assignmentType: 'activated', endDateTime: '2026-12-31T00:00:00Z' });
      roles(s).assignments.push({ ...active('a-both', PAA, 'paa-both'), assignmentType: 'assigned', endDateTime: null });
    });
    const of = (holder: string) => resets(a).filter((i) => i.data.holder === holder).map((i) => ({ standing: i.data.standing, activeNow: i.data.activeNow }));
    expect(of('paa-act@example.com')).toEqual([{ standing: false, activeNow: true }]);
    expect(of('paa-both@example.com')).toEqual(expect.arrayContaining([{ standing: true, activeNow: expect.anything() }, { standing: false, activeNow: false }]));
  });

  it('a custom role with a reset action counts as resetting anyone; a Global Administrator has no credential-reset item', () => {
    const a = analyzeDemo((s) => {
      roles(s).definitions.push({ ...definition('custom-1', 'Helpers', ['microsoft.directory/users/allProperties/allTasks']), isBuiltIn: false, templateId: null });
      roles(s).definitions.push(definition(ROLE.globalAdministrator, 'Global Administrator', ['microsoft.directory/users/allProperties/allTasks']));
      roles(s).assignments.push(active('c-1', 'custom-1', 'helper-1'), active('ga-1', ROLE.globalAdministrator, 'ga-1'));
    });
    const custom = resets(a).find((i) => i.data.holder === 'helper-1@example.com')!;
    expect(custom.paths!.length).toBe(a.accessPaths.length);
    expect(custom.data.how).toContain("not in Microsoft's table");
    expect(resets(a).some((i) => i.data.holder === 'ga-1@example.com')).toBe(false);
  });
});

describe('findings', () => {
  it('a standing resetter is credential-reset-over-aws-users; an eligible one with a weak policy is control-plane-jit-weak-activation', () => {
    const result = auditDemoVariant((s) => {
      roles(s).definitions.push(definition(PAA, 'Privileged Authentication Administrator', ['microsoft.directory/users/password/update']));
      roles(s).eligibilities.push(eligibility('e-paa', PAA, 'paa-1'));
    });
    const findings = result.findings.map((f) => f.finding);
    const xavier = buildDemoSnapshot().entra.directoryRoles!.data!.assignments.find((x) => x.roleDefinitionId === ROLE.helpdeskAdministrator)!;
    expect(findings.filter((f) => f.object.id === `${xavier.id}/credential-reset`).map((f) => f.ruleId)).toEqual(['credential-reset-over-aws-users']);
    expect(findings.filter((f) => f.object.id === 'e-paa/credential-reset').map((f) => f.ruleId)).toEqual(['control-plane-jit-weak-activation']);
  });
});
