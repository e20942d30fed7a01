// Who can get around PIM for Groups — the collection: directory roles (definitions, assignments,
// eligibilities, the PIM policy of each eligible role), the AWS app's owners, and the workload
// identities holding Microsoft Graph write permissions. Normalisers on Graph's documented samples,
// the collector against the fake Graph (paging, 403 → missing with the permission, 404 gallery app),
// and the optional sections in the snapshot (absent = not asked for).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { principalsOf } from '../src/collect/entra/directory-principal.js';
import {
  administrativeUnitOf,
  groupHolderPath,
  roleHoldingGroups,
  mapAdministrativeUnitGroups,
  mapGroupEligibilities,
  mapRoleAssignmentInstances,
  mapRoleAssignments,
  mapRoleDefinitions,
  mapRoleEligibilities,
  mapRolePolicies,
  withAssignmentTypes,
} from '../src/collect/entra/directory-roles.js';
import { GRAPH_WRITE_PERMISSIONS, writePermissionsByHolder } from '../src/collect/entra/workload-identities.js';
import { validateSnapshot } from '../src/model/load-snapshot.js';
import { ALL_SECTION_PATHS, OPTIONAL_SECTION_PATHS, presentSections } from '../src/model/snapshot-schema.js';
import { type FakeGraphOptions, type GraphScenario } from './fake-cloud/graph/server.js';
import { APP_ID, DEPLOY_BOT, EXTRA_USERS, G_ADMINS, G_READONLY, GRAPH_APP_ROLE, MS_GRAPH_SP_ID, ROLE, SP_ID, U, contoso } from './fake-cloud/graph/scenario.js';
import { demoSnapshot } from './helpers/demo.js';
import { entraAgainstFake } from './helpers/graph.js';

const fixture = <T>(name: string) => (JSON.parse(readFileSync(new URL(`./fixtures/entra/${name}`, import.meta.url), 'utf8')) as { value: T[] }).value;

const collectFromFake = entraAgainstFake();

async function collect(options: FakeGraphOptions & { scenario?: GraphScenario } = {}) {
  return collectFromFake(options.scenario ?? contoso(Date.parse('2026-10-01T06:00:00Z')), { pageSize: 1, ...options });
}

