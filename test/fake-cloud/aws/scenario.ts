// A scenario: the organisation the fake AWS serves. Plain data, so a test can read it as the truth
// the collected snapshot must match.

export interface FakeAccount {
  id: string;
  name: string;
  email?: string;
  state?: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'CLOSED' | 'PENDING_ACTIVATION';
  /** The OU (or root) id the account sits in. */
  parentId: string;
  tags?: Record<string, string>;
}

export interface FakePermissionSet {
  arn: string;
  name: string;
  description?: string;
  sessionDuration?: string;
  relayState?: string;
  managed?: { name: string; arn: string }[];
  customerManaged?: { name: string; path?: string }[];
  inline?: string;
  boundary?: { managedPolicyArn?: string; customerManaged?: { name: string; path?: string } };
}

export interface FakeIamUser {
  userName: string;
  createdAt?: string;
  password?: boolean;
  passwordLastUsed?: string | 'no_information';
  mfaDevices?: { serialNumber: string; enabledAt: string }[];
  /** Access keys 1 and 2. */
  keys?: { active: boolean; lastRotated: string; lastUsed?: string }[];
  attachedPolicies?: { name: string; arn: string }[];
  inlinePolicies?: string[];
}

export interface FakeIamAccount {
  users: FakeIamUser[];
  root?: { mfa: boolean; keys?: boolean; passwordLastUsed?: string };
  /** GenerateCredentialReport answers STARTED, then INPROGRESS, until it has been called this many times. */
  reportCallsUntilComplete?: number;
}

/** A policy document as JSON (the fake encodes it as each API does: URL-encoded for IAM, escaped for API Gateway). */
export type FakePolicyDocument = { Version?: string; Statement: unknown } & Record<string, unknown>;

/** IAM of one account as GetAccountAuthorizationDetails answers it. */
export interface FakeAuthorizationDetails {
  users?: { name: string; path?: string; groups?: string[]; attached?: string[]; inline?: Record<string, FakePolicyDocument>; boundary?: string }[];
  roles?: { name: string; path?: string; trust: FakePolicyDocument; attached?: string[]; inline?: Record<string, FakePolicyDocument>; boundary?: string }[];
  groups?: { name: string; attached?: string[]; inline?: Record<string, FakePolicyDocument> }[];
  /** Managed policies: customer managed (arn in the account) or AWS managed (arn:aws:iam::aws:policy/…). */
  policies?: { arn: string; document: FakePolicyDocument; versions?: number }[];
}

/** A CloudTrail record as CloudTrail writes it (the CloudTrailEvent JSON). */
export type FakeTrailRecord = Record<string, unknown> & { eventID: string; eventTime: string; eventName: string; eventSource: string };

export interface AwsScenario {
  callerAccountId: string;
  callerAccessKeyId?: string;
  memberRoleName?: string;
  /** Caps every page, whatever MaxResults says (the real APIs may return fewer, too). */
  pageSize?: number;
  organization: {
    id: string;
    managementAccountId: string;
    featureSet?: 'ALL' | 'CONSOLIDATED_BILLING';
    rootId: string;
    ous: { id: string; name: string; parentId: string }[];
    accounts: FakeAccount[];
  };
  identityCenter: {
    region: string;
    instanceArn: string;
    identityStoreId: string;
    ownerAccountId: string;
    permissionSets: FakePermissionSet[];
    assignments: { accountId: string; permissionSetArn: string; principalType: 'USER' | 'GROUP'; principalId: string }[];
    /** Provisioned (account, permission set) pairs beyond those with assignments. */
    extraProvisioned?: { accountId: string; permissionSetArn: string }[];
    users: { userId: string; userName: string; displayName?: string; externalIds?: { issuer: string; id: string }[]; status?: 'ENABLED' | 'DISABLED' }[];
    groups: { groupId: string; displayName: string; description?: string; externalIds?: { issuer: string; id: string }[] }[];
    memberships: { membershipId: string; groupId: string; userId: string }[];
  };
  iam: Record<string, FakeIamAccount>;
  /** Events by "account|region". */
  cloudTrail: Record<string, FakeTrailRecord[]>;
  /** Identity Center delegated administrators (organizations:ListDelegatedAdministrators, sso.amazonaws.com). */
  delegatedAdministrators?: string[];
  /** By account. */
  authorizationDetails?: Record<string, FakeAuthorizationDetails>;
  /**
   * Service control policies: customer policies (ids p-…) and what is attached to each root, OU or
   * account. Absent: FullAWSAccess (p-FullAWSAccess) on every target, as Organizations sets it up.
   */
  serviceControlPolicies?: {
    policies: { id: string; name: string; description?: string; document: FakePolicyDocument }[];
    attachments: Record<string, string[]>;
  };
  /** Lambda functions by "account|region"; policy absent = GetPolicy answers ResourceNotFoundException. */
  lambdaFunctions?: Record<string, { name: string; policy?: FakePolicyDocument }[]>;
  /** REST APIs by "account|region". */
  restApis?: Record<string, { id: string; name: string; policy?: FakePolicyDocument }[]>;
  faults?: {
    /** The first N calls of an operation ("sso-admin:ListPermissionSets") fail with the service's throttling error. */
    throttleFirst?: Record<string, number>;
    /** AccessDenied for an operation, in one account or all; for sts:AssumeRole the account is the role's. */
    deny?: { operation: string; account?: string }[];
    /** Organizations: an empty page with a NextToken before the real first page ("always check NextToken"). */
    emptyFirstPages?: boolean;
  };
}
