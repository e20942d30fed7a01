// Account assignments, with the strategy that needs the fewest calls for this
// organisation. Two ways to list every assignment:
//
//   per pair       ListAccountsForProvisionedPermissionSet once per permission set (which accounts it
//                  is provisioned to), then ListAccountAssignments once per provisioned
//                  (account, permission set) pair:                      calls = P + N
//   per principal  ListAccountAssignmentsForPrincipal once per identity-store user and group
//                  (we cannot know beforehand which principals have assignments): calls = U + G
//
//   P = permission sets, N = provisioned (account, permission set) pairs, U + G = identity-store
//   users + groups; each term is one call per page (sso-admin pages hold up to 100).
//
// What is known up front is P and U + G (both lists are read anyway); N is known only after the P
// discovery calls. So:
//   1. if U + G ≤ P, go per principal at once (per pair cannot cost less than P);
//   2. otherwise make the P discovery calls, learn N, and go per pair if N ≤ U + G, else per
//      principal. The P calls are then sunk, but P < U + G, so the total stays under twice the best.
// Many accounts and few principals → per principal; few accounts and many principals → per pair.
// ListAccountAssignmentsForPrincipal works only from the management account: when it is refused,
// fall back to per pair (with a warning).
import {
  ListAccountAssignmentsCommand,
  ListAccountAssignmentsForPrincipalCommand,
  ListAccountsForProvisionedPermissionSetCommand,
} from '@aws-sdk/client-sso-admin';
import type { AccountAssignmentT } from '../../model/snapshot-schema.js';
import { mapLimit } from '../rate-limit.js';
import { AwsCallError, CONCURRENCY, byString, pageItems, type AccountClients, type AwsRuntime } from './clients.js';

export type AssignmentStrategy = 'per-pair' | 'per-principal';

export interface AssignmentPlan {
  strategy: AssignmentStrategy;
  /** One-page estimates of each strategy's calls; perPair is null when N was not discovered. */
  perPairCalls: number | null;
  perPrincipalCalls: number;
  permissionSets: number;
  principals: number;
  provisionedPairs: number | null;
}

/** The choice, as a pure function of what is known (N = null: not discovered yet). */
export function chooseStrategy(p: number, principals: number, pairs: number | null): AssignmentStrategy | 'discover' {
  if (principals <= p) return 'per-principal';
  if (pairs === null) return 'discover';
  return pairs <= principals ? 'per-pair' : 'per-principal';
}

export interface AssignmentInput {
  instanceArn: string;
  permissionSetArns: string[];
  principals: { type: 'USER' | 'GROUP'; id: string }[];
}