describe('normalisers on Graph documentation samples', () => {
  it('role assignments: id, role, principal, scope; the expanded principal reduced to id, type, name', () => {
    const [first] = mapRoleAssignments(fixture('role-assignments-expand-principal.json'));
    expect(first).toEqual({
      id: 'lAPpYvVpN0KRkAEhdxReEMmO4KwRqtpKkUWt3wOYIz4-1',
      roleDefinitionId: '62e90394-69f5-4237-9190-012177145e10',
      principalId: 'ace08ec9-aa11-4ada-9145-addf0398233e',
      directoryScopeId: '/',
      principal: { id: 'ace08ec9-aa11-4ada-9145-addf0398233e', type: 'user', displayName: 'Joey Cruz', userPrincipalName: null, appId: null },
    });
  });

  it('role assignment schedule instances: assigned or activated, with the end, joined to the assignments by roleAssignmentOriginId', () => {
    const doc = fixture<Record<string, unknown>>('role-assignment-schedule-instances.json');
    const instances = mapRoleAssignmentInstances(doc);
    expect(instances[0]).toEqual({
      id: 'lAPpYvVpN0KRkAEhdxReEAWz5Gtet_xOv8wxvTtTpfg-1',
      principalId: '6be4b305-b75e-4efc-bfcc-31bd3b53a5f8',
      roleDefinitionId: '62e90394-69f5-4237-9190-012177145e10',
      directoryScopeId: '/',
      assignmentType: 'assigned',
      endDateTime: null,
      roleAssignmentOriginId: 'lAPpYvVpN0KRkAEhdxReEAWz5Gtet_xOv8wxvTtTpfg-1',
    });
    const assignment = (id: string, principalId: string) => ({ id, roleDefinitionId: '62e90394-69f5-4237-9190-012177145e10', principalId, directoryScopeId: '/', principal: null });
    // The same sample's second instance as an hour's activation (the shape Graph writes for one).
    const activated = mapRoleAssignmentInstances([doc[0]!, { ...doc[1]!, assignmentType: 'Activated', startDateTime: '2026-10-01T05:00:00Z', endDateTime: '2026-10-01T06:00:00Z' }]);
    const marked = withAssignmentTypes(
      [assignment(doc[0]!.id as string, doc[0]!.principalId as string), assignment('other-id', doc[1]!.principalId as string), assignment('nobody', '00000000-0000-4000-a000-000000000001')],
      activated,
    );
    expect(marked.map((a) => [a.assignmentType, a.endDateTime])).toEqual([
      ['assigned', null],
      // No instance names it: found by holder, role and scope.
      ['activated', '2026-10-01T06:00:00.000Z'],
      // No instance at all: null (read as standing, and said).
      [null, null],
    ]);
    // An assignment type Graph does not document is not guessed.
    expect(mapRoleAssignmentInstances([{ ...doc[0]!, assignmentType: 'Something' }])[0]!.assignmentType).toBeNull();
  });

  it("PIM for Groups eligibility schedules of a role group: member or owner, the schedule normalised, the principal when expanded", () => {
    expect(mapGroupEligibilities(fixture('group-eligibility-schedules.json'))).toEqual([
      {
        id: '2b5ed229-4072-478d-9504-a047ebd4b07d_member_4cc1a00f-3e44-48ae-9bb5-fba55c9a7a5c',
        groupId: '2b5ed229-4072-478d-9504-a047ebd4b07d',
        principalId: '3cce9d87-3986-4f19-8335-7ed075408ca2',
        accessId: 'member',
        memberType: 'Direct',
        status: 'Provisioned',
        createdDateTime: '2022-04-12T14:44:50.287Z',
        scheduleInfo: { startDateTime: '2022-04-12T14:44:50.287Z', expiration: { type: 'afterDateTime', endDateTime: '2024-04-10T00:00:00.000Z', duration: null } },
        principal: null,
      },
    ]);
  });

  it('role eligibility schedules: the schedule normalised as for PIM for Groups', () => {
    expect(mapRoleEligibilities(fixture('role-eligibility-schedules.json'))).toEqual([
      {
        id: '77f71919-62f3-4d0c-9f88-0a0391b665cd',
        roleDefinitionId: '8424c6f0-a189-499e-bbd0-26c1753c96d4',
        principalId: '071cc716-8147-4397-a5ba-b2105951cc0b',
        directoryScopeId: '/',
        principal: null,
        memberType: 'Direct',
        status: 'Provisioned',
        scheduleInfo: { startDateTime: '2022-04-12T14:44:50.287Z', expiration: { type: 'afterDateTime', endDateTime: '2024-04-10T00:00:00.000Z', duration: null } },
      },
    ]);
  });

  it('role definitions: the allowed actions, sorted, and their condition', () => {
    const [helpdesk] = mapRoleDefinitions(fixture('role-definitions.json'));
    expect(helpdesk).toMatchObject({ id: '729827e3-9c14-49f7-bb1b-9608f156bbb8', displayName: 'Helpdesk Administrator', isBuiltIn: true, isEnabled: true, templateId: '729827e3-9c14-49f7-bb1b-9608f156bbb8' });
    expect(helpdesk!.rolePermissions).toHaveLength(1);
    expect(helpdesk!.rolePermissions[0]!.condition).toBeNull();
    expect(helpdesk!.rolePermissions[0]!.allowedResourceActions).toContain('microsoft.directory/users/password/update');
    expect(helpdesk!.rolePermissions[0]!.allowedResourceActions).toEqual([...helpdesk!.rolePermissions[0]!.allowedResourceActions].sort());
  });

  it("a directory role's PIM policy: 17 rules kept as Graph returns them, by id", () => {
    const role = '62e90394-69f5-4237-9190-012177145e10';
    const [policy] = mapRolePolicies(fixture('role-policy-assignments-expand-rules.json'), role);
    expect(policy!.roleDefinitionId).toBe(role);
    expect(policy!.policyId).toBe('DirectoryRole_cab01047-8ad9-4792-8e42-569340767f1b_70c808b5-0d35-4863-a0ba-07888e99d448');
    expect(policy!.rules).toHaveLength(17);
    expect(policy!.rules.map((r) => r.id)).toEqual(policy!.rules.map((r) => r.id).sort());
    expect(policy!.rules.find((r) => r.id === 'Expiration_EndUser_Assignment')).toMatchObject({ maximumDuration: 'PT8H' });
    expect(policy!.rules.find((r) => r.id === 'Enablement_EndUser_Assignment')).toMatchObject({ enabledRules: ['MultiFactorAuthentication', 'Justification'] });
    expect(policy!.rules.find((r) => r.id === 'AuthenticationContext_EndUser_Assignment')).toMatchObject({ isEnabled: false, claimValue: null });
    // Another role's assignment in the same answer is not this role's policy.
    expect(mapRolePolicies(fixture('role-policy-assignments-expand-rules.json'), 'another-role')).toEqual([]);
  });

  it('owners returned with limited information keep their id and type, names null', () => {
    expect(principalsOf(fixture('serviceprincipal-owners.json'))).toEqual(
      ['7585d967-f300-43de-b817-7119a6404c5e', '858a9c90-38b3-4e78-b915-234aece712c4', 'ce4770b3-70b2-4a38-a242-76631e9f7408'].map((id) => ({ id, type: 'user', displayName: null, userPrincipalName: null, appId: null })),
    );
  });

  it('Graph permission grants: only service principals, only write permissions, resolved through appRoles', () => {
    const doc = fixture<Record<string, string>>('approleassignedto.json');
    const roles = [{ id: GRAPH_APP_ROLE['GroupMember.ReadWrite.All'], value: 'GroupMember.ReadWrite.All' }];
    // The documented grant is to a user: never a workload identity.
    expect(writePermissionsByHolder(doc, [{ id: doc[0]!.appRoleId, value: 'GroupMember.ReadWrite.All' }]).size).toBe(0);
    const asSp = doc.map((a) => ({ ...a, principalType: 'ServicePrincipal', appRoleId: GRAPH_APP_ROLE['GroupMember.ReadWrite.All'] }));
    expect([...writePermissionsByHolder(asSp, roles)]).toEqual([['cdb555e3-b33e-4fd5-a427-17fadacbdfa7', { displayName: 'MOD Administrator', permissions: ['GroupMember.ReadWrite.All'] }]]);
    // An app role id the Graph service principal does not list is not guessed.
    expect(writePermissionsByHolder(asSp, []).size).toBe(0);
  });

  it("an administrative unit's members: only groups are kept (the documented sample lists two devices)", () => {
    const doc = fixture<Record<string, unknown>>('administrative-unit-members.json');
    expect(doc).toHaveLength(2);
    expect(mapAdministrativeUnitGroups(doc)).toEqual([]);
    // The same objects typed as groups (what the group cast returns), or with only an id ($select=id): kept, sorted, once.
    const asGroups = doc.map((m) => ({ ...m, '@odata.type': '#microsoft.graph.group' }));
    expect(mapAdministrativeUnitGroups([...asGroups, asGroups[0]!, { id: '00000000-0000-4000-a000-000000000001' }, { '@odata.type': '#microsoft.graph.group' }])).toEqual([
      '00000000-0000-4000-a000-000000000001',
      '7c06cd31-7c30-4f3b-a5c3-444cd8dd63ac',
      'c530e1f6-7b4c-4313-840e-cf1a99ec3b38',
    ]);
    expect(administrativeUnitOf('/administrativeUnits/au-1')).toBe('au-1');
    expect(administrativeUnitOf('/administrativeunits/AU-2')).toBe('AU-2');
    expect(administrativeUnitOf('/')).toBeNull();
    expect(administrativeUnitOf(`/${G_ADMINS}`)).toBeNull();
  });

  it('every kept permission says why it matters', () => {
    for (const [name, why] of Object.entries(GRAPH_WRITE_PERMISSIONS)) {
      expect(name).toMatch(/^[A-Za-z-]+\.ReadWrite\.[A-Za-z]+$/);
      expect(why.length).toBeGreaterThan(20);
    }
    expect(Object.keys(GRAPH_WRITE_PERMISSIONS)).toContain('PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup');
  });
});

