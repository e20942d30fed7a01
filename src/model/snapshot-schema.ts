// The snapshot: one JSON document that the collectors write and everything downstream reads.
// Field names follow the Graph and AWS APIs they come from, so a reader can check a
// value against the API reference; the collectors normalise enum casing and nesting only.
import { Type as T, type Static, type TSchema } from '@sinclair/typebox';
import { IsoDuration, Nullable, Obj, StringEnum, Timestamp } from './schema-helpers.js';

export const SNAPSHOT_SCHEMA_VERSION = 1;

// ---------------------------------------------------------------- provenance

const Collected = Obj({
  status: T.Literal('collected'),
  source: T.String({ description: 'The API the data came from, e.g. "GET /groups/{id}/members".' }),
  collectedAt: Timestamp(),
});
const Declared = Obj({
  status: T.Literal('declared'),
  source: T.String({ description: 'Where the value was declared, e.g. "config: aws.portalSessionDuration".' }),
  note: T.Optional(T.String()),
});
const Missing = Obj({
  status: T.Literal('missing'),
  error: Obj({
    status: Nullable(T.Integer({ description: 'HTTP status, when there was one.' })),
    code: T.String(),
    message: T.String(),
  }),
  fix: Nullable(T.String({ description: 'The permission or setting that would let the section be collected.' })),
});
export const Provenance = T.Union([Collected, Declared, Missing]);

/** Every section: data is null exactly when the provenance is `missing` (checked by the loader). */
const Section = <S extends TSchema>(data: S, description: string) =>
  Obj({ provenance: Provenance, data: Nullable(data) }, { description });

// ---------------------------------------------------------------- entra

const EntraUser = Obj({
  id: T.String(),
  userPrincipalName: T.String(),
  displayName: Nullable(T.String()),
  accountEnabled: Nullable(T.Boolean()),
  userType: Nullable(T.String({ description: 'Member or Guest.' })),
  onPremisesSyncEnabled: Nullable(T.Boolean()),
});

// A user in the directory's deleted items: soft-deleted, restorable for 30 days, then gone for good.
const DeletedUser = Obj({
  id: T.String(),
  userPrincipalName: Nullable(T.String({ description: 'As Graph returns it: prefixed with the id without hyphens.' })),
  displayName: Nullable(T.String()),
  deletedDateTime: Nullable(Timestamp()),
});

const MfaRegistration = Obj({
  id: T.String({ description: 'The user id (userRegistrationDetails.id).' }),
  userPrincipalName: T.String(),
  isMfaRegistered: T.Boolean(),
  isMfaCapable: T.Boolean(),
  methodsRegistered: T.Array(T.String()),
  lastUpdatedDateTime: Nullable(Timestamp()),
});

const AppRoleAssignment = Obj({
  principalId: T.String(),
  principalType: T.String({ description: 'User, Group or ServicePrincipal.' }),
  principalDisplayName: Nullable(T.String()),
  appRoleId: T.String(),
});

const EnterpriseApp = Obj({
  servicePrincipalId: T.String(),
  appId: T.String(),
  displayName: T.String(),
  appRoleAssignments: T.Array(AppRoleAssignment),
});

const SyncError = Obj(
  { code: Nullable(T.String()), message: Nullable(T.String()), tenantActionable: Nullable(T.Boolean()) },
  { description: 'synchronizationError.' },
);

const SyncExecution = Obj({
  timeBegan: Nullable(Timestamp()),
  timeEnded: Nullable(Timestamp()),
  state: Nullable(T.String({ description: 'Succeeded, Failed or EntryLevelErrors.' })),
  // Optional: snapshots written before these were kept still load.
  countEscrowed: T.Optional(Nullable(T.Integer({ minimum: 0, description: 'Entries escrowed (per-object errors) in this run.' }))),
  error: T.Optional(Nullable(SyncError)),
});

const SyncJob = Obj({
  id: T.String(),
  templateId: Nullable(T.String()),
  schedule: Obj({
    interval: IsoDuration('How often the job runs; the SCIM lag while the job is healthy.'),
    state: T.String({ description: 'Active, Disabled or Paused.' }),
    expiration: Nullable(Timestamp()),
  }),
  status: Obj({
    code: T.String({ description: 'NotConfigured, NotRun, Active, Paused or Quarantine.' }),
    lastExecution: Nullable(SyncExecution),
    lastSuccessfulExecution: Nullable(SyncExecution),
    quarantine: Nullable(
      Obj({
        currentBegan: Nullable(Timestamp()),
        nextAttempt: Nullable(Timestamp()),
        reason: Nullable(T.String()),
        seriesBegan: Nullable(Timestamp()),
        seriesCount: Nullable(T.Integer()),
        error: T.Optional(Nullable(SyncError)),
      }),
    ),
    countSuccessiveCompleteFailures: T.Integer({ minimum: 0 }),
    escrowsPruned: T.Optional(Nullable(T.Boolean({ description: "true if the job's escrows were pruned during the initial cycle." }))),
    steadyStateFirstAchievedTime: T.Optional(Nullable(Timestamp('When the initial cycle first completed; null: never.'))),
    steadyStateLastAchievedTime: T.Optional(Nullable(Timestamp())),
  }),
});

const DirectoryObjectRef = Obj({
  id: T.String(),
  type: StringEnum(['user', 'group', 'servicePrincipal', 'other']),
  displayName: Nullable(T.String()),
});

const EntraGroup = Obj({
  id: T.String(),
  displayName: T.String(),
  description: Nullable(T.String()),
  securityEnabled: Nullable(T.Boolean()),
  isAssignableToRole: Nullable(T.Boolean()),
  onPremisesSyncEnabled: Nullable(T.Boolean()),
  membershipRule: Nullable(T.String({ description: 'Set for dynamic groups, which PIM cannot govern.' })),
  members: T.Array(DirectoryObjectRef, { description: 'Direct members: includes currently activated PIM members.' }),
  owners: T.Array(DirectoryObjectRef, { description: 'Direct owners: includes currently activated PIM owners.' }),
});

const AccessId = StringEnum(['member', 'owner']);

const ScheduleInfo = Obj({
  startDateTime: Nullable(Timestamp()),
  expiration: Obj({
    type: T.String({ description: 'noExpiration, afterDateTime or afterDuration.' }),
    endDateTime: Nullable(Timestamp()),
    duration: Nullable(IsoDuration()),
  }),
});

