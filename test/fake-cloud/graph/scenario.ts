// The "Contoso" scenario for the fake Graph, in the shapes Graph documents (PascalCase enums as the
// examples return them), with times relative to now so that "now" at collection is meaningful:
//   AWS - Prod Admins (PIM): alice eligible, bob eligible + activated now, carol active assignment,
//     dave a plain owner; member policy: 8 h activations, justification only (no MFA), no approval.
//   AWS - ReadOnly (not under PIM): erin a plain member.
//   A "phantom" group assigned to the app that 404s. Frank assigned to the app directly.
//   The provisioning job is in quarantine; the only MFA policy for the app is report-only.
// awsHalf() is a matching AWS half (Identity Center provisioned from these groups), so the audit
// can draw access paths from an Entra-only collection.
import { pimPolicyRules } from '../../../src/demo/pim-policy-rules.js';
import type { Snapshot } from '../../../src/model/snapshot-schema.js';
import type { GraphScenario } from './server.js';

export const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const SP_ID = '5b0e1f2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
export const APP_ID = 'c1b2a3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
export const APP_NAME = 'AWS IAM Identity Center (successor to AWS Single Sign-On)';
export const G_ADMINS = 'aa000000-0000-4000-a000-000000000001';
export const G_READONLY = 'aa000000-0000-4000-a000-000000000002';
export const G_PHANTOM = 'aa000000-0000-4000-a000-000000000099';
export const U = {
  alice: 'bb000000-0000-4000-a000-00000000000a',
  bob: 'bb000000-0000-4000-a000-00000000000b',
  carol: 'bb000000-0000-4000-a000-00000000000c',
  dave: 'bb000000-0000-4000-a000-00000000000d',
  erin: 'bb000000-0000-4000-a000-00000000000e',
  frank: 'bb000000-0000-4000-a000-00000000000f',
} as const;
type Who = keyof typeof U;
const upn = (who: Who) => `${who}@contoso.example`;
const APP_ROLE = 'cc000000-0000-4000-a000-000000000001';

const at = (now: number, hours: number) => new Date(now + hours * 3600_000).toISOString().replace('.000Z', 'Z');
const userRef = (who: Who) => ({ '@odata.type': '#microsoft.graph.user', id: U[who], displayName: who[0]!.toUpperCase() + who.slice(1) });

/** The 17 rules of a PIM-for-Groups policy, as Graph returns them (src/demo/pim-policy-rules.ts). */
export function policyRules(p: { activation: string; enabled: string[]; approvers: number }) {
  return pimPolicyRules({
    activation: p.activation,
    onActivation: p.enabled,
    approvers: Array.from({ length: p.approvers }, (_, i) => ({ id: `dd00000${i}-0000-4000-a000-000000000000`, description: null })),
    eligibilityMax: 'P365D',
    activeMax: 'P180D',
    onActiveAssignment: ['Justification'],
  });
}

const scheduleInfo = (start: string, end: string | null) => ({
  startDateTime: start,
  recurrence: null,
  expiration: { type: end ? 'afterDateTime' : 'noExpiration', endDateTime: end, duration: null },
});

