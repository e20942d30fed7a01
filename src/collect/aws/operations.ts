// Every AWS operation the collector can call, and which identity calls it. The policy test checks
// that each is read-only and is granted by docs/aws-policies/*.json, and the fake AWS records what
// was really called, so a new call that is not listed here fails the tests.
export type AwsService = 'sso-admin' | 'identitystore' | 'organizations' | 'iam' | 'sts' | 'cloudtrail' | 'lambda' | 'apigateway';

/** The IAM action prefix of each SDK service (sso-admin's actions are "sso:..."). */
export const IAM_ACTION_PREFIX: Record<AwsService, string> = {
  'sso-admin': 'sso',
  identitystore: 'identitystore',
  organizations: 'organizations',
  iam: 'iam',
  sts: 'sts',
  cloudtrail: 'cloudtrail',
  lambda: 'lambda',
  apigateway: 'apigateway',
};

/**
 * Operations whose IAM action is not "<prefix>:<operation>": API Gateway authorises by HTTP verb
 * (GetRestApis is a GET on /restapis, so apigateway:GET).
 */
export const IAM_ACTION_OVERRIDE: Partial<Record<string, string>> = {
  'apigateway:GetRestApis': 'apigateway:GET',
};

/** Where an operation runs: with the auditor's own credentials, in member accounts, or both. */
export type Caller = 'auditor' | 'member' | 'both';

export const AWS_OPERATIONS = {
  'sts:GetCallerIdentity': 'auditor',
  'sts:AssumeRole': 'auditor',
  'organizations:DescribeOrganization': 'auditor',
  'organizations:ListRoots': 'auditor',
  'organizations:ListOrganizationalUnitsForParent': 'auditor',
  'organizations:ListAccountsForParent': 'auditor',
  'organizations:ListTagsForResource': 'auditor',
  'sso-admin:ListInstances': 'auditor',
  'sso-admin:ListPermissionSets': 'auditor',
  'sso-admin:DescribePermissionSet': 'auditor',
  'sso-admin:ListManagedPoliciesInPermissionSet': 'auditor',
  'sso-admin:ListCustomerManagedPolicyReferencesInPermissionSet': 'auditor',
  'sso-admin:GetInlinePolicyForPermissionSet': 'auditor',
  'sso-admin:GetPermissionsBoundaryForPermissionSet': 'auditor',
  'sso-admin:ListAccountsForProvisionedPermissionSet': 'auditor',
  'sso-admin:ListAccountAssignments': 'auditor',
  'sso-admin:ListAccountAssignmentsForPrincipal': 'auditor',
  'identitystore:ListUsers': 'auditor',
  'identitystore:ListGroups': 'auditor',
  'identitystore:ListGroupMemberships': 'auditor',
  'iam:GenerateCredentialReport': 'both',
  'iam:GetCredentialReport': 'both',
  'iam:ListMFADevices': 'both',
  'iam:ListAttachedUserPolicies': 'both',
  'iam:ListUserPolicies': 'both',
  'cloudtrail:LookupEvents': 'both',
  // Who can change Identity Center without it: principals of the management account (auditor) and of
  // the Identity Center delegated administrator (member role).
  'organizations:ListDelegatedAdministrators': 'auditor',
  // The service control policies in effect for the delegated administrator (they may narrow what its principals can do).
  'organizations:ListParents': 'auditor',
  'organizations:ListPoliciesForTarget': 'auditor',
  'organizations:DescribePolicy': 'auditor',
  'iam:GetAccountAuthorizationDetails': 'both',
  // Resource policies that let Identity Center roles (or anyone) in: only where the config asks.
  'lambda:ListFunctions': 'both',
  'lambda:GetPolicy': 'both',
  'apigateway:GetRestApis': 'both',
} as const satisfies Record<string, Caller>;

export type OperationName = keyof typeof AWS_OPERATIONS;