const PimSchedule = Obj({
  id: T.String(),
  groupId: T.String(),
  principalId: T.String(),
  accessId: AccessId,
  memberType: T.String({ description: 'Direct or Group.' }),
  status: Nullable(T.String()),
  createdDateTime: Nullable(Timestamp()),
  scheduleInfo: ScheduleInfo,
});

const PimInstance = Obj({
  id: T.String(),
  groupId: T.String(),
  principalId: T.String(),
  accessId: AccessId,
  memberType: T.String(),
  startDateTime: Nullable(Timestamp()),
  endDateTime: Nullable(Timestamp()),
  assignmentType: Nullable(
    StringEnum(['assigned', 'activated'], {
      description: 'Assignment instances only: assigned = active assignment, activated = JIT activation.',
    }),
  ),
  scheduleId: Nullable(T.String({ description: 'assignmentScheduleId or eligibilityScheduleId.' })),
});

const PimSchedules = Obj({
  eligibilitySchedules: T.Array(PimSchedule),
  assignmentSchedules: T.Array(PimSchedule),
  eligibilityInstances: T.Array(PimInstance),
  assignmentInstances: T.Array(PimInstance),
});

const PimPolicyRule = T.Object(
  { id: T.String(), '@odata.type': T.String() },
  { additionalProperties: true, description: 'One of the 17 rules of a PIM policy, as Graph returns it.' },
);

const PimPolicy = Obj({
  groupId: T.String(),
  roleDefinitionId: AccessId,
  policyId: T.String(),
  rules: T.Array(PimPolicyRule),
});

const ActivationRequest = Obj({
  id: T.String(),
  groupId: T.String(),
  principalId: T.String(),
  accessId: AccessId,
  action: T.String({ description: 'selfActivate (a JIT activation), selfDeactivate, adminAssign, adminRemove, adminUpdate, adminExtend or adminRenew.' }),
  status: T.String({ description: 'Provisioned, Granted… (access given) or Denied, Canceled, Failed, Revoked… (none given).' }),
  createdDateTime: Timestamp(),
  completedDateTime: Nullable(Timestamp()),
  justification: Nullable(T.String()),
  ticketInfo: Nullable(Obj({ ticketNumber: Nullable(T.String()), ticketSystem: Nullable(T.String()) })),
  scheduleInfo: Nullable(ScheduleInfo),
  approvalId: Nullable(T.String()),
});

// The same fields as an assignment request; the actions that matter for an eligibility are adminAssign,
// adminUpdate, adminExtend, adminRenew (granted: eligible from its start to its scheduled end) and
// adminRemove (granted: no longer eligible).
const EligibilityRequest = Obj({
  ...ActivationRequest.properties,
  action: T.String({ description: 'adminAssign, adminUpdate, adminExtend, adminRenew (eligibility given) or adminRemove (taken away); selfActivate and selfDeactivate as Graph documents them.' }),
});

const GuestsOrExternalUsers = Obj(
  {
    guestOrExternalUserTypes: T.String({ description: 'Comma-separated: internalGuest, b2bCollaborationGuest, b2bCollaborationMember, b2bDirectConnectUser, otherExternalUser, serviceProvider.' }),
    externalTenants: Nullable(Obj({ membershipKind: Nullable(T.String({ description: 'all or enumerated.' })), members: T.Array(T.String()) })),
  },
  { description: 'conditionalAccessGuestsOrExternalUsers.' },
);

const UserCondition = Obj({
  includeUsers: T.Array(T.String()),
  excludeUsers: T.Array(T.String()),
  includeGroups: T.Array(T.String()),
  excludeGroups: T.Array(T.String()),
  includeRoles: T.Array(T.String()),
  excludeRoles: T.Array(T.String()),
  // Optional here and below: snapshots written before these were kept still load (and say "not recorded").
  includeGuestsOrExternalUsers: T.Optional(Nullable(GuestsOrExternalUsers)),
  excludeGuestsOrExternalUsers: T.Optional(Nullable(GuestsOrExternalUsers)),
});

const ConditionalAccessPolicy = Obj({
  id: T.String(),
  displayName: T.String(),
  state: T.String({ description: 'enabled, disabled or enabledForReportingButNotEnforced.' }),
  conditions: Obj({
    applications: Obj({ includeApplications: T.Array(T.String()), excludeApplications: T.Array(T.String()) }),
    users: UserCondition,
    clientAppTypes: T.Optional(T.Array(T.String(), { description: 'all, browser, mobileAppsAndDesktopClients, exchangeActiveSync, easSupported, other.' })),
    locations: T.Optional(Nullable(Obj({ includeLocations: T.Array(T.String()), excludeLocations: T.Array(T.String()) }))),
    platforms: T.Optional(Nullable(Obj({ includePlatforms: T.Array(T.String()), excludePlatforms: T.Array(T.String()) }))),
    signInRiskLevels: T.Optional(T.Array(T.String())),
    userRiskLevels: T.Optional(T.Array(T.String())),
    deviceFilter: T.Optional(Nullable(Obj({ mode: T.String({ description: 'include or exclude.' }), rule: T.String() }, { description: 'devices.deviceFilter.' }))),
  }),
  grantControls: Nullable(
    Obj({
      operator: T.String(),
      builtInControls: T.Array(T.String()),
      authenticationStrength: Nullable(
        Obj({
          id: T.String(),
          displayName: Nullable(T.String()),
          requirementsSatisfied: Nullable(T.String()),
          allowedCombinations: T.Optional(T.Array(T.String(), { description: 'Method combinations, e.g. "password,sms", "fido2".' })),
        }),
      ),
    }),
  ),
});

const AccessReviewDefinition = Obj({
  id: T.String(),
  displayName: T.String(),
  status: T.String(),
  scopeQuery: Nullable(T.String({ description: 'scope.query, e.g. /groups/{id}/transitiveMembers.' })),
  recurrence: Nullable(Obj({ type: T.String(), interval: T.Integer({ minimum: 1 }) })),
});

