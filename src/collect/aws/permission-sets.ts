// Permission sets: for each, DescribePermissionSet, its AWS-managed and
// customer-managed policies, its inline policy and its permissions boundary: 1 + 5 × P calls
// (plus extra pages of ListPermissionSets), all drawn from the shared Identity Center bucket.
import {
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  GetPermissionsBoundaryForPermissionSetCommand,
  ListCustomerManagedPolicyReferencesInPermissionSetCommand,
  ListManagedPoliciesInPermissionSetCommand,
  ListPermissionSetsCommand,
} from '@aws-sdk/client-sso-admin';
import type { PermissionSetT } from '../../model/snapshot-schema.js';
import { AwsCallError, byString, pages, type AccountClients, type AwsRuntime } from './clients.js';
import type { OperationName } from './operations.js';

export async function listPermissionSetArns(rt: AwsRuntime, caller: AccountClients, region: string, instanceArn: string): Promise<string[]> {
  const sso = caller.client('sso-admin', region);
  return (
    await pages((NextToken) =>
      rt.call('sso-admin:ListPermissionSets', caller.accountId, region, () =>
        sso.send(new ListPermissionSetsCommand({ InstanceArn: instanceArn, NextToken, MaxResults: 100 })),
      ),
    )
  )
    .flatMap((p) => p.PermissionSets ?? [])
    .sort();
}

export async function collectPermissionSets(
  rt: AwsRuntime,
  caller: AccountClients,
  region: string,
  instanceArn: string,
  arns: string[],
  tick: (detail: string) => void,
): Promise<PermissionSetT[]> {
  const sso = caller.client('sso-admin', region);
  const call = <T>(op: OperationName, send: () => Promise<T>) => rt.call(op, caller.accountId, region, send);
  let done = 0;
  const sets = await Promise.all(
    arns.map(async (arn) => {
      const input = { InstanceArn: instanceArn, PermissionSetArn: arn };
      const [described, managed, customer, inline, boundary] = await Promise.all([
        call('sso-admin:DescribePermissionSet', () => sso.send(new DescribePermissionSetCommand(input))),
        pages((NextToken) =>
          call('sso-admin:ListManagedPoliciesInPermissionSet', () =>
            sso.send(new ListManagedPoliciesInPermissionSetCommand({ ...input, NextToken, MaxResults: 100 })),
          ),
        ),
        pages((NextToken) =>
          call('sso-admin:ListCustomerManagedPolicyReferencesInPermissionSet', () =>
            sso.send(new ListCustomerManagedPolicyReferencesInPermissionSetCommand({ ...input, NextToken, MaxResults: 100 })),
          ),
        ),
        call('sso-admin:GetInlinePolicyForPermissionSet', () => sso.send(new GetInlinePolicyForPermissionSetCommand(input))),
        // No boundary is answered with ResourceNotFoundException: that is "none", not a failure.
        call('sso-admin:GetPermissionsBoundaryForPermissionSet', () => sso.send(new GetPermissionsBoundaryForPermissionSetCommand(input))).catch(
          (error: unknown) => {
            if (error instanceof AwsCallError && error.code === 'ResourceNotFoundException') return { PermissionsBoundary: undefined };
            throw error;
          },
        ),
      ]);
      tick(`${++done}/${arns.length} permission sets`);
      const ps = described.PermissionSet;
      const b = boundary.PermissionsBoundary;
      const cmp = b?.CustomerManagedPolicyReference;
      const set: PermissionSetT = {
        arn,
        name: ps?.Name ?? arn,
        description: ps?.Description ?? null,
        // The documented default is one hour; an instance that omits it uses the default.
        sessionDuration: ps?.SessionDuration || 'PT1H',
        relayState: ps?.RelayState || null,
        managedPolicies: managed
          .flatMap((p) => p.AttachedManagedPolicies ?? [])
          .map((m) => ({ name: m.Name ?? m.Arn ?? '', arn: m.Arn ?? '' }))
          .sort(byString((m) => m.arn)),
        customerManagedPolicies: customer
          .flatMap((p) => p.CustomerManagedPolicyReferences ?? [])
          .map((c) => ({ name: c.Name ?? '', path: c.Path || '/' }))
          .sort(byString((c) => `${c.path}${c.name}`)),
        // "It is possible for an empty inline policy to be returned": empty means none.
        inlinePolicy: inline.InlinePolicy?.trim() ? inline.InlinePolicy : null,
        permissionsBoundary:
          b && (b.ManagedPolicyArn || cmp)
            ? { managedPolicyArn: b.ManagedPolicyArn ?? null, customerManagedPolicy: cmp ? { name: cmp.Name ?? '', path: cmp.Path || '/' } : null }
            : null,
      };
      return set;
    }),
  );
  return sets.sort(byString((s) => s.arn));
}
