// IAM Identity Center instance: ListInstances in the Identity Center home Region.
// An organisation has one organization instance (owned by the management account) and may have
// account instances too; the organization instance is the one that holds account assignments.
import { ListInstancesCommand, type InstanceMetadata } from '@aws-sdk/client-sso-admin';
import type { Snapshot } from '../../model/snapshot-schema.js';
import { byString, pages, type AccountClients, type AwsRuntime } from './clients.js';

export type IdentityCenterData = NonNullable<Snapshot['aws']['identityCenter']['data']>;

export async function collectIdentityCenter(
  rt: AwsRuntime,
  caller: AccountClients,
  region: string,
  managementAccountId: string | null,
  warn: (message: string) => void,
): Promise<IdentityCenterData> {
  const sso = caller.client('sso-admin', region);
  const instances = (
    await pages((NextToken) =>
      rt.call('sso-admin:ListInstances', caller.accountId, region, () => sso.send(new ListInstancesCommand({ NextToken, MaxResults: 100 }))),
    )
  )
    .flatMap((p) => p.Instances ?? [])
    .filter((i): i is InstanceMetadata & { InstanceArn: string; IdentityStoreId: string } => !!i.InstanceArn && !!i.IdentityStoreId)
    .sort(byString((i) => i.InstanceArn));
  if (!instances.length) throw Object.assign(new Error(`no IAM Identity Center instance in ${region}: is this the Identity Center home Region?`), { name: 'NoInstance' });
  const active = instances.filter((i) => !i.Status || i.Status === 'ACTIVE');
  const chosen =
    active.find((i) => managementAccountId !== null && i.OwnerAccountId === managementAccountId) ?? active[0] ?? instances[0]!;
  if (instances.length > 1) {
    warn(`${instances.length} Identity Center instances in ${region}; auditing ${chosen.InstanceArn} (owner ${chosen.OwnerAccountId ?? 'unknown'})`);
  }
  return {
    instanceArn: chosen.InstanceArn,
    identityStoreId: chosen.IdentityStoreId,
    region,
    ownerAccountId: chosen.OwnerAccountId ?? null,
  };
}
