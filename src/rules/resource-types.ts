// The collections a rule can iterate (`resource:` in a rule file), what each item holds, and which
// fields are durations or timestamps (CEL sees those as native `duration` / `timestamp` values).
// Each `example` is a complete, clean item: a rule's inline tests are patches merged onto it.

export interface ResourceType {
  description: string;
  /** Dot paths of ISO-8601 duration fields. */
  durations: string[];
  /** Dot paths of RFC 3339 timestamp fields. */
  timestamps: string[];
  /** Snapshot sections the collection is built from: a rule over it is incomplete when one is missing. */
  needs: string[];
  example: Record<string, unknown>;
}

const policyExample = {
  activationMaximum: 'PT1H',
  mfaOnActivation: true,
  justificationOnActivation: true,
  ticketOnActivation: true,
  authenticationContext: null,
  approvalRequired: true,
  approverCount: 2,
  eligibilityExpirationRequired: true,
  eligibilityMaximum: 'P180D',
  activeAssignmentExpirationRequired: true,
  activeAssignmentMaximum: 'P15D',
  mfaOnActiveAssignment: true,
  justificationOnActiveAssignment: true,
};
const policyDurations = ['activationMaximum', 'eligibilityMaximum', 'activeAssignmentMaximum'];

const reachExample = { reachesProd: true, environments: ['prod'], tiers: ['admin'], accountCount: 1 };

const term = (value: string, status = 'collected') => ({ value, unbounded: false, provenance: { status, source: 'example' } });

