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
    description: 'The SCIM provisioning job of the enterprise app and whether it is healthy as of the snapshot.',
    durations: ['interval'],
    timestamps: ['lastSuccessfulRun'],
    needs: ['entra.provisioning'],
    example: {
      id: 'aws.0000',
      statusCode: 'Active',
      scheduleState: 'Active',
      interval: 'PT40M',
      healthy: true,
      reason: null,
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
    description: 'Conditional Access policies, with whether each applies to the Identity Center app and requires MFA.',
    durations: [],
    timestamps: [],
    needs: ['entra.conditionalAccess'],
    example: {
      id: 'ca1',
      name: 'Require MFA for AWS',
      state: 'enabled',
      targetsApp: true,
      requiresMfa: true,
      blocks: false,
      allUsers: true,
      excludedUsers: 1,
      excludedGroups: 0,
    },
  },
  conditionalAccessCoverage: {
    description:
      'One item for the Identity Center enterprise app: the enabled Conditional Access policies that require MFA for it for all users (enforcedMfaPolicies; mfaEnforced), those that cover only some users (partialMfaPolicies), and the report-only ones.',
    durations: [],
    timestamps: [],
    needs: ['entra.conditionalAccess', 'entra.enterpriseApp'],
    example: {
      appId: 'app1',
      appName: 'AWS IAM Identity Center',
      enforcedMfaPolicies: ['Require MFA for AWS'],
      partialMfaPolicies: [],
      reportOnlyMfaPolicies: [],
      mfaEnforced: true,
      excludedFromEnforcement: 1,
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
    description: 'CloudTrail events of declared breakglass users and of root, with the declared drill or incident of that day.',
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
      mfaUsed: true,
      outcome: 'Success',
      sourceIpAddress: '203.0.113.10',
      declaredDrill: { ticket: 'CHG-1', kind: 'drill' },
    },
  },
  federationEvents: {
    description:
      'Identity Center credential fetches (Federate, GetRoleCredentials) from CloudTrail, set against the person\'s PIM activations of the groups that grant that account and permission set.',
    durations: [],
    timestamps: ['eventTime', 'activation.start', 'activation.end'],
    needs: ['aws.cloudTrail', 'entra.activations'],
    example: {
      eventId: 'e2',
      eventTime: '2026-09-01T10:30:00Z',
      eventName: 'GetRoleCredentials',
      upn: 'alice@example.com',
      accountId: '111111111111',
      accountName: 'payments-prod',
      environment: 'prod',
      permissionSetName: 'AdministratorAccess',
      standingAccess: false,
      jitAccess: true,
      activationHistoryCovered: true,
      activation: { start: '2026-09-01T10:00:00Z', end: '2026-09-01T11:00:00Z' },
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