// Who can give themselves the AWS app's access without PIM for Groups: directory roles, the app's
// owners, and workload identities with Microsoft Graph write permissions. Only what the analysis needs.
const DirectoryPrincipal = Obj(
  {
    id: T.String(),
    type: T.String({ description: 'user, group or servicePrincipal (from @odata.type); other for any other directory object.' }),
    displayName: Nullable(T.String({ description: 'Null when Graph returns the object with limited information.' })),
    userPrincipalName: Nullable(T.String({ description: 'Users only.' })),
    appId: Nullable(T.String({ description: 'Service principals only.' })),
  },
  { description: 'A user, group or service principal named by a role assignment, an eligibility or an owners list.' },
);

const RoleDefinition = Obj({
  id: T.String(),
  displayName: T.String(),
  isBuiltIn: Nullable(T.Boolean()),
  isEnabled: Nullable(T.Boolean()),
  templateId: Nullable(T.String()),
  rolePermissions: T.Array(
    Obj({
      allowedResourceActions: T.Array(T.String(), { description: 'e.g. microsoft.directory/groups/members/update.' }),
      condition: Nullable(T.String({ description: 'e.g. $ResourceIsSelf: the actions apply only to objects the principal owns or is.' })),
    }),
  ),
});

const RoleHolder = {
  id: T.String(),
  roleDefinitionId: T.String(),
  principalId: T.String(),
  directoryScopeId: T.String({ description: '"/" tenant-wide, "/administrativeUnits/{id}", or "/{objectId}" of one object (an app, a group).' }),
  principal: Nullable(DirectoryPrincipal),
};

const RoleAssignment = Obj({
  ...RoleHolder,
  assignmentType: T.Optional(
    Nullable(
      StringEnum(['assigned', 'activated'], {
        description:
          'From roleAssignmentScheduleInstances: assigned (standing) or activated (a PIM activation of an eligibility, until endDateTime). Null when no instance matched the assignment; absent in older snapshots. Either way it is then read as standing.',
      }),
    ),
  ),
  endDateTime: T.Optional(Nullable(Timestamp("The schedule instance's end: when an activation (or a time-bound assignment) ends; null for none."))),
});

const RoleEligibility = Obj({
  ...RoleHolder,
  memberType: T.String({ description: 'Direct, Group (inherited through a role-assignable group) or Inherited.' }),
  status: Nullable(T.String()),
  scheduleInfo: ScheduleInfo,
});

const RolePolicy = Obj({
  roleDefinitionId: T.String(),
  policyId: T.String(),
  rules: T.Array(PimPolicyRule, { description: 'The PIM rules of the role, kept as Graph returns them (as for the groups).' }),
});

const DirectoryRoles = Obj({
  definitions: T.Array(RoleDefinition, { description: 'The definition of every role an assignment or an eligibility names, built-in or custom.' }),
  assignments: T.Array(RoleAssignment, { description: 'Active role assignments (standing, or a PIM activation while it lasts).' }),
  eligibilities: T.Array(RoleEligibility, { description: 'PIM-eligible role assignments (roleEligibilitySchedules).' }),
  policies: T.Array(RolePolicy, { description: 'The PIM policy of each role that has an eligibility.' }),
  administrativeUnits: T.Optional(
    T.Array(
      Obj({
        id: T.String(),
        groupIds: Nullable(T.Array(T.String(), { description: 'The groups that are members of the unit; null when they could not be read (the reach of a role scoped to it is then unknown).' })),
        unreadReason: Nullable(T.String({ description: 'Why the members could not be read (status, code, message); null when read.' })),
      }),
      { description: 'Each administrative unit an assignment or eligibility is scoped to, with its group members. Absent in older snapshots: such roles then have an unknown reach.' },
    ),
  ),
  groupHolders: T.Optional(
    T.Array(
      Obj({
        groupId: T.String(),
        members: Nullable(T.Array(DirectoryPrincipal, { description: 'Its direct members (not transitive), sorted by id; null when they could not be read.' })),
        owners: Nullable(T.Array(DirectoryPrincipal, { description: 'Its owners (an owner can add themselves), sorted by id; null when they could not be read.' })),
        unreadReason: Nullable(T.String({ description: 'Which list could not be read and why (status, code, message); null when both were read.' })),
        pim: T.Optional(
          Obj(
            {
              eligibilities: Nullable(
                T.Array(Obj({ ...PimSchedule.properties, principal: Nullable(DirectoryPrincipal) }), {
                  description: 'Its PIM for Groups eligibility schedules (member and owner, principal expanded), sorted by id; null when they could not be read.',
                }),
              ),
              policies: Nullable(T.Array(PimPolicy, { description: 'Its PIM for Groups policy, member and owner; null when it could not be read.' })),
              unreadReason: Nullable(T.String({ description: 'Which PIM list could not be read and why; null when both were read.' })),
            },
            { description: 'PIM for Groups on the role-holding group itself: who may activate its membership or ownership, and under which policy. Absent in older snapshots.' },
          ),
        ),
      }),
      { description: 'Each role-assignable group that holds a collected role assignment or eligibility, with its members and owners. Absent in older snapshots: the group is then the only holder named.' },
    ),
  ),
});

const AppOwners = Obj({
  servicePrincipalId: T.String(),
  appId: T.String(),
  servicePrincipalOwners: T.Array(DirectoryPrincipal),
  applicationObject: StringEnum(['inTenant', 'notInTenant'], {
    description: 'notInTenant: GET /applications(appId=…) answered 404, the app registration lives in another tenant (a gallery app): no application owners here.',
  }),
  applicationOwners: T.Array(DirectoryPrincipal),
});

const WorkloadIdentity = Obj({
  id: T.String({ description: 'The service principal id.' }),
  appId: Nullable(T.String()),
  displayName: Nullable(T.String()),
  accountEnabled: Nullable(T.Boolean()),
  servicePrincipalType: Nullable(T.String({ description: 'Application, ManagedIdentity, Legacy, SocialIdp.' })),
  permissions: T.Array(T.String(), { description: 'Its Microsoft Graph application permissions that can write (GRAPH_WRITE_PERMISSIONS), sorted.' }),
  owners: T.Array(DirectoryPrincipal),
});

const WorkloadIdentities = Obj({
  graphServicePrincipalId: T.String({ description: "The Microsoft Graph service principal's id in this tenant (appId 00000003-0000-0000-c000-000000000000)." }),
  servicePrincipals: T.Array(WorkloadIdentity),
});