export const RESOURCE_TYPES: Record<string, ResourceType> = {
  accessPaths: {
    description:
      'Every way a person reaches (account, permission set): kind (pim-eligible, pim-active, direct-member, owner, direct-assignment, unmanaged-ic), standing or JIT, the effective window and the PIM controls behind it.',
    durations: [
      'window.total',
      'window.terms.activation.value',
      'window.terms.scimLag.value',
      'window.terms.portalSession.value',
      'window.terms.permissionSetSession.value',
      'permissionSetDetail.sessionDuration',
      ...policyDurations.map((f) => `controls.${f}`),
    ],
    timestamps: ['schedule.start', 'schedule.end', 'schedule.createdAt', 'activeUntil'],
    needs: ['aws.accountAssignments', 'aws.identityStore', 'aws.permissionSets', 'entra.groups', 'entra.pimSchedules', 'entra.pimPolicies', 'entra.users'],
    example: {
      id: 'pim-eligible:alice@example.com:g1:111111111111:AdministratorAccess',
      kind: 'pim-eligible',
      standing: false,
      principal: { upn: 'alice@example.com', entraUserId: 'u1', identityCenterUserId: 'ic-u1' },
      group: { id: 'g1', name: 'AWS - Prod Admins' },
      account: { id: '111111111111', name: 'payments-prod', environment: 'prod' },
      permissionSet: { arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1', name: 'AdministratorAccess', tier: 'admin' },
      window: {
        total: 'PT3H10M',
        unbounded: false,
        known: true,
        terms: {
          activation: term('PT1H'),
          scimLag: term('PT40M'),
          portalSession: term('PT30M', 'declared'),
          permissionSetSession: term('PT1H'),
        },
      },
      principalDetail: { displayName: 'Alice', enabled: true, userType: 'Member', mfaRegistered: true, identityCenterStatus: 'ENABLED' },
      groupDetail: { pimManaged: true, source: 'entra' },
      controls: policyExample,
      schedule: { start: '2026-01-01T00:00:00Z', end: '2026-12-31T00:00:00Z', createdAt: '2026-01-01T00:00:00Z' },
      activeNow: false,
      activeUntil: null,
      accountDetail: { ouPath: 'Root/Workloads/Prod', tags: { environment: 'prod' }, state: 'ACTIVE' },
      permissionSetDetail: { sessionDuration: 'PT1H' },
    },
  },
  groups: {
    description: 'Entra groups assigned to the Identity Center enterprise app, with what they reach and their access reviews.',
    durations: [],
    timestamps: [],
    needs: ['entra.groups', 'aws.accountAssignments'],
    example: {
      id: 'g1',
      name: 'AWS - Prod Admins',
      pimManaged: true,
      dynamic: false,
      onPremisesSynced: false,
      memberCount: 0,
      ownerCount: 1,
      accessReview: { exists: true, name: 'Quarterly review', recurrence: 'absoluteMonthly' },
      accessReviewsCollected: true,
      ...reachExample,
    },
  },
  pimPolicies: {
    description: 'The PIM-for-Groups policy of each PIM-managed group, for the member and for the owner role, with what the group reaches.',
    durations: policyDurations,
    timestamps: [],
    needs: ['entra.pimPolicies'],
    example: { groupId: 'g1', groupName: 'AWS - Prod Admins', role: 'member', ...policyExample, ...reachExample },
  },
  permissionSets: {
    description: 'Identity Center permission sets with their tier, session duration and what they reach.',
    durations: ['sessionDuration'],
    timestamps: [],
    needs: ['aws.permissionSets'],
    example: {
      arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
      name: 'AdministratorAccess',
      tier: 'admin',
      sessionDuration: 'PT1H',
      managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      customerManagedPolicies: [],
      hasInlinePolicy: false,
      hasPermissionsBoundary: false,
      ...reachExample,
    },
  },
  provisioningJobs: {
    description:
      'The SCIM provisioning job of the enterprise app and its state as of the snapshot: healthy, degraded (per-object errors or escrows, still syncing: escrowed is the count of objects escrowed in the last run, lastRunState its state) or unhealthy (not syncing: missing, paused, quarantined, failing, no run within scim.unhealthyAfter), with the job field that decided (signal) and why (reason).',
    durations: ['interval'],
    timestamps: ['lastRun', 'lastSuccessfulRun'],
    needs: ['entra.provisioning'],
    example: {
      id: 'aws.0000',
      statusCode: 'Active',
      scheduleState: 'Active',
      interval: 'PT40M',
      state: 'healthy',
      healthy: true,
      signal: 'lastExecution.state',
      reason: null,
      lastRun: '2026-01-01T00:00:00Z',
      lastRunState: 'Succeeded',
      escrowed: 0,
      lastSuccessfulRun: '2026-01-01T00:00:00Z',
      quarantined: false,
    },
  },
  portalSession: {
    description: 'The AWS access-portal session duration (declared: no AWS API exposes it).',
    durations: ['duration'],
    timestamps: [],
    needs: [],
    example: { duration: 'PT4H', provenance: 'declared', source: 'config' },
  },
  conditionalAccessPolicies: {
    description:
      'Conditional Access policies: whether each applies to the Identity Center app (targetsApp), is in report-only mode (reportOnly: state enabledForReportingButNotEnforced, grant controls never enforced), requires MFA (requiresMfa; mfaControl: "mfa", or an authentication strength whose combinations are all multifactor), its grant controls, and the conditions that leave part of the app\'s users out (carveOuts: users not included or excluded — an excluded user counts only when assigned to the app —, guests, locations, client app types, platforms, sign-in or user risk, a device filter).',
    durations: [],
    timestamps: [],
    needs: ['entra.conditionalAccess'],
    example: {
      id: 'ca1',
      name: 'Require MFA for AWS',
      state: 'enabled',
      reportOnly: false,
      targetsApp: true,
      requiresMfa: true,
      mfaControl: 'mfa',
      grantControls: ['mfa'],
      blocks: false,
      allUsers: true,
      excludedUsers: 1,
      excludedGroups: 0,
      carveOuts: [],
    },
  },
  conditionalAccessCoverage: {
    description:
      'One item for the Identity Center enterprise app: the enabled Conditional Access policies that require MFA for it with no condition leaving any of its users out (enforcedMfaPolicies; mfaEnforced), the enabled MFA policies some condition carves a population out of, each with its carve-outs (partialMfaPolicies), and the report-only ones.',
    durations: [],
    timestamps: [],
    needs: ['entra.conditionalAccess', 'entra.enterpriseApp', 'entra.groups'],
    example: {
      appId: 'app1',
      appName: 'AWS IAM Identity Center',
      enforcedMfaPolicies: ['Require MFA for AWS'],
      partialMfaPolicies: ['Require MFA off-network (locations: excludes all trusted locations)'],
      reportOnlyMfaPolicies: [],
      mfaEnforced: true,
      excludedFromEnforcement: 1,
    },
  },
  identityCenterUsers: {
    description:
      'Identity Center users, each with the state of its Entra source: entraState is enabled (in the app\'s assignment scope), disabled (accountEnabled false), notInScope (enabled but neither assigned to the app nor a direct member of a group assigned to it), deleted (in Entra\'s deleted items, matched by ExternalId or by its userPrincipalName before the deletion; entraDeletedDateTime says when), absent (not among the users read, which hold every user in scope, and not in the deleted items: unassigned, or deleted more than 30 days ago; deleted or unassigned when the deleted items were not read, as in older snapshots), noSource (no ExternalIds: made in Identity Center, not by SCIM) or unknown (the Entra users, app or groups could not be read). entraStateDetail says the state in words. staleMemberships: Identity Center groups provisioned from an Entra group the user is no longer a direct member of. pendingSync: the change was made by PIM, or the Entra user deleted, less than one provisioning interval ago, so SCIM has not had its turn yet. assigned: the user or one of its groups has an account assignment.',
    durations: [],
    timestamps: ['entraDeletedDateTime'],
    // Not entra.deletedUsers: without it a deleted user reads as absent, which is drift all the same (a
    // finding, never a false clean). Missing, it is listed as incomplete; it holds no gate.
    needs: ['aws.identityStore', 'entra.users', 'entra.enterpriseApp', 'entra.groups'],
    example: {
      userId: '9067a1b2c3-d4e5f6a7-0000-4000-8000-000000000001',
      userName: 'sam.ortiz@contoso.example',
      displayName: 'Sam Ortiz',
      identityCenterStatus: 'ENABLED',
      scim: true,
      externalIds: ['0f1e2d3c-0000-4000-8000-000000000001'],
      entraUserId: null,
      entraUpn: null,
      entraAccountEnabled: null,
      entraState: 'absent',
      entraStateDetail: "absent: not among the users in the app's assignment scope and not in Entra's deleted items (unassigned, or deleted more than 30 days ago)",
      entraDeletedDateTime: null,
      inAppScope: false,
      pendingSync: false,
      staleMemberships: ['AWS - ReadOnly All'],
      assigned: true,
    },
  },
  iamUsers: {
    description: 'IAM users of every account (credential report), with whether each is a declared breakglass user.',
    durations: [],
    timestamps: ['passwordLastUsed', 'createdAt'],
    needs: ['aws.iamUsers'],
    example: {
      accountId: '111111111111',
      accountName: 'management',
      environment: 'prod',
      userName: 'breakglass-1',
      arn: 'arn:aws:iam::111111111111:user/breakglass-1',
      breakglass: true,
      passwordEnabled: true,
      passwordLastUsed: null,
      mfaActive: true,
      mfaDeviceCount: 1,
      activeAccessKeys: 0,
      createdAt: '2025-01-01T00:00:00Z',
    },
  },
  rootUsers: {
    description: 'The root user of every account whose credential report was read.',
    durations: [],
    timestamps: ['passwordLastUsed'],
    needs: ['aws.iamUsers'],
    example: { accountId: '111111111111', accountName: 'management', environment: 'prod', mfaActive: true, accessKeysActive: false, passwordLastUsed: null },
  },
  breakglassUsers: {
    description: 'The breakglass IAM users declared in the config, as found in their accounts.',
    durations: [],
    timestamps: [],
    needs: ['aws.iamUsers'],
    example: {
      accountId: '111111111111',
      accountName: 'management',
      userName: 'breakglass-1',
      accountCollected: true,
      exists: true,
      mfaActive: true,
      activeAccessKeys: 0,
      passwordEnabled: true,
      drills: 1,
    },
  },
  breakglassEvents: {
    description:
      'CloudTrail events of declared breakglass users and of root, with the declared drill or incident of that day. signIn: a sign-in event (signin.amazonaws.com); use: the credentials were used (an API call, or a completed sign-in — ConsoleLogin, UserAuthentication — that did not fail); failedSignIn: a sign-in event whose outcome is Failure (errorMessage says why), which is an attempt, not a use.',
    durations: [],
    timestamps: ['eventTime'],
    needs: ['aws.cloudTrail'],
    example: {
      eventId: 'e1',
      eventTime: '2026-09-01T10:00:00Z',
      eventName: 'ConsoleLogin',
      eventSource: 'signin.amazonaws.com',
      accountId: '111111111111',
      accountName: 'management',
      actor: 'breakglass',
      userName: 'breakglass-1',
      signIn: true,
      use: true,
      failedSignIn: false,
      mfaUsed: true,
      outcome: 'Success',
      errorMessage: null,
      region: 'us-east-1',
      sourceIpAddress: '203.0.113.10',
      declaredDrill: { ticket: 'CHG-1', kind: 'drill' },
    },
  },
  federationEvents: {
    description:
      'Identity Center credential fetches (Federate, GetRoleCredentials) from CloudTrail, each judged against the access the person had at the event\'s time: their paths whose PIM schedule already existed then, and the PIM history (granted activations ending at the earliest of schedule end, deactivation and policy maximum; admin assignments until removed). attribution is attributed, unknown-user, unknown-target or no-path (with attributionProblem saying why); refusedRequest is a denied, cancelled, failed or revoked activation request whose window holds the fetch; judgedAgainst says what the judgement assumed.',
    durations: [],
    timestamps: ['eventTime', 'activation.start', 'activation.end'],
    // entra.eligibilityRequests is optional: absent (an older snapshot), today's eligibility decides, as judgedAgainst says.
    needs: ['aws.cloudTrail', 'entra.activations', 'entra.eligibilityRequests'],
    example: {
      eventId: 'e2',
      eventTime: '2026-09-01T10:30:00Z',
      eventName: 'GetRoleCredentials',
      upn: 'alice@example.com',
      accountId: '111111111111',
      accountName: 'payments-prod',
      environment: 'prod',
      permissionSetName: 'AdministratorAccess',
      succeeded: true,
      attribution: 'attributed',
      attributionProblem: null,
      standingAccess: false,
      jitAccess: true,
      activationHistoryCovered: true,
      activation: { requestId: 'r1', start: '2026-09-01T10:00:00Z', end: '2026-09-01T11:00:00Z', endedBy: 'schedule' },
      refusedRequest: null,
      judgedAgainst: "PIM history at the event's time (Identity Center assignments as of the snapshot)",
    },
  },
  waivers: {
    description: 'The waivers of the config file, with whether each has expired as of the snapshot.',
    durations: [],
    timestamps: ['expires'],
    needs: [],
    example: { rule: 'some-rule', resource: 'some-id', reason: 'why', owner: 'team', expires: '2027-01-31T23:59:59Z', expired: false },
  },
};
