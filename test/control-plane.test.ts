// Who can get around the JIT (src/analyze/control-plane.ts): the capability table on Microsoft's own
// role definitions, each kind of holder, scopes (tenant, one object, an administrative unit: its groups, or unknown),
// role-assignable groups, shared reach arrays, report.json's compact impact, explain and the HTML section.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { actionCovers, roleCapabilities } from '../src/analyze/control-plane.js';
import type { ResourceItem } from '../src/analyze/types.js';
import type { Snapshot } from '../src/model/snapshot-schema.js';
import { blockingIncomplete } from '../src/rules/evaluate.js';
import { explain } from '../src/report/explain.js';
import { renderControlPlane } from '../src/report/html/control-plane.js';
import { renderJsonReport } from '../src/report/json-report.js';
import { ReportSchema } from '../src/report/report-schema.js';
import type { AuditResult } from '../src/report/audit-result.js';
import { validatorFor } from '../src/util/ajv.js';
import { analyzeDemo, demoSnapshot, auditDemoVariant } from './helpers/demo.js';

type Definition = NonNullable<NonNullable<Snapshot['entra']['directoryRoles']>['data']>['definitions'][number];
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/entra/${name}`, import.meta.url), 'utf8'));
const definition = (displayName: string, actions: string[], condition: string | null = null): Definition => ({
  id: displayName,
  displayName,
  isBuiltIn: true,
  isEnabled: true,
  templateId: null,
  rolePermissions: [{ allowedResourceActions: actions, condition }],
});
const caps = (d: Definition) => [...roleCapabilities(d).keys()].sort();

const items = (a: { resources: Record<string, ResourceItem[]> }) => a.resources.controlPlane!;
const byHolder = (a: { resources: Record<string, ResourceItem[]> }, holder: string) => items(a).filter((i) => i.data.holder === holder);
const one = (a: { resources: Record<string, ResourceItem[]> }, holder: string) => {
  const found = byHolder(a, holder);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const TOM = 'tom.grant@northwind.example';
const UMA = 'uma.patel@northwind.example';
const VICTOR = 'victor.lane@northwind.example';
const WENDY = 'wendy.cho@northwind.example';

const audit = auditDemoVariant;
const reportOf = (result: AuditResult) => {
  const rendered = renderJsonReport(result);
  return JSON.parse(typeof rendered === 'function' ? [...rendered()].join('') : rendered.toString());
};

describe('the capability table', () => {
  it("on Microsoft's built-in role definitions (permissions reference)", () => {
    const roles = fixture('built-in-role-actions.json') as Record<string, string[]>;
    // Groups Administrator: members and owners of groups, "excluding role-assignable groups".
    expect(caps(definition('g', roles['Groups Administrator']!))).toEqual(['group-members', 'group-owners']);
    expect(caps(definition('p', roles['Privileged Role Administrator']!))).toEqual(['consent', 'pim-for-groups', 'role-assignable-groups', 'role-assignments', 'role-definitions']);
    expect(caps(definition('a', roles['Application Administrator']!))).toEqual(['app', 'provisioning']);
  });
  it('gives nothing to roles that cannot change who reaches AWS (Graph docs sample: Helpdesk, Service Support, Billing)', () => {
    for (const d of fixture('role-definitions.json').value as Definition[]) expect(caps(d)).toEqual([]);
  });
  it('allProperties / allTasks cover the specific actions, case-insensitively; other resources do not', () => {
    expect(actionCovers('microsoft.directory/groups/allProperties/allTasks', 'microsoft.directory/groups/members/update')).toBe(true);
    expect(actionCovers('microsoft.directory/groups/allProperties/update', 'microsoft.directory/groups/owners/update')).toBe(true);
    expect(actionCovers('microsoft.directory/groupsAssignableToRoles/allProperties/allTasks', 'microsoft.directory/groupsAssignableToRoles/allProperties/update')).toBe(true);
    expect(actionCovers('Microsoft.Directory/Groups/Members/Update', 'microsoft.directory/groups/members/update')).toBe(true);
    expect(actionCovers('microsoft.directory/groups/allProperties/read', 'microsoft.directory/groups/members/update')).toBe(false);
    expect(actionCovers('microsoft.directory/groups.unified/members/update', 'microsoft.directory/groups/members/update')).toBe(false);
    expect(actionCovers('microsoft.azure.serviceHealth/allEntities/allTasks', 'microsoft.directory/groups/members/update')).toBe(false);
  });
  it('skips conditioned permissions ($ResourceIsSelf: objects the holder owns, judged as an owner)', () => {
    expect(caps(definition('c', ['microsoft.directory/groups/members/update'], '$ResourceIsSelf'))).toEqual([]);
  });
});

describe('the controlPlane collection on the demo', () => {
  const a = analyzeDemo();
  it('has one item per (holder, way), each kind', () => {
    // Credential resets have a test of their own.
    expect(items(a).filter((i) => i.data.kind !== 'credential-reset').map((i) => [i.data.kind, i.data.holder, i.data.assignment])).toEqual([
      ['entra-role', TOM, 'active'],
      ['entra-role', UMA, 'eligible'],
      ['app-owner', VICTOR, 'ownership'],
      ['workload-identity', 'hr-sync', 'appPermission'],
      ['workload-identity-owner', WENDY, 'ownership'],
    ]);
    // Access packages are a collection of their own (accessPackages: test/access-package-control-plane.test.ts).
    expect(a.resources.accessPackages!.length).toBeGreaterThan(0);
  });
  it('a standing Groups Administrator reaches every path through the (non role-assignable) groups, nothing else', () => {
    const tom = one(a, TOM);
    const throughGroups = a.accessPaths.flatMap((p, i) => (p.group && p.groupDetail?.source === 'entra' ? [i] : []));
    expect(tom.paths).toEqual(throughGroups);
    expect(tom.data).toMatchObject({ standing: true, window: null, controls: null, capabilities: ['group-members', 'group-owners'], reachKnown: true, reachesAdminInProd: true, groupCount: 9 });
    expect(tom.ref).toMatchObject({ type: 'roleAssignment', pointer: '/entra/directoryRoles/data/assignments/0' });
  });
  it('an eligible Privileged Role Administrator: every path, the role policy as controls, a window with provenance', () => {
    const uma = one(a, UMA);
    expect(uma.paths).toHaveLength(a.accessPaths.length);
    expect(uma.data.controls).toMatchObject({ approvalRequired: false, mfaOnActivation: false, activationMaximum: 'PT8H' });
    const w = uma.data.window as { total: string; terms: Record<string, { value: string; provenance: { source: string } }> };
    // 8 h activation + 40 min provisioning + 8 h portal (default) + the longest session among the paths.
    const longest = Math.max(...a.accessPaths.map((p) => Number(/PT(\d+)H/.exec(p.permissionSetDetail.sessionDuration)?.[1] ?? 0)));
    expect(w.terms.activation!.value).toBe('PT8H');
    expect(w.terms.activation!.provenance.source).toContain('directory role "Privileged Role Administrator"');
    expect(w.terms.permissionSetSession!.value).toBe(`PT${longest}H`);
    expect(w.total).toBe(`P1DT${16 + longest - 24}H40M`);
  });
  it('owners and workload identities: standing, with their reach', () => {
    expect(one(a, VICTOR).data).toMatchObject({ ownerOf: 'servicePrincipal', holdsDirectoryRole: false, capabilities: ['app'], pathCount: a.accessPaths.length });
    expect(one(a, 'hr-sync').data).toMatchObject({ graphPermissions: ['GroupMember.ReadWrite.All'], capabilities: ['group-members', 'group-owners'] });
    expect(one(a, WENDY).data).toMatchObject({ ownerOf: 'workloadIdentity', workloadIdentity: { displayName: 'hr-sync', ownerCount: 1 } });
  });
  it('holders with the same reach share one array: every path is the collection-wide array of all paths', () => {
    expect(one(a, TOM).paths).toBe(one(a, 'hr-sync').paths);
    expect(one(a, TOM).paths).toBe(one(a, WENDY).paths);
    expect(one(a, UMA).paths).toBe(one(a, VICTOR).paths);
    expect(one(a, UMA).paths).toBe(a.resources.conditionalAccessCoverage![0]!.paths);
  });
});

describe('scopes and role-assignable groups', () => {
  it("a Groups Administrator does not reach a role-assignable group; a Privileged Role Administrator does", () => {
    let groupId = '';
    const a = analyzeDemo((s) => {
      const g = s.entra.groups.data!.find((x) => x.displayName === 'AWS - Prod Admins')!;
      g.isAssignableToRole = true;
      groupId = g.id;
    });
    const through = a.accessPaths.flatMap((p, i) => (p.group?.id === groupId ? [i] : []));
    expect(through.length).toBeGreaterThan(0);
    const tom = one(a, TOM);
    expect(tom.data.groupCount).toBe(8);
    expect(through.some((i) => tom.paths!.includes(i))).toBe(false);
    expect(through.every((i) => one(a, UMA).paths!.includes(i))).toBe(true);
  });
  it('an administrative-unit scope: reach unknown, never nothing', () => {
    const a = analyzeDemo((s) => {
      s.entra.directoryRoles!.data!.assignments[0]!.directoryScopeId = '/administrativeUnits/au-7';
    });
    const tom = one(a, TOM);
    expect(tom.paths).toEqual([]);
    expect(tom.data).toMatchObject({ reachKnown: false, scopeKind: 'administrativeUnit', groupCount: null });
    expect(tom.data.reachSummary).toBe('unknown (scoped to administrative unit au-7, whose members were not collected)');
  });
  it("an administrative unit whose members were read: the paths through the app's groups in it", () => {
    let prodAdmins = '';
    let readOnly = '';
    const withUnit = (groupIds: (s: Snapshot) => string[] | null, assignable = false) =>
      analyzeDemo((s) => {
        const groups = s.entra.groups.data!;
        prodAdmins = groups.find((x) => x.displayName === 'AWS - Prod Admins')!.id;
        readOnly = groups.find((x) => x.id !== prodAdmins)!.id;
        if (assignable) groups.find((x) => x.id === prodAdmins)!.isAssignableToRole = true;
        const roles = s.entra.directoryRoles!.data!;
        roles.assignments[0]!.directoryScopeId = '/administrativeUnits/au-7';
        const ids = groupIds(s);
        roles.administrativeUnits = [{ id: 'AU-7', groupIds: ids, unreadReason: ids ? null : '403 Authorization_RequestDenied: Insufficient privileges to complete the operation.' }];
      });
    // The unit holds one of the app's groups (id in another case) and a group that is not the app's.
    const a = withUnit(() => [prodAdmins.toUpperCase(), '00000000-0000-4000-a000-00000000cafe']);
    const tom = one(a, TOM);
    expect(tom.paths!.length).toBeGreaterThan(0);
    expect(tom.paths).toEqual(a.accessPaths.flatMap((p, i) => (p.group?.id === prodAdmins ? [i] : [])));
    expect(tom.data).toMatchObject({ reachKnown: true, scopeKind: 'administrativeUnit', groupCount: 1 });
    // Two of the app's groups: the paths through either.
    const two = withUnit(() => [prodAdmins, readOnly]);
    expect(one(two, TOM).paths).toEqual(two.accessPaths.flatMap((p, i) => (p.group && [prodAdmins, readOnly].includes(p.group.id) ? [i] : [])));
    expect(one(two, TOM).data.groupCount).toBe(2);
    // A Groups Administrator over the unit still cannot change a role-assignable group in it.
    expect(byHolder(withUnit(() => [prodAdmins], true), TOM)).toEqual([]);
    // None of the app's groups in the unit: no way around the JIT.
    expect(byHolder(withUnit(() => ['00000000-0000-4000-a000-00000000cafe']), TOM)).toEqual([]);
    expect(byHolder(withUnit(() => []), TOM)).toEqual([]);
    // Not read: unknown, with why, never nothing.
    const unread = one(withUnit(() => null), TOM);
    expect(unread.paths).toEqual([]);
    expect(unread.data).toMatchObject({ reachKnown: false, groupCount: null });
    expect(unread.data.reachSummary).toBe(
      'unknown (scoped to administrative unit au-7, whose members could not be read (403 Authorization_RequestDenied: Insufficient privileges to complete the operation.))',
    );
  });
  it('one object: a group of the app reaches its paths; another object reaches nothing of the app', () => {
    let groupId = '';
    const a = analyzeDemo((s) => {
      groupId = s.entra.groups.data!.find((x) => x.displayName === 'AWS - Prod Admins')!.id;
      s.entra.directoryRoles!.data!.assignments[0]!.directoryScopeId = `/${groupId}`;
    });
    expect(one(a, TOM).paths).toEqual(a.accessPaths.flatMap((p, i) => (p.group?.id === groupId ? [i] : [])));
    expect(one(a, TOM).data.groupCount).toBe(1);
    const b = analyzeDemo((s) => {
      s.entra.directoryRoles!.data!.assignments[0]!.directoryScopeId = '/00000000-0000-0000-0000-00000000beef';
    });
    expect(byHolder(b, TOM)).toEqual([]);
  });
  it('an eligible role being activated is the eligibility (activeNow), not a standing assignment', () => {
    const a = analyzeDemo((s) => {
      const roles = s.entra.directoryRoles!.data!;
      const e = roles.eligibilities[0]!;
      roles.assignments.push({ id: 'activation', roleDefinitionId: e.roleDefinitionId, principalId: e.principalId, directoryScopeId: e.directoryScopeId, principal: e.principal });
    });
    expect(byHolder(a, UMA).map((i) => [i.data.assignment, i.data.activeNow])).toEqual([['eligible', true]]);
  });
  it('an eligibility that has ended is no way in; an activation left without it stays, standing and said', () => {
    const ended = (s: Snapshot) => {
      s.entra.directoryRoles!.data!.eligibilities[0]!.scheduleInfo.expiration = { type: 'afterDateTime', endDateTime: '2026-09-01T00:00:00Z', duration: null };
    };
    const a = analyzeDemo((s) => {
      ended(s);
      s.entra.directoryRoles!.data!.assignments = s.entra.directoryRoles!.data!.assignments.filter((x) => x.assignmentType !== 'activated');
    });
    expect(byHolder(a, UMA)).toEqual([]);
    const b = analyzeDemo(ended);
    expect(one(b, UMA).data).toMatchObject({ standing: true, assignment: 'active' });
    expect(one(b, UMA).data.how).toBe('holds directory role Privileged Role Administrator (activated until 2026-10-01T13:30:00Z, but no eligibility for it was found: judged as standing)');
  });
  it('Application.ReadWrite.OwnedBy reaches the app only when the workload identity owns it', () => {
    const a = analyzeDemo((s) => {
      s.entra.workloadIdentities!.data!.servicePrincipals[0]!.permissions = ['Application.ReadWrite.OwnedBy'];
    });
    expect(byHolder(a, 'hr-sync')).toEqual([]);
    const b = analyzeDemo((s) => {
      const sp = s.entra.workloadIdentities!.data!.servicePrincipals[0]!;
      sp.permissions = ['Application.ReadWrite.OwnedBy'];
      s.entra.appOwners!.data!.servicePrincipalOwners.push({ id: sp.id, type: 'servicePrincipal', displayName: 'hr-sync', userPrincipalName: null, appId: sp.appId });
    });
    expect(byHolder(b, 'hr-sync').map((i) => i.data.kind)).toEqual(['app-owner', 'workload-identity']);
    expect(byHolder(b, 'hr-sync')[1]!.data.capabilities).toEqual(['app']);
  });
});

describe('sections', () => {
  it('absent (an older snapshot): no item and nothing incomplete', () => {
    const a = analyzeDemo((s) => {
      delete s.entra.directoryRoles;
      delete s.entra.appOwners;
      delete s.entra.workloadIdentities;
      delete s.entra.accessPackages;
    });
    expect(items(a)).toEqual([]);
    expect(a.incomplete.filter((x) => x.startsWith('entra.directoryRoles'))).toEqual([]);
  });
  it('asked for and not read: incomplete, and the control-plane rules hold the gate', () => {
    const result = audit((s) => {
      s.entra.directoryRoles = { provenance: { status: 'missing', error: { status: 403, code: 'Forbidden', message: 'no' }, fix: 'RoleManagement.Read.Directory' }, data: null };
    });
    expect(result.analysis.incomplete).toContain('entra.directoryRoles');
    expect(blockingIncomplete(result.rules.filter((r) => r.def.resource === 'controlPlane'), result.analysis.incomplete)).toEqual(['entra.directoryRoles']);
    // Owners are still judged; "holds no directory role" is unknown, not false.
    expect(byHolder(result.analysis, VICTOR)[0]!.data.holdsDirectoryRole).toBeNull();
    expect(result.findings.some((f) => f.finding.ruleId === 'app-owner-not-admin')).toBe(false);
  });
});

describe('reports', () => {
  const result = audit();
  const report = reportOf(result);
  const cp = (rule: string) => report.findings.filter((f: { ruleId: string }) => f.ruleId === rule);
  it('findings of every control-plane rule, with their impact', () => {
    expect(cp('control-plane-standing').map((f: { object: { name: string } }) => f.object.name)).toEqual([
      `${TOM}: Groups Administrator (tenant-wide)`,
      `${WENDY}: owner of workload identity hr-sync`,
    ]);
    expect(cp('control-plane-standing')[0].severity).toBe('critical');
    expect(cp('control-plane-jit-weak-activation')).toHaveLength(1);
    expect(cp('app-owner-not-admin')).toHaveLength(1);
    expect(cp('workload-identity-can-write')).toHaveLength(1);
  });
  it('report.json: "every path through these groups" or "every path but these", whichever is shorter, instead of the positions; "all" for everything; valid against the schema', () => {
    const written = report.findings.find((f: { ruleId: string }) => f.ruleId === 'workload-identity-can-write').impact.paths;
    const entraGroups = Object.keys(report.groups).filter((id) => result.analysis.accessPaths.some((p) => p.group?.id === id && p.groupDetail?.source === 'entra'));
    // Every path but three: shorter than the nine groups it goes through.
    expect(written).toEqual({ except: expect.any(Array) });
    expect(JSON.stringify(written).length).toBeLessThan(JSON.stringify({ groups: entraGroups }).length);
    // The paths left out are exactly those the holder cannot take over.
    const positions = report.accessPaths.flatMap((_: unknown, i: number) => (written.except.includes(i) ? [] : [i]));
    expect(positions).toEqual([...one(result.analysis, 'hr-sync').paths!]);
    const groupsForm = report.findings.find((f: { impact?: { paths: unknown } }) => typeof f.impact?.paths === 'object' && f.impact.paths !== null && 'groups' in f.impact.paths);
    expect(groupsForm).toBeDefined();
    expect(cp('app-owner-not-admin')[0].impact.paths).toBe('all');
    const validate = validatorFor(ReportSchema);
    expect(validate(report)).toBe(true);
  });
  it('report.json keeps positions for findings of other collections about groups', () => {
    const groupFinding = report.findings.find((f: { object: { type: string }; impact?: { paths: unknown } }) => f.object.type === 'group' && Array.isArray(f.impact?.paths) && f.impact.paths.length > 1);
    expect(groupFinding).toBeDefined();
  });
  it('explain --user lists the person\'s ways around the JIT', () => {
    const text = explain(result, demoSnapshot(), { user: UMA });
    expect(text).toContain('no access path');
    expect(text).toContain('Ways around the JIT (1)');
    expect(text).toContain('eligible for directory role Privileged Role Administrator (activated until 2026-10-01T13:30:00Z) (scope /)');
    expect(text).toContain('approval no, MFA no, activation up to 8 h');
    expect(text).toContain('HIGH control-plane-jit-weak-activation');
  });
  it('the HTML section: worst first, standing before eligible', () => {
    const section = renderControlPlane(result).toString();
    const order = [VICTOR, 'hr-sync', TOM, WENDY, UMA].map((h) => section.indexOf(`>${h}<`));
    expect(order.every((x) => x > 0)).toBe(true);
    expect(order[4]).toBeGreaterThan(Math.max(...order.slice(0, 4)));
    expect(section).toContain('after one activation (eligible)');
  });
  it('the HTML section escapes a hostile holder', () => {
    const hostile = '<img src=x onerror="alert(1)">';
    const r = audit((s) => {
      const p = s.entra.directoryRoles!.data!.assignments[0]!.principal!;
      p.userPrincipalName = hostile;
      p.displayName = `</script><script>alert(2)</script>`;
      s.entra.workloadIdentities!.data!.servicePrincipals[0]!.displayName = hostile;
    });
    const section = renderControlPlane(r).toString();
    expect(section).not.toContain('<img');
    expect(section).not.toContain('<script>');
    expect(section).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
  });
  it('the HTML section says when nothing was asked for', () => {
    const r = audit((s) => {
      delete s.entra.directoryRoles;
      delete s.entra.appOwners;
      delete s.entra.workloadIdentities;
    });
    expect(renderControlPlane(r).toString()).toContain('Not assessed');
  });
});

describe('a directory role held by a group is held by its members and owners', () => {
  const GROUP = 'aa000000-0000-4000-a000-00000000f00d';
  const user = (id: string, name: string) => ({ id, type: 'user', displayName: name, userPrincipalName: `${name}@northwind.example`, appId: null });
  const MEMBER = user('aa000000-0000-4000-a000-000000000a01', 'mia');
  const OWNER = user('aa000000-0000-4000-a000-000000000a02', 'oscar');
  const NESTED = { id: 'aa000000-0000-4000-a000-000000000a03', type: 'group', displayName: 'Nested Group', userPrincipalName: null, appId: null };
  const groupPrincipal = { id: GROUP, type: 'group', displayName: 'Role Admins', userPrincipalName: null, appId: null };
  type Roles = NonNullable<Snapshot['entra']['directoryRoles']>['data'] & object;
  const asGroup = (which: 'assignments' | 'eligibilities', holders: Roles['groupHolders']) =>
    analyzeDemo((s) => {
      const roles = s.entra.directoryRoles!.data!;
      const a = roles[which][0]!;
      a.principalId = GROUP;
      a.principal = groupPrincipal;
      if (holders) roles.groupHolders = holders;
      else delete roles.groupHolders;
    });
  const read = [{ groupId: GROUP, members: [MEMBER, NESTED], owners: [OWNER], unreadReason: null }];

  it("an app owner who holds a role through a group is an admin; one who may be in an unread group's list is unknown", () => {
    const victor = one(analyzeDemo(), VICTOR).data.principal as typeof MEMBER;
    expect(one(asGroup('assignments', read), VICTOR).data.holdsDirectoryRole).toBe(false);
    expect(one(asGroup('assignments', [{ ...read[0]!, members: [MEMBER, victor] }]), VICTOR).data.holdsDirectoryRole).toBe(true);
    expect(one(asGroup('assignments', [{ ...read[0]!, owners: [victor] }]), VICTOR).data.holdsDirectoryRole).toBe(true);
    expect(one(asGroup('assignments', [{ ...read[0]!, members: null, unreadReason: '403 Forbidden' }]), VICTOR).data.holdsDirectoryRole).toBeNull();
    expect(one(asGroup('assignments', undefined), VICTOR).data.holdsDirectoryRole).toBeNull();
  });

  it('a member of a group with an active role: a standing holder item naming the group, same role, scope and shared reach', () => {
    const a = asGroup('assignments', read);
    const group = one(a, 'Role Admins');
    expect(group.data.how).toBe('holds directory role Groups Administrator (a group: its 2 members and 1 owner are named as holders)');
    const mia = one(a, 'mia@northwind.example');
    expect(mia.paths).toBe(group.paths);
    expect(mia.data).toMatchObject({ kind: 'entra-role', standing: true, assignment: 'active', holdsDirectoryRole: true, role: group.data.role, scope: group.data.scope, capabilities: group.data.capabilities, reachesAdminInProd: true });
    expect(mia.data.how).toBe('holds directory role Groups Administrator via group Role Admins');
    expect(mia.ref).toMatchObject({ type: 'roleAssignment', id: `${group.ref.id}/members/${MEMBER.id}`, pointer: '/entra/directoryRoles/data/groupHolders/0/members/0', principal: { upn: 'mia@northwind.example' } });
    // A nested group is named as a holder, not expanded (one level).
    expect(one(a, 'Nested Group').data.how).toContain('via group Role Admins');
  });

  it('an owner of the group can add themselves: a standing holder item too', () => {
    const a = asGroup('assignments', read);
    const oscar = one(a, 'oscar@northwind.example');
    expect(oscar.data).toMatchObject({ standing: true, window: null, holdsDirectoryRole: true });
    expect(oscar.data.how).toBe('owner of group Role Admins, which holds directory role Groups Administrator (can add themselves)');
    expect(oscar.ref).toMatchObject({ id: `${one(a, 'Role Admins').ref.id}/owners/${OWNER.id}`, pointer: '/entra/directoryRoles/data/groupHolders/0/owners/0' });
  });

  it('a member of an eligible group: JIT, with the same window as the group', () => {
    const a = asGroup('eligibilities', read);
    const group = one(a, 'Role Admins');
    const mia = one(a, 'mia@northwind.example');
    expect(mia.data).toMatchObject({ standing: false, assignment: 'eligible', controls: group.data.controls });
    expect(mia.data.window).toEqual(group.data.window);
    expect(mia.data.window).not.toBeNull();
    expect(mia.ref.type).toBe('roleEligibility');
  });

  it('members not read: only the group item, saying why; not collected (older snapshot): the same, said so', () => {
    const reason = 'members: 403 Authorization_RequestDenied: Insufficient privileges to complete the operation.; owners: 403 Authorization_RequestDenied: Insufficient privileges to complete the operation.';
    const a = asGroup('assignments', [{ groupId: GROUP, members: null, owners: null, unreadReason: reason }]);
    const mine = items(a).filter((i) => i.ref.id.startsWith(one(a, 'Role Admins').ref.id));
    expect(mine.map((i) => i.data.holder)).toEqual(['Role Admins']);
    expect(mine[0]!.data.how).toBe(`holds directory role Groups Administrator (a group: the group is the only holder named; not read: ${reason})`);
    const b = asGroup('assignments', undefined);
    expect(byHolder(b, 'Role Admins')[0]!.data.how).toContain('its members and owners were not collected');
    expect(byHolder(b, 'mia@northwind.example')).toEqual([]);
  });

  it('each holder through the group is its own finding (distinct fingerprints)', () => {
    const result = audit((s) => {
      const roles = s.entra.directoryRoles!.data!;
      roles.assignments[0]!.principalId = GROUP;
      roles.assignments[0]!.principal = groupPrincipal;
      roles.groupHolders = read;
    });
    const standing = result.findings.map((f) => f.finding).filter((f) => f.ruleId === 'control-plane-standing');
    expect(standing.map((f) => f.object.name).filter((n) => n.includes('Role Admins')).length).toBe(4);
    expect(new Set(standing.map((f) => f.fingerprint)).size).toBe(standing.length);
  });
});

describe('activated or standing (roleAssignmentScheduleInstances)', () => {
  const GA = '62e90394-69f5-4237-9190-012177145e10';
  const GROUP = 'aa000000-0000-4000-a000-00000000f00d';
  const MIA = { id: 'aa000000-0000-4000-a000-000000000a01', type: 'user', displayName: 'mia', userPrincipalName: 'mia@northwind.example', appId: null };
  const groupPrincipal = { id: GROUP, type: 'group', displayName: 'GA Eligible', userPrincipalName: null, appId: null };
  /** A Global Administrator eligibility held by a role group, mia a member who activated it for an hour. */
  const gaThroughGroup = (assignmentType: 'activated' | 'assigned' | undefined) => (s: Snapshot) => {
    const roles = s.entra.directoryRoles!.data!;
    roles.definitions.push({ id: GA, displayName: 'Global Administrator', isBuiltIn: true, isEnabled: true, templateId: GA, rolePermissions: [{ allowedResourceActions: ['microsoft.directory/groups/allProperties/allTasks', 'microsoft.directory/roleAssignments/allProperties/allTasks'], condition: null }] });
    roles.eligibilities.push({ ...roles.eligibilities[0]!, id: 're-ga-group', roleDefinitionId: GA, principalId: GROUP, principal: groupPrincipal });
    roles.policies.push({ ...roles.policies[0]!, roleDefinitionId: GA });
    roles.groupHolders = [{ groupId: GROUP, members: [MIA], owners: [], unreadReason: null }];
    const activation = { id: 'ra-mia-ga', roleDefinitionId: GA, principalId: MIA.id, directoryScopeId: '/', principal: MIA };
    roles.assignments.push(assignmentType === undefined ? activation : { ...activation, assignmentType, endDateTime: '2026-10-01T07:00:00Z' });
  };
  const standingFor = (result: AuditResult, name: string) =>
    result.findings.map((f) => f.finding).filter((f) => f.ruleId === 'control-plane-standing' && f.object.name.startsWith(name));

  it('a Global Administrator activated for an hour (eligible through a role group) is JIT in use, not standing: no control-plane-standing', () => {
    const result = audit(gaThroughGroup('activated'));
    const mia = byHolder(result.analysis, 'mia@northwind.example');
    expect(mia.map((i) => [i.data.assignment, i.data.standing, i.data.activeNow])).toEqual([['eligible', false, true]]);
    expect(mia[0]!.data.how).toBe('eligible for directory role Global Administrator via group GA Eligible (activated now)');
    expect(standingFor(result, 'mia@')).toEqual([]);
  });

  it('Graph says Assigned: standing, even beside an eligibility of the same holder, role and scope', () => {
    const a = analyzeDemo((s) => {
      const roles = s.entra.directoryRoles!.data!;
      const activation = roles.assignments.find((x) => x.assignmentType === 'activated')!;
      activation.assignmentType = 'assigned';
      activation.endDateTime = null;
    });
    expect(byHolder(a, UMA).map((i) => [i.data.assignment, i.data.activeNow])).toEqual([['active', false], ['eligible', false]]);
  });

  it('an older snapshot (no assignment type): as before, read as standing, and the item says what was assumed', () => {
    const result = audit(gaThroughGroup(undefined));
    const mia = byHolder(result.analysis, 'mia@northwind.example');
    expect(mia.map((i) => i.data.assignment).sort()).toEqual(['active', 'eligible']);
    expect(mia.find((i) => i.data.standing)!.data.how).toBe('holds directory role Global Administrator (activations not told apart in this snapshot: read as standing)');
    expect(standingFor(result, 'mia@').length).toBe(1);
    const tom = one(analyzeDemo((s) => {
      for (const x of s.entra.directoryRoles!.data!.assignments) {
        delete x.assignmentType;
        delete x.endDateTime;
      }
    }), TOM);
    expect(tom.data.how).toContain('read as standing');
  });
});

describe('PIM for Groups on a role-holding group: its eligible members and owners are JIT holders', () => {
  const GROUP = 'aa000000-0000-4000-a000-00000000f00d';
  const user = (id: string, name: string) => ({ id, type: 'user', displayName: name, userPrincipalName: `${name}@northwind.example`, appId: null });
  const MIA = user('aa000000-0000-4000-a000-000000000a01', 'mia');
  const OSCAR = user('aa000000-0000-4000-a000-000000000a02', 'oscar');
  const PAT = user('aa000000-0000-4000-a000-000000000a03', 'pat');
  const groupPrincipal = { id: GROUP, type: 'group', displayName: 'Role Admins', userPrincipalName: null, appId: null };
  const schedule = (end: string | null) => ({ startDateTime: '2026-01-01T00:00:00Z', expiration: end ? { type: 'afterDateTime', endDateTime: end, duration: null } : { type: 'noExpiration', endDateTime: null, duration: null } });
  const eligibility = (p: typeof MIA, accessId: 'member' | 'owner', end: string | null = null) => ({
    id: `${GROUP}_${accessId}_${p.id}`, groupId: GROUP, principalId: p.id, accessId, memberType: 'Direct', status: 'Provisioned', createdDateTime: '2026-01-01T00:00:00Z', scheduleInfo: schedule(end), principal: p,
  });
  type Pim = NonNullable<NonNullable<NonNullable<Snapshot['entra']['directoryRoles']>['data']>['groupHolders']>[number]['pim'];
  const withPim = (pim: Pim) => (s: Snapshot) => {
    const roles = s.entra.directoryRoles!.data!;
    const tom = roles.assignments[0]!;
    tom.principalId = GROUP;
    tom.principal = groupPrincipal;
    roles.groupHolders = [{ groupId: GROUP, members: [], owners: [], unreadReason: null, ...(pim ? { pim } : {}) }];
  };
  /** The group's member policy: the demo role policy's rules (no approval, no MFA) with a 2-hour activation. */
  const memberPolicy = (s: Snapshot) => {
    const rules = s.entra.directoryRoles!.data!.policies[0]!.rules.map((r) => (r.id === 'Expiration_EndUser_Assignment' ? { ...r, maximumDuration: 'PT2H' } : r));
    return { groupId: GROUP, roleDefinitionId: 'member' as const, policyId: 'Group_pol_member', rules };
  };
  const read = (s: Snapshot) => withPim({ eligibilities: [eligibility(MIA, 'member'), eligibility(OSCAR, 'owner'), eligibility(PAT, 'member', '2026-09-01T00:00:00Z')], policies: [memberPolicy(s)], unreadReason: null })(s);

  it("a PIM-eligible member holds the group's role after one activation: JIT, with the group policy's window; an ended eligibility is none", () => {
    const a = analyzeDemo(read);
    const group = one(a, 'Role Admins');
    expect(group.data.how).toContain('3 PIM for Groups eligibilities read');
    const mia = one(a, 'mia@northwind.example');
    expect(mia.paths).toBe(group.paths);
    expect(mia.data).toMatchObject({ kind: 'entra-role', standing: false, assignment: 'eligible', activeNow: false, holdsDirectoryRole: true, role: group.data.role, controls: { approvalRequired: false, activationMaximum: 'PT2H' } });
    expect(mia.data.how).toBe('eligible (PIM for Groups) for membership of group Role Admins, which holds directory role Groups Administrator: through group Role Admins, PIM-eligible');
    const w = mia.data.window as { terms: Record<string, { value: string | null; provenance: { source: string } }> };
    expect(w.terms.activation!.value).toBe('PT2H');
    expect(w.terms.activation!.provenance.source).toContain('PIM policy of group "Role Admins" (member)');
    expect(mia.ref).toMatchObject({ type: 'roleEligibility', id: `${group.ref.id}/pim/${GROUP}_member_${MIA.id}`, pointer: '/entra/directoryRoles/data/groupHolders/0/pim/eligibilities/0', principal: { upn: 'mia@northwind.example' } });
    // The owner-eligible can add themselves once active; the group has no owner policy here: not read counts as weak.
    const oscar = one(a, 'oscar@northwind.example');
    expect(oscar.data).toMatchObject({ standing: false, assignment: 'eligible', controls: null });
    expect(oscar.data.how).toContain('for ownership of group Role Admins');
    expect(byHolder(a, 'pat@northwind.example')).toEqual([]);
  });

  it('control-plane-jit-weak-activation judges the group PIM policy; control-plane-standing does not fire for them', () => {
    const result = audit(read);
    const byRule = (rule: string) => result.findings.map((f) => f.finding).filter((f) => f.ruleId === rule).map((f) => f.object.name);
    expect(byRule('control-plane-jit-weak-activation').filter((n) => n.startsWith('mia@') || n.startsWith('oscar@')).length).toBe(2);
    expect(byRule('control-plane-standing').filter((n) => n.startsWith('mia@') || n.startsWith('oscar@'))).toEqual([]);
  });

  it('eligibilities not read: the group says why, and someone found nowhere is unknown, not "no role"; not collected (older snapshot): as before', () => {
    const a = analyzeDemo(withPim({ eligibilities: null, policies: [], unreadReason: 'eligibilities: 403 Forbidden: no' }));
    expect(one(a, 'Role Admins').data.how).toContain('PIM-eligible members and owners not read: eligibilities: 403 Forbidden: no');
    expect(one(a, VICTOR).data.holdsDirectoryRole).toBeNull();
    const b = analyzeDemo(withPim(undefined));
    expect(one(b, 'Role Admins').data.how).toBe('holds directory role Groups Administrator (a group: its 0 members and 0 owners are named as holders)');
    expect(one(b, VICTOR).data.holdsDirectoryRole).toBe(false);
  });
});