describe('a role group\'s members on the Graph documentation sample', () => {
  it('direct members as principals: the id kept; no @odata.type in the sample, so kind other and no name guessed', () => {
    expect(principalsOf(fixture('group-members.json'))).toEqual([{ id: '11111111-2222-3333-4444-555555555555', type: 'other', displayName: null, userPrincipalName: null, appId: null }]);
  });
});

describe('collecting the ways around PIM for Groups against the fake Graph', () => {
  it('collects the three sections, one item per page, and only reads', async () => {
    const { entra, fake, warnings } = await collect();
    const roles = entra.directoryRoles!;
    expect(roles.provenance).toMatchObject({ status: 'collected', source: expect.stringContaining('roleAssignments') });
    expect(roles.data!.assignments.map((a) => [a.principalId, a.roleDefinitionId, a.directoryScopeId, a.principal?.userPrincipalName, a.assignmentType])).toEqual([
      [EXTRA_USERS.grace, ROLE.groupsAdmin, '/', 'grace@contoso.example', 'assigned'],
      [EXTRA_USERS.ivan, ROLE.userAdmin, '/administrativeUnits/au-1', 'ivan@contoso.example', 'assigned'],
    ]);
    expect(roles.data!.eligibilities.map((e) => [e.principalId, e.roleDefinitionId, e.scheduleInfo.expiration.type])).toEqual([[EXTRA_USERS.heidi, ROLE.privilegedRoleAdmin, 'afterDateTime']]);
    // Only the roles someone holds or may activate (Helpdesk Administrator is held by nobody).
    expect(roles.data!.definitions.map((d) => d.displayName)).toEqual(['Privileged Role Administrator', 'Groups Administrator', 'User Administrator']); // by id
    // The policy of the one eligible role, with its rules.
    expect(roles.data!.policies.map((p) => p.roleDefinitionId)).toEqual([ROLE.privilegedRoleAdmin]);
    expect(roles.data!.policies[0]!.rules.find((r) => r.id === 'Expiration_EndUser_Assignment')).toMatchObject({ maximumDuration: 'PT1H' });
    // ivan's unit: its one group (the user and the device in it are not groups).
    expect(roles.data!.administrativeUnits).toEqual([{ id: 'au-1', groupIds: [G_READONLY], unreadReason: null }]);

    expect(entra.appOwners!.data).toEqual({
      servicePrincipalId: SP_ID,
      appId: APP_ID,
      servicePrincipalOwners: [
        { id: U.dave, type: 'user', displayName: 'Dave', userPrincipalName: 'dave@contoso.example', appId: null },
        { id: DEPLOY_BOT, type: 'servicePrincipal', displayName: 'deploy-bot', userPrincipalName: null, appId: 'ee000000-0000-4000-a000-0000000000a0' },
      ].sort((a, b) => (a.id < b.id ? -1 : 1)),
      applicationObject: 'notInTenant',
      applicationOwners: [],
    });
    expect(warnings.some((w) => w.section === 'entra.appOwners' && w.message.includes('404'))).toBe(true);

    expect(entra.workloadIdentities!.data).toEqual({
      graphServicePrincipalId: MS_GRAPH_SP_ID,
      servicePrincipals: [
        {
          id: DEPLOY_BOT, appId: 'ee000000-0000-4000-a000-0000000000a0', displayName: 'deploy-bot', accountEnabled: true, servicePrincipalType: 'Application',
          permissions: ['GroupMember.ReadWrite.All'], // User.Read.All is granted too, and is no write
          owners: [{ id: U.erin, type: 'user', displayName: 'Erin', userPrincipalName: 'erin@contoso.example', appId: null }],
        },
      ],
    });

    const mine = fake.requests.filter((r) => /roleManagement|\/owners|roleManagementPolicyAssignments.*DirectoryRole|00000003-0000|appRoleAssignedTo/.test(decodeURIComponent(r.url)));
    expect(mine.length).toBeGreaterThan(8);
    for (const r of fake.requests) expect(r.method === 'GET' || (r.method === 'POST' && r.url === '/$batch')).toBe(true);
    // Paged: one item per page means the assignments were read in two pages.
    expect(fake.requests.filter((r) => r.url.startsWith('/roleManagement/directory/roleAssignments')).length).toBe(2);
  });

  it("reads the group members of each administrative unit a role is scoped to, paged and batched; a refused unit stays unread with why", async () => {
    const scenario = contoso(Date.parse('2026-10-01T06:00:00Z'));
    const group = (id: string) => ({ '@odata.type': '#microsoft.graph.group', id, displayName: id });
    scenario.administrativeUnits = [
      { id: 'au-1', members: [{ '@odata.type': '#microsoft.graph.user', id: EXTRA_USERS.ivan }, group(G_READONLY), group(G_ADMINS)] },
      { id: 'au-2', members: [group(G_ADMINS)] },
    ];
    scenario.roleAssignments!.push({ ...scenario.roleAssignments![1]!, id: 'ra-ivan-2', directoryScopeId: '/administrativeUnits/au-2', resourceScope: '/administrativeUnits/au-2' });
    // The same unit in another case is read once.
    scenario.roleAssignments!.push({ ...scenario.roleAssignments![1]!, id: 'ra-ivan-3', directoryScopeId: '/administrativeUnits/AU-1', resourceScope: '/administrativeUnits/AU-1' });
    const { entra, fake, warnings } = await collect({ scenario, responses: [{ path: '/directory/administrativeUnits/au-2/', status: 403 }] });
    const roles = entra.directoryRoles!;
    expect(roles.provenance.status).toBe('collected');
    expect(roles.data!.administrativeUnits).toEqual([
      { id: 'au-1', groupIds: [G_ADMINS, G_READONLY].sort(), unreadReason: null },
      { id: 'au-2', groupIds: null, unreadReason: '403 Authorization_RequestDenied: Insufficient privileges to complete the operation.' },
    ]);
    expect(warnings.some((w) => w.section === 'entra.directoryRoles' && w.message.includes('au-2') && w.message.includes('AdministrativeUnit.Read.All'))).toBe(true);
    const unitReads = fake.requests.filter((r) => r.url.startsWith('/directory/administrativeUnits/'));
    // One item per page: au-1's two groups take two pages (the first in a $batch, the next link direct); au-2 once.
    expect(unitReads.map((r) => [r.url.split('?')[0], r.inBatch])).toEqual([
      ['/directory/administrativeUnits/au-1/members/microsoft.graph.group', true],
      ['/directory/administrativeUnits/au-2/members/microsoft.graph.group', true],
      ['/directory/administrativeUnits/au-1/members/microsoft.graph.group', false],
    ]);
    expect(unitReads[0]!.url).toContain('$select=id');
  });

  it('reads the members and owners of each group that holds a role, paged and batched; a refused read keeps the group with why', async () => {
    const scenario = contoso(Date.parse('2026-10-01T06:00:00Z'));
    const ROLE_GROUP = 'cc000000-0000-4000-a000-000000000001';
    const LOCKED_GROUP = 'cc000000-0000-4000-a000-000000000002';
    const userObj = (id: string, name: string) => ({ '@odata.type': '#microsoft.graph.user', id, displayName: name, userPrincipalName: `${name.toLowerCase()}@contoso.example` });
    const groupObj = (id: string, name: string) => ({ '@odata.type': '#microsoft.graph.group', id, displayName: name });
    const roleGroup = (id: string, name: string, members: Record<string, unknown>[], owners: Record<string, unknown>[]) =>
      ({ id, displayName: name, description: name, securityEnabled: true, isAssignableToRole: true, onPremisesSyncEnabled: null, membershipRule: null, mailEnabled: false, members, owners });
    scenario.groups.push(
      roleGroup(ROLE_GROUP, 'Role Admins', [userObj(EXTRA_USERS.grace, 'Grace'), userObj(EXTRA_USERS.ivan, 'Ivan')], [userObj(EXTRA_USERS.heidi, 'Heidi')]),
      roleGroup(LOCKED_GROUP, 'Locked', [userObj(EXTRA_USERS.grace, 'Grace')], []),
    );
    scenario.roleAssignments!.push(
      { ...scenario.roleAssignments![0]!, id: 'ra-group', principalId: ROLE_GROUP, principal: groupObj(ROLE_GROUP, 'Role Admins') },
      // The same group again (another role, the id in upper case): read once.
      { ...scenario.roleAssignments![0]!, id: 'ra-group-2', roleDefinitionId: ROLE.userAdmin, principalId: ROLE_GROUP.toUpperCase(), principal: groupObj(ROLE_GROUP.toUpperCase(), 'Role Admins') },
    );
    scenario.roleEligibilitySchedules!.push({ ...scenario.roleEligibilitySchedules![0]!, id: 're-locked', principalId: LOCKED_GROUP, principal: groupObj(LOCKED_GROUP, 'Locked') });
    const { entra, fake, warnings } = await collect({ scenario, responses: [{ path: `/groups/${LOCKED_GROUP}/members`, status: 403 }] });
    const roles = entra.directoryRoles!;
    expect(roles.provenance.status).toBe('collected');
    const person = (id: string, name: string) => ({ id, type: 'user', displayName: name, userPrincipalName: `${name.toLowerCase()}@contoso.example`, appId: null });
    const noPim = { eligibilities: [], policies: [], unreadReason: null };
    expect(roles.data!.groupHolders).toEqual([
      { groupId: ROLE_GROUP, members: [person(EXTRA_USERS.grace, 'Grace'), person(EXTRA_USERS.ivan, 'Ivan')], owners: [person(EXTRA_USERS.heidi, 'Heidi')], unreadReason: null, pim: noPim },
      { groupId: LOCKED_GROUP, members: null, owners: [], unreadReason: 'members: 403 Authorization_RequestDenied: Insufficient privileges to complete the operation.', pim: noPim },
    ]);
    expect(warnings.some((w) => w.section === 'entra.directoryRoles' && w.message.includes(LOCKED_GROUP) && w.message.includes('GroupMember.Read.All'))).toBe(true);
    const reads = fake.requests.filter((r) => r.url.startsWith('/groups/cc000000-'));
    // One item per page: the role group's two members take two pages (the first in a $batch, the next link direct).
    expect(reads.map((r) => [r.url.split('?')[0], r.inBatch])).toEqual([
      [`/groups/${ROLE_GROUP}/members`, true],
      [`/groups/${ROLE_GROUP}/owners`, true],
      [`/groups/${LOCKED_GROUP}/members`, true],
      [`/groups/${LOCKED_GROUP}/owners`, true],
      [`/groups/${ROLE_GROUP}/members`, false],
    ]);
    expect(decodeURIComponent(reads[0]!.url)).toContain('$select=id,displayName,userPrincipalName');
    for (const r of fake.requests) expect(r.method === 'GET' || (r.method === 'POST' && r.url === '/$batch')).toBe(true);
  });

  it("reads each role group's PIM for Groups eligibilities (principal expanded) and policy, batched; a refused read keeps the group with why", async () => {
    const scenario = contoso(Date.parse('2026-10-01T06:00:00Z'));
    const ROLE_GROUP = 'cc000000-0000-4000-a000-000000000001';
    const LOCKED_GROUP = 'cc000000-0000-4000-a000-000000000002';
    const groupObj = (id: string, name: string) => ({ '@odata.type': '#microsoft.graph.group', id, displayName: name });
    const roleGroup = (id: string, name: string) => ({ id, displayName: name, description: name, securityEnabled: true, isAssignableToRole: true, onPremisesSyncEnabled: null, membershipRule: null, mailEnabled: false, members: [], owners: [] });
    scenario.groups.push(roleGroup(ROLE_GROUP, 'Role Admins'), roleGroup(LOCKED_GROUP, 'Locked'));
    scenario.roleAssignments!.push(
      { ...scenario.roleAssignments![0]!, id: 'ra-group', principalId: ROLE_GROUP, principal: groupObj(ROLE_GROUP, 'Role Admins') },
      { ...scenario.roleAssignments![0]!, id: 'ra-locked', principalId: LOCKED_GROUP, principal: groupObj(LOCKED_GROUP, 'Locked') },
    );
    const schedule = { startDateTime: '2026-01-01T00:00:00Z', recurrence: null, expiration: { type: 'noExpiration', endDateTime: null, duration: null } };
    scenario.eligibilitySchedules.push({
      id: `${ROLE_GROUP}_member_grace`, groupId: ROLE_GROUP, principalId: EXTRA_USERS.grace, accessId: 'member', memberType: 'Direct', status: 'Provisioned',
      createdDateTime: '2026-01-01T00:00:00Z', createdUsing: 'x', modifiedDateTime: null, scheduleInfo: schedule,
      principal: { '@odata.type': '#microsoft.graph.user', id: EXTRA_USERS.grace, displayName: 'Grace', userPrincipalName: 'grace@contoso.example' },
    });
    const policy = scenario.policyAssignments.find((p) => p.scopeType === 'Group' && p.roleDefinitionId === 'member')!;
    scenario.policyAssignments.push({ ...policy, id: `Group_${ROLE_GROUP}_member`, scopeId: ROLE_GROUP });
    const { entra, fake, warnings } = await collect({ scenario, responses: [{ path: /^\/identityGovernance\/privilegedAccess\/group\/eligibilitySchedules/, status: 403, times: 1 }] });
    const roles = entra.directoryRoles!;
    expect(roles.provenance.status).toBe('collected');
    const [locked, group] = [LOCKED_GROUP, ROLE_GROUP].map((id) => roles.data!.groupHolders!.find((g) => g.groupId === id)!.pim!);
    // The batch sends the groups' reads in key order: the first eligibility read (the role group's) is refused.
    const refusedFirst = group!.eligibilities === null;
    const [refused, read] = refusedFirst ? [group!, locked!] : [locked!, group!];
    expect(refused).toMatchObject({ eligibilities: null, unreadReason: 'eligibilities: 403 Authorization_RequestDenied: Insufficient privileges to complete the operation.' });
    expect(read.unreadReason).toBeNull();
    expect(warnings.some((w) => w.section === 'entra.directoryRoles' && w.message.includes('PrivilegedEligibilitySchedule.Read.AzureADGroup'))).toBe(true);
    // Read again without the refusal: the role group's eligible member, named, and its member policy.
    const again = await collect({ scenario });
    const pim = again.entra.directoryRoles!.data!.groupHolders!.find((g) => g.groupId === ROLE_GROUP)!.pim!;
    expect(pim.eligibilities!.map((e) => [e.principalId, e.accessId, e.principal?.userPrincipalName])).toEqual([[EXTRA_USERS.grace, 'member', 'grace@contoso.example']]);
    expect(pim.policies!.map((p) => [p.groupId, p.roleDefinitionId])).toEqual([[ROLE_GROUP, 'member']]);
    expect(pim.policies![0]!.rules.length).toBeGreaterThan(0);
    const reads = fake.requests.filter((r) => decodeURIComponent(r.url).includes(ROLE_GROUP) && /privilegedAccess|roleManagementPolicyAssignments/.test(r.url));
    expect(reads.length).toBe(2);
    expect(reads.every((r) => r.inBatch)).toBe(true);
    expect(decodeURIComponent(reads.find((r) => r.url.includes('eligibilitySchedules'))!.url)).toContain('$expand=principal');
    for (const r of fake.requests) expect(r.method === 'GET' || (r.method === 'POST' && r.url === '/$batch')).toBe(true);
  });

  it('reads the role assignment schedule instances: an activation is marked activated with its end; a refused read fails the section', async () => {
    const scenario = contoso(Date.parse('2026-10-01T06:00:00Z'));
    const [grace, ivan] = scenario.roleAssignments!;
    scenario.roleAssignmentScheduleInstances = [
      { id: grace!.id, principalId: grace!.principalId, roleDefinitionId: grace!.roleDefinitionId, directoryScopeId: '/', appScopeId: null, startDateTime: '2026-10-01T05:00:00Z', endDateTime: '2026-10-01T06:30:00Z', assignmentType: 'Activated', memberType: 'Direct', roleAssignmentOriginId: grace!.id, roleAssignmentScheduleId: 'sched-grace' },
      { id: ivan!.id, principalId: ivan!.principalId, roleDefinitionId: ivan!.roleDefinitionId, directoryScopeId: ivan!.directoryScopeId, appScopeId: null, startDateTime: null, endDateTime: null, assignmentType: 'Assigned', memberType: 'Direct', roleAssignmentOriginId: ivan!.id, roleAssignmentScheduleId: ivan!.id },
    ];
    const { entra, fake } = await collect({ scenario });
    expect(entra.directoryRoles!.data!.assignments.map((a) => [a.principalId, a.assignmentType, a.endDateTime])).toEqual([
      [EXTRA_USERS.grace, 'activated', '2026-10-01T06:30:00.000Z'],
      [EXTRA_USERS.ivan, 'assigned', null],
    ]);
    expect(decodeURIComponent(fake.requests.find((r) => r.url.startsWith('/roleManagement/directory/roleAssignmentScheduleInstances'))!.url)).toContain('$select=id,principalId,roleDefinitionId,directoryScopeId,assignmentType');
    const refused = await collect({ responses: [{ path: '/roleManagement/directory/roleAssignmentScheduleInstances', status: 403 }] });
    expect(refused.entra.directoryRoles!.provenance).toMatchObject({ status: 'missing', error: { status: 403 }, fix: 'RoleManagement.Read.Directory' });
  });

  it('no group holds a role: an empty list (not absent: nothing to read)', async () => {
    const { entra } = await collect();
    expect(entra.directoryRoles!.data!.groupHolders).toEqual([]);
    expect(roleHoldingGroups(entra.directoryRoles!.data!.assignments)).toEqual([]);
    expect(groupHolderPath('g/1', 'owners')).toBe('/groups/g%2F1/owners?$select=id,displayName,userPrincipalName,appId');
  });

  it('an application object in the tenant: its owners are listed', async () => {
    const scenario = contoso();
    scenario.applications = [{ id: 'app-object-1', appId: APP_ID, owners: [{ '@odata.type': '#microsoft.graph.user', id: U.carol, displayName: 'Carol', userPrincipalName: 'carol@contoso.example' }] }];
    const { entra } = await collect({ scenario });
    expect(entra.appOwners!.data).toMatchObject({ applicationObject: 'inTenant', applicationOwners: [{ id: U.carol, type: 'user', userPrincipalName: 'carol@contoso.example' }] });
  });

  it('403 on one read: that section is missing with the permission that fixes it; the others are collected', async () => {
    const { entra } = await collect({ responses: [{ path: '/roleManagement/directory/roleEligibilitySchedules', status: 403 }] });
    expect(entra.directoryRoles).toEqual({
      provenance: { status: 'missing', error: { status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' }, fix: 'RoleManagement.Read.Directory' },
      data: null,
    });
    expect(entra.appOwners!.provenance.status).toBe('collected');
    expect(entra.workloadIdentities!.provenance.status).toBe('collected');
    expect(entra.groups.provenance.status).toBe('collected');

    const owners = await collect({ responses: [{ path: `/servicePrincipals/${SP_ID}/owners`, status: 403 }] });
    expect(owners.entra.appOwners!.provenance).toMatchObject({ status: 'missing', error: { status: 403 }, fix: 'Application.Read.All' });

    const grants = await collect({ responses: [{ path: `/servicePrincipals/${MS_GRAPH_SP_ID}/appRoleAssignedTo`, status: 403 }] });
    expect(grants.entra.workloadIdentities!.provenance).toMatchObject({ status: 'missing', error: { status: 403 }, fix: 'Application.Read.All' });
    expect(grants.entra.enterpriseApp.provenance.status).toBe('collected');
  });

  it('a directory role policy that cannot be read fails the section, never a role without its policy', async () => {
    const { entra } = await collect({ responses: [{ path: '/policies/roleManagementPolicyAssignments', status: 403 }] });
    expect(entra.directoryRoles!.provenance).toMatchObject({ status: 'missing', error: { status: 403 } });
  });

  it('429 with Retry-After on a role read is waited out', async () => {
    const { entra, fake } = await collect({ responses: [{ path: '/roleManagement/directory/roleDefinitions', status: 429, retryAfter: '0.05', times: 2 }] });
    expect(entra.directoryRoles!.provenance.status).toBe('collected');
    expect(fake.requests.filter((r) => r.url.startsWith('/roleManagement/directory/roleDefinitions') && !r.url.includes('$skiptoken')).length).toBe(3);
  });

  it('without the enterprise app, the app owners are missing as a dependency; roles and workload identities are still read', async () => {
    const { entra } = await collect({ responses: [{ path: `/servicePrincipals/${SP_ID}/appRoleAssignedTo`, status: 403 }] });
    expect(entra.appOwners!.provenance).toMatchObject({ status: 'missing', error: { code: 'DependencyMissing' }, fix: 'Application.Read.All' });
    expect(entra.directoryRoles!.provenance.status).toBe('collected');
    expect(entra.workloadIdentities!.provenance.status).toBe('collected');
  });
});

describe('the snapshot sections', () => {
  it('are optional: listed after the last Entra section, present only when the snapshot has them', () => {
    const added = ['entra.directoryRoles', 'entra.appOwners', 'entra.workloadIdentities'] as const;
    for (const p of added) expect(OPTIONAL_SECTION_PATHS).toContain(p);
    const i = ALL_SECTION_PATHS.indexOf('entra.accessReviews');
    expect(ALL_SECTION_PATHS.slice(i + 1, i + 4)).toEqual([...added]);
    const old = demoSnapshot();
    delete old.entra.directoryRoles;
    delete old.entra.appOwners;
    delete old.entra.workloadIdentities;
    expect(presentSections(old).map((s) => s.path)).not.toContain('entra.directoryRoles');
    expect(() => validateSnapshot('old.json', JSON.parse(JSON.stringify(old)))).not.toThrow();
  });

  it('a collected snapshot with them validates; a wrong value is refused at its pointer', async () => {
    const { entra } = await collect();
    const s = demoSnapshot();
    s.entra.directoryRoles = entra.directoryRoles;
    s.entra.appOwners = entra.appOwners;
    s.entra.workloadIdentities = entra.workloadIdentities;
    expect(() => validateSnapshot('new.json', JSON.parse(JSON.stringify(s)))).not.toThrow();
    expect(presentSections(s).map((x) => x.path)).toEqual(expect.arrayContaining(['entra.directoryRoles', 'entra.appOwners', 'entra.workloadIdentities']));
    const bad = JSON.parse(JSON.stringify(s));
    bad.entra.appOwners.data.applicationObject = 'maybe';
    expect(() => validateSnapshot('bad.json', bad)).toThrow(/appOwners/);
  });
});