export async function collectAccountAssignments(
  rt: AwsRuntime,
  caller: AccountClients,
  region: string,
  input: AssignmentInput,
  tick: (detail: string) => void,
  warn: (message: string) => void,
  /** When one input could not be read, the other strategy is the only one left. */
  force?: AssignmentStrategy,
): Promise<{ assignments: AccountAssignmentT[]; plan: AssignmentPlan }> {
  const sso = caller.client('sso-admin', region);
  const call = <T>(op: Parameters<AwsRuntime['call']>[0], send: () => Promise<T>) => rt.call(op, caller.accountId, region, send);
  const P = input.permissionSetArns.length;
  const principals = input.principals.length;
  const plan: AssignmentPlan = {
    strategy: 'per-principal',
    perPairCalls: null,
    perPrincipalCalls: principals,
    permissionSets: P,
    principals,
    provisionedPairs: null,
  };

  const discoverPairs = async () => {
    const perSet = await Promise.all(
      input.permissionSetArns.map((arn) =>
        pageItems(
          (NextToken) =>
            call('sso-admin:ListAccountsForProvisionedPermissionSet', () =>
              sso.send(new ListAccountsForProvisionedPermissionSetCommand({ InstanceArn: input.instanceArn, PermissionSetArn: arn, NextToken, MaxResults: 100 })),
            ),
          (p) => (p.AccountIds ?? []).map((accountId) => ({ accountId, arn })),
        ),
      ),
    );
    return perSet.flat();
  };

  // Thousands of pairs or principals: started a few more at a time than sso-admin's concurrency cap,
  // not all at once (each waiting call would hold its closures and promises until its turn).
  const pool = 2 * CONCURRENCY['sso-admin'];

  const perPair = async (pairs: { accountId: string; arn: string }[]) => {
    let done = 0;
    const lists = await mapLimit(pairs, pool, async ({ accountId, arn }) => {
      const list = await pageItems(
        (NextToken) =>
          call('sso-admin:ListAccountAssignments', () =>
            sso.send(new ListAccountAssignmentsCommand({ InstanceArn: input.instanceArn, AccountId: accountId, PermissionSetArn: arn, NextToken, MaxResults: 100 })),
          ),
        (p) =>
          (p.AccountAssignments ?? []).map((a) => ({ accountId: a.AccountId ?? accountId, permissionSetArn: a.PermissionSetArn ?? arn, principalType: a.PrincipalType, principalId: a.PrincipalId })),
      );
      tick(`${++done}/${pairs.length} (account, permission set) pairs`);
      return list;
    });
    return lists.flat();
  };

  const perPrincipal = async () => {
    let done = 0;
    const lists = await mapLimit(input.principals, pool, async (principal) => {
      const list = await pageItems(
        (NextToken) =>
          call('sso-admin:ListAccountAssignmentsForPrincipal', () =>
            sso.send(
              new ListAccountAssignmentsForPrincipalCommand({ InstanceArn: input.instanceArn, PrincipalId: principal.id, PrincipalType: principal.type, NextToken, MaxResults: 100 }),
            ),
          ),
        (p) =>
          (p.AccountAssignments ?? [])
            .map((a) => ({ accountId: a.AccountId, permissionSetArn: a.PermissionSetArn, principalType: a.PrincipalType ?? principal.type, principalId: a.PrincipalId ?? principal.id }))
            // Keep what is assigned to this principal itself; anything inherited is listed under its own principal.
            .filter((a) => a.principalId === principal.id && a.principalType === principal.type),
      );
      tick(`${++done}/${principals} principals`);
      return list;
    });
    return lists.flat();
  };

  let raw: { accountId?: string | undefined; permissionSetArn?: string | undefined; principalType?: string | undefined; principalId?: string | undefined }[];
  let choice = force ?? chooseStrategy(P, principals, null);
  let pairs: { accountId: string; arn: string }[] | null = null;
  if (choice === 'discover' || (choice === 'per-pair' && pairs === null)) {
    pairs = await discoverPairs();
    plan.provisionedPairs = pairs.length;
    plan.perPairCalls = P + pairs.length;
    choice = force ?? (chooseStrategy(P, principals, pairs.length) as AssignmentStrategy);
  }
  plan.strategy = choice;
  if (choice === 'per-principal') {
    try {
      raw = await perPrincipal();
    } catch (error) {
      if (force || !(error instanceof AwsCallError) || !['AccessDenied', 'AccessDeniedException', 'ValidationException'].includes(error.code)) throw error;
      warn(`sso-admin:ListAccountAssignmentsForPrincipal was refused (${error.code}: it works only from the management account); listing per (account, permission set) pair instead`);
      pairs ??= await discoverPairs();
      plan.strategy = 'per-pair';
      plan.provisionedPairs = pairs.length;
      raw = await perPair(pairs);
    }
  } else {
    raw = await perPair(pairs!);
  }

  const seen = new Set<string>();
  const assignments: AccountAssignmentT[] = [];
  for (const a of raw) {
    if (!a.accountId || !a.permissionSetArn || !a.principalId || (a.principalType !== 'USER' && a.principalType !== 'GROUP')) continue;
    const key = `${a.accountId}|${a.permissionSetArn}|${a.principalType}|${a.principalId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    assignments.push({ accountId: a.accountId, permissionSetArn: a.permissionSetArn, principalType: a.principalType, principalId: a.principalId });
  }
  assignments.sort(byString((a) => `${a.accountId}|${a.permissionSetArn}|${a.principalType}|${a.principalId}`));
  return { assignments, plan };
}