// Entitlement-management access packages that hand out one of the AWS app's groups: who may request
// them (policies), with or without approval, for how long, and who holds them now (assignments).
const SubjectSetM = Obj(
  {
    type: T.String({ description: 'The subjectSet @odata.type without "#microsoft.graph.": singleUser, groupMembers, connectedOrganizationMembers, requestorManager, internalSponsors, externalSponsors, targetUserSponsors, attributeRuleMembers, ….' }),
    userId: Nullable(T.String()),
    groupId: Nullable(T.String()),
    connectedOrganizationId: Nullable(T.String()),
    membershipRule: Nullable(T.String({ description: 'attributeRuleMembers only.' })),
    managerLevel: Nullable(T.Integer({ description: 'requestorManager only.' })),
  },
  { description: 'A subjectSet: who may request, approve or review.' },
);
const EmExpiration = Obj(
  {
    type: T.String({ description: 'noExpiration, afterDateTime, afterDuration or notSpecified (as Graph writes it).' }),
    endDateTime: Nullable(Timestamp()),
    duration: Nullable(T.String({ description: 'ISO-8601 duration as Graph writes it, e.g. P365D.' })),
  },
  { description: 'expirationPattern.' },
);
const AccessPackageRoleScope = Obj({
  id: T.String(),
  role: Obj({ displayName: Nullable(T.String()), originSystem: Nullable(T.String({ description: 'AadGroup, AadApplication, SharePointOnline.' })), originId: Nullable(T.String({ description: 'For a group: Member_<groupId> or Owner_<groupId>.' })) }),
  scope: Obj({ displayName: Nullable(T.String()), originSystem: Nullable(T.String()), originId: Nullable(T.String()), isRootScope: Nullable(T.Boolean()) }),
  groupId: Nullable(T.String({ description: 'The Entra group this role is on (AadGroup roles only).' })),
  access: Nullable(StringEnum(['member', 'owner'], { description: 'Group roles: member or owner; null otherwise or unreadable.' })),
});
const ApprovalStage = Obj({
  durationBeforeAutomaticDenial: Nullable(T.String()),
  isEscalationEnabled: Nullable(T.Boolean()),
  primaryApprovers: T.Array(SubjectSetM),
  fallbackPrimaryApprovers: T.Array(SubjectSetM),
  escalationApprovers: T.Array(SubjectSetM),
  fallbackEscalationApprovers: T.Array(SubjectSetM),
});
const AccessPackagePolicy = Obj({
  id: T.String(),
  displayName: Nullable(T.String()),
  allowedTargetScope: Nullable(T.String({ description: 'notSpecified (admin assignment only), specificDirectoryUsers, specificConnectedOrganizationUsers, allMemberUsers, allDirectoryUsers (guests included), allConfiguredConnectedOrganizationUsers, allExternalUsers, ….' })),
  specificAllowedTargets: T.Array(SubjectSetM),
  requestorSettings: Nullable(
    Obj({
      enableTargetsToSelfAddAccess: Nullable(T.Boolean()),
      enableOnBehalfRequestorsToAddAccess: Nullable(T.Boolean()),
      allowCustomAssignmentSchedule: Nullable(T.Boolean()),
      onBehalfRequestors: T.Array(SubjectSetM),
    }),
  ),
  requestApprovalSettings: Nullable(
    Obj({
      isApprovalRequiredForAdd: Nullable(T.Boolean()),
      isApprovalRequiredForUpdate: Nullable(T.Boolean()),
      isRequestorJustificationRequired: Nullable(T.Boolean()),
      stages: T.Array(ApprovalStage),
    }),
  ),
  automaticRequestSettings: Nullable(
    Obj(
      {
        requestAccessForAllowedTargets: Nullable(T.Boolean()),
        removeAccessWhenTargetLeavesAllowedTargets: Nullable(T.Boolean()),
        gracePeriodBeforeAccessRemoval: Nullable(T.String()),
      },
      { description: 'Present only on an auto-assignment policy.' },
    ),
  ),
  expiration: Nullable(EmExpiration),
  reviewSettings: Nullable(
    Obj({
      isEnabled: Nullable(T.Boolean()),
      expirationBehavior: Nullable(T.String()),
      recurrence: Nullable(Obj({ type: T.String(), interval: Nullable(T.Integer()) })),
      primaryReviewers: T.Array(SubjectSetM),
    }),
  ),
});
const AccessPackageAssignmentM = Obj({
  id: T.String(),
  state: Nullable(T.String({ description: 'delivering, partiallyDelivered, delivered, deliveryFailed (expired ones are not kept).' })),
  status: Nullable(T.String()),
  assignmentPolicyId: Nullable(T.String()),
  target: Nullable(
    Obj({
      objectId: Nullable(T.String({ description: 'Null when the subject is not yet a user in the tenant.' })),
      subjectType: Nullable(T.String({ description: 'user or servicePrincipal.' })),
      displayName: Nullable(T.String()),
      principalName: Nullable(T.String()),
      email: Nullable(T.String()),
    }),
  ),
  schedule: Nullable(Obj({ startDateTime: Nullable(Timestamp()), expiration: Nullable(EmExpiration) })),
  expiredDateTime: Nullable(Timestamp()),
});
// Entitlement-management roles (not directory roles) on a catalog or tenant-wide: a catalog owner or an
// access package manager edits the catalog's packages and policies, an access package assignment
// manager assigns anyone to them directly. Only those three are kept (reader and creator change nothing).
/**
 * The built-in entitlement-management roles that can get someone into a package's groups (Microsoft's
 * "Delegation and roles in entitlement management"): owner and access package manager create and edit
 * policies and resource roles; the assignment manager assigns users directly. Catalog reader
 * (44272f93-…) only reads, and catalog creator (ba92d953-…) cannot manage catalogs it does not own:
 * not kept.
 */
