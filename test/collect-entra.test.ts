// The Entra collector against the fake Graph (127.0.0.1): what it collects, how it normalises,
// paging, $batch, throttling, failures per section, read-only, determinism.
import { afterEach, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../src/collect/collect.js';
import type { CollectorContext } from '../src/collect/collectors.js';
import { collectEntra } from '../src/collect/entra/index.js';
import { parseRetryAfter, tierOf } from '../src/collect/entra/graph-client.js';
import type { Progress } from '../src/collect/progress.js';
import { resolveConfig, type ConfigFile } from '../src/model/config.js';
import type { Snapshot } from '../src/model/snapshot-schema.js';
import { InputError } from '../src/util/errors.js';
import { startFakeGraph, type FakeGraph, type FakeGraphOptions, type GraphScenario } from './fake-cloud/graph/server.js';
import { APP_ID, G_ADMINS, G_PHANTOM, G_READONLY, SP_ID, U, contoso } from './fake-cloud/graph/scenario.js';

const TOKEN = 'test-token';
let fake: FakeGraph | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

function recorder() {
  const events: string[] = [];
  const progress: Progress = {
    start: (s) => events.push(`start ${s}`),
    tick: () => {},
    done: (s, o) => events.push(`done ${s} ${o}`),
    close: () => {},
  };
  return { events, progress };
}

async function collect(options: FakeGraphOptions & { scenario?: GraphScenario; config?: ConfigFile; tenant?: string } = {}) {
  fake = await startFakeGraph(options.scenario ?? contoso(), { token: TOKEN, pageSize: 1, ...options });
  const warnings: { section: string; message: string }[] = [];
  const { events, progress } = recorder();
  const ctx: CollectorContext = {
    config: resolveConfig(options.config ?? {}, null),
    progress,
    warn: (section, message) => warnings.push({ section, message }),
    ...(options.tenant ? { tenant: options.tenant } : {}),
  };
  const env = { JITAUDIT_GRAPH_BASE_URL: fake.baseUrl, JITAUDIT_GRAPH_TOKEN: TOKEN, JITAUDIT_GRAPH_TIME_SCALE: '1000' };
  const entra = await collectEntra(ctx, { env });
  return { entra, warnings, events, fake };
}

const statusOf = (entra: Snapshot['entra']) =>
  Object.fromEntries(Object.entries(entra).map(([k, s]) => [k, s.provenance.status]));

describe('collectEntra against the fake Graph', () => {
  it('collects every section, paging one item at a time, normalised to the model', async () => {
    const { entra, warnings, events } = await collect();
    expect(Object.values(statusOf(entra)).every((s) => s === 'collected'), JSON.stringify(statusOf(entra))).toBe(true);

    expect(entra.tenant.data).toEqual({ id: '72f988bf-86f1-41af-91ab-2d7cd011db47', displayName: 'Contoso', defaultDomain: 'contoso.example' });
    const app = entra.enterpriseApp.data!;
    expect(app).toMatchObject({ servicePrincipalId: SP_ID, appId: APP_ID });
    expect(app.appRoleAssignments.map((a) => a.principalId)).toEqual([G_ADMINS, G_READONLY, G_PHANTOM, U.frank].sort());

    // The phantom group 404s: skipped, with a warning, and the run goes on.
    expect(entra.groups.data!.map((g) => g.id)).toEqual([G_ADMINS, G_READONLY]);
    expect(warnings.some((w) => w.section === 'entra.groups' && w.message.includes(G_PHANTOM) && w.message.includes('404'))).toBe(true);
    const admins = entra.groups.data!.find((g) => g.id === G_ADMINS)!;
    expect(admins.members).toEqual([
      { id: U.bob, type: 'user', displayName: 'Bob' },
      { id: U.carol, type: 'user', displayName: 'Carol' },
    ]);
    expect(admins.owners).toEqual([{ id: U.dave, type: 'user', displayName: 'Dave' }]);

    const pim = entra.pimSchedules.data!;
    expect(pim.eligibilitySchedules.map((s) => s.principalId).sort()).toEqual([U.alice, U.bob].sort());
    expect(pim.eligibilitySchedules[0]!.scheduleInfo.expiration.type).toBe('afterDateTime');
    expect(pim.assignmentInstances.map((i) => [i.principalId, i.assignmentType, i.accessId]).sort()).toEqual(
      [[U.bob, 'activated', 'member'], [U.carol, 'assigned', 'member']].sort(),
    );
    expect(pim.eligibilityInstances.every((i) => i.assignmentType === null && i.scheduleId !== null)).toBe(true);

    // Policies only for the PIM-governed group, member and owner, 17 rules each, kept raw.
    const policies = entra.pimPolicies.data!;
    expect(policies.map((p) => [p.groupId, p.roleDefinitionId])).toEqual([[G_ADMINS, 'member'], [G_ADMINS, 'owner']]);
    expect(policies[0]!.rules).toHaveLength(17);
    expect(policies[0]!.rules.find((r) => r.id === 'Expiration_EndUser_Assignment')).toMatchObject({ maximumDuration: 'PT8H', '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule' });

    // Every request within the P30D look-back, with its own action and status (denied ones too).
    expect(entra.activations.data!.map((a) => [a.id, a.action, a.status])).toEqual([
      ['req-carol-admin', 'adminAssign', 'Provisioned'],
      ['req-alice-recent', 'selfActivate', 'Provisioned'],
      ['req-alice-denied', 'selfActivate', 'Denied'],
      ['req-bob-now', 'selfActivate', 'Provisioned'],
      ['req-bob-end', 'selfDeactivate', 'Provisioned'],
    ]);
    expect(entra.activations.data![1]!.scheduleInfo!.expiration).toEqual({ type: 'afterDuration', endDateTime: null, duration: 'PT8H' });
    // The eligibility history the same way: the look-back, every action and status, Graph's schedule.
    expect(entra.eligibilityRequests!.data!.map((a) => [a.id, a.principalId, a.action, a.status])).toEqual([
      ['ereq-erin-assign', U.erin, 'adminAssign', 'Provisioned'],
      ['ereq-dave-failed', U.dave, 'adminAssign', 'Failed'],
      ['ereq-erin-remove', U.erin, 'adminRemove', 'Revoked'],
    ]);
    expect(entra.eligibilityRequests!.data![0]!.scheduleInfo!.expiration.type).toBe('afterDateTime');
    expect(entra.eligibilityRequests!.provenance).toMatchObject({ status: 'collected', source: expect.stringContaining('eligibilityScheduleRequests') });

    const job = entra.provisioning.data!.jobs[0]!;
    expect(job.status.code).toBe('Quarantine');
    expect(job.status.quarantine).toMatchObject({ reason: 'EncounteredQuarantineException', seriesCount: 6 });
    expect(job.schedule).toMatchObject({ interval: 'PT40M', state: 'Active' });

    expect(entra.conditionalAccess.data!.map((p) => [p.id, p.state])).toEqual([
      ['ca-0001-block-legacy', 'enabled'],
      ['ca-0010-mfa-aws', 'enabledForReportingButNotEnforced'],
    ]);
    expect(entra.conditionalAccess.data![1]!.grantControls!.authenticationStrength).toEqual({
      id: '00000000-0000-0000-0000-000000000002',
      displayName: 'Multifactor authentication',
      requirementsSatisfied: 'mfa',
      allowedCombinations: ['password,microsoftAuthenticatorPush', 'fido2'],
    });
    // The conditions that can carve a population out are kept, not dropped.
    expect(entra.conditionalAccess.data![0]!.conditions).toMatchObject({ clientAppTypes: ['exchangeActiveSync', 'other'], locations: null, platforms: null, signInRiskLevels: [], userRiskLevels: [] });

    expect(entra.accessReviews.data).toEqual([
      { id: 'ar-def-admins', displayName: 'Quarterly review: AWS - Prod Admins', status: 'InProgress', scopeQuery: `/groups/${G_ADMINS}/transitiveMembers`, recurrence: { type: 'absoluteMonthly', interval: 3 } },
    ]);

    // Everyone on any path, with exactly the model's fields.
    const everyone = Object.values(U).sort();
    expect(entra.users.data!.map((u) => u.id)).toEqual(everyone);
    expect(entra.users.data![0]).toEqual({ id: U.alice, userPrincipalName: 'alice@contoso.example', displayName: 'Alice', accountEnabled: true, userType: 'Member', onPremisesSyncEnabled: null });
    expect(entra.mfaRegistration.data!.map((r) => r.id)).toEqual(everyone);
    expect(entra.mfaRegistration.data!.find((r) => r.id === U.carol)!.isMfaRegistered).toBe(false);

    // Progress: every section started and finished.
    for (const s of Object.keys(entra)) {
      expect(events).toContain(`start entra.${s}`);
      expect(events).toContain(`done entra.${s} collected`);
    }
  });

  it('only reads: every request is a GET, or a POST to $batch carrying only GETs', async () => {
    const { fake } = await collect();
    expect(fake.requests.length).toBeGreaterThan(20);
    for (const r of fake.requests) {
      if (r.method === 'POST') {
        expect(r.url).toBe('/$batch');
        const subs = (r.body as { requests: { method: string }[] }).requests;
        expect(subs.length).toBeGreaterThan(0);
        expect(subs.length).toBeLessThanOrEqual(20);
        expect(subs.every((s) => s.method === 'GET')).toBe(true);
      } else {
        expect(r.method).toBe('GET');
      }
      expect(r.authorization).toBe(`Bearer ${TOKEN}`);
    }
    expect(fake.requests.some((r) => r.method === 'POST')).toBe(true);
    // $select on every call whose endpoint supports it (the sync-job list documents no query options).
    const top = fake.requests.filter((r) => !(r.method === 'POST') && !r.url.includes('$skiptoken'));
    for (const r of top) {
      if (/synchronization\/jobs|userRegistrationDetails/.test(r.url)) continue;
      expect(r.url, r.url).toMatch(/\$select=/);
    }
  });

  it('follows every nextLink: page size 1 and page size 100 give the same data', async () => {
    const scenario = contoso();
    const small = (await collect({ pageSize: 1, scenario })).entra;
    await fake!.close();
    const large = (await collect({ pageSize: 100, scenario })).entra;
    const strip = (e: Snapshot['entra']) => JSON.stringify(Object.fromEntries(Object.entries(e).map(([k, s]) => [k, s.data])));
    expect(strip(small)).toBe(strip(large));
  });

  it('gives the same snapshot twice (stable ordering), apart from collection times', async () => {
    const scenario = contoso(Date.parse('2026-10-01T06:00:00Z'));
    const first = (await collect({ scenario })).entra;
    await fake!.close();
    // Shuffle Graph's order: the snapshot must not change.
    const shuffled = structuredClone(scenario);
    shuffled.groups.reverse();
    for (const g of shuffled.groups) g.members.reverse();
    shuffled.servicePrincipals[0]!.appRoleAssignedTo.reverse();
    shuffled.eligibilitySchedules.reverse();
    shuffled.assignmentScheduleRequests.reverse();
    shuffled.eligibilityScheduleRequests!.reverse();
    shuffled.conditionalAccessPolicies.reverse();
    shuffled.userRegistrationDetails.reverse();
    const second = (await collect({ scenario: shuffled })).entra;
    const strip = (e: Snapshot['entra']) => JSON.stringify(e).replace(/"collectedAt":"[^"]+"/g, '');
    expect(strip(second)).toBe(strip(first));
  });

  it('honours 429 + Retry-After (fractional), inside $batch too, and backs off without it on Conditional Access', async () => {
    const { entra, fake } = await collect({
      responses: [
        { path: '/organization', status: 429, retryAfter: '0.05', times: 2 },
        { path: `/groups/${G_ADMINS}/members`, status: 429, retryAfter: '0.05', times: 2 },
        { path: '/identity/conditionalAccess/policies', status: 429, retryAfter: null, times: 3 },
        { path: '/reports/authenticationMethods', status: 503, retryAfter: '0.01', times: 1 },
      ],
    });
    expect(statusOf(entra)).toEqual(Object.fromEntries(Object.keys(entra).map((k) => [k, 'collected'])));
    expect(entra.conditionalAccess.data).toHaveLength(2);
    const count = (s: string) => fake.requests.filter((r) => r.url.startsWith(s) && !r.url.includes('$skiptoken')).length;
    expect(count('/organization')).toBe(3);
    expect(count('/identity/conditionalAccess/policies')).toBe(4);
    expect(fake.requests.filter((r) => r.inBatch && r.url.startsWith(`/groups/${G_ADMINS}/members`) && !r.url.includes('$skiptoken'))).toHaveLength(3);
  });

  it('waits as long as a fractional Retry-After says', async () => {
    const started = performance.now();
    await collect({ responses: [{ path: '/organization', status: 429, retryAfter: '0.3', times: 1 }] });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('marks a section missing once retries are exhausted, never silently short', async () => {
    const { entra } = await collect({ responses: [{ path: '/identity/conditionalAccess/policies', status: 429, retryAfter: null }] });
    expect(entra.conditionalAccess).toEqual({
      provenance: { status: 'missing', error: { status: 429, code: 'TooManyRequests', message: 'Please retry again later.' }, fix: 'Policy.Read.All' },
      data: null,
    });
    expect(entra.groups.provenance.status).toBe('collected');
  });

  it('fails one section on 403 with the permission that fixes it; the others are collected', async () => {
    const { entra, warnings } = await collect({
      responses: [
        { path: '/policies/roleManagementPolicyAssignments', status: 403 },
        { path: '/privilegedAccess/group/assignmentScheduleInstances', status: 403 },
        { path: '/synchronization/jobs', status: 500 },
        { path: '/identityGovernance/accessReviews', status: 403, code: 'Forbidden', message: 'Missing AccessReview.Read.All' },
        { path: '/privilegedAccess/group/eligibilityScheduleRequests', status: 403 },
      ],
    });
    expect(entra.eligibilityRequests).toEqual({
      provenance: { status: 'missing', error: { status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' }, fix: 'PrivilegedEligibilitySchedule.Read.AzureADGroup' },
      data: null,
    });
    // Not in the coverage table: the warning says what its loss costs.
    expect(warnings.find((w) => w.section === 'entra.eligibilityRequests')?.message).toMatch(/needs PrivilegedEligibilitySchedule\.Read\.AzureADGroup\).*current eligibility/);
    expect(entra.pimPolicies.provenance).toEqual({
      status: 'missing',
      error: { status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' },
      fix: 'RoleManagementPolicy.Read.AzureADGroup',
    });
    expect(entra.pimSchedules.provenance).toMatchObject({ status: 'missing', error: { status: 403 }, fix: 'PrivilegedAssignmentSchedule.Read.AzureADGroup' });
    expect(entra.provisioning.provenance).toMatchObject({ status: 'missing', error: { status: 500 }, fix: 'Synchronization.Read.All' });
    expect(entra.accessReviews.provenance).toMatchObject({ status: 'missing', error: { status: 403, code: 'Forbidden' }, fix: 'AccessReview.Read.All' });
    for (const s of ['tenant', 'enterpriseApp', 'groups', 'users', 'mfaRegistration', 'activations', 'conditionalAccess'] as const) {
      expect(entra[s].provenance.status, s).toBe('collected');
    }
    // With the PIM schedules unknown, policies would be asked for every group; users still come from the rest.
    expect(entra.users.data!.map((u) => u.id)).toContain(U.alice); // alice is named by an activation
  });

  it('marks the sections that need the enterprise app missing when it cannot be read', async () => {
    const { entra, events } = await collect({ responses: [{ path: '/appRoleAssignedTo', status: 403 }] });
    expect(entra.enterpriseApp.provenance).toMatchObject({ status: 'missing', error: { status: 403 }, fix: 'Application.Read.All' });
    for (const s of ['groups', 'users', 'mfaRegistration', 'pimSchedules', 'pimPolicies', 'activations', 'eligibilityRequests', 'provisioning', 'accessReviews'] as const) {
      expect(entra[s]!.provenance, s).toMatchObject({ status: 'missing', error: { code: 'DependencyMissing' }, fix: 'Application.Read.All' });
    }
    expect(entra.tenant.provenance.status).toBe('collected');
    expect(entra.conditionalAccess.provenance.status).toBe('collected');
    expect(events).toContain('done entra.groups missing');
  });

  it('finds the app by configured app id, and refuses an ambiguous display name', async () => {
    const byAppId = await collect({ config: { entra: { enterpriseApp: { appId: APP_ID } } } });
    expect(byAppId.entra.enterpriseApp.data!.servicePrincipalId).toBe(SP_ID);
    expect(byAppId.fake.requests.some((r) => r.url.startsWith(`/servicePrincipals(appId='${APP_ID}')`) || r.url.startsWith(`/servicePrincipals(appId=%27${APP_ID}%27)`))).toBe(true);
    await fake!.close();
    const twice = contoso();
    twice.servicePrincipals.push({ ...twice.servicePrincipals[0]!, id: 'another-sp' });
    const ambiguous = await collect({ scenario: twice });
    expect(ambiguous.entra.enterpriseApp.provenance).toMatchObject({ status: 'missing', error: { code: 'EnterpriseAppAmbiguous' } });
  });

  it('skips a PIM group id that 404s with a warning in each PIM section', async () => {
    // The phantom group is assigned to the app: the PIM endpoints 404 for it. Policies are asked
    // for every group when the schedules cannot be read, so fail those to reach the policy path too.
    const { entra, warnings } = await collect({ responses: [{ path: 'assignmentScheduleInstances', status: 403 }] });
    for (const s of ['activations', 'eligibilityRequests', 'pimPolicies'] as const) {
      expect(entra[s]!.provenance.status, s).toBe('collected');
      expect(warnings.some((w) => w.section === `entra.${s}` && w.message.includes(G_PHANTOM) && w.message.includes('404')), s).toBe(true);
    }
    const full = await (async () => {
      await fake!.close();
      return collect();
    })();
    expect(full.entra.pimSchedules.provenance.status).toBe('collected');
    expect(full.warnings.some((w) => w.section === 'entra.pimSchedules' && w.message.includes(G_PHANTOM))).toBe(true);
  });

  it('without credentials, every Entra section is missing with a clear message, and nothing is sent', async () => {
    fake = await startFakeGraph(contoso());
    const ctx: CollectorContext = { config: resolveConfig({}, null), progress: recorder().progress, warn: () => {} };
    const entra = await collectEntra(ctx, {
      env: { JITAUDIT_GRAPH_BASE_URL: fake.baseUrl },
      tokens: { describe: 'DefaultAzureCredential', getToken: async () => { throw new Error('DefaultAzureCredential failed to retrieve a token from the included credentials.\nmore'); } },
    });
    for (const s of Object.values(entra)) {
      expect(s.provenance).toMatchObject({ status: 'missing', error: { code: 'AuthenticationFailed', message: expect.stringMatching(/cannot get a Microsoft Graph token via DefaultAzureCredential: DefaultAzureCredential failed/) } });
    }
    expect(fake.requests).toEqual([]);
  });

  it('refuses a bad tenant or Graph URL as an input error before any request', async () => {
    const ctx = (tenant?: string, raw: ConfigFile = {}): CollectorContext => ({ config: resolveConfig(raw, 'jitaudit.config.yaml'), progress: recorder().progress, warn: () => {}, ...(tenant ? { tenant } : {}) });
    await expect(collectEntra(ctx('not a tenant!'), { env: {} })).rejects.toThrow(InputError);
    await expect(collectEntra(ctx('not a tenant!'), { env: {} })).rejects.toThrow(/--tenant: "not a tenant!" is not a tenant id/);
    await expect(collectEntra(ctx(undefined, { entra: { tenantId: 'x y' } }), { env: {} })).rejects.toThrow(/jitaudit.config.yaml: \/entra\/tenantId/);
    await expect(collectEntra(ctx(), { env: { JITAUDIT_GRAPH_BASE_URL: 'http://graph.example.com/v1.0' } })).rejects.toThrow(/must be an https URL/);
    await expect(collectEntra(ctx(), { env: { JITAUDIT_GRAPH_BASE_URL: 'nope' } })).rejects.toThrow(/is not a URL/);
  });

  it('assembles into a snapshot valid against the schema, with the AWS half marked not collected', async () => {
    fake = await startFakeGraph(contoso(), { token: TOKEN, pageSize: 2 });
    const saved = { ...process.env };
    Object.assign(process.env, { JITAUDIT_GRAPH_BASE_URL: fake.baseUrl, JITAUDIT_GRAPH_TOKEN: TOKEN, JITAUDIT_GRAPH_TIME_SCALE: '1000' });
    try {
      const snapshot = await collectSnapshot({ config: resolveConfig({}, null), only: 'entra', out: 'x.json', progress: recorder().progress });
      expect(snapshot.entra.groups.provenance.status).toBe('collected');
      expect(snapshot.aws.organization.provenance).toMatchObject({ status: 'missing', error: { code: 'NotCollected' } });
      expect(snapshot.meta.warnings.some((w) => w.message.includes(G_PHANTOM))).toBe(true);
    } finally {
      process.env = saved;
    }
  });
});

describe('Graph client details', () => {
  it('reads Retry-After as fractional seconds or an HTTP date', () => {
    expect(parseRetryAfter('2.128')).toBe(2128);
    expect(parseRetryAfter('0.05')).toBe(50);
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
    const now = Date.parse('2026-10-01T06:00:00Z');
    expect(parseRetryAfter('Thu, 01 Oct 2026 06:00:05 GMT', now)).toBe(5000);
  });

  it('puts each request in its documented limit tier with its resource-unit cost', () => {
    expect(tierOf('/reports/authenticationMethods/userRegistrationDetails')).toEqual({ tier: 'reports', cost: 1 });
    expect(tierOf('/identity/conditionalAccess/policies?$select=id')).toEqual({ tier: 'conditionalAccess', cost: 1 });
    expect(tierOf('/identityGovernance/privilegedAccess/group/eligibilitySchedules?$filter=x')).toMatchObject({ tier: 'governance' });
    expect(tierOf('/policies/roleManagementPolicyAssignments?$filter=x')).toMatchObject({ tier: 'governance' });
    expect(tierOf('/groups/g/members?$select=id')).toEqual({ tier: 'directory', cost: 2 });
    expect(tierOf('/groups/g/transitiveMembers')).toEqual({ tier: 'directory', cost: 5 });
    expect(tierOf('/users/u?$select=id')).toEqual({ tier: 'directory', cost: 1 });
    expect(tierOf('/users?$expand=manager')).toEqual({ tier: 'directory', cost: 3 });
  });
});
