// Entitlement-management access packages that hand out the AWS app's groups — the collection:
// normalisers on Graph's documented samples (test/fixtures/entra/access-package-*.json), the collector
// against the fake Graph (paging, $batch, 403 → missing with the permission, no licence → missing with
// the licence, 429 waited out, only reads), and the optional section in the snapshot.
import { readFileSync } from 'node:fs';
import type { AccessPackage, AccessPackageAssignment, AccessPackageAssignmentPolicy, AccessPackageResourceRoleScope, UnifiedRoleAssignment } from '@microsoft/microsoft-graph-types';
import { describe, expect, it } from 'vitest';
import {
  ACCESS_PACKAGES_LICENCE_FIX,
  mapAssignments,
  mapCatalogRoleAssignments,
  mapPackages,
  policyOf,
  roleScopeOf,
  withLicenceFix,
} from '../src/collect/entra/access-packages.js';
import { FailureWithFix } from '../src/collect/entra/common.js';
import { GraphFailure } from '../src/collect/entra/graph-client.js';
import { validateSnapshot } from '../src/model/load-snapshot.js';
import { ALL_SECTION_PATHS, OPTIONAL_SECTION_PATHS, presentSections } from '../src/model/snapshot-schema.js';
import { type FakeGraphOptions, type GraphScenario } from './fake-cloud/graph/server.js';
import { AP, AP_CATALOG, AP_POLICY, AP_REQUESTERS, CATALOG_ROLE, EXTRA_USERS, G_ADMINS, G_READONLY, SP_ID, U, contoso, withAccessPackages } from './fake-cloud/graph/scenario.js';
import { demoSnapshot } from './helpers/demo.js';
import { entraAgainstFake } from './helpers/graph.js';

const NOW = Date.parse('2026-10-01T06:00:00Z');
const fixture = <T>(name: string) => JSON.parse(readFileSync(new URL(`./fixtures/entra/${name}`, import.meta.url), 'utf8')) as T;

const collectFromFake = entraAgainstFake();

async function collect(options: FakeGraphOptions & { scenario?: GraphScenario } = {}) {
  return collectFromFake(options.scenario ?? withAccessPackages(contoso(NOW), NOW), { pageSize: 1, ...options });
}

