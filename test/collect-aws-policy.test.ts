// The least-privilege policies in docs/aws-policies/ grant exactly what the collector can call, and
// all of it is read-only.
import { describe, expect, it } from 'vitest';
import { iamAction } from '../src/collect/aws/clients.js';
import { AWS_OPERATIONS, type OperationName } from '../src/collect/aws/operations.js';
import { isReadOnly, policy, policyActions } from './helpers/aws.js';

const AUDITOR = policyActions('auditor-role.json');
const MEMBER = policyActions('member-account-role.json');

describe('docs/aws-policies', () => {
  const ops = Object.entries(AWS_OPERATIONS) as [OperationName, 'auditor' | 'member' | 'both'][];

  it('grant every operation the collector can call, to the identity that calls it', () => {
    for (const [op, who] of ops) {
      if (who !== 'member') expect(AUDITOR, `${op} in auditor-role.json`).toContain(iamAction(op));
      if (who !== 'auditor') expect(MEMBER, `${op} in member-account-role.json`).toContain(iamAction(op));
    }
  });

  it('grant nothing else: no wildcard, no action the collector does not call', () => {
    const known = new Set(ops.map(([op]) => iamAction(op)));
    for (const a of [...AUDITOR, ...MEMBER]) {
      expect(a).not.toContain('*');
      expect(known.has(a), a).toBe(true);
    }
  });

  it('are read-only', () => {
    for (const a of [...AUDITOR, ...MEMBER, ...ops.map(([op]) => iamAction(op))]) expect(isReadOnly(a), a).toBe(true);
    expect(isReadOnly('iam:CreateUser')).toBe(false);
    expect(isReadOnly('sso:PutInlinePolicyToPermissionSet')).toBe(false);
    expect(isReadOnly('organizations:Listen')).toBe(false);
  });

  it('let the auditor assume only the member role, and give the member role no way onward', () => {
    const assume = policy('auditor-role.json').Statement.find((s) => [s.Action].flat().includes('sts:AssumeRole'))!;
    expect(assume.Resource).toBe('arn:aws:iam::*:role/JitAuditReadOnly');
    expect(MEMBER).not.toContain('sts:AssumeRole');
  });
});