export const CATALOG_ROLES: Readonly<Record<string, { name: string; editsPolicies: boolean }>> = {
  'ae79f266-94d4-4dab-b730-feca7e132178': { name: 'Catalog owner', editsPolicies: true },
  '7f480852-ebdc-47d4-87de-0d8498384a83': { name: 'Access package manager', editsPolicies: true },
  'e2182095-804a-4656-ae11-64734e9b7ae5': { name: 'Access package assignment manager', editsPolicies: false },
};
const CatalogRoleAssignment = Obj({
  id: T.String(),
  roleDefinitionId: T.String({ description: 'The built-in entitlement-management role definition id.' }),
  principalId: T.String(),
  principal: Nullable(DirectoryPrincipal),
  appScopeId: Nullable(T.String({ description: '/AccessPackageCatalog/{catalogId} for a catalog-scoped role; null otherwise.' })),
  directoryScopeId: Nullable(T.String({ description: '/ for a tenant-wide role; null otherwise.' })),
});
const AccessPackages = Obj({
  packages: T.Array(
    Obj({
      id: T.String(),
      displayName: Nullable(T.String()),
      isHidden: Nullable(T.Boolean()),
      // Optional: older snapshots did not read it.
      catalog: T.Optional(Nullable(Obj({ id: T.String(), displayName: Nullable(T.String()) }, { description: 'The catalog holding the package; null when Graph returned none.' }))),
      resourceRoleScopes: T.Array(AccessPackageRoleScope, { description: 'All the resource roles of the package, not only the group ones.' }),
      policies: T.Array(AccessPackagePolicy),
      assignments: T.Array(AccessPackageAssignmentM, { description: 'Current (not expired) assignments.' }),
    }),
    { description: "Packages with a role on a group assigned to the AWS app; none = no package hands one out." },
  ),
  // Optional: absent in older snapshots (not asked for: catalog roles not assessed); when the read fails
  // the whole section is missing, never an empty list.
  roleAssignments: T.Optional(
    T.Array(CatalogRoleAssignment, {
      description:
        'Catalog owner, access package manager and access package assignment manager assignments (GET /roleManagement/entitlementManagement/roleAssignments) that are tenant-wide or on the catalog of a kept package, sorted by id; none = nobody holds one.',
    }),
  ),
});

const Entra = Obj({
  tenant: Section(Obj({ id: T.String(), displayName: T.String(), defaultDomain: Nullable(T.String()) }), 'The tenant.'),
  enterpriseApp: Section(EnterpriseApp, 'The IAM Identity Center enterprise app and who is assigned to it.'),
  provisioning: Section(Obj({ jobs: T.Array(SyncJob) }), 'The SCIM provisioning job(s) of the enterprise app.'),
  groups: Section(T.Array(EntraGroup), 'The groups assigned to the enterprise app, with direct members and owners.'),
  users: Section(T.Array(EntraUser), 'Every user on any path.'),
  // Optional, and not in SECTION_PATHS: snapshots written before it was collected still load, and
  // without it a user not found is "absent" (deleted or unassigned), as before.
  deletedUsers: T.Optional(Section(T.Array(DeletedUser), "Soft-deleted users (the directory's deleted items).")),
  mfaRegistration: Section(T.Array(MfaRegistration), 'userRegistrationDetails of every user on any path.'),
  pimSchedules: Section(PimSchedules, 'PIM-for-Groups schedules and instances of the assigned groups.'),
  pimPolicies: Section(T.Array(PimPolicy), 'PIM policy (member and owner) of each PIM-managed group.'),
  activations: Section(T.Array(ActivationRequest), 'PIM assignment schedule requests (activations, deactivations, admin assignments and removals, whatever their status) in the look-back.'),
  // Optional, and not in SECTION_PATHS: snapshots written before it was collected still load, and
  // without it eligibility is judged from the current schedules (evidence says so).
  eligibilityRequests: T.Optional(
    Section(T.Array(EligibilityRequest), 'PIM eligibility schedule requests (eligibility given, updated, extended, renewed, removed, whatever their status) in the look-back.'),
  ),
  // Optional, and not in SECTION_PATHS: who can get around PIM for Groups. Absent in older snapshots
  // (not asked for); present and missing = asked for and not read.
  directoryRoles: T.Optional(Section(DirectoryRoles, 'Entra directory roles: definitions, active assignments, PIM eligibilities and the PIM policy of each eligible role.')),
  appOwners: T.Optional(Section(AppOwners, "Owners of the AWS enterprise app's service principal and of its application object.")),
  workloadIdentities: T.Optional(Section(WorkloadIdentities, 'Service principals holding Microsoft Graph application permissions that can write, with their owners.')),
  accessPackages: T.Optional(Section(AccessPackages, "Entitlement-management access packages that hand out one of the AWS app's groups, with their assignment policies and current assignments.")),
  conditionalAccess: Section(T.Array(ConditionalAccessPolicy), 'Conditional Access policies.'),
  accessReviews: Section(T.Array(AccessReviewDefinition), 'Access-review definitions.'),
});

// ---------------------------------------------------------------- aws

const Account = Obj({
  id: T.String({ pattern: '^\\d{12}$' }),
  name: T.String(),
  email: Nullable(T.String()),
  state: T.String({ description: 'ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED, PENDING_ACTIVATION.' }),
  ouPath: T.String({ description: 'OU names from the root, e.g. "Root/Workloads/Prod".' }),
  tags: T.Record(T.String(), T.String()),
});

const ExternalId = Obj({ issuer: T.String(), id: T.String() });

const IdentityStore = Obj({
  users: T.Array(
    Obj({
      userId: T.String(),
      userName: T.String(),
      displayName: Nullable(T.String()),
      externalIds: T.Array(ExternalId),
      status: Nullable(T.String({ description: 'ENABLED or DISABLED.' })),
    }),
  ),
  groups: T.Array(
    Obj({
      groupId: T.String(),
      displayName: T.String(),
      description: Nullable(T.String()),
      externalIds: T.Array(ExternalId),
    }),
  ),
  memberships: T.Array(
    Obj({ membershipId: Nullable(T.String()), groupId: T.String(), userId: T.String() }),
    { description: 'Memberships of every group that has an account assignment.' },
  ),
});

const PolicyRef = Obj({ name: T.String(), path: T.String() });

const PermissionSet = Obj({
  arn: T.String(),
  name: T.String(),
  description: Nullable(T.String()),
  sessionDuration: IsoDuration('The console/CLI role session: 1 to 12 hours.'),
  relayState: Nullable(T.String()),
  managedPolicies: T.Array(Obj({ name: T.String(), arn: T.String() })),
  customerManagedPolicies: T.Array(PolicyRef),
  inlinePolicy: Nullable(T.String({ description: 'The inline policy document (JSON text), null when none.' })),
  permissionsBoundary: Nullable(
    Obj({ managedPolicyArn: Nullable(T.String()), customerManagedPolicy: Nullable(PolicyRef) }),
  ),
});

