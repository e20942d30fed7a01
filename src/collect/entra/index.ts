// The Entra collector: Microsoft Graph, read-only, into Snapshot['entra'].
//
// Order (independent sections run side by side):
//   tenant, conditional access, enterprise app
//   └─ groups, PIM schedules, activations, eligibility requests, provisioning, access reviews (need the app's groups / id)
//      ├─ PIM policies (for the groups PIM governs)
//      └─ users (everyone on any path) └─ MFA registration
// Deleted users (the directory's deleted items) need nothing and run with the first three; so do the
// directory roles and the workload identities with Graph write permissions. The app's owners and the
// access packages that hand out the app's groups need the app.
// A failure on one section never stops the run: that section is `missing` with the error and the
// permission that fixes it; sections that need it are missing too, saying which one they needed.
import type { Snapshot } from '../../model/snapshot-schema.js';
import { inputError } from '../../util/errors.js';
import type { Collector, CollectorContext } from '../collectors.js';
import { collected, missing, type Section } from '../section.js';
import { ACCESS_PACKAGES_SOURCE, collectAccessPackages } from './access-packages.js';
import { ACCESS_REVIEWS_SOURCE, collectAccessReviews } from './access-reviews.js';
import { ACTIVATIONS_SOURCE, collectActivations } from './activations.js';
import { APP_OWNERS_SOURCE, collectAppOwners } from './app-owners.js';
import { SIGN_IN_HELP, checkTenant, tokenSource, type TokenSource } from './auth.js';
import { ELIGIBILITY_REQUESTS_SOURCE, collectEligibilityRequests } from './eligibility-requests.js';
import { DependencyMissing, FailureWithFix, PERMISSION, type EntraRun, type EntraSection } from './common.js';
import { CONDITIONAL_ACCESS_SOURCE, collectConditionalAccess } from './conditional-access.js';
import { DELETED_USERS_SOURCE, collectDeletedUsers } from './deleted-users.js';
import { DIRECTORY_ROLES_SOURCE, collectDirectoryRoles } from './directory-roles.js';
import { ENTERPRISE_APP_SOURCE, assignedGroupIds, assignedUserIds, collectEnterpriseApp } from './enterprise-app.js';
import { DEFAULT_GRAPH_BASE_URL, Graph, GraphFailure, checkBaseUrl, toFailure, type GraphSettings } from './graph-client.js';
import { GROUPS_SOURCE, collectGroups } from './groups.js';
import { MFA_SOURCE, collectMfaRegistration, listRegistrationReport, listsWholeReport } from './mfa-registration.js';
import { PIM_POLICIES_SOURCE, collectPimPolicies } from './pim-policies.js';
import { PIM_SCHEDULES_SOURCE, collectPimSchedules, pimGroupIds, pimPrincipalIds } from './pim-schedules.js';
import { PROVISIONING_SOURCE, collectProvisioning } from './provisioning.js';
import { TENANT_SOURCE, collectTenant } from './tenant.js';
import { USERS_SOURCE, collectUsers } from './users.js';
import { WORKLOAD_IDENTITIES_SOURCE, collectWorkloadIdentities } from './workload-identities.js';

type Entra = Snapshot['entra'];
// NonNullable twice: deletedUsers is optional in the snapshot (older ones have none).
type Data<K extends EntraSection> = NonNullable<NonNullable<Entra[K]>['data']>;

export interface EntraOptions {
  env?: NodeJS.ProcessEnv;
  /** Tests: a token source instead of JITAUDIT_GRAPH_TOKEN / DefaultAzureCredential. */
  tokens?: TokenSource;
  /** Tests and benchmarks: Graph client settings (time scale, retries, concurrency). */
  graph?: Partial<Omit<GraphSettings, 'baseUrl' | 'getToken'>>;
}

/** Validate the inputs before anything touches the network: a bad one is exit 2, one line. */
export function resolveEntraInputs(ctx: CollectorContext, env: NodeJS.ProcessEnv = process.env) {
  const configFile = ctx.config.file ?? 'config';
  const fromEnv = env.JITAUDIT_GRAPH_BASE_URL?.trim();
  const baseUrl = fromEnv
    ? checkBaseUrl(fromEnv, 'JITAUDIT_GRAPH_BASE_URL')
    : checkBaseUrl(ctx.config.raw.entra?.graphBaseUrl ?? DEFAULT_GRAPH_BASE_URL, `${configFile}: /entra/graphBaseUrl`);
  const tenant = ctx.tenant
    ? checkTenant(ctx.tenant, '--tenant')
    : ctx.config.raw.entra?.tenantId
      ? checkTenant(ctx.config.raw.entra.tenantId, `${configFile}: /entra/tenantId`)
      : null;
  const scale = env.JITAUDIT_GRAPH_TIME_SCALE?.trim();
  let timeScale = 1;
  if (scale) {
    timeScale = Number(scale);
    if (!Number.isFinite(timeScale) || timeScale < 1) throw inputError('JITAUDIT_GRAPH_TIME_SCALE', null, `"${scale}" must be a number ≥ 1`);
  }
  return { baseUrl, tenant, timeScale };
}

