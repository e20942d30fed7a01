// IAM users of one account, from the credential report: GenerateCredentialReport
// until it is COMPLETE (polled politely: IAM regenerates at most every 4 hours and answers STARTED or
// INPROGRESS meanwhile), then GetCredentialReport and its CSV. Where the report is not enough:
// ListMFADevices for users whose MFA is active (the report says whether, not which device), and
// ListAttachedUserPolicies / ListUserPolicies (which policies make the user an admin).
import { parse } from 'csv-parse/sync';
import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  ListAttachedUserPoliciesCommand,
  ListMFADevicesCommand,
  ListUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import type { IamAccountT } from '../../model/snapshot-schema.js';
import { AwsCallError, GLOBAL_REGION, byString, markerPages, type AccountClients, type AwsRuntime } from './clients.js';
import type { OperationName } from './operations.js';
import { setTimeout as sleep } from 'node:timers/promises';

type IamUserT = NonNullable<IamAccountT['users']>[number];

export interface ReportOptions {
  /** First wait between polls, in ms; doubles up to maxPollMs. */
  pollMs: number;
  maxPollMs: number;
  /** Give up (the account is `missing`) after this long. */
  timeoutMs: number;
}

export const DEFAULT_REPORT_OPTIONS: ReportOptions = { pollMs: 2_000, maxPollMs: 15_000, timeoutMs: 5 * 60_000 };


/** Generate (or reuse) the credential report and return its CSV text and generation time. */
async function credentialReport(rt: AwsRuntime, clients: AccountClients, options: ReportOptions): Promise<{ csv: string; generatedAt: string | null }> {
  const iam = clients.client('iam', GLOBAL_REGION);
  const call = <T>(op: OperationName, send: () => Promise<T>) => rt.call(op, clients.accountId, GLOBAL_REGION, send);
  const deadline = Date.now() + options.timeoutMs;
  let wait = options.pollMs;
  const pause = async () => {
    if (Date.now() + wait > deadline) {
      throw new AwsCallError(
        'iam:GetCredentialReport',
        { status: null, code: 'ReportTimeout', message: `the credential report of account ${clients.accountId} was not ready after ${Math.round(options.timeoutMs / 1000)} s` },
        'run jitaudit collect again later (IAM generates the report in the background)',
        'ReportTimeout',
      );
    }
    await sleep(wait);
    wait = Math.min(wait * 2, options.maxPollMs);
  };
  for (;;) {
    const state = (await call('iam:GenerateCredentialReport', () => iam.send(new GenerateCredentialReportCommand({})))).State;
    if (state === 'COMPLETE') break;
    await pause();
  }
  for (;;) {
    try {
      const out = await call('iam:GetCredentialReport', () => iam.send(new GetCredentialReportCommand({})));
      const content = out.Content ? Buffer.from(out.Content).toString('utf8') : '';
      return { csv: content, generatedAt: out.GeneratedTime ? isoSeconds(out.GeneratedTime.toISOString()) : null };
    } catch (error) {
      // COMPLETE, then "not ready" or "not present" (eventual consistency): wait and ask again.
      if (error instanceof AwsCallError && ['ReportInProgress', 'CredentialReportNotReadyException', 'ReportNotPresent', 'CredentialReportNotPresentException'].includes(error.code)) {
        await pause();
        continue;
      }
      throw error;
    }
  }
}

