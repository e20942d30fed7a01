// Access packages as a way around the JIT (src/analyze/access-packages.ts): the accessPackages
// collection — one item per (package, policy) that lets people add themselves to one of the AWS app's
// groups — its two rules, the reach arrays shared with controlPlane, absent vs unread (holding only its
// own rules), explain and HTML.
import { describe, expect, it } from 'vitest';
import { catalogRolesStatus } from '../src/analyze/access-packages.js';
import type { ResourceItem } from '../src/analyze/types.js';
import type { Snapshot } from '../src/model/snapshot-schema.js';
import { ruleOutcomes } from '../src/report/controls.js';
import { explain } from '../src/report/explain.js';
import { renderControlPlane } from '../src/report/html/control-plane.js';
import { renderJsonReport } from '../src/report/json-report.js';
import type { AuditResult } from '../src/report/audit-result.js';
import { blockingIncomplete } from '../src/rules/evaluate.js';
import { analyzeDemo, demoSnapshot, auditDemoVariant } from './helpers/demo.js';

type Packages = NonNullable<NonNullable<Snapshot['entra']['accessPackages']>['data']>;
type Policy = Packages['packages'][number]['policies'][number];

const packageItems = (a: { resources: Record<string, ResourceItem[]> }) => a.resources.accessPackages!;
const byPolicy = (a: { resources: Record<string, ResourceItem[]> }, policyName: string) => {
  const found = packageItems(a).filter((i) => (i.data.accessPackage as { policyName: string }).policyName === policyName);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const EVERYONE = 'Everyone in Northwind';
const NAMED = 'Named on-call engineers';
const FRANK = 'frank.hall@northwind.example';
const CATALOG_RULE = 'access-package-catalog-manager';
const RULES = ['access-package-self-service-no-approval', 'access-package-broad-requestors', CATALOG_RULE];
const catalogItems = (a: { resources: Record<string, ResourceItem[]> }) => a.resources.catalogRoles!;
const XAVIER = 'xavier.ng@northwind.example';
const OWNER = 'ae79f266-94d4-4dab-b730-feca7e132178';

const audit = auditDemoVariant;
const NO_LICENCE = (s: Snapshot) => {
  s.entra.accessPackages = {
    provenance: { status: 'missing', error: { status: 403, code: 'NoLicense', message: 'Tenant does not meet license requirement' }, fix: 'a Microsoft Entra ID P2 or Microsoft Entra ID Governance licence' },
    data: null,
  };
};
const findingsOf = (r: AuditResult, rule: string) => r.findings.filter((f) => f.finding.ruleId === rule).map((f) => f.finding);
/** The demo's self-service policy, changed. */
const everyone = (s: Snapshot) => s.entra.accessPackages!.data!.packages[0]!.policies[0]!;

describe('the access-package items on the demo', () => {
  const a = analyzeDemo();
  it('a collection of its own: none in controlPlane, whose items carry no access-package field', () => {
    expect(a.resources.controlPlane!.filter((i) => i.data.kind === 'access-package')).toEqual([]);
    for (const i of a.resources.controlPlane!) for (const f of ['accessPackage', 'requestors', 'broadRequestors', 'approvalRequired', 'accessLasts', 'reviewsEnabled']) expect(i.data, f).not.toHaveProperty(f);
    expect(packageItems(a).every((i) => i.data.kind === 'access-package')).toBe(true);
  });
  it('one item per (package, policy) that lets people add themselves', () => {
    expect(packageItems(a).map((i) => [i.data.holder, i.ref.type, i.ref.pointer])).toEqual([
      ['all member users of the tenant', 'accessPackagePolicy', '/entra/accessPackages/data/packages/0/policies/0'],
      [FRANK, 'accessPackagePolicy', '/entra/accessPackages/data/packages/1/policies/0'],
    ]);
  });
  it('self-service for everyone: broad, no approval, no end, standing; its paths are the group\'s', () => {
    const item = byPolicy(a, EVERYONE);
    expect(item.data).toMatchObject({
      how: 'may request access package "EC2 self-service" (policy "Everyone in Northwind"): member of AWS - Amazon EC2 Admin',
      standing: true,
      broadRequestors: true,
      approvalRequired: false,
      accessLasts: 'no end (noExpiration)',
      reviewsEnabled: false,
      window: null,
      capabilities: ['group-members'],
      accessPackage: { requestorScope: 'allMemberUsers', requestorScopeKnown: true, selfAdd: true, approvalStages: 0, timeBound: false, assignmentCount: 0, grants: [{ access: 'member', groupName: 'AWS - Amazon EC2 Admin' }] },
    });
    const groupId = (item.data.accessPackage as { grants: { groupId: string }[] }).grants[0]!.groupId;
    expect(item.paths).toEqual(a.accessPaths.flatMap((p, i) => (p.group?.id === groupId ? [i] : [])));
    expect(item.paths!.length).toBeGreaterThan(0);
  });
  it('the governed package: a named user, one approver stage, 8 h assignments as the window, reviews on', () => {
    const item = byPolicy(a, NAMED);
    expect(item.data).toMatchObject({ standing: false, broadRequestors: false, approvalRequired: true, accessLasts: '8 h per assignment', reviewsEnabled: true });
    expect(item.data.accessPackage).toMatchObject({ approvalStages: 1, approvers: ['stage 1: erin.fox@northwind.example'], specificRequestors: [FRANK], timeBound: true });
    const w = item.data.window as { total: string; terms: { activation: { value: string; provenance: { source: string } } } };
    expect(w.terms.activation.value).toBe('PT8H');
    expect(w.terms.activation.provenance.source).toContain('access package "Prod admins (on request)" policy "Named on-call engineers": expiration (afterDuration)');
    expect(w.total).not.toBeNull();
  });
  it('shares the reach arrays: two policies on the same groups, and a role scoped to that group, refer to one array', () => {
    const b = analyzeDemo((s) => {
      const pkg = s.entra.accessPackages!.data!.packages[0]!;
      pkg.policies.push({ ...structuredClone(pkg.policies[0]!), id: 'second-policy', displayName: 'Second' });
      const groupId = pkg.resourceRoleScopes[0]!.groupId!;
      const roles = s.entra.directoryRoles!.data!;
      roles.assignments.push({ ...structuredClone(roles.assignments[0]!), id: 'scoped', directoryScopeId: `/${groupId}` });
    });
    const packageId = (i: ResourceItem) => (i.data.accessPackage as { id: string }).id;
    const [first, second] = packageItems(b).filter((i) => packageId(i) === packageId(packageItems(b)[0]!));
    expect(second!.paths).toBe(first!.paths);
    const scoped = b.resources.controlPlane!.find((i) => i.ref.id === 'scoped')!;
    expect(scoped.paths).toBe(first!.paths);
  });
});

describe('policy shapes', () => {
  it('self-add off: no item (an admin-only policy is not a way in); notSpecified neither', () => {
    const a = analyzeDemo((s) => {
      everyone(s).requestorSettings!.enableTargetsToSelfAddAccess = false;
      s.entra.accessPackages!.data!.packages[1]!.policies[0]!.allowedTargetScope = 'notSpecified';
    });
    expect(packageItems(a)).toEqual([]);
  });
  it('self-add not said: counted as on', () => {
    const a = analyzeDemo((s) => {
      everyone(s).requestorSettings = null;
    });
    expect(byPolicy(a, EVERYONE).data.accessPackage).toMatchObject({ selfAdd: null });
  });
  it('a package on no group of the app: no item', () => {
    const a = analyzeDemo((s) => {
      const rs = s.entra.accessPackages!.data!.packages[0]!.resourceRoleScopes[0]!;
      rs.groupId = 'another-group';
    });
    expect(packageItems(a).map((i) => i.data.holder)).toEqual([FRANK]);
  });
  it('approval on: not the no-approval rule, still the broad one', () => {
    const r = audit((s) => {
      const p = everyone(s);
      p.requestApprovalSettings = { ...p.requestApprovalSettings!, isApprovalRequiredForAdd: true, stages: [{ durationBeforeAutomaticDenial: 'P1D', isEscalationEnabled: false, primaryApprovers: [{ type: 'requestorManager', userId: null, groupId: null, connectedOrganizationId: null, membershipRule: null, managerLevel: 1 }], fallbackPrimaryApprovers: [], escalationApprovers: [], fallbackEscalationApprovers: [] }] };
    });
    expect(findingsOf(r, 'access-package-self-service-no-approval')).toEqual([]);
    expect(findingsOf(r, 'access-package-broad-requestors')).toHaveLength(1);
    expect(byPolicy(r.analysis, EVERYONE).data).toMatchObject({ standing: false, accessPackage: { approvers: ["stage 1: the requestor's manager"] } });
  });
  it('approval not said: the no-approval rule fires (unknown is not safe)', () => {
    const r = audit((s) => {
      everyone(s).requestApprovalSettings = null;
    });
    const [f] = findingsOf(r, 'access-package-self-service-no-approval');
    expect(f!.message).toContain('(approval required: (none))');
  });
  it('all directory users, external users, connected organisations: broad; an unknown scope counts as broad', () => {
    for (const [scope, words] of [
      ['allDirectoryUsers', 'all users of the directory, guests included'],
      ['allExternalUsers', 'any external user, connected organisation or not'],
      ['allConfiguredConnectedOrganizationUsers', 'all users of every connected organisation'],
      ['somethingNew', 'unknown (somethingNew; counted as broad)'],
    ] as const) {
      const a = analyzeDemo((s) => {
        everyone(s).allowedTargetScope = scope;
      });
      expect(byPolicy(a, EVERYONE).data, scope).toMatchObject({ broadRequestors: true, requestors: words });
    }
  });
  it('a specific group of requestors: not broad, named in words', () => {
    const a = analyzeDemo((s) => {
      const p: Policy = everyone(s);
      p.allowedTargetScope = 'specificDirectoryUsers';
      p.specificAllowedTargets = [{ type: 'groupMembers', userId: null, groupId: 'requesters-group', connectedOrganizationId: null, membershipRule: null, managerLevel: null }];
    });
    expect(byPolicy(a, EVERYONE).data).toMatchObject({ broadRequestors: false, requestors: 'members of group requesters-group', accessPackage: { requestorUserIds: [] } });
  });
  it('afterDateTime: the window counts from the snapshot time to the end', () => {
    const a = analyzeDemo((s) => {
      everyone(s).expiration = { type: 'afterDateTime', endDateTime: '2026-10-02T06:00:00Z', duration: null };
    });
    const w = byPolicy(a, EVERYONE).data.window as { terms: { activation: { value: string } } };
    expect(w.terms.activation.value).toBe('P1D');
  });
});

describe('the rules on the demo', () => {
  const r = audit();
  it('the self-service package fires both; the governed one nothing', () => {
    const [noApproval] = findingsOf(r, 'access-package-self-service-no-approval');
    const [broad] = findingsOf(r, 'access-package-broad-requestors');
    expect(findingsOf(r, 'access-package-self-service-no-approval')).toHaveLength(1);
    expect(findingsOf(r, 'access-package-broad-requestors')).toHaveLength(1);
    expect(noApproval!.severity).toBe('high');
    expect(noApproval!.object.name).toBe('access package EC2 self-service: policy Everyone in Northwind');
    expect(noApproval!.message).toContain('all member users of the tenant may request access package "EC2 self-service"');
    expect(noApproval!.message).toContain('access lasts no end (noExpiration), reviews: false');
    expect(broad!.object.id).toBe(noApproval!.object.id);
    expect(noApproval!.impact!.prodAccounts).toBeGreaterThan(0);
  });
  it('report.json: the finding\'s impact is "every path through these groups", as for controlPlane', () => {
    // The group with the most paths (one path is written as its position either way).
    const counts = new Map<string, number>();
    for (const p of r.analysis.accessPaths) if (p.group) counts.set(p.group.id, (counts.get(p.group.id) ?? 0) + 1);
    const [groupId, n] = [...counts].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0]!;
    expect(n).toBeGreaterThan(1);
    const wide = audit((s) => {
      s.entra.accessPackages!.data!.packages[0]!.resourceRoleScopes[0]!.groupId = groupId;
    });
    const rendered = renderJsonReport(wide);
    const report = JSON.parse(typeof rendered === 'function' ? [...rendered()].join('') : rendered.toString());
    const f = report.findings.find((x: { ruleId: string }) => x.ruleId === 'access-package-self-service-no-approval');
    expect(f.impact.paths).toEqual({ groups: [groupId] });
  });
  it('the findings count as takeovers in per-path views, not as findings about each path', () => {
    const f = r.findings.find((x) => x.finding.ruleId === 'access-package-self-service-no-approval')!;
    expect(f.rule.type.takesOver).toBe(true);
  });
  it('the other control-plane rules do not judge access packages', () => {
    const ids = new Set(packageItems(r.analysis).map((i) => i.ref.id));
    expect(r.findings.filter((f) => ids.has(f.finding.object.id) && !RULES.includes(f.finding.ruleId))).toEqual([]);
  });
});