describe('normalisers on Graph documentation samples', () => {
  it('a group role scope: Member_<group> in the role, the group in the scope', () => {
    const sample = fixture<AccessPackageResourceRoleScope>('access-package-resourcerolescope-group.json');
    // The sample is a create body: it has no id of its own; Graph's id is "<roleId>_<scopeId>".
    expect(roleScopeOf({ ...sample, id: '748f8431-c7c6-404d-8564-df67aa8cfc5e_83b3e3e9-c8b3-481b-ad80-53e29d1eda9c' })).toEqual({
      id: '748f8431-c7c6-404d-8564-df67aa8cfc5e_83b3e3e9-c8b3-481b-ad80-53e29d1eda9c',
      role: { displayName: 'Member', originSystem: 'AadGroup', originId: 'Member_0282e19d-bf41-435d-92a4-99bab93af305' },
      scope: { displayName: 'Root', originSystem: 'AadGroup', originId: '0282e19d-bf41-435d-92a4-99bab93af305', isRootScope: true },
      groupId: '0282e19d-bf41-435d-92a4-99bab93af305',
      access: 'member',
    });
  });

  it("a role that is not a group's (the listing sample's placeholder origin system) is kept but names no group", () => {
    const pkg = fixture<AccessPackage>('access-package-expand-resourcerolescopes.json');
    const [rs] = pkg.resourceRoleScopes!.map(roleScopeOf);
    expect(rs).toMatchObject({ id: '70113acf-4dcb-453f-b517-2394598d974e_22bfd707-ab6f-404f-b0b5-a5e6f5d0ba36', groupId: null, access: null });
    expect(rs!.role).toEqual({ displayName: 'Owner', originSystem: 'origin-type', originId: 'Owner_7b56ede0-9b58-40bd-b11e-b3d18fc32698' });
    // So the package is not one that hands out a group, whichever group ids are asked for.
    expect(mapPackages([pkg], new Set(['7b56ede0-9b58-40bd-b11e-b3d18fc32698']))).toEqual([]);
  });

  it('packages are kept when a group role names one of the groups (ids compared without case), with all their roles', () => {
    const pkg = fixture<AccessPackage>('access-package-expand-resourcerolescopes.json');
    const group = fixture<AccessPackageResourceRoleScope>('access-package-resourcerolescope-group.json');
    const both = { ...pkg, resourceRoleScopes: [...pkg.resourceRoleScopes!, { ...group, id: 'z-group' }] };
    const [kept] = mapPackages([both], new Set(['0282E19D-BF41-435D-92A4-99BAB93AF305'.toLowerCase()]));
    expect(kept).toMatchObject({ id: '933a4822-aed1-445b-9623-62116cd07a39', displayName: 'Test Package 9-9', isHidden: false });
    expect(kept!.resourceRoleScopes.map((r) => [r.id, r.groupId])).toEqual([
      ['70113acf-4dcb-453f-b517-2394598d974e_22bfd707-ab6f-404f-b0b5-a5e6f5d0ba36', null],
      ['z-group', '0282e19d-bf41-435d-92a4-99bab93af305'],
    ]);
    expect(mapPackages([both], new Set(['11111111-1111-4111-a111-111111111111']))).toEqual([]);
  });

  it('a policy: who may request (all users, guests too), no approval, 365 days', () => {
    const policy = policyOf(fixture<AccessPackageAssignmentPolicy>('access-package-assignment-policy.json'));
    expect(policy).toEqual({
      id: '87e1c7f7-c7f7-87e1-f7c7-e187f7c7e187',
      displayName: 'All Users',
      allowedTargetScope: 'allDirectoryUsers',
      specificAllowedTargets: [],
      requestorSettings: { enableTargetsToSelfAddAccess: true, enableOnBehalfRequestorsToAddAccess: false, allowCustomAssignmentSchedule: true, onBehalfRequestors: [] },
      requestApprovalSettings: { isApprovalRequiredForAdd: false, isApprovalRequiredForUpdate: false, isRequestorJustificationRequired: null, stages: [] },
      automaticRequestSettings: null,
      expiration: { type: 'afterDuration', endDateTime: null, duration: 'P365D' },
      reviewSettings: null,
    });
  });

  it('policies: admin-only with no expiration; connected organisations with two approval stages and reviews; automatic by rule', () => {
    const [direct, external, auto] = fixture<{ value: AccessPackageAssignmentPolicy[] }>('access-package-assignment-policies-create.json').value.map((p, i) => policyOf({ ...p, id: `p${i}` }));
    expect(direct).toMatchObject({ allowedTargetScope: 'notSpecified', expiration: { type: 'noExpiration', endDateTime: null, duration: null }, automaticRequestSettings: null });
    expect(external!.allowedTargetScope).toBe('allConfiguredConnectedOrganizationUsers');
    expect(external!.expiration).toEqual({ type: 'noExpiration', endDateTime: null, duration: null });
    expect(external!.requestApprovalSettings!.isApprovalRequiredForAdd).toBe(true);
    expect(external!.requestApprovalSettings!.stages).toHaveLength(2);
    const [first] = external!.requestApprovalSettings!.stages;
    expect(first!.durationBeforeAutomaticDenial).toBe('P14D');
    expect(first!.primaryApprovers).toEqual([{ type: 'internalSponsors', userId: null, groupId: null, connectedOrganizationId: null, membershipRule: null, managerLevel: null }]);
    expect(first!.fallbackPrimaryApprovers.map((s) => [s.type, s.userId ?? s.groupId])).toEqual([
      ['singleUser', '7deff43e-1f17-44ef-9e5f-d516b0ba11d4'],
      ['groupMembers', '1623f912-5e86-41c2-af47-39dd67582b66'],
    ]);
    expect(external!.reviewSettings).toEqual({
      isEnabled: true,
      expirationBehavior: 'keepAccess',
      recurrence: { type: 'absoluteMonthly', interval: 3 },
      primaryReviewers: [{ type: 'groupMembers', userId: null, groupId: '1623f912-5e86-41c2-af47-39dd67582b66', connectedOrganizationId: null, membershipRule: null, managerLevel: null }],
    });
    expect(auto).toMatchObject({
      allowedTargetScope: 'specificDirectoryUsers',
      automaticRequestSettings: { requestAccessForAllowedTargets: true, removeAccessWhenTargetLeavesAllowedTargets: null, gracePeriodBeforeAccessRemoval: null },
      requestApprovalSettings: null,
      expiration: null,
    });
    expect(auto!.specificAllowedTargets).toEqual([{ type: 'attributeRuleMembers', userId: null, groupId: null, connectedOrganizationId: null, membershipRule: '(user.department -eq "Sales")', managerLevel: null }]);
    // Without an id it is not a policy.
    expect(policyOf({ displayName: 'x' })).toBeNull();
  });

  it('assignments: state, schedule and the expanded target; an expired one is history, not kept', () => {
    const listed = fixture<{ value: AccessPackageAssignment[] }>('access-package-assignments.json').value;
    const target = fixture<AccessPackageAssignment['target']>('access-package-subject.json');
    const expired = fixture<AccessPackageAssignment>('access-package-assignment-expired.json');
    expect(mapAssignments([{ ...listed[0]!, target }, expired])).toEqual([
      {
        id: '2a353749-3749-2a35-4937-352a4937352a',
        state: 'delivered',
        status: 'Delivered',
        assignmentPolicyId: null,
        target: { objectId: 'a382de66-b7bb-4c30-82b7-306c6ae6a4ae', subjectType: 'user', displayName: 'Accessibility Test', principalName: 'accessibility@contoso.com', email: 'accessibility@contoso.com' },
        // The sample's schedule has only its @odata.type: no start, no expiration known.
        schedule: { startDateTime: null, expiration: null },
        expiredDateTime: '2019-04-25T23:45:40.420Z',
      },
    ]);
  });

  it('catalog role assignments (the documented sample: a Catalog owner on one catalog): kept on a catalog asked for, or when any catalog may be', () => {
    const listed = fixture<{ value: UnifiedRoleAssignment[] }>('entitlement-role-assignments-expand-principal.json').value;
    const owner = {
      id: '900633fe-2508-4b13-a561-a15e320ad35f',
      roleDefinitionId: CATALOG_ROLE.owner,
      principalId: '39228473-522e-4533-88cc-a9553180cb99',
      principal: { id: '39228473-522e-4533-88cc-a9553180cb99', type: 'user', displayName: null, userPrincipalName: null, appId: null },
      appScopeId: '/AccessPackageCatalog/4cee616b-fdf9-4890-9d10-955e0ccb12bc',
      directoryScopeId: null,
    };
    expect(mapCatalogRoleAssignments(listed, new Set(['4CEE616B-FDF9-4890-9D10-955E0CCB12BC'.toLowerCase()]))).toEqual([owner]);
    expect(mapCatalogRoleAssignments(listed, new Set(['another-catalog']))).toEqual([]);
    expect(mapCatalogRoleAssignments(listed, null)).toEqual([owner]);
    // A reader or a catalog creator changes nothing: not kept; a tenant-wide manager is kept, whatever the catalogs.
    const [sample] = listed;
    expect(mapCatalogRoleAssignments([{ ...sample!, roleDefinitionId: CATALOG_ROLE.reader }, { ...sample!, id: 'c', roleDefinitionId: CATALOG_ROLE.creator, appScopeId: null, directoryScopeId: '/' }], null)).toEqual([]);
    expect(mapCatalogRoleAssignments([{ ...sample!, roleDefinitionId: CATALOG_ROLE.assignmentManager, appScopeId: null, directoryScopeId: '/' }], new Set())).toMatchObject([{ roleDefinitionId: CATALOG_ROLE.assignmentManager, appScopeId: null, directoryScopeId: '/' }]);
  });

  it("the licence refusal Graph sends (403 NoLicense) carries the licence as its fix; a plain 403 doesn't", () => {
    const body = fixture<{ error: { code: string; message: string } }>('entitlement-management-no-license.json');
    const licence = withLicenceFix(new GraphFailure(403, body.error.code, body.error.message));
    expect(licence).toBeInstanceOf(FailureWithFix);
    expect((licence as FailureWithFix).fix).toBe(ACCESS_PACKAGES_LICENCE_FIX);
    const plain = withLicenceFix(new GraphFailure(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'));
    expect(plain).not.toBeInstanceOf(FailureWithFix);
  });
});

describe('collecting the access packages against the fake Graph', () => {
  it("keeps the packages on the app's groups with their policies and current assignments, one item per page, and only reads", async () => {
    const { entra, fake } = await collect();
    const section = entra.accessPackages!;
    expect(section.provenance).toMatchObject({ status: 'collected', source: expect.stringContaining('/identityGovernance/entitlementManagement/accessPackages') });
    const packages = section.data!.packages;
    // The marketing package hands out a group the app does not know: not kept.
    expect(packages.map((p) => p.id)).toEqual([AP.prodAdmins, AP.readOnlyOwners]);
    const [prod, readOnly] = packages;
    expect(prod!.resourceRoleScopes.map((r) => [r.role.originSystem, r.groupId, r.access])).toEqual([
      ['AadGroup', G_ADMINS, 'member'],
      ['SharePointOnline', null, null],
    ]);
    expect(prod!.policies.map((p) => [p.id, p.allowedTargetScope, p.requestApprovalSettings?.isApprovalRequiredForAdd, p.expiration?.type, p.expiration?.duration])).toEqual([
      [AP_POLICY.anyone, 'allDirectoryUsers', false, 'noExpiration', null],
      [AP_POLICY.adminOnly, 'notSpecified', false, 'afterDuration', 'P30D'],
    ]);
    // erin's assignment expired: not kept; ivan's is still being delivered.
    expect(prod!.assignments.map((a) => [a.id, a.state, a.target?.objectId, a.assignmentPolicyId, a.schedule?.expiration?.type])).toEqual([
      ['as-frank', 'delivered', U.frank, AP_POLICY.anyone, 'noExpiration'],
      ['as-ivan', 'delivering', EXTRA_USERS.ivan, AP_POLICY.adminOnly, 'afterDateTime'],
    ]);
    expect(readOnly!.resourceRoleScopes[0]).toMatchObject({ groupId: G_READONLY, access: 'owner' });
    expect(readOnly!.policies[0]).toMatchObject({
      allowedTargetScope: 'specificDirectoryUsers',
      specificAllowedTargets: [{ type: 'groupMembers', groupId: AP_REQUESTERS }],
      requestApprovalSettings: { isApprovalRequiredForAdd: true, stages: [{ primaryApprovers: [{ type: 'singleUser', userId: U.dave }] }] },
      reviewSettings: { isEnabled: true, recurrence: { type: 'absoluteMonthly', interval: 3 }, primaryReviewers: [{ type: 'requestorManager', managerLevel: 1 }] },
    });
    expect(readOnly!.assignments).toEqual([]);
    expect(packages.map((p) => p.catalog)).toEqual([
      { id: AP_CATALOG.aws, displayName: 'AWS access' },
      { id: AP_CATALOG.aws, displayName: 'AWS access' },
    ]);
    // The owner and the assignment manager of the AWS catalog; not its reader, not the marketing
    // catalog's owner, not the tenant-wide catalog creator.
    expect(section.data!.roleAssignments!.map((a) => [a.id, a.roleDefinitionId, a.principal?.type, a.appScopeId])).toEqual([
      ['em-carol-owner', CATALOG_ROLE.owner, 'user', `/AccessPackageCatalog/${AP_CATALOG.aws}`],
      ['em-requesters-assign', CATALOG_ROLE.assignmentManager, 'group', `/AccessPackageCatalog/${AP_CATALOG.aws}`],
    ]);

    const mine = fake.requests.filter((r) => r.url.startsWith('/identityGovernance/entitlementManagement/'));
    // The listing: three packages at one per page; then per kept package its policies and its assignments.
    expect(mine.filter((r) => r.url.startsWith('/identityGovernance/entitlementManagement/accessPackages?'))).toHaveLength(3);
    expect(mine.filter((r) => r.inBatch && /accessPackages\/[^?]+\?\$select=id&\$expand=assignmentPolicies,catalog$/.test(r.url))).toHaveLength(2);
    // The catalog roles: listed whole once (five at one per page), with their principal.
    const roles = fake.requests.filter((r) => r.url.startsWith('/roleManagement/entitlementManagement/roleAssignments'));
    expect(roles).toHaveLength(5);
    expect(roles[0]!.url).toContain('$expand=principal');
    expect(mine.filter((r) => r.url.startsWith('/identityGovernance/entitlementManagement/assignments?') && !r.url.includes('$skiptoken'))).toHaveLength(2);
    for (const r of fake.requests) expect(r.method === 'GET' || (r.method === 'POST' && r.url === '/$batch')).toBe(true);
  });

  it('the same tenant gives the same section, byte for byte', async () => {
    const first = JSON.stringify((await collect()).entra.accessPackages!.data);
    expect(JSON.stringify((await collect()).entra.accessPackages!.data)).toBe(first);
  });

  it('no package in the tenant: collected, and empty; no catalog role is asked for (none can reach a group of the app)', async () => {
    const { entra, fake } = await collect({ scenario: contoso(NOW) });
    expect(entra.accessPackages).toMatchObject({ provenance: { status: 'collected' }, data: { packages: [], roleAssignments: [] } });
    expect(fake.requests.filter((r) => r.url.startsWith('/roleManagement/entitlementManagement/'))).toEqual([]);
  });

  it('catalog roles that cannot be read fail the section, never "nobody holds one"', async () => {
    const { entra } = await collect({ responses: [{ path: '/roleManagement/entitlementManagement/roleAssignments', status: 403 }] });
    expect(entra.accessPackages).toMatchObject({ provenance: { status: 'missing', error: { status: 403 }, fix: 'EntitlementManagement.Read.All' }, data: null });
  });

  it('403 on the listing: missing with EntitlementManagement.Read.All as the fix; the other sections are collected', async () => {
    const { entra } = await collect({ responses: [{ path: '/identityGovernance/entitlementManagement/accessPackages', status: 403 }] });
    expect(entra.accessPackages).toEqual({
      provenance: { status: 'missing', error: { status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' }, fix: 'EntitlementManagement.Read.All' },
      data: null,
    });
    expect(entra.groups.provenance.status).toBe('collected');
    expect(entra.directoryRoles!.provenance.status).toBe('collected');
  });

  it('a tenant without the licence: missing with the licence as the fix, never "no packages"', async () => {
    const scenario = withAccessPackages(contoso(NOW), NOW);
    scenario.entitlementManagementLicensed = false;
    const { entra } = await collect({ scenario });
    expect(entra.accessPackages).toEqual({
      provenance: { status: 'missing', error: { status: 403, code: 'NoLicense', message: 'User is not authorized to perform the operation. Reason: Tenant does not meet license requirement!' }, fix: ACCESS_PACKAGES_LICENCE_FIX },
      data: null,
    });
    expect(entra.accessReviews.provenance.status).toBe('collected');
  });

  it("assignments that cannot be read fail the section, never a package without its holders", async () => {
    const { entra } = await collect({ responses: [{ path: '/identityGovernance/entitlementManagement/assignments', status: 403 }] });
    expect(entra.accessPackages!.provenance).toMatchObject({ status: 'missing', error: { status: 403 }, fix: 'EntitlementManagement.Read.All' });
  });

  it('429 with Retry-After on the listing is waited out', async () => {
    const { entra, fake } = await collect({ responses: [{ path: '/identityGovernance/entitlementManagement/accessPackages', status: 429, retryAfter: '0.05', times: 2 }] });
    expect(entra.accessPackages!.provenance.status).toBe('collected');
    expect(entra.accessPackages!.data!.packages).toHaveLength(2);
    expect(fake.requests.filter((r) => r.url.startsWith('/identityGovernance/entitlementManagement/accessPackages?') && !r.url.includes('$skiptoken')).length).toBe(3);
  });

  it('without the enterprise app: missing as a dependency', async () => {
    const { entra } = await collect({ responses: [{ path: `/servicePrincipals/${SP_ID}/appRoleAssignedTo`, status: 403 }] });
    expect(entra.accessPackages!.provenance).toMatchObject({ status: 'missing', error: { code: 'DependencyMissing' }, fix: 'Application.Read.All' });
  });
});

describe('the snapshot section', () => {
  it('is optional: listed after the workload identities, present only when the snapshot has it', () => {
    expect(OPTIONAL_SECTION_PATHS).toContain('entra.accessPackages');
    // A section written before catalogs and catalog roles were read still validates.
    const older = demoSnapshot();
    for (const p of older.entra.accessPackages!.data!.packages) delete p.catalog;
    delete older.entra.accessPackages!.data!.roleAssignments;
    expect(() => validateSnapshot('older.json', JSON.parse(JSON.stringify(older)))).not.toThrow();
    expect(ALL_SECTION_PATHS[ALL_SECTION_PATHS.indexOf('entra.workloadIdentities') + 1]).toBe('entra.accessPackages');
    const old = demoSnapshot();
    delete old.entra.accessPackages;
    expect(presentSections(old).map((s) => s.path)).not.toContain('entra.accessPackages');
    expect(() => validateSnapshot('old.json', JSON.parse(JSON.stringify(old)))).not.toThrow();
  });

  it('a collected one validates, a missing one too; a wrong value is refused at its pointer', async () => {
    const { entra } = await collect();
    const s = demoSnapshot();
    s.entra.accessPackages = entra.accessPackages;
    expect(() => validateSnapshot('new.json', JSON.parse(JSON.stringify(s)))).not.toThrow();
    expect(presentSections(s).map((x) => x.path)).toContain('entra.accessPackages');
    s.entra.accessPackages = { provenance: { status: 'missing', error: { status: 403, code: 'NoLicense', message: 'no licence' }, fix: ACCESS_PACKAGES_LICENCE_FIX }, data: null };
    expect(() => validateSnapshot('missing.json', JSON.parse(JSON.stringify(s)))).not.toThrow();
    const bad = JSON.parse(JSON.stringify({ ...s, entra: { ...s.entra, accessPackages: entra.accessPackages } }));
    bad.entra.accessPackages.data.packages[0].resourceRoleScopes[0].access = 'admin';
    expect(() => validateSnapshot('bad.json', bad)).toThrow(/accessPackages/);
    const badRole = JSON.parse(JSON.stringify({ ...s, entra: { ...s.entra, accessPackages: entra.accessPackages } }));
    badRole.entra.accessPackages.data.roleAssignments[0].principalId = 5;
    expect(() => validateSnapshot('bad-role.json', badRole)).toThrow(/accessPackages\/data\/roleAssignments\/0\/principalId/);
  });
});