const AccountAssignment = Obj({
  accountId: T.String({ pattern: '^\\d{12}$' }),
  permissionSetArn: T.String(),
  principalType: StringEnum(['USER', 'GROUP']),
  principalId: T.String(),
});

const IamUser = Obj({
  userName: T.String(),
  arn: T.String(),
  createdAt: Nullable(Timestamp()),
  passwordEnabled: T.Boolean(),
  passwordLastUsed: Nullable(Timestamp()),
  mfaActive: T.Boolean(),
  mfaDevices: T.Array(Obj({ serialNumber: T.String(), enabledAt: Nullable(Timestamp()) })),
  accessKeys: T.Array(
    Obj({ active: T.Boolean(), lastRotated: Nullable(Timestamp()), lastUsed: Nullable(Timestamp()) }),
  ),
  attachedPolicies: T.Optional(
    T.Array(Obj({ name: T.String(), arn: T.String() }), {
      description: 'Managed policies attached to the user (iam:ListAttachedUserPolicies); absent when not collected.',
    }),
  ),
  inlinePolicyNames: T.Optional(
    T.Array(T.String(), { description: 'Names of the user\'s inline policies (iam:ListUserPolicies); absent when not collected.' }),
  ),
});

const IamAccount = Obj({
  accountId: T.String({ pattern: '^\\d{12}$' }),
  provenance: Provenance,
  reportGeneratedAt: Nullable(Timestamp()),
  root: Nullable(
    Obj({ mfaActive: T.Boolean(), accessKeysActive: T.Boolean(), passwordLastUsed: Nullable(Timestamp()) }),
  ),
  users: Nullable(T.Array(IamUser)),
});

const TrailEvent = Obj({
  eventId: T.String(),
  eventTime: Timestamp(),
  eventName: T.String(),
  eventSource: T.String(),
  accountId: T.String({ pattern: '^\\d{12}$' }),
  region: T.String(),
  userIdentity: Obj({
    type: T.String({ description: 'IAMUser, Root, AssumedRole, IdentityCenterUser, Unknown, ...' }),
    userName: Nullable(T.String()),
    arn: Nullable(T.String()),
    onBehalfOfUserId: Nullable(T.String({ description: 'userIdentity.onBehalfOf.userId (Identity Center user id).' })),
    // Optional: snapshots written before it was kept still load.
    principalId: T.Optional(
      Nullable(T.String({ description: 'userIdentity.principalId: the Identity Center user id in portal events before the 2025 change.' })),
    ),
  }),
  mfaUsed: Nullable(T.Boolean()),
  outcome: Nullable(T.String({ description: 'Success or Failure: for sign-ins, responseElements or serviceEventDetails under the event name; else Failure when there is an errorCode.' })),
  // Optional: snapshots written before these were kept still load.
  errorCode: T.Optional(Nullable(T.String())),
  errorMessage: T.Optional(Nullable(T.String({ description: 'e.g. "Failed authentication" on a failed ConsoleLogin.' }))),
  sourceIpAddress: Nullable(T.String()),
  federation: Nullable(
    Obj(
      { accountId: Nullable(T.String()), roleName: Nullable(T.String({ description: 'The permission set name.' })) },
      { description: 'For Identity Center portal calls (Federate, GetRoleCredentials): the target.' },
    ),
  ),
  // Optional: snapshots written before Identity Center changes were looked up still load.
  accountAssignment: T.Optional(
    Nullable(
      Obj(
        {
          action: StringEnum(['create', 'delete']),
          accountId: Nullable(T.String({ description: 'requestParameters.targetId (targetType AWS_ACCOUNT).' })),
          permissionSetArn: Nullable(T.String()),
          principalType: Nullable(T.String({ description: 'USER or GROUP.' })),
          principalId: Nullable(T.String({ description: 'The Identity Center user or group id.' })),
          requestId: Nullable(T.String({ description: 'The asynchronous request (responseElements.accountAssignmentCreationStatus or ...DeletionStatus).' })),
          status: Nullable(T.String({ description: 'The request status when it was accepted: IN_PROGRESS; its final outcome is not in the event.' })),
        },
        { description: 'For CreateAccountAssignment and DeleteAccountAssignment (sso.amazonaws.com): the assignment changed.' },
      ),
    ),
  ),
  groupMembership: T.Optional(
    Nullable(
      Obj(
        {
          action: StringEnum(['create', 'delete']),
          groupId: Nullable(T.String()),
          userId: Nullable(T.String({ description: 'requestParameters.memberId.userId.' })),
          membershipId: Nullable(T.String({ description: 'responseElements.membershipId (create) or requestParameters.membershipId (delete: the only id it names).' })),
        },
        { description: 'For CreateGroupMembership and DeleteGroupMembership (identitystore.amazonaws.com): the membership changed.' },
      ),
    ),
  ),
});

const CloudTrail = Obj({
  lookups: T.Array(
    Obj({
      accountId: T.String(),
      region: T.String(),
      attribute: T.String(),
      value: T.String(),
      startTime: Timestamp(),
      endTime: Timestamp(),
      provenance: Provenance,
    }),
  ),
  events: T.Array(TrailEvent),
});

// Who can change Identity Center without it: the IAM users and roles of the management account and of
// the Identity Center delegated administrator (iam:GetAccountAuthorizationDetails). Documents are JSON
// text, URL-decoded; the analysis decides which principals could change Identity Center.
const InlinePolicy = Obj({ name: T.String(), document: T.String({ description: 'The policy document (JSON text).' }) });

const IamPrincipal = Obj({
  type: StringEnum(['user', 'role']),
  name: T.String(),
  id: T.String({ description: 'UserId or RoleId (AIDA…/AROA…): what aws:userid conditions name.' }),
  arn: T.String(),
  path: T.String({ description: 'e.g. "/", "/aws-reserved/sso.amazonaws.com/" or "/aws-service-role/…".' }),
  attachedPolicyArns: T.Array(T.String()),
  inlinePolicies: T.Array(InlinePolicy),
  groups: T.Array(T.String(), { description: "Users: the names of the user's IAM groups; roles: empty." }),
  permissionsBoundaryArn: Nullable(T.String()),
  trustPolicy: Nullable(T.String({ description: 'Roles: the trust policy (who can assume it), JSON text; users: null.' })),
  permissionSetRole: T.Boolean({ description: 'An AWSReservedSSO_* role: Identity Center made it for a permission set.' }),
});