/** The credential report's rows by column name (RFC 4180; csv-parse). */
export function parseCsv(text: string): Record<string, string>[] {
  return parse(text, { columns: (header: string[]) => header.map((h) => h.trim()), bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as Record<string, string>[];
}

/** "N/A", "no_information", "not_supported" and empty cells carry no value. */
const NO_VALUE = new Set(['', 'n/a', 'no_information', 'not_supported']);
const value = (cell: string | undefined) => (cell === undefined || NO_VALUE.has(cell.toLowerCase()) ? null : cell);
const bool = (cell: string | undefined) => value(cell)?.toLowerCase() === 'true';
const isoSeconds = (iso: string) => iso.replace(/\.000Z$/, 'Z');
const time = (cell: string | undefined) => {
  const v = value(cell);
  if (v === null) return null;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : isoSeconds(new Date(ms).toISOString());
};

export interface ParsedReport {
  root: IamAccountT['root'];
  users: Omit<IamUserT, 'mfaDevices'>[];
}

export function readCredentialReport(csv: string): ParsedReport {
  let root: IamAccountT['root'] = null;
  const users: ParsedReport['users'] = [];
  for (const row of parseCsv(csv)) {
    const keys = [1, 2]
      // A key slot exists when it was ever rotated (created); an unused slot is N/A throughout.
      .filter((n) => bool(row[`access_key_${n}_active`]) || value(row[`access_key_${n}_last_rotated`]) !== null)
      .map((n) => ({
        active: bool(row[`access_key_${n}_active`]),
        lastRotated: time(row[`access_key_${n}_last_rotated`]),
        lastUsed: time(row[`access_key_${n}_last_used_date`]),
      }));
    if (row.user === '<root_account>') {
      root = {
        mfaActive: bool(row.mfa_active),
        accessKeysActive: keys.some((k) => k.active),
        passwordLastUsed: time(row.password_last_used),
      };
      continue;
    }
    if (!row.user) continue;
    users.push({
      userName: row.user,
      arn: row.arn ?? '',
      createdAt: time(row.user_creation_time),
      passwordEnabled: bool(row.password_enabled),
      passwordLastUsed: time(row.password_last_used),
      mfaActive: bool(row.mfa_active),
      accessKeys: keys,
    });
  }
  return { root, users: users.sort(byString((u) => u.userName)) };
}

export async function collectIamAccount(
  rt: AwsRuntime,
  clients: AccountClients,
  options: ReportOptions = DEFAULT_REPORT_OPTIONS,
): Promise<Pick<IamAccountT, 'reportGeneratedAt' | 'root' | 'users'>> {
  const { csv, generatedAt } = await credentialReport(rt, clients, options);
  const report = readCredentialReport(csv);
  const iam = clients.client('iam', GLOBAL_REGION);
  const call = <T>(op: OperationName, send: () => Promise<T>) => rt.call(op, clients.accountId, GLOBAL_REGION, send);
  const users: IamUserT[] = await Promise.all(
    report.users.map(async (u) => {
      const [devices, attached, inline] = await Promise.all([
        u.mfaActive
          ? markerPages((Marker) => call('iam:ListMFADevices', () => iam.send(new ListMFADevicesCommand({ UserName: u.userName, Marker, MaxItems: 1000 }))))
          : Promise.resolve([]),
        markerPages((Marker) => call('iam:ListAttachedUserPolicies', () => iam.send(new ListAttachedUserPoliciesCommand({ UserName: u.userName, Marker, MaxItems: 1000 })))),
        markerPages((Marker) => call('iam:ListUserPolicies', () => iam.send(new ListUserPoliciesCommand({ UserName: u.userName, Marker, MaxItems: 1000 })))),
      ]);
      return {
        ...u,
        mfaDevices: devices
          .flatMap((p) => p.MFADevices ?? [])
          .map((d) => ({ serialNumber: d.SerialNumber ?? '', enabledAt: d.EnableDate ? isoSeconds(d.EnableDate.toISOString()) : null }))
          .sort(byString((d) => d.serialNumber)),
        attachedPolicies: attached
          .flatMap((p) => p.AttachedPolicies ?? [])
          .map((p) => ({ name: p.PolicyName ?? '', arn: p.PolicyArn ?? '' }))
          .sort(byString((p) => p.arn)),
        inlinePolicyNames: inline.flatMap((p) => p.PolicyNames ?? []).sort(),
      };
    }),
  );
  return { reportGeneratedAt: generatedAt, root: report.root, users };
}