describe('the section: absent vs not read', () => {
  it('absent (an older snapshot): no access-package item, nothing incomplete, the rules pass', () => {
    const r = audit((s) => {
      delete s.entra.accessPackages;
    });
    expect(packageItems(r.analysis)).toEqual([]);
    expect(r.analysis.incomplete.filter((x) => x.startsWith('entra.accessPackages'))).toEqual([]);
    expect(ruleOutcomes(r).filter((o) => RULES.includes(o.rule.def.id)).map((o) => o.status)).toEqual(['passed', 'passed', 'passed']);
  });
  it('asked for and not read (no licence): incomplete, the rules not evaluable and holding the gate — never a clean pass', () => {
    const r = audit(NO_LICENCE);
    expect(packageItems(r.analysis)).toEqual([]);
    expect(r.analysis.incomplete).toContain('entra.accessPackages');
    expect(blockingIncomplete(r.rules.filter((x) => RULES.includes(x.def.id)), r.analysis.incomplete)).toEqual(['entra.accessPackages']);
    expect(ruleOutcomes(r).filter((o) => RULES.includes(o.rule.def.id)).map((o) => o.status)).toEqual(['not-evaluable', 'not-evaluable', 'not-evaluable']);
    expect(catalogItems(r.analysis)).toEqual([]);
    const unread = demoSnapshot();
    NO_LICENCE(unread);
    expect(catalogRolesStatus(unread)).toBe('not-read');
    expect(renderControlPlane(r).toString()).toContain('entra.accessPackages could not be read');
  });
  it('not read holds only the three access-package rules: the Entra control-plane rules stay evaluable, and the gate passes once it is accepted', () => {
    const r = audit(NO_LICENCE, { failOn: 'none' });
    const held = ruleOutcomes(r).filter((o) => o.status === 'not-evaluable').map((o) => o.rule.def.id);
    expect(held.sort()).toEqual([...RULES].sort());
    const entraRules = r.rules.filter((x) => x.def.resource === 'controlPlane');
    expect(entraRules.length).toBeGreaterThanOrEqual(4);
    expect(blockingIncomplete(entraRules, r.analysis.incomplete)).toEqual([]);
    expect(ruleOutcomes(r).filter((o) => o.rule.def.resource === 'controlPlane').map((o) => o.status)).not.toContain('not-evaluable');
    // The directory-role, owner and workload-identity findings are still made.
    expect(r.findings.filter((f) => f.rule.def.resource === 'controlPlane').length).toBeGreaterThan(0);
    expect(r.gate).toMatchObject({ passed: false, blockingIncomplete: ['entra.accessPackages'] });
    expect(audit(NO_LICENCE, { failOn: 'none', allowIncomplete: ['entra.accessPackages'] }).gate.passed).toBe(true);
  });
});