const IamGroupDetail = Obj({
  name: T.String(),
  arn: T.String(),
  attachedPolicyArns: T.Array(T.String()),
  inlinePolicies: T.Array(InlinePolicy),
});

// The SCPs in effect for a delegated administrator (organizations:ListParents up to the root, then
// ListPoliciesForTarget and DescribePolicy): absent = not asked for (the management account, or an
// older snapshot); missing = asked, not read, and never read as "no SCP".
const ScpPolicy = Obj({
  id: T.String(),
  arn: T.String(),
  name: T.String(),
  awsManaged: T.Boolean(),
  content: Nullable(T.String({ description: 'The policy document (JSON text, DescribePolicy Content); null when not returned.' })),
});
const ServiceControlPolicies = Obj(
  {
    provenance: Provenance,
    targets: Nullable(
      T.Array(
        Obj({
          targetId: T.String({ description: 'The root (r-…), an OU (ou-…) or the account.' }),
          type: StringEnum(['ROOT', 'ORGANIZATIONAL_UNIT', 'ACCOUNT']),
          policies: T.Array(ScpPolicy, { description: 'The SCPs attached directly to this target.' }),
        }),
        { description: 'The root first, then each OU down to the account, then the account.' },
      ),
    ),
  },
  { description: 'Service control policies in effect for the account; null targets exactly when the provenance is missing.' },
);

const ControlPlaneAccount = Obj({
  accountId: T.String({ pattern: '^\\d{12}$' }),
  roles: T.Array(StringEnum(['management', 'delegatedAdministrator']), {
    description: 'Why the account is here: the management account, the Identity Center delegated administrator, or both.',
  }),
  scpExempt: T.Boolean({ description: 'The management account: service control policies do not limit its principals.' }),
  provenance: Provenance,
  principals: Nullable(T.Array(IamPrincipal)),
  groups: Nullable(T.Array(IamGroupDetail)),
  serviceControlPolicies: T.Optional(ServiceControlPolicies),
});

const ManagedPolicyDocument = Obj({
  arn: T.String(),
  name: T.String(),
  defaultVersionId: Nullable(T.String()),
  document: Nullable(T.String({ description: 'The default version (JSON text); null when the answer did not include it.' })),
});

const ControlPlane = Obj({
  managementAccountId: T.String({ pattern: '^\\d{12}$' }),
  delegatedAdministrators: Obj(
    {
      provenance: Provenance,
      accountIds: Nullable(T.Array(T.String({ pattern: '^\\d{12}$' }))),
    },
    { description: 'organizations:ListDelegatedAdministrators for sso.amazonaws.com; missing = unknown whether there is one.' },
  ),
  accounts: T.Array(ControlPlaneAccount),
  managedPolicies: T.Array(ManagedPolicyDocument, {
    description: 'Each managed policy a kept principal or group has attached, or uses as its boundary: once per ARN.',
  }),
});

// Resource policies that let Identity Center roles (or anyone) in, in the accounts and Regions the
// config names: the way around an assignment that needs no assignment.
const ResourcePolicyScope = Obj({
  accountId: T.String({ pattern: '^\\d{12}$' }),
  region: T.String(),
  service: StringEnum(['lambda', 'apigateway']),
  provenance: Provenance,
  resourcesRead: Nullable(T.Integer({ minimum: 0, description: 'Functions or REST APIs listed; null when the listing failed.' })),
});

const ResourcePolicy = Obj({
  accountId: T.String({ pattern: '^\\d{12}$' }),
  region: T.String(),
  service: StringEnum(['lambda', 'apigateway']),
  resourceArn: T.String(),
  resourceName: T.String(),
  statements: T.Array(
    Obj({
      statement: T.String({ description: 'The statement as the policy has it (JSON text).' }),
      reasons: T.Array(StringEnum(['accountPrincipal', 'identityCenterRole', 'wildcardPrincipal'])),
    }),
    { description: 'Only the statements that name an AWSReservedSSO_ role (principal, aws:PrincipalArn or aws:userid) or a wildcard principal.' },
  ),
});

const ResourcePolicies = Obj({
  regions: T.Array(T.String(), { description: 'config: aws.resourcePolicyRegions.' }),
  scopes: T.Array(ResourcePolicyScope, { description: 'Every (account, Region, service) read, with its own provenance.' }),
  policies: T.Array(ResourcePolicy),
});

const Aws = Obj({
  organization: Section(
    Obj({
      id: T.String(),
      managementAccountId: T.String({ pattern: '^\\d{12}$' }),
      featureSet: T.String(),
      accounts: T.Array(Account),
    }),
    'The organization and its accounts.',
  ),
  identityCenter: Section(
    Obj({
      instanceArn: T.String(),
      identityStoreId: T.String(),
      region: T.String(),
      ownerAccountId: Nullable(T.String()),
    }),
    'The Identity Center instance.',
  ),
  identityStore: Section(IdentityStore, 'Identity-store users, groups and memberships.'),
  permissionSets: Section(T.Array(PermissionSet), 'Permission sets.'),
  accountAssignments: Section(T.Array(AccountAssignment), 'Account assignments.'),
  portalSession: Section(
    Obj({ duration: IsoDuration('15 minutes to 90 days; AWS default 8 hours.') }),
    'The access-portal session duration: declared, no AWS API exposes it.',
  ),
  iamUsers: Section(T.Array(IamAccount), 'IAM users of every account, from the credential report.'),
  cloudTrail: Section(CloudTrail, 'CloudTrail events of breakglass users, root, Identity Center federation, and Identity Center assignment and group-membership changes.'),
  // Optional, and not in SECTION_PATHS: who can get around the JIT on the AWS side. Absent in older
  // snapshots (not asked for; resourcePolicies also when aws.resourcePolicyRegions is not set).
  controlPlane: T.Optional(Section(ControlPlane, 'IAM users and roles of the management account and of the Identity Center delegated administrator, with their policies.')),
  resourcePolicies: T.Optional(Section(ResourcePolicies, 'Lambda function and API Gateway REST API policies that let Identity Center roles or anyone in.')),
});

// ---------------------------------------------------------------- snapshot