export async function collectEntra(ctx: CollectorContext, options: EntraOptions = {}): Promise<Entra> {
  const env = options.env ?? process.env;
  const { baseUrl, tenant, timeScale } = resolveEntraInputs(ctx, env);
  const tokens = options.tokens ?? tokenSource({ baseUrl, tenant, env });
  const startedAt = new Date();

  // Sign in once up front: with no usable credentials, every section says so (no crash, no 11 retries).
  try {
    await tokens.getToken();
  } catch (error) {
    const message = `cannot get a Microsoft Graph token via ${tokens.describe}: ${String((error as Error)?.message ?? error).split('\n')[0]}`;
    const failure = { status: null, code: 'AuthenticationFailed', message };
    const out = Object.fromEntries(
      (Object.keys(PERMISSION) as EntraSection[]).map((s) => {
        ctx.progress.start(`entra.${s}`);
        ctx.progress.done(`entra.${s}`, 'missing', 'AuthenticationFailed');
        return [s, missing(failure, SIGN_IN_HELP)];
      }),
    );
    return out as unknown as Entra;
  }

  const graph = new Graph({ baseUrl, getToken: () => tokens.getToken(), timeScale, ...options.graph });
  const run: EntraRun = { graph, ctx, startedAt, tick: (s, d) => ctx.progress.tick(s, d) };

  /** Run one section: progress, provenance, and `missing` instead of an exception. */
  async function section<K extends EntraSection>(
    name: K,
    source: string,
    needs: { [D in EntraSection]?: Section<unknown> },
    fn: () => Promise<Data<K>>,
    count: (d: Data<K>) => string,
  ): Promise<Section<Data<K>>> {
    const label = `entra.${name}`;
    ctx.progress.start(label);
    for (const [dep, s] of Object.entries(needs) as [EntraSection, Section<unknown>][]) {
      if (s.provenance.status === 'missing') {
        const cause = new DependencyMissing(dep, new GraphFailure(s.provenance.error.status, s.provenance.error.code, s.provenance.error.message));
        ctx.progress.done(label, 'missing', `needs entra.${dep}`);
        return missing({ status: cause.status, code: 'DependencyMissing', message: cause.message }, s.provenance.fix);
      }
    }
    try {
      const data = await fn();
      ctx.progress.done(label, 'collected', count(data));
      return collected(data, source, new Date());
    } catch (error) {
      const f = toFailure(error);
      ctx.progress.done(label, 'missing', `${f.status ?? ''} ${f.code}`.trim());
      return missing({ status: f.status, code: f.code, message: f.message }, f instanceof FailureWithFix ? f.fix : PERMISSION[name]);
    }
  }
  const n = (items: unknown[], what: string) => `${items.length} ${what}`;

  // Who can get around PIM for Groups: started now, awaited at the end (they need nothing else but the app).
  const rolesP = section('directoryRoles', DIRECTORY_ROLES_SOURCE, {}, () => collectDirectoryRoles(run), (d) => `${n(d.assignments, 'assignments')}, ${n(d.eligibilities, 'eligibilities')}`);
  const workloadP = section('workloadIdentities', WORKLOAD_IDENTITIES_SOURCE, {}, () => collectWorkloadIdentities(run), (d) => n(d.servicePrincipals, 'service principals'));
  const [tenantS, caS, appS, deletedS] = await Promise.all([
    section('tenant', TENANT_SOURCE, {}, () => collectTenant(run), (d) => d.displayName),
    section('conditionalAccess', CONDITIONAL_ACCESS_SOURCE, {}, () => collectConditionalAccess(run), (d) => n(d, 'policies')),
    section('enterpriseApp', ENTERPRISE_APP_SOURCE, {}, () => collectEnterpriseApp(run), (d) => n(d.appRoleAssignments, 'assignments')),
    section('deletedUsers', DELETED_USERS_SOURCE, {}, () => collectDeletedUsers(run), (d) => n(d, 'deleted users')),
  ]);
  // Not a section the coverage table lists (older snapshots have none): say here what its loss costs.
  if (deletedS.provenance.status === 'missing') {
    ctx.warn('entra.deletedUsers', `not collected (${deletedS.provenance.error.code}; needs ${PERMISSION.deletedUsers}): an Identity Center user whose Entra source is not found is reported as absent, deleted or not`);
  }
  const app = appS.data;
  const groupIds = app ? assignedGroupIds(app) : [];
  const needApp = { enterpriseApp: appS };
  const ownersP = section('appOwners', APP_OWNERS_SOURCE, needApp, () => collectAppOwners(run, app!), (d) => n([...d.servicePrincipalOwners, ...d.applicationOwners], 'owners'));

  const packagesP = section('accessPackages', ACCESS_PACKAGES_SOURCE, needApp, () => collectAccessPackages(run, groupIds), (d) => n(d.packages, 'access packages'));
  const groupsP = section('groups', GROUPS_SOURCE, needApp, () => collectGroups(run, groupIds), (d) => n(d, 'groups'));
  // When the app's users and the groups' members and owners alone are too many to filter the MFA
  // report by id, it will be listed whole: start that listing now, beside the PIM reads (its tier
  // allows 5 requests per 10 s, so for a large tenant it is the longest chain), not after the users.
  const mfaListing = groupsP.then((g) => {
    const known = new Set([
      ...(app ? assignedUserIds(app) : []),
      ...(g.data ?? []).flatMap((x) => [...x.members, ...x.owners].filter((m) => m.type === 'user').map((m) => m.id)),
    ]);
    return app && listsWholeReport(known.size) ? listRegistrationReport(run) : null;
  });
  mfaListing.catch(() => {}); // a failure surfaces in the mfaRegistration section, which awaits it
  const [groupsS, pimS, activationsS, eligibilityS, provisioningS, reviewsS] = await Promise.all([
    groupsP,
    section('pimSchedules', PIM_SCHEDULES_SOURCE, needApp, () => collectPimSchedules(run, groupIds), (d) => n(d.eligibilitySchedules, 'eligibilities') + `, ${n(d.assignmentSchedules, 'active assignments')}`),
    section('activations', ACTIVATIONS_SOURCE, needApp, () => collectActivations(run, groupIds), (d) => n(d, 'activations')),
    section('eligibilityRequests', ELIGIBILITY_REQUESTS_SOURCE, needApp, () => collectEligibilityRequests(run, groupIds), (d) => n(d, 'eligibility requests')),
    section('provisioning', PROVISIONING_SOURCE, needApp, () => collectProvisioning(run, app!.servicePrincipalId), (d) => n(d.jobs, 'jobs')),
    section('accessReviews', ACCESS_REVIEWS_SOURCE, needApp, () => collectAccessReviews(run, groupIds), (d) => n(d, 'definitions')),
  ]);

  // PIM policies only for groups PIM governs (fewer calls, fewer 429s); when the
  // schedules could not be read, ask for every assigned group rather than guess.
  const policyGroups = pimS.data ? pimGroupIds(pimS.data) : groupIds;
  const groups = groupsS.data ?? [];
  const groupSet = new Set(groupIds);
  const userIds = [
    ...(app ? assignedUserIds(app) : []),
    ...groups.flatMap((g) => [...g.members, ...g.owners].filter((m) => m.type === 'user').map((m) => m.id)),
    ...(pimS.data ? pimPrincipalIds(pimS.data) : []),
    ...(activationsS.data ?? []).map((a) => a.principalId),
    ...(eligibilityS.data ?? []).map((a) => a.principalId),
  ].filter((id) => !groupSet.has(id));
  const uniqueUsers = [...new Set(userIds)].sort();
  const incompleteSources = (['groups', 'pimSchedules', 'activations', 'eligibilityRequests'] as const).filter(
    (s) => ({ groups: groupsS, pimSchedules: pimS, activations: activationsS, eligibilityRequests: eligibilityS })[s].provenance.status === 'missing',
  );
  // Not a section the coverage table lists (older snapshots have none): say here what its loss costs.
  if (eligibilityS.provenance.status === 'missing') {
    ctx.warn('entra.eligibilityRequests', `not collected (${eligibilityS.provenance.error.code}; needs ${eligibilityS.provenance.fix ?? PERMISSION.eligibilityRequests}): credential fetches are judged against the current eligibility, and a removed one is seen only through its activations`);
  }

  const [policiesS, usersS] = await Promise.all([
    section('pimPolicies', PIM_POLICIES_SOURCE, needApp, () => collectPimPolicies(run, policyGroups), (d) => n(d, 'policies')),
    section('users', USERS_SOURCE, needApp, async () => {
      if (incompleteSources.length) {
        ctx.warn('entra.users', `incomplete: the users named only by ${incompleteSources.map((s) => `entra.${s}`).join(', ')} (not collected) are not in the snapshot`);
      }
      return collectUsers(run, uniqueUsers);
    }, (d) => n(d, 'users')),
  ]);
  const [rolesS, ownersS, workloadS, packagesS] = await Promise.all([rolesP, ownersP, workloadP, packagesP]);
  const mfaS = await section('mfaRegistration', MFA_SOURCE, { ...needApp, users: usersS }, () => collectMfaRegistration(run, (usersS.data ?? []).map((u) => u.id), mfaListing), (d) => n(d, 'users'));

  return {
    tenant: tenantS,
    enterpriseApp: appS,
    provisioning: provisioningS,
    groups: groupsS,
    users: usersS,
    deletedUsers: deletedS,
    mfaRegistration: mfaS,
    pimSchedules: pimS,
    pimPolicies: policiesS,
    activations: activationsS,
    eligibilityRequests: eligibilityS,
    conditionalAccess: caS,
    accessReviews: reviewsS,
    directoryRoles: rolesS,
    appOwners: ownersS,
    workloadIdentities: workloadS,
    accessPackages: packagesS,
  } as Entra;
}

export const entraCollector: Collector<'entra'> = (ctx) => collectEntra(ctx);