describe('explain and HTML', () => {
  const r = audit();
  it('explain --user lists a package whose policy names the user; not one open to "all member users"', () => {
    const text = explain(r, demoSnapshot(), { user: FRANK });
    expect(text).toContain('named by the policy: may request access package "Prod admins (on request)"');
    expect(text).toContain('after approval (stage 1: erin.fox@northwind.example); access lasts 8 h per assignment; reviews yes');
    expect(text).not.toContain('EC2 self-service');
  });
  it('the HTML table: the self-service package first, broad requestors in bold', () => {
    const section = renderControlPlane(r).toString();
    expect(section).toContain("Access packages that hand out the AWS app's groups");
    expect(section.indexOf('EC2 self-service')).toBeGreaterThan(0);
    expect(section.indexOf('EC2 self-service')).toBeLessThan(section.indexOf('Prod admins (on request)'));
    expect(section).toContain('<strong>all member users of the tenant</strong>');
    expect(section).toContain('approval <strong>no</strong>');
  });
  it('escapes a hostile package and policy name', () => {
    const hostile = '<img src=x onerror="alert(1)">';
    const h = audit((s) => {
      const pkg = s.entra.accessPackages!.data!.packages[0]!;
      pkg.displayName = hostile;
      pkg.policies[0]!.displayName = '</script><script>alert(2)</script>';
    });
    const section = renderControlPlane(h).toString();
    expect(section).not.toContain('<img');
    expect(section).not.toContain('<script>');
    expect(section).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
  });
});