export const SnapshotSchema = Obj(
  {
    $schema: T.Optional(T.String()),
    schemaVersion: T.Literal(SNAPSHOT_SCHEMA_VERSION),
    meta: Obj({
      tool: Obj({ name: T.String(), version: T.String() }),
      collection: Obj({ startedAt: Timestamp(), endedAt: Timestamp() }),
      configDigest: Nullable(T.String()),
      warnings: T.Array(Obj({ section: T.String(), message: T.String() })),
    }),
    entra: Entra,
    aws: Aws,
  },
  { $id: 'urn:jitaudit:schema:snapshot:1', title: 'jitaudit snapshot' },
);

export type Snapshot = Static<typeof SnapshotSchema>;
export type ProvenanceT = Static<typeof Provenance>;
export type EntraUserT = Static<typeof EntraUser>;
export type DeletedUserT = Static<typeof DeletedUser>;
export type EntraGroupT = Static<typeof EntraGroup>;
export type PimScheduleT = Static<typeof PimSchedule>;
export type PimInstanceT = Static<typeof PimInstance>;
export type PimPolicyT = Static<typeof PimPolicy>;
export type SyncJobT = Static<typeof SyncJob>;
export type AccountT = Static<typeof Account>;
export type PermissionSetT = Static<typeof PermissionSet>;
export type AccountAssignmentT = Static<typeof AccountAssignment>;
export type IamAccountT = Static<typeof IamAccount>;
export type TrailEventT = Static<typeof TrailEvent>;
export type ConditionalAccessPolicyT = Static<typeof ConditionalAccessPolicy>;
export type ActivationRequestT = Static<typeof ActivationRequest>;
export type EligibilityRequestT = Static<typeof EligibilityRequest>;
export type DirectoryPrincipalT = Static<typeof DirectoryPrincipal>;
export type DirectoryRolesT = Static<typeof DirectoryRoles>;
export type AppOwnersT = Static<typeof AppOwners>;
export type WorkloadIdentitiesT = Static<typeof WorkloadIdentities>;
export type AccessPackagesT = Static<typeof AccessPackages>;
export type CatalogRoleAssignmentT = Static<typeof CatalogRoleAssignment>;
export type IamPrincipalT = Static<typeof IamPrincipal>;
export type ControlPlaneT = Static<typeof ControlPlane>;
export type ControlPlaneAccountT = Static<typeof ControlPlaneAccount>;
export type ResourcePoliciesT = Static<typeof ResourcePolicies>;
export type ResourcePolicyT = Static<typeof ResourcePolicy>;

const CREDENTIAL_FETCH_EVENTS = new Set(['federate', 'getrolecredentials']);
/** Whether a CloudTrail event (by its eventName, any case) is an Identity Center portal call that fetches credentials. */
export const isCredentialFetch = (eventName: string): boolean => CREDENTIAL_FETCH_EVENTS.has(eventName.toLowerCase());

/** The CloudTrail events that change who reaches an account and permission set through Identity Center. */
export const ACCOUNT_ASSIGNMENT_EVENTS = ['CreateAccountAssignment', 'DeleteAccountAssignment'] as const;
export const GROUP_MEMBERSHIP_EVENTS = ['CreateGroupMembership', 'DeleteGroupMembership'] as const;

/** The two halves of a snapshot, as the tool names them to people. */
export const CLOUD_NAMES = { entra: 'Entra ID', aws: 'AWS' } as const;
export type Cloud = keyof typeof CLOUD_NAMES;

/** Section paths, in report order: what `summary.incomplete` names. */
export const SECTION_PATHS = [
  'entra.tenant',
  'entra.enterpriseApp',
  'entra.provisioning',
  'entra.groups',
  'entra.users',
  'entra.mfaRegistration',
  'entra.pimSchedules',
  'entra.pimPolicies',
  'entra.activations',
  'entra.conditionalAccess',
  'entra.accessReviews',
  'aws.organization',
  'aws.identityCenter',
  'aws.identityStore',
  'aws.permissionSets',
  'aws.accountAssignments',
  'aws.portalSession',
  'aws.iamUsers',
  'aws.cloudTrail',
] as const;
export type SectionPath = (typeof SECTION_PATHS)[number];

/**
 * Sections a snapshot may lack: written by every collect since they were added, absent from older
 * snapshots (and from the half `--only` skips). Absent means not asked for and is accepted as before;
 * present with provenance `missing` means asked for and not read: incomplete, like any section.
 */
export const OPTIONAL_SECTION_PATHS = [
  'entra.deletedUsers',
  'entra.eligibilityRequests',
  'entra.directoryRoles',
  'entra.appOwners',
  'entra.workloadIdentities',
  'entra.accessPackages',
  'aws.controlPlane',
  'aws.resourcePolicies',
] as const;
export type OptionalSectionPath = (typeof OPTIONAL_SECTION_PATHS)[number];

/**
 * Every section, optional ones beside the section they complete (deleted users after the users, eligibility
 * requests after the activations); the ways around PIM for Groups (directory roles, app owners, workload
 * identities, access packages) after the last Entra section; the ways around Identity Center (control plane, resource
 * policies) after the IAM users.
 */
export const ALL_SECTION_PATHS: readonly (SectionPath | OptionalSectionPath)[] = SECTION_PATHS.flatMap((p) =>
  p === 'entra.users'
    ? [p, 'entra.deletedUsers' as const]
    : p === 'entra.activations'
      ? [p, 'entra.eligibilityRequests' as const]
      : p === 'entra.accessReviews'
        ? [p, 'entra.directoryRoles' as const, 'entra.appOwners' as const, 'entra.workloadIdentities' as const, 'entra.accessPackages' as const]
        : p === 'aws.iamUsers'
          ? [p, 'aws.controlPlane' as const, 'aws.resourcePolicies' as const]
          : [p],
);

/**
 * The sections a snapshot (or what reports keep of it) has, in report order: every required one, and
 * an optional one only when present. What coverage tables, the manifest and the checks go through.
 */
export function presentSections<S extends { provenance: ProvenanceT }>(snapshot: {
  entra: object;
  aws: object;
}): { path: SectionPath | OptionalSectionPath; side: 'entra' | 'aws'; name: string; section: S }[] {
  const out: { path: SectionPath | OptionalSectionPath; side: 'entra' | 'aws'; name: string; section: S }[] = [];
  for (const path of ALL_SECTION_PATHS) {
    const [side, name] = path.split('.') as ['entra' | 'aws', string];
    const section = (snapshot[side] as Record<string, S | undefined>)[name];
    if (section) out.push({ path, side, name, section });
  }
  return out;
}