export function contoso(now = Date.now()): GraphScenario {
  const sid = (kind: string, who: Who, access = 'member') => `${G_ADMINS}_${access}_${kind}-${U[who].slice(-4)}`;
  const eligibility = (who: Who) => ({
    id: sid('e', who),
    groupId: G_ADMINS,
    principalId: U[who],
    accessId: 'member',
    memberType: 'Direct',
    status: 'Provisioned',
    createdUsing: sid('e', who),
    createdDateTime: at(now, -24 * 30),
    modifiedDateTime: null,
    scheduleInfo: scheduleInfo(at(now, -24 * 30), at(now, 24 * 180)),
  });
  const carolSchedule = {
    id: sid('a', 'carol'),
    groupId: G_ADMINS,
    principalId: U.carol as string,
    accessId: 'member',
    memberType: 'Direct',
    status: 'Provisioned',
    assignmentType: 'Assigned',
    createdUsing: sid('a', 'carol'),
    createdDateTime: at(now, -24 * 10),
    modifiedDateTime: null,
    scheduleInfo: scheduleInfo(at(now, -24 * 10), at(now, 24 * 170)),
  };
  const bobSchedule = { ...carolSchedule, id: sid('a', 'bob'), principalId: U.bob, assignmentType: 'Activated', createdDateTime: at(now, -0.5), scheduleInfo: scheduleInfo(at(now, -0.5), at(now, 7.5)) };
  const instance = (s: typeof carolSchedule) => ({
    id: `${s.id}-i`,
    groupId: s.groupId,
    principalId: s.principalId,
    accessId: s.accessId,
    memberType: s.memberType,
    startDateTime: s.scheduleInfo.startDateTime,
    endDateTime: s.scheduleInfo.expiration.endDateTime,
    assignmentType: s.assignmentType,
    assignmentScheduleId: s.id,
  });
  const request = (id: string, who: Who, action: string, createdHoursAgo: number, status = 'Provisioned') => ({
    id,
    groupId: G_ADMINS,
    principalId: U[who],
    accessId: 'member',
    action,
    status,
    isValidationOnly: false,
    createdDateTime: at(now, -createdHoursAgo),
    completedDateTime: at(now, -createdHoursAgo),
    approvalId: null,
    customData: null,
    createdBy: { user: { id: U[who] } },
    justification: 'Investigate payment failures',
    ticketInfo: { ticketNumber: null, ticketSystem: null },
    scheduleInfo: { startDateTime: at(now, -createdHoursAgo), recurrence: null, expiration: { type: 'afterDuration', endDateTime: null, duration: 'PT8H' } },
    targetScheduleId: sid('a', who),
  });
  // Shaped like Graph's documented eligibility request (test/fixtures/graph/eligibility-schedule-requests/).
  const eligibilityRequest = (id: string, who: Who, action: string, createdHoursAgo: number, status = 'Provisioned') => ({
    id,
    status,
    completedDateTime: at(now, -createdHoursAgo),
    createdDateTime: at(now, -createdHoursAgo),
    approvalId: null,
    customData: null,
    createdBy: { user: { displayName: null, id: U.dave } },
    action,
    isValidationOnly: false,
    justification: 'Assign eligibility to user for PIM for groups.',
    // Graph's removal sample has no schedule.
    scheduleInfo: action === 'adminRemove' ? null : { startDateTime: at(now, -createdHoursAgo), recurrence: null, expiration: { type: 'afterDateTime', endDateTime: at(now, 24 * 180), duration: null } },
    ticketInfo: { ticketNumber: null, ticketSystem: null },
    accessId: 'member',
    principalId: U[who],
    groupId: G_ADMINS,
    targetScheduleId: `${G_ADMINS}_member_e-${U[who].slice(-4)}`,
  });
  const users = (Object.keys(U) as Who[]).map((who) => ({
    id: U[who],
    userPrincipalName: upn(who),
    displayName: who[0]!.toUpperCase() + who.slice(1),
    accountEnabled: true,
    userType: 'Member',
    onPremisesSyncEnabled: null,
    mail: upn(who),
    jobTitle: 'Engineer',
  }));
  const scenario: GraphScenario = {
    organization: { id: TENANT_ID, displayName: 'Contoso', verifiedDomains: [{ name: 'contoso.onmicrosoft.com', isDefault: false }, { name: 'contoso.example', isDefault: true }] } as GraphScenario['organization'],
    servicePrincipals: [
      {
        id: SP_ID,
        appId: APP_ID,
        displayName: APP_NAME,
        servicePrincipalType: 'Application',
        appRoleAssignedTo: [
          ...[[G_ADMINS, 'AWS - Prod Admins'], [G_READONLY, 'AWS - ReadOnly'], [G_PHANTOM, 'AWS - Deleted']].map(([id, name]) => ({
            id: `ar-${id}`, appRoleId: APP_ROLE, createdDateTime: at(now, -24 * 400), principalDisplayName: name, principalId: id, principalType: 'Group', resourceDisplayName: APP_NAME, resourceId: SP_ID,
          })),
          { id: 'ar-frank', appRoleId: APP_ROLE, createdDateTime: at(now, -24 * 400), principalDisplayName: 'Frank', principalId: U.frank, principalType: 'User', resourceDisplayName: APP_NAME, resourceId: SP_ID },
        ],
        synchronizationJobs: [
          {
            id: 'aWSSingleSignOn.72f988bf86f141af91ab2d7cd011db47.5b0e1f2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
            templateId: 'aWSSingleSignOn',
            schedule: { expiration: null, interval: 'PT40M', state: 'Active' },
            status: {
              code: 'Quarantine',
              countSuccessiveCompleteFailures: 12,
              escrowsPruned: false,
              lastExecution: { activityIdentifier: null, countEntitled: 0, countEntitledForProvisioning: 0, countEscrowed: 0, countEscrowedRaw: 0, countExported: 0, countExports: 0, countImported: 0, countImportedDeltas: 0, countImportedReferenceDeltas: 0, error: { code: 'SystemForCrossDomainIdentityManagementCredentialsInvalid', message: 'The SCIM endpoint rejected the credentials.', tenantActionable: true }, state: 'Failed', timeBegan: at(now, -1), timeEnded: at(now, -0.9) },
              lastSuccessfulExecution: { activityIdentifier: null, countEntitled: 0, countEntitledForProvisioning: 0, countEscrowed: 0, countEscrowedRaw: 0, countExported: 0, countExports: 0, countImported: 0, countImportedDeltas: 0, countImportedReferenceDeltas: 0, error: null, state: 'Succeeded', timeBegan: at(now, -24 * 3), timeEnded: at(now, -24 * 3 + 0.1) },
              lastSuccessfulExecutionWithExports: null,
              progress: [],
              quarantine: { currentBegan: at(now, -48), nextAttempt: at(now, 4), reason: 'EncounteredQuarantineException', seriesBegan: at(now, -48), seriesCount: 6, error: { code: 'SystemForCrossDomainIdentityManagementCredentialsInvalid', message: 'The SCIM endpoint rejected the credentials.', tenantActionable: true } },
              steadyStateFirstAchievedTime: at(now, -24 * 300),
              steadyStateLastAchievedTime: at(now, -24 * 3),
              synchronizedEntryCountByType: [],
              troubleshootingUrl: null,
            },
            synchronizationJobSettings: [{ name: 'QuarantineTooManyDeletesThreshold', value: '500' }],
          },
        ],
      },
    ],
    groups: [
      { id: G_ADMINS, displayName: 'AWS - Prod Admins', description: 'Administrator access to production', securityEnabled: true, isAssignableToRole: false, onPremisesSyncEnabled: null, membershipRule: null, mailEnabled: false, members: [userRef('bob'), userRef('carol')], owners: [userRef('dave')] },
      { id: G_READONLY, displayName: 'AWS - ReadOnly', description: 'Read-only everywhere', securityEnabled: true, isAssignableToRole: false, onPremisesSyncEnabled: null, membershipRule: null, mailEnabled: false, members: [userRef('erin')], owners: [] },
    ],
    users,
    userRegistrationDetails: (Object.keys(U) as Who[]).map((who) => ({
      id: U[who],
      userPrincipalName: upn(who),
      userDisplayName: who,
      userType: 'member',
      isAdmin: false,
      isSsprRegistered: false,
      isSsprEnabled: false,
      isSsprCapable: false,
      isMfaRegistered: who !== 'carol',
      isMfaCapable: who !== 'carol',
      isPasswordlessCapable: false,
      methodsRegistered: who === 'carol' ? [] : ['microsoftAuthenticatorPush', 'fido2'],
      defaultMfaMethod: 'none',
      isSystemPreferredAuthenticationMethodEnabled: false,
      userPreferredMethodForSecondaryAuthentication: 'none',
      systemPreferredAuthenticationMethods: [],
      lastUpdatedDateTime: at(now, -24),
    })),
    eligibilitySchedules: [eligibility('alice'), eligibility('bob')],
    assignmentSchedules: [carolSchedule, bobSchedule],
    eligibilityScheduleInstances: [eligibility('alice'), eligibility('bob')].map((e) => ({
      id: `${e.id}-i`, groupId: e.groupId, principalId: e.principalId, accessId: e.accessId, memberType: e.memberType,
      startDateTime: e.scheduleInfo.startDateTime, endDateTime: e.scheduleInfo.expiration.endDateTime, eligibilityScheduleId: e.id,
    })),
    assignmentScheduleInstances: [instance(carolSchedule), instance(bobSchedule)],
    assignmentScheduleRequests: [
      request('req-bob-now', 'bob', 'selfActivate', 0.5),
      request('req-alice-old', 'alice', 'selfActivate', 24 * 60), // outside the P30D look-back
      request('req-carol-admin', 'carol', 'adminAssign', 24 * 10),
      request('req-alice-recent', 'alice', 'selfActivate', 24 * 5),
      // Kept with their real action and status: the analysis decides what granted access.
      request('req-alice-denied', 'alice', 'selfActivate', 24 * 2, 'Denied'),
      request('req-bob-end', 'bob', 'selfDeactivate', 0.25),
    ],
    eligibilityScheduleRequests: [
      eligibilityRequest('ereq-alice-old', 'alice', 'adminAssign', 24 * 40), // outside the P30D look-back
      // Erin was eligible for 17 days, then removed: no current schedule shows it.
      eligibilityRequest('ereq-erin-assign', 'erin', 'adminAssign', 24 * 20),
      eligibilityRequest('ereq-erin-remove', 'erin', 'adminRemove', 24 * 3, 'Revoked'), // Graph's status for a removal that took effect
      eligibilityRequest('ereq-dave-failed', 'dave', 'adminAssign', 24 * 4, 'Failed'),
    ],
    policyAssignments: (['member', 'owner'] as const).map((role) => ({
      id: `Group_${G_ADMINS}_pol-${role}_${role}`,
      policyId: `Group_${G_ADMINS}_pol-${role}`,
      scopeId: G_ADMINS,
      scopeType: 'Group',
      roleDefinitionId: role,
      policy: {
        id: `Group_${G_ADMINS}_pol-${role}`,
        displayName: 'Directory',
        description: 'Directory',
        isOrganizationDefault: false,
        scopeId: G_ADMINS,
        scopeType: 'Group',
        lastModifiedDateTime: null,
        lastModifiedBy: null,
        rules: role === 'member' ? policyRules({ activation: 'PT8H', enabled: ['Justification'], approvers: 0 }) : policyRules({ activation: 'PT1H', enabled: ['MultiFactorAuthentication', 'Justification'], approvers: 1 }),
      },
    })),
    conditionalAccessPolicies: [
      {
        id: 'ca-0001-block-legacy',
        templateId: null,
        displayName: 'CA001 - Block legacy authentication',
        createdDateTime: at(now, -24 * 500),
        modifiedDateTime: null,
        state: 'enabled',
        sessionControls: null,
        conditions: {
          userRiskLevels: [], signInRiskLevels: [], clientAppTypes: ['exchangeActiveSync', 'other'], platforms: null, locations: null,
          applications: { includeApplications: ['All'], excludeApplications: [], includeUserActions: [], includeAuthenticationContextClassReferences: [] },
          users: { includeUsers: ['All'], excludeUsers: [], includeGroups: [], excludeGroups: [], includeRoles: [], excludeRoles: [] },
        },
        grantControls: { operator: 'OR', builtInControls: ['block'], customAuthenticationFactors: [], termsOfUse: [], authenticationStrength: null },
      },
      {
        id: 'ca-0010-mfa-aws',
        templateId: null,
        displayName: 'CA010 - Require MFA for AWS',
        createdDateTime: at(now, -24 * 100),
        modifiedDateTime: null,
        state: 'enabledForReportingButNotEnforced',
        sessionControls: null,
        conditions: {
          userRiskLevels: [], signInRiskLevels: [], clientAppTypes: ['all'], platforms: null, locations: null,
          applications: { includeApplications: [APP_ID], excludeApplications: [], includeUserActions: [], includeAuthenticationContextClassReferences: [] },
          users: { includeUsers: ['All'], excludeUsers: [U.frank], includeGroups: [], excludeGroups: [], includeRoles: [], excludeRoles: [] },
        },
        grantControls: {
          operator: 'OR', builtInControls: [], customAuthenticationFactors: [], termsOfUse: [],
          authenticationStrength: { id: '00000000-0000-0000-0000-000000000002', displayName: 'Multifactor authentication', description: 'Combinations of methods that satisfy strong authentication', policyType: 'builtIn', requirementsSatisfied: 'mfa', allowedCombinations: ['password,microsoftAuthenticatorPush', 'fido2'] },
        },
      },
    ],
    accessReviewDefinitions: [
      {
        id: 'ar-def-admins', displayName: 'Quarterly review: AWS - Prod Admins', status: 'InProgress', descriptionForAdmins: '', descriptionForReviewers: '',
        createdDateTime: at(now, -24 * 200), lastModifiedDateTime: null,
        scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/groups/${G_ADMINS}/transitiveMembers`, queryType: 'MicrosoftGraph', queryRoot: null },
        instanceEnumerationScope: null,
        reviewers: [], fallbackReviewers: [],
        settings: { mailNotificationsEnabled: true, reminderNotificationsEnabled: true, justificationRequiredOnApproval: true, defaultDecisionEnabled: false, defaultDecision: 'None', instanceDurationInDays: 14, autoApplyDecisionsEnabled: true, recommendationsEnabled: true, recurrence: { pattern: { type: 'absoluteMonthly', interval: 3, month: 0, dayOfMonth: 0, daysOfWeek: [], firstDayOfWeek: 'sunday', index: 'first' }, range: { type: 'noEnd', numberOfOccurrences: 0, recurrenceTimeZone: null, startDate: '2026-01-01', endDate: '9999-12-31' } } },
      },
      {
        id: 'ar-def-unrelated', displayName: 'Review: Marketing', status: 'InProgress',
        scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: '/groups/ee000000-0000-4000-a000-000000000001/transitiveMembers', queryType: 'MicrosoftGraph', queryRoot: null },
        instanceEnumerationScope: null,
        settings: { recurrence: { pattern: { type: 'weekly', interval: 1 }, range: { type: 'noEnd' } } },
      },
    ],
  };
  return withWaysAroundPim(scenario, now);
}

/** An AWS half consistent with contoso(): one prod account, Identity Center provisioned from the Entra groups. */
// ---------------------------------------------------------------- ways around PIM for Groups
// Directory roles, the app's owners and the workload identities with Graph write permissions:
//   grace: standing Groups Administrator, tenant-wide; heidi: eligible Privileged Role Administrator
//   (policy: 1 h, MFA, no approval); ivan: User Administrator scoped to one administrative unit.
//   The app's service principal is owned by dave and by the "deploy-bot" service principal; its
//   application object is in another tenant (gallery app: 404).
//   deploy-bot holds GroupMember.ReadWrite.All (kept) and User.Read.All (not a write: left out); owner: erin.
export const MS_GRAPH_SP_ID = 'ee000000-0000-4000-a000-000000000001';
export const DEPLOY_BOT = 'ee000000-0000-4000-a000-0000000000b0';
export const ROLE = {
  groupsAdmin: 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
  privilegedRoleAdmin: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  userAdmin: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
} as const;
export const EXTRA_USERS = { grace: 'bb000000-0000-4000-a000-000000000011', heidi: 'bb000000-0000-4000-a000-000000000012', ivan: 'bb000000-0000-4000-a000-000000000013' } as const;
/** Microsoft Graph application permission ids (Microsoft's permissions reference). */
export const GRAPH_APP_ROLE = {
  'GroupMember.ReadWrite.All': 'dbaae8cf-10b5-4b86-a4a1-f871c94c6695',
  'User.Read.All': 'df021288-bdef-4463-88db-98f22de89214',
  'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup': '618b6020-bca8-4de6-99f6-ef445fa4d857',
} as const;

function withWaysAroundPim(scenario: GraphScenario, now: number): GraphScenario {
  const person = (id: string, name: string) => ({ '@odata.type': '#microsoft.graph.user', id, displayName: name, userPrincipalName: `${name.toLowerCase()}@contoso.example`, accountEnabled: true, userType: 'Member' });
  const bot = { '@odata.type': '#microsoft.graph.servicePrincipal', id: DEPLOY_BOT, displayName: 'deploy-bot', appId: 'ee000000-0000-4000-a000-0000000000a0' };
  const definition = (id: string, displayName: string, actions: string[]) => ({
    id, description: displayName, displayName, isBuiltIn: true, isEnabled: true, templateId: id, version: '1',
    rolePermissions: [{ allowedResourceActions: actions, condition: null }], inheritsPermissionsFrom: [],
  });
  const sp = scenario.servicePrincipals[0]!;
  sp.owners = [{ ...userRef('dave'), userPrincipalName: upn('dave') }, bot];
  scenario.servicePrincipals.push(
    {
      id: MS_GRAPH_SP_ID, appId: '00000003-0000-0000-c000-000000000000', displayName: 'Microsoft Graph', servicePrincipalType: 'Application',
      appRoles: Object.entries(GRAPH_APP_ROLE).map(([value, id]) => ({ allowedMemberTypes: ['Application'], description: value, displayName: value, id, isEnabled: true, origin: 'Application', value })),
      appRoleAssignedTo: [GRAPH_APP_ROLE['GroupMember.ReadWrite.All'], GRAPH_APP_ROLE['User.Read.All']].map((appRoleId, i) => ({
        id: `graph-ar-${i}`, deletedDateTime: null, appRoleId, createdDateTime: at(now, -24 * 90), principalDisplayName: 'deploy-bot', principalId: DEPLOY_BOT, principalType: 'ServicePrincipal', resourceDisplayName: 'Microsoft Graph', resourceId: MS_GRAPH_SP_ID,
      })),
      synchronizationJobs: [],
    },
    { ...bot, servicePrincipalType: 'Application', accountEnabled: true, appRoleAssignedTo: [], synchronizationJobs: [], owners: [{ ...userRef('erin'), userPrincipalName: upn('erin') }] },
  );
  scenario.roleDefinitions = [
    definition(ROLE.groupsAdmin, 'Groups Administrator', ['microsoft.directory/groups/members/update', 'microsoft.directory/groups/owners/update']),
    definition(ROLE.privilegedRoleAdmin, 'Privileged Role Administrator', ['microsoft.directory/roleAssignments/allProperties/allTasks']),
    definition(ROLE.userAdmin, 'User Administrator', ['microsoft.directory/users/password/update']),
    definition('729827e3-9c14-49f7-bb1b-9608f156bbb8', 'Helpdesk Administrator', ['microsoft.directory/users/password/update']), // held by nobody: not kept
  ];
  scenario.roleAssignments = [
    { id: 'ra-grace', principalId: EXTRA_USERS.grace, resourceScope: '/', directoryScopeId: '/', roleDefinitionId: ROLE.groupsAdmin, principal: person(EXTRA_USERS.grace, 'Grace') },
    { id: 'ra-ivan', principalId: EXTRA_USERS.ivan, resourceScope: '/administrativeUnits/au-1', directoryScopeId: '/administrativeUnits/au-1', roleDefinitionId: ROLE.userAdmin, principal: person(EXTRA_USERS.ivan, 'Ivan') },
  ];
  scenario.roleEligibilitySchedules = [
    {
      id: 're-heidi', principalId: EXTRA_USERS.heidi, roleDefinitionId: ROLE.privilegedRoleAdmin, directoryScopeId: '/', appScopeId: null, createdUsing: 're-heidi',
      createdDateTime: at(now, -24 * 60), modifiedDateTime: '0001-01-01T08:00:00Z', status: 'Provisioned', memberType: 'Direct',
      scheduleInfo: scheduleInfo(at(now, -24 * 60), at(now, 24 * 300)), principal: person(EXTRA_USERS.heidi, 'Heidi'),
    },
  ];
  scenario.policyAssignments.push({
    id: `DirectoryRole_${TENANT_ID}_pol-pra_${ROLE.privilegedRoleAdmin}`,
    policyId: `DirectoryRole_${TENANT_ID}_pol-pra`,
    scopeId: '/',
    scopeType: 'DirectoryRole',
    roleDefinitionId: ROLE.privilegedRoleAdmin,
    policy: {
      id: `DirectoryRole_${TENANT_ID}_pol-pra`, displayName: 'DirectoryRole', description: 'DirectoryRole', isOrganizationDefault: false, scopeId: '/', scopeType: 'DirectoryRole', lastModifiedDateTime: null, lastModifiedBy: null,
      rules: policyRules({ activation: 'PT1H', enabled: ['MultiFactorAuthentication', 'Justification'], approvers: 0 }),
    },
  });
  // ivan's administrative unit: a user, a device and the read-only AWS group (the group cast returns the group only).
  scenario.administrativeUnits = [
    {
      id: 'au-1',
      members: [
        { '@odata.type': '#microsoft.graph.user', id: EXTRA_USERS.ivan, displayName: 'Ivan' },
        { '@odata.type': '#microsoft.graph.device', id: 'dd000000-0000-4000-a000-000000000001', displayName: 'Ivan laptop' },
        { '@odata.type': '#microsoft.graph.group', id: G_READONLY, displayName: 'AWS-ReadOnly' },
      ],
    },
  ];
  scenario.applications = [];
  return scenario;
}

export function awsHalf(collectedAt: string): Snapshot['aws'] {
  const c = (source: string) => ({ status: 'collected' as const, source, collectedAt });
  const ic = (id: string) => `9067a1b2c3-${id}`;
  const ps = (name: string) => `arn:aws:sso:::permissionSet/ssoins-1/ps-${name.toLowerCase()}`;
  const who = Object.keys(U) as Who[];
  return {
    organization: { provenance: c('fixture'), data: { id: 'o-contoso', managementAccountId: '111111111111', featureSet: 'ALL', accounts: [{ id: '222222222222', name: 'payments-prod', email: null, state: 'ACTIVE', ouPath: 'Root/Prod', tags: { environment: 'prod' } }] } },
    identityCenter: { provenance: c('fixture'), data: { instanceArn: 'arn:aws:sso:::instance/ssoins-1', identityStoreId: 'd-1234567890', region: 'eu-west-1', ownerAccountId: '111111111111' } },
    identityStore: {
      provenance: c('fixture'),
      data: {
        users: who.map((w) => ({ userId: ic(U[w]), userName: upn(w), displayName: w, externalIds: [{ issuer: 'scim', id: U[w] }], status: 'ENABLED' })),
        groups: [
          { groupId: ic(G_ADMINS), displayName: 'AWS - Prod Admins', description: null, externalIds: [{ issuer: 'scim', id: G_ADMINS }] },
          { groupId: ic(G_READONLY), displayName: 'AWS - ReadOnly', description: null, externalIds: [{ issuer: 'scim', id: G_READONLY }] },
        ],
        memberships: [],
      },
    },
    permissionSets: {
      provenance: c('fixture'),
      data: ['AdministratorAccess', 'ReadOnlyAccess'].map((name) => ({
        arn: ps(name), name, description: null, sessionDuration: 'PT1H', relayState: null,
        managedPolicies: [{ name, arn: `arn:aws:iam::aws:policy/${name}` }], customerManagedPolicies: [], inlinePolicy: null, permissionsBoundary: null,
      })),
    },
    accountAssignments: {
      provenance: c('fixture'),
      data: [
        { accountId: '222222222222', permissionSetArn: ps('AdministratorAccess'), principalType: 'GROUP', principalId: ic(G_ADMINS) },
        { accountId: '222222222222', permissionSetArn: ps('ReadOnlyAccess'), principalType: 'GROUP', principalId: ic(G_READONLY) },
      ],
    },
    portalSession: { provenance: { status: 'declared', source: 'fixture' }, data: { duration: 'PT8H' } },
    iamUsers: { provenance: c('fixture'), data: [] },
    cloudTrail: { provenance: c('fixture'), data: { lookups: [], events: [] } },
  };
}

// ---------------------------------------------------------------- entitlement management
// Access packages that hand out the AWS groups (shapes from Graph's documented samples,
// test/fixtures/entra/access-package-*.json):
//   "AWS Prod Admins (self-service)": Member of AWS - Prod Admins (and a SharePoint site role);
//     policy 1: all users including guests may request, no approval, no expiration;
//     policy 2: admin assignment only (notSpecified), 30 days. frank holds it (delivered, no end);
//     erin held it (expired: history, not kept); ivan's is still being delivered.
//   "AWS ReadOnly owners": Owner of AWS - ReadOnly; members of one group may request, one approval
//     stage, 7 days, quarterly reviews; no one holds it.
//   "Marketing site": a group the app does not know: not collected (and in a catalog of its own).
// Catalog roles (entitlement management's own roles; shape of Graph's "List unifiedRoleAssignments"
// example 3): carol owns the AWS catalog; the AWS requesters group is its access package assignment
// manager; bob reads it (not kept); dave owns the marketing catalog (not kept); erin is a catalog
// creator, tenant-wide (not kept).
export const AP_CATALOG = { aws: 'ca000000-0000-4000-a000-000000000001', marketing: 'ca000000-0000-4000-a000-000000000002' } as const;
export const CATALOG_ROLE = {
  owner: 'ae79f266-94d4-4dab-b730-feca7e132178',
  reader: '44272f93-9762-48e8-af59-1b5351b1d6b3',
  assignmentManager: 'e2182095-804a-4656-ae11-64734e9b7ae5',
  creator: 'ba92d953-d8e0-4e39-a797-0cbedb0a89e8',
} as const;
export const AP = {
  prodAdmins: 'ap000000-0000-4000-a000-000000000001',
  readOnlyOwners: 'ap000000-0000-4000-a000-000000000002',
  marketing: 'ap000000-0000-4000-a000-000000000003',
} as const;
export const AP_POLICY = {
  anyone: 'pp000000-0000-4000-a000-000000000001',
  adminOnly: 'pp000000-0000-4000-a000-000000000002',
  readOnly: 'pp000000-0000-4000-a000-000000000003',
  marketing: 'pp000000-0000-4000-a000-000000000004',
} as const;
export const AP_REQUESTERS = 'aa000000-0000-4000-a000-0000000000f1';
const G_MARKETING = 'aa000000-0000-4000-a000-0000000000f2';

export function withAccessPackages(scenario: GraphScenario, now: number): GraphScenario {
  const groupRole = (pkg: string, n: number, access: 'Member' | 'Owner', groupId: string, name: string) => ({
    id: `${pkg.slice(-4)}-role-${n}_${pkg.slice(-4)}-scope-${n}`,
    createdDateTime: at(now, -24 * 40),
    role: {
      id: `${pkg.slice(-4)}-role-${n}`, displayName: access, description: null, originSystem: 'AadGroup', originId: `${access}_${groupId}`,
      resource: { id: `res-${groupId.slice(-4)}`, displayName: name, description: null, originId: groupId, originSystem: 'AadGroup' },
    },
    scope: { id: `${pkg.slice(-4)}-scope-${n}`, displayName: 'Root', description: 'Root Scope', originId: groupId, originSystem: 'AadGroup', isRootScope: true },
  });
  const requestor = (self: boolean) => ({
    enableTargetsToSelfAddAccess: self, enableTargetsToSelfUpdateAccess: false, enableTargetsToSelfRemoveAccess: true, allowCustomAssignmentSchedule: true,
    enableOnBehalfRequestorsToAddAccess: false, enableOnBehalfRequestorsToUpdateAccess: false, enableOnBehalfRequestorsToRemoveAccess: false, onBehalfRequestors: [],
  });
  const noApproval = { isApprovalRequiredForAdd: false, isApprovalRequiredForUpdate: false, isRequestorJustificationRequired: false, stages: [] };
  const pkg = (id: string, displayName: string, resourceRoleScopes: (Record<string, unknown> & { role: Record<string, unknown>; scope: Record<string, unknown> })[], assignmentPolicies: Record<string, unknown>[], catalogId: string = AP_CATALOG.aws) => ({
    id, displayName, description: displayName, isHidden: false,
    createdDateTime: at(now, -24 * 40), modifiedDateTime: at(now, -24 * 40), resourceRoleScopes, assignmentPolicies,
    catalog: { id: catalogId, displayName: catalogId === AP_CATALOG.aws ? 'AWS access' : 'Marketing', description: '', catalogType: 'userManaged', state: 'published', isExternallyVisible: false },
  });
  scenario.accessPackages = [
    pkg(AP.prodAdmins, 'AWS Prod Admins (self-service)', [
      groupRole(AP.prodAdmins, 1, 'Member', G_ADMINS, 'AWS - Prod Admins'),
      {
        id: '0001-role-2_0001-scope-2', createdDateTime: at(now, -24 * 40),
        role: { id: '0001-role-2', displayName: 'Contributors', description: null, originSystem: 'SharePointOnline', originId: '4', resource: { id: 'res-sp', displayName: 'Runbooks', description: null, originId: 'https://contoso.sharepoint.com/sites/runbooks', originSystem: 'SharePointOnline' } },
        scope: { id: '0001-scope-2', displayName: 'Root', description: 'Root Scope', originId: 'https://contoso.sharepoint.com/sites/runbooks', originSystem: 'SharePointOnline', isRootScope: true },
      },
    ], [
      {
        id: AP_POLICY.anyone, displayName: 'All users', description: 'Anyone in the directory, guests too', allowedTargetScope: 'allDirectoryUsers', specificAllowedTargets: [],
        createdDateTime: at(now, -24 * 40), modifiedDateTime: at(now, -24 * 40),
        expiration: { endDateTime: null, duration: null, type: 'noExpiration' }, requestorSettings: requestor(true), requestApprovalSettings: noApproval, reviewSettings: null,
      },
      {
        id: AP_POLICY.adminOnly, displayName: 'Initial policy', description: 'Administrator direct assignments', allowedTargetScope: 'notSpecified', specificAllowedTargets: [],
        createdDateTime: at(now, -24 * 40), modifiedDateTime: at(now, -24 * 40),
        expiration: { endDateTime: null, duration: 'P30D', type: 'afterDuration' }, requestorSettings: requestor(false), requestApprovalSettings: noApproval, reviewSettings: null,
      },
    ]),
    pkg(AP.readOnlyOwners, 'AWS ReadOnly owners', [groupRole(AP.readOnlyOwners, 1, 'Owner', G_READONLY, 'AWS - ReadOnly')], [
      {
        id: AP_POLICY.readOnly, displayName: 'Requesters', description: 'Members of the requesters group, one approval', allowedTargetScope: 'specificDirectoryUsers',
        specificAllowedTargets: [{ '@odata.type': '#microsoft.graph.groupMembers', groupId: AP_REQUESTERS, description: 'AWS requesters' }],
        createdDateTime: at(now, -24 * 40), modifiedDateTime: at(now, -24 * 40),
        expiration: { endDateTime: null, duration: 'P7D', type: 'afterDuration' }, requestorSettings: requestor(true),
        requestApprovalSettings: {
          isApprovalRequiredForAdd: true, isApprovalRequiredForUpdate: false, isRequestorJustificationRequired: true,
          stages: [{ durationBeforeAutomaticDenial: 'P14D', isApproverJustificationRequired: false, isEscalationEnabled: false, durationBeforeEscalation: 'PT0S',
            primaryApprovers: [{ '@odata.type': '#microsoft.graph.singleUser', userId: U.dave, description: 'Dave' }], fallbackPrimaryApprovers: [], escalationApprovers: [], fallbackEscalationApprovers: [] }],
        },
        reviewSettings: {
          isEnabled: true, expirationBehavior: 'removeAccess', isRecommendationEnabled: true, isReviewerJustificationRequired: true, isSelfReview: false,
          schedule: { startDateTime: at(now, -24 * 30), expiration: { duration: 'P14D', type: 'afterDuration' }, recurrence: { pattern: { type: 'absoluteMonthly', interval: 3, month: 0, dayOfMonth: 0, daysOfWeek: [] }, range: { type: 'noEnd', numberOfOccurrences: 0 } } },
          primaryReviewers: [{ '@odata.type': '#microsoft.graph.requestorManager', managerLevel: 1 }], fallbackReviewers: [],
        },
      },
    ]),
    pkg(AP.marketing, 'Marketing site', [groupRole(AP.marketing, 1, 'Member', G_MARKETING, 'Marketing')], [
      { id: AP_POLICY.marketing, displayName: 'All members', description: '', allowedTargetScope: 'allMemberUsers', specificAllowedTargets: [], expiration: { type: 'noExpiration' }, requestorSettings: requestor(true), requestApprovalSettings: noApproval },
    ], AP_CATALOG.marketing),
  ];
  const catalogRole = (id: string, role: string, principal: Record<string, unknown>, catalog: string | null) => ({
    id, principalId: principal.id, roleDefinitionId: role, ...(catalog ? { appScopeId: `/AccessPackageCatalog/${catalog}` } : { directoryScopeId: '/' }), principal,
  });
  scenario.entitlementRoleAssignments = [
    catalogRole('em-carol-owner', CATALOG_ROLE.owner, userRef('carol'), AP_CATALOG.aws),
    catalogRole('em-requesters-assign', CATALOG_ROLE.assignmentManager, { '@odata.type': '#microsoft.graph.group', id: AP_REQUESTERS, displayName: 'AWS requesters' }, AP_CATALOG.aws),
    catalogRole('em-bob-reader', CATALOG_ROLE.reader, userRef('bob'), AP_CATALOG.aws),
    catalogRole('em-dave-marketing', CATALOG_ROLE.owner, userRef('dave'), AP_CATALOG.marketing),
    catalogRole('em-erin-creator', CATALOG_ROLE.creator, userRef('erin'), null),
  ];
  const subject = (id: string, name: string) => ({ id: `subj-${id.slice(-4)}`, objectId: id, displayName: name, principalName: `${name.toLowerCase()}@contoso.example`, email: `${name.toLowerCase()}@contoso.example`, onPremisesSecurityIdentifier: null, subjectType: 'user', subjectLifecycle: 'governed' });
  const assignment = (id: string, pkgId: string, policy: string, who: Record<string, unknown>, state: string, status: string, start: string, end: string | null) => ({
    id, state, status, expiredDateTime: state === 'expired' ? end : null,
    schedule: { startDateTime: start, recurrence: null, expiration: end ? { endDateTime: end, duration: null, type: 'afterDateTime' } : { endDateTime: null, duration: null, type: 'noExpiration' } },
    accessPackage: { id: pkgId }, assignmentPolicy: { id: policy, displayName: null }, target: who,
  });
  scenario.accessPackageAssignments = [
    assignment('as-frank', AP.prodAdmins, AP_POLICY.anyone, subject(U.frank, 'Frank'), 'delivered', 'Delivered', at(now, -24 * 20), null),
    assignment('as-erin', AP.prodAdmins, AP_POLICY.adminOnly, subject(U.erin, 'Erin'), 'expired', 'Expired', at(now, -24 * 60), at(now, -24 * 30)),
    assignment('as-ivan', AP.prodAdmins, AP_POLICY.adminOnly, subject(EXTRA_USERS.ivan, 'Ivan'), 'delivering', 'Delivering', at(now, -1), at(now, 24 * 29)),
    assignment('as-mkt', AP.marketing, AP_POLICY.marketing, subject(U.alice, 'Alice'), 'delivered', 'Delivered', at(now, -24 * 5), null),
  ];
  return scenario;
}