describe('catalog roles: owners and managers of the catalog around the JIT', () => {
  const a = analyzeDemo();
  const groupPaths = (x: { accessPaths: { group: { id: string } | null }[] }, ids: string[]) => x.accessPaths.flatMap((p, i) => (p.group && ids.includes(p.group.id) ? [i] : []));
  it("the demo's access package assignment manager: both packages of the catalog, standing (a policy without approval), every path through their groups", () => {
    const items = catalogItems(a);
    expect(items.map((i) => [i.data.holder, i.ref.type, i.ref.pointer])).toEqual([[XAVIER, 'catalogRoleAssignment', '/entra/accessPackages/data/roleAssignments/0']]);
    const item = items[0]!;
    expect(item.data).toMatchObject({
      kind: 'catalog-role',
      principalType: 'user',
      how: 'holds entitlement-management role Access package assignment manager on catalog AWS access',
      role: { name: 'Access package assignment manager', editsPolicies: false },
      scopeKind: 'catalog',
      standing: true,
      approvalRequired: false,
      window: null,
      capabilities: ['group-members'],
      reachKnown: true,
    });
    expect(item.data.power).toBe('can assign anyone, themselves included, directly to access package "EC2 self-service", "Prod admins (on request)" (through a policy with no approval)');
    const groups = (item.data.packages as { grants: { groupId: string }[] }[]).flatMap((p) => p.grants.map((g) => g.groupId));
    expect(groups).toHaveLength(2);
    expect(item.paths).toEqual(groupPaths(a, groups));
    expect(item.ref.principal).toMatchObject({ upn: XAVIER });
    expect(catalogRolesStatus(demoSnapshot())).toBe('read');
  });
  it('every policy requires approval: an assignment manager is not standing; a catalog owner is (they edit the policy), and hands out owner too', () => {
    const b = analyzeDemo((s) => {
      const ap = s.entra.accessPackages!.data!;
      everyone(s).requestApprovalSettings!.isApprovalRequiredForAdd = true;
      ap.roleAssignments!.push({ ...structuredClone(ap.roleAssignments![0]!), id: 'owner', roleDefinitionId: OWNER });
    });
    const owner = catalogItems(b).find((i) => i.ref.id === 'owner');
    const manager = catalogItems(b).find((i) => i.ref.id !== 'owner');
    expect(manager!.data).toMatchObject({ standing: false, approvalRequired: true });
    expect(manager!.data.power).toContain('(every policy requires approval)');
    expect(owner!.data).toMatchObject({ standing: true, approvalRequired: false, capabilities: ['group-members', 'group-owners'], role: { name: 'Catalog owner', editsPolicies: true } });
    expect(owner!.paths).toBe(manager!.paths);
  });
  it('shares the reach arrays with the access-package items: a catalog holding one package refers to its array', () => {
    const b = analyzeDemo((s) => {
      s.entra.accessPackages!.data!.packages[1]!.catalog = { id: 'other-catalog', displayName: 'Other' };
    });
    const [item] = catalogItems(b);
    expect(item!.paths).toBe(byPolicy(b, EVERYONE).paths);
  });
  it('another catalog, or a reader: no item; tenant-wide: every catalog', () => {
    const other = analyzeDemo((s) => {
      s.entra.accessPackages!.data!.roleAssignments![0]!.appScopeId = '/AccessPackageCatalog/elsewhere';
    });
    expect(catalogItems(other)).toEqual([]);
    const reader = analyzeDemo((s) => {
      s.entra.accessPackages!.data!.roleAssignments![0]!.roleDefinitionId = '44272f93-9762-48e8-af59-1b5351b1d6b3';
    });
    expect(catalogItems(reader)).toEqual([]);
    const tenant = analyzeDemo((s) => {
      const r = s.entra.accessPackages!.data!.roleAssignments![0]!;
      r.appScopeId = null;
      r.directoryScopeId = '/';
    });
    expect(catalogItems(tenant)[0]!.data).toMatchObject({ scopeKind: 'tenant', catalog: null, how: 'holds entitlement-management role Access package assignment manager on every catalog (tenant-wide)' });
    expect(catalogItems(tenant)[0]!.paths).toEqual(catalogItems(a)[0]!.paths);
  });
  it('a scope not understood, or a package whose catalog was not read: reach unknown, never nothing', () => {
    const odd = analyzeDemo((s) => {
      s.entra.accessPackages!.data!.roleAssignments![0]!.appScopeId = '/Something/else';
    });
    expect(catalogItems(odd)[0]!.data).toMatchObject({ scopeKind: 'unknown', reachKnown: false, reachSummary: 'unknown (scope /Something/else not understood)' });
    const unread = analyzeDemo((s) => {
      s.entra.accessPackages!.data!.packages[1]!.catalog = null;
    });
    expect(catalogItems(unread)[0]!.data).toMatchObject({ reachKnown: false, reachUnknownReason: 'the catalog of access package Prod admins (on request) was not read' });
  });
  it('the rule: one high finding for the assignment manager on the demo; none without roleAssignments (not assessed, and said so)', () => {
    const r = audit();
    const [f] = findingsOf(r, CATALOG_RULE);
    expect(findingsOf(r, CATALOG_RULE)).toHaveLength(1);
    expect(f!.severity).toBe('high');
    expect(f!.message).toContain(`${XAVIER} holds entitlement-management role Access package assignment manager on catalog AWS access: can assign anyone`);
    expect(f!.message).toContain('standing: true; it takes over');
    expect(f!.impact!.paths.length).toBeGreaterThan(0);
    const older = audit((s) => {
      delete s.entra.accessPackages!.data!.roleAssignments;
    });
    expect(findingsOf(older, CATALOG_RULE)).toEqual([]);
    expect(catalogItems(older.analysis)).toEqual([]);
    const snap = demoSnapshot();
    delete snap.entra.accessPackages!.data!.roleAssignments;
    expect(catalogRolesStatus(snap)).toBe('absent');
  });
  it('the reports: the HTML lists the holder under the packages; report.json writes the impact as the groups', () => {
    const r = audit();
    const page = String(renderControlPlane(r));
    expect(page).toContain('Who manages those access packages');
    expect(page).toContain(XAVIER);
    const report = JSON.parse([...(renderJsonReport(r) as () => Iterable<string>)()].join('')) as { findings: { ruleId: string; impact: { paths: unknown } }[] };
    const written = report.findings.find((f) => f.ruleId === CATALOG_RULE)!;
    expect(written.impact.paths).toEqual({ groups: expect.arrayContaining([expect.any(String)]) });
  });
  it('a group holding the role is named, its members not expanded', () => {
    const b = analyzeDemo((s) => {
      const r = s.entra.accessPackages!.data!.roleAssignments![0]!;
      r.principal = { id: r.principalId, type: 'group', displayName: 'AWS helpdesk', userPrincipalName: null, appId: null };
    });
    expect(catalogItems(b)[0]!.data).toMatchObject({ holder: 'AWS helpdesk', principalType: 'group' });
    expect(catalogItems(b)[0]!.data.how).toContain('(a group: its members hold the role; not expanded)');
    expect(catalogItems(b)[0]!.ref.principal).toBeUndefined();
  });
});
