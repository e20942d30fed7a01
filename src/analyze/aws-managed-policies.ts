// What well-known AWS managed policies say about each escalation probe (capabilities.ts). Their documents
// are not in the snapshot; these verdicts were computed by capabilities.ts's evaluation from the
// documents' default versions as of 2026-09-16 (AWS Managed Policy Reference,
// https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html), kept as fixtures in
// test/fixtures/aws-managed-policies/; test/capabilities.test.ts recomputes them. A managed policy not
// listed here has an unknown capability, never a harmless one.

/** One action asked of the policies, on one resource. `*` on `*` stands for "every action on every resource". */
export interface Probe {
  action: string;
  resource: string;
}

/** What one policy says about one probe. */
export type Verdict = 'allow' | 'allow-conditional' | 'deny' | 'none';

export function probeKey(probe: Probe): string {
  return `${probe.action} on ${probe.resource}`;
}

export interface ManagedPolicyVerdicts {
  /** The policy's default version the verdicts were computed from. */
  version: string;
  /** Probes (probeKey) it allows, allows only under conditions, and denies; every other probe: none. */
  allow: string[];
  allowConditional: string[];
  deny: string[];
}

export const AWS_MANAGED_POLICY_VERDICTS: Readonly<Record<string, ManagedPolicyVerdicts>> = {
  'arn:aws:iam::aws:policy/AWSBillingReadOnlyAccess': {
    version: 'v28',
    allow: [],
    allowConditional: [],
    deny: [],
  },
  'arn:aws:iam::aws:policy/AWSCloudFormationFullAccess': {
    version: 'v1',
    allow: ['cloudformation:CreateStack on arn:aws:cloudformation:us-east-1:000000000000:stack/jitaudit-probe/00000000-0000-0000-0000-000000000000'],
    allowConditional: [],
    deny: [],
  },
  'arn:aws:iam::aws:policy/AWSLambda_FullAccess': {
    version: 'v7',
    allow: ['lambda:CreateFunction on arn:aws:lambda:us-east-1:000000000000:function:jitaudit-probe'],
    allowConditional: ['iam:PassRole on arn:aws:iam::000000000000:role/jitaudit-probe'],
    deny: [],
  },
  'arn:aws:iam::aws:policy/AWSSSODirectoryAdministrator': {
    version: 'v7',
    allow: ['identitystore:CreateGroupMembership on arn:aws:identitystore:::group/00000000-0000-0000-0000-000000000000'],
    allowConditional: [],
    deny: [],
  },
  'arn:aws:iam::aws:policy/AWSSSOMemberAccountAdministrator': {
    version: 'v11',
    allow: ['sso:CreateAccountAssignment on arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0000000000000000','sso:PutInlinePolicyToPermissionSet on arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0000000000000000','sso:AttachManagedPolicyToPermissionSet on arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0000000000000000','sso:AttachCustomerManagedPolicyReferenceToPermissionSet on arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0000000000000000','sso:DeletePermissionsBoundaryFromPermissionSet on arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0000000000000000','identitystore:CreateGroupMembership on arn:aws:identitystore:::group/00000000-0000-0000-0000-000000000000'],
    allowConditional: [],
    deny: [],
  },
  'arn:aws:iam::aws:policy/AWSSSOReadOnly': {
    version: 'v12',
    allow: [],
    allowConditional: [],
    deny: [],
  },
  'arn:aws:iam::aws:policy/AWSSupportAccess': {
    version: 'v4',
    allow: [],
    allowConditional: [],
    deny: [],
  },
  'arn:aws:iam::aws:policy/AdministratorAccess': {
    version: 'v1',
    allow: ['* on *','iam:PutRolePolicy on arn:aws:iam::000000000000:role/jitaudit-probe','iam:PutUserPolicy on arn:aws:iam::000000000000:user/jitaudit-probe','iam:PutGroupPolicy on arn:aws:iam::000000000000:group/jitaudit-probe','iam:AttachRolePolicy on arn:aws:iam::000000000000:role/jitaudit-probe','iam:AttachUserPolicy on arn:aws:iam::000000000000:user/jitaudit-probe','iam:AttachGroupPolicy on arn:aws:iam::000000000000:group/jitaudit-probe','iam:CreatePolicyVersion on arn:aws:iam::000000000000:policy/jitaudit-probe','iam:SetDefaultPolicyVersion on arn:aws:iam::000000000000:policy/jitaudit-probe','iam:UpdateAssumeRolePolicy on arn:aws:iam::000000000000:role/jitaudit-probe','iam:DeleteRolePermissionsBoundary on arn:aws:iam::000000000000:role/jitaudit-probe','iam:CreateAccessKey on arn:aws:iam::000000000000:user/jitaudit-probe','iam:CreateLoginProfile on arn:aws:iam::000000000000:user/jitaudit-probe','iam:UpdateLoginProfile on arn:aws:iam::000000000000:user/jitaudit-probe','iam:AddUserToGroup on arn:aws:iam::000000000000:group/jitaudit-probe','iam:PassRole on arn:aws:iam::000000000000:role/jitaudit-probe','lambda:CreateFunction on arn:aws:lambda:us-east-1:000000000000:function:jitaudit-probe','ec2:RunInstances on arn:aws:ec2:us-east-1:000000000000:instance/i-00000000000000000','ecs:RunTask on arn:aws:ecs:us-east-1:000000000000:task-definition/jitaudit-probe:1','ecs:RegisterTaskDefinition on *','glue:CreateDevEndpoint on arn:aws:glue:us-east-1:000000000000:devEndpoint/jitaudit-probe','glue:CreateJob on arn:aws:glue:us-east-1:000000000000:job/jitaudit-probe','cloudformation:CreateStack on arn:aws:cloudformation:us-east-1:000000000000:stack/jitaudit-probe/00000000-0000-0000-0000-000000000000','datapipeline:CreatePipeline on arn:aws:datapipeline:us-east-1:000000000000:pipeline/jitaudit-probe','sagemaker:CreateNotebookInstance on arn:aws:sagemaker:us-east-1:000000000000:notebook-instance/jitaudit-probe','codebuild:CreateProject on arn:aws:codebuild:us-east-1:000000000000:project/jitaudit-probe','sts:AssumeRole on arn:aws:iam::000000000000:role/jitaudit-probe','sso:CreateAccountAssignment on arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0000000000000000','sso:PutInlinePolicyToPermissionSet on arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0000000000000000','sso:AttachManagedPolicyToPermissionSet on arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0000000000000000','sso:AttachCustomerManagedPolicyReferenceToPermissionSet on arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0000000000000000','sso:DeletePermissionsBoundaryFromPermissionSet on arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0000000000000000','identitystore:CreateGroupMembership on arn:aws:identitystore:::group/00000000-0000-0000-0000-000000000000'],
    allowConditional: [],
    deny: [],
  },
  'arn:aws:iam::aws:policy/AmazonAthenaFullAccess': {
    version: 'v15',
    allow: [],
    allowConditional: [],
    deny: [],
  },
  'arn:aws:iam::aws:policy/AmazonEC2FullAccess': {
    version: 'v5',
    allow: ['ec2:RunInstances on arn:aws:ec2:us-east-1:000000000000:instance/i-00000000000000000'],
    allowConditional: [],
    deny: [],
  },
  'arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess': {
    version: 'v5',
    allow: [],
    allowConditional: [],
    deny: [],
  },
  'arn:aws:iam::aws:policy/AmazonECS_FullAccess': {
    version: 'v21',
    allow: ['ec2:RunInstances on arn:aws:ec2:us-east-1:000000000000:instance/i-00000000000000000','ecs:RunTask on arn:aws:ecs:us-east-1:000000000000:task-definition/jitaudit-probe:1','ecs:RegisterTaskDefinition on *','cloudformation:CreateStack on arn:aws:cloudformation:us-east-1:000000000000:stack/jitaudit-probe/00000000-0000-0000-0000-000000000000'],
    allowConditional: ['iam:PassRole on arn:aws:iam::000000000000:role/jitaudit-probe'],
    deny: [],
  },
  'arn:aws:iam::aws:policy/AmazonS3FullAccess': {
    version: 'v2',
    allow: [],
    allowConditional: [],
    deny: [],
  },
  'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess': {
    version: 'v3',
    allow: [],
    allowConditional: [],
    deny: [],
  },
  'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess': {
    version: 'v24',
    allow: [],
    allowConditional: [],
    deny: [],
  },
  'arn:aws:iam::aws:policy/IAMFullAccess': {
    version: 'v2',
    allow: ['iam:PutRolePolicy on arn:aws:iam::000000000000:role/jitaudit-probe','iam:PutUserPolicy on arn:aws:iam::000000000000:user/jitaudit-probe','iam:PutGroupPolicy on arn:aws:iam::000000000000:group/jitaudit-probe','iam:AttachRolePolicy on arn:aws:iam::000000000000:role/jitaudit-probe','iam:AttachUserPolicy on arn:aws:iam::000000000000:user/jitaudit-probe','iam:AttachGroupPolicy on arn:aws:iam::000000000000:group/jitaudit-probe','iam:CreatePolicyVersion on arn:aws:iam::000000000000:policy/jitaudit-probe','iam:SetDefaultPolicyVersion on arn:aws:iam::000000000000:policy/jitaudit-probe','iam:UpdateAssumeRolePolicy on arn:aws:iam::000000000000:role/jitaudit-probe','iam:DeleteRolePermissionsBoundary on arn:aws:iam::000000000000:role/jitaudit-probe','iam:CreateAccessKey on arn:aws:iam::000000000000:user/jitaudit-probe','iam:CreateLoginProfile on arn:aws:iam::000000000000:user/jitaudit-probe','iam:UpdateLoginProfile on arn:aws:iam::000000000000:user/jitaudit-probe','iam:AddUserToGroup on arn:aws:iam::000000000000:group/jitaudit-probe','iam:PassRole on arn:aws:iam::000000000000:role/jitaudit-probe'],
    allowConditional: [],
    deny: [],
  },
  'arn:aws:iam::aws:policy/IAMReadOnlyAccess': {
    version: 'v4',
    allow: [],
    allowConditional: [],
    deny: [],
  },
  'arn:aws:iam::aws:policy/PowerUserAccess': {
    version: 'v12',
    allow: ['lambda:CreateFunction on arn:aws:lambda:us-east-1:000000000000:function:jitaudit-probe','ec2:RunInstances on arn:aws:ec2:us-east-1:000000000000:instance/i-00000000000000000','ecs:RunTask on arn:aws:ecs:us-east-1:000000000000:task-definition/jitaudit-probe:1','ecs:RegisterTaskDefinition on *','glue:CreateDevEndpoint on arn:aws:glue:us-east-1:000000000000:devEndpoint/jitaudit-probe','glue:CreateJob on arn:aws:glue:us-east-1:000000000000:job/jitaudit-probe','cloudformation:CreateStack on arn:aws:cloudformation:us-east-1:000000000000:stack/jitaudit-probe/00000000-0000-0000-0000-000000000000','datapipeline:CreatePipeline on arn:aws:datapipeline:us-east-1:000000000000:pipeline/jitaudit-probe','sagemaker:CreateNotebookInstance on arn:aws:sagemaker:us-east-1:000000000000:notebook-instance/jitaudit-probe','codebuild:CreateProject on arn:aws:codebuild:us-east-1:000000000000:project/jitaudit-probe','sts:AssumeRole on arn:aws:iam::000000000000:role/jitaudit-probe','sso:CreateAccountAssignment on arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0000000000000000','sso:PutInlinePolicyToPermissionSet on arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0000000000000000','sso:AttachManagedPolicyToPermissionSet on arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0000000000000000','sso:AttachCustomerManagedPolicyReferenceToPermissionSet on arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0000000000000000','sso:DeletePermissionsBoundaryFromPermissionSet on arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0000000000000000','identitystore:CreateGroupMembership on arn:aws:identitystore:::group/00000000-0000-0000-0000-000000000000'],
    allowConditional: [],
    deny: [],
  },
  'arn:aws:iam::aws:policy/ReadOnlyAccess': {
    version: 'v188',
    allow: [],
    allowConditional: [],
    deny: [],
  },
  'arn:aws:iam::aws:policy/SecurityAudit': {
    version: 'v92',
    allow: [],
    allowConditional: [],
    deny: [],
  },
  'arn:aws:iam::aws:policy/job-function/Billing': {
    version: 'v30',
    allow: [],
    allowConditional: [],
    deny: [],
  },
  'arn:aws:iam::aws:policy/job-function/DataScientist': {
    version: 'v5',
    allow: ['lambda:CreateFunction on arn:aws:lambda:us-east-1:000000000000:function:jitaudit-probe','ec2:RunInstances on arn:aws:ec2:us-east-1:000000000000:instance/i-00000000000000000','cloudformation:CreateStack on arn:aws:cloudformation:us-east-1:000000000000:stack/jitaudit-probe/00000000-0000-0000-0000-000000000000','sagemaker:CreateNotebookInstance on arn:aws:sagemaker:us-east-1:000000000000:notebook-instance/jitaudit-probe'],
    allowConditional: ['iam:PassRole on arn:aws:iam::000000000000:role/jitaudit-probe'],
    deny: [],
  },
  'arn:aws:iam::aws:policy/job-function/DatabaseAdministrator': {
    version: 'v5',
    allow: ['lambda:CreateFunction on arn:aws:lambda:us-east-1:000000000000:function:jitaudit-probe','datapipeline:CreatePipeline on arn:aws:datapipeline:us-east-1:000000000000:pipeline/jitaudit-probe'],
    allowConditional: [],
    deny: [],
  },
  'arn:aws:iam::aws:policy/job-function/NetworkAdministrator': {
    version: 'v16',
    allow: [],
    allowConditional: [],
    deny: [],
  },
  'arn:aws:iam::aws:policy/job-function/SupportUser': {
    version: 'v11',
    allow: [],
    allowConditional: [],
    deny: [],
  },
  'arn:aws:iam::aws:policy/job-function/SystemAdministrator': {
    version: 'v12',
    allow: ['lambda:CreateFunction on arn:aws:lambda:us-east-1:000000000000:function:jitaudit-probe','ec2:RunInstances on arn:aws:ec2:us-east-1:000000000000:instance/i-00000000000000000'],
    allowConditional: [],
    deny: [],
  },
  'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess': {
    version: 'v45',
    allow: [],
    allowConditional: [],
    deny: [],
  },
};

/** A known AWS managed policy's verdicts by ARN; null when it is not one of the known ones. */
export function awsManagedPolicyVerdicts(arn: string): ((probe: Probe) => Verdict) | null {
  const known = Object.hasOwn(AWS_MANAGED_POLICY_VERDICTS, arn) ? AWS_MANAGED_POLICY_VERDICTS[arn]! : null;
  if (!known) return null;
  const verdicts = new Map<string, Verdict>([
    ...known.allow.map((k) => [k, 'allow'] as const),
    ...known.allowConditional.map((k) => [k, 'allow-conditional'] as const),
    ...known.deny.map((k) => [k, 'deny'] as const),
  ]);
  return (probe) => verdicts.get(probeKey(probe)) ?? 'none';
}
