// Resource policies that let Identity Center roles in without an account assignment for that
// resource (or let anyone in): Lambda function policies (lambda:ListFunctions, then lambda:GetPolicy
// per function) and API Gateway REST API policies (GetRestApis carries each API's policy), in the
// accounts and Regions the config names. Only the statements that matter are kept.
import { GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { GetPolicyCommand, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import type { ResourcePoliciesT, ResourcePolicyT } from '../../model/snapshot-schema.js';
import { AwsCallError, byString, type AccountClients, type AwsRuntime } from './clients.js';
import { PERMISSION_SET_ROLE_PREFIX } from './control-plane.js';
import { mapLimit } from '../rate-limit.js';

type Scope = ResourcePoliciesT['scopes'][number];
type Reason = ResourcePolicyT['statements'][number]['reasons'][number];
type Service = Scope['service'];

/** An account as a principal: its id, or its root ARN. */
const ACCOUNT = /^(?:\d{12}|arn:aws[\w-]*:iam::\d{12}:root)$/;

/** Condition keys (any case, any operator) that name the calling principal. */
const PRINCIPAL_KEYS = new Set(['aws:principalarn', 'aws:userid']);

const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Why a statement matters, or nothing. */
export function statementReasons(statement: unknown): Reason[] {
  if (!statement || typeof statement !== 'object') return [];
  const s = statement as { Principal?: unknown; Condition?: unknown };
  const reasons = new Set<Reason>();
  const principals: string[] = [];
  const roleIds: string[] = [];
  if (s.Principal === '*') reasons.add('wildcardPrincipal');
  else if (s.Principal && typeof s.Principal === 'object') {
    for (const [kind, v] of Object.entries(s.Principal as Record<string, unknown>)) {
      for (const p of strings(v)) {
        if (p === '*' && kind === 'AWS') reasons.add('wildcardPrincipal');
        // A whole account: every role in it, permission sets' included, that its own policies let act.
        if (kind === 'AWS' && ACCOUNT.test(p)) reasons.add('accountPrincipal');
        if (kind === 'AWS') principals.push(p);
      }
    }
  }
  if (s.Condition && typeof s.Condition === 'object') {
    for (const block of Object.values(s.Condition as Record<string, unknown>)) {
      if (!block || typeof block !== 'object') continue;
      for (const [key, v] of Object.entries(block as Record<string, unknown>)) {
        if (PRINCIPAL_KEYS.has(key.toLowerCase())) principals.push(...strings(v));
        if (key.toLowerCase() === 'aws:userid') roleIds.push(...strings(v).filter((x) => /^AROA/.test(x)));
      }
    }
  }
  // aws:userid names a role by its unique id (AROA…:<session>): it may be a permission set's role, which
  // only the analysis can tell (from the role ids it has), so the statement is kept.
  if (principals.some((p) => p.includes(PERMISSION_SET_ROLE_PREFIX)) || roleIds.length > 0) reasons.add('identityCenterRole');
  return [...reasons].sort();
}

/** A policy document's statements that matter; a document that is not a policy is an error (the scope is `missing`). */
export function matchingStatements(document: string, where: string): ResourcePolicyT['statements'] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    throw Object.assign(new Error(`${where}: the resource policy is not JSON`), { name: 'UnexpectedResponse' });
  }
  const raw = (parsed as { Statement?: unknown } | null)?.Statement;
  if (raw === undefined) throw Object.assign(new Error(`${where}: the resource policy has no Statement`), { name: 'UnexpectedResponse' });
  const statements = Array.isArray(raw) ? raw : [raw];
  return statements
    .map((st) => ({ statement: JSON.stringify(st), reasons: statementReasons(st) }))
    .filter((st) => st.reasons.length > 0);
}

/**
 * API Gateway returns a REST API's policy as JSON text whose quotes (and slashes) are backslash-escaped
 * once more: `{\"Version\":\"2012-10-17\",…\"Resource\":\"arn:…\/*\"}`. Unescape it as a JSON string body
 * when it is escaped, as it is; use it as it is when it is plain JSON already.
 */
export function decodeApiGatewayPolicy(policy: string, where: string): string {
  const text = policy.trim();
  if (!text.includes('\\"')) return text;
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    throw Object.assign(new Error(`${where}: the REST API policy is not escaped JSON as API Gateway returns it`), { name: 'UnexpectedResponse' });
  }
}

interface Found {
  read: number;
  policies: ResourcePolicyT[];
}

async function lambdaPolicies(rt: AwsRuntime, clients: AccountClients, region: string): Promise<Found> {
  const lambda = clients.client('lambda', region);
  const call = <T>(op: 'lambda:ListFunctions' | 'lambda:GetPolicy', send: () => Promise<T>) => rt.call(op, clients.accountId, region, send);
  const functions: { name: string; arn: string }[] = [];
  const seen = new Set<string>();
  let marker: string | undefined;
  do {
    const page = await call('lambda:ListFunctions', () => lambda.send(new ListFunctionsCommand({ Marker: marker, MaxItems: 50 })));
    for (const f of page.Functions ?? []) if (f.FunctionName && f.FunctionArn) functions.push({ name: f.FunctionName, arn: f.FunctionArn });
    marker = page.NextMarker || undefined;
    if (marker !== undefined) {
      if (seen.has(marker)) throw new Error('lambda:ListFunctions returned the same NextMarker twice: refusing to loop');
      seen.add(marker);
    }
  } while (marker !== undefined);
  const policies = await mapLimit(functions, 4, async (f): Promise<ResourcePolicyT | null> => {
    let policy: string | undefined;
    try {
      policy = (await call('lambda:GetPolicy', () => lambda.send(new GetPolicyCommand({ FunctionName: f.name })))).Policy;
    } catch (error) {
      // A function without a resource policy answers ResourceNotFoundException: nothing to keep.
      if (error instanceof AwsCallError && error.code === 'ResourceNotFoundException') return null;
      throw error;
    }
    if (!policy) return null;
    const statements = matchingStatements(policy, `function ${f.arn}`);
    return statements.length ? { accountId: clients.accountId, region, service: 'lambda', resourceArn: f.arn, resourceName: f.name, statements } : null;
  });
  return { read: functions.length, policies: policies.filter((p): p is ResourcePolicyT => p !== null) };
}

async function apiGatewayPolicies(rt: AwsRuntime, clients: AccountClients, region: string, partition: string): Promise<Found> {
  const apigw = clients.client('apigateway', region);
  const policies: ResourcePolicyT[] = [];
  let read = 0;
  let position: string | undefined;
  const seen = new Set<string>();
  do {
    const page = await rt.call('apigateway:GetRestApis', clients.accountId, region, () => apigw.send(new GetRestApisCommand({ position, limit: 500 })));
    for (const api of page.items ?? []) {
      if (!api.id) continue;
      read++;
      if (!api.policy) continue;
      const arn = `arn:${partition}:apigateway:${region}::/restapis/${api.id}`;
      const statements = matchingStatements(decodeApiGatewayPolicy(api.policy, `REST API ${arn}`), `REST API ${arn}`);
      if (statements.length) policies.push({ accountId: clients.accountId, region, service: 'apigateway', resourceArn: arn, resourceName: api.name ?? api.id, statements });
    }
    position = page.position || undefined;
    if (position !== undefined) {
      if (seen.has(position)) throw new Error('apigateway:GetRestApis returned the same position twice: refusing to loop');
      seen.add(position);
    }
  } while (position !== undefined);
  return { read, policies };
}

/** The config's aws.resourcePolicyRegions and aws.resourcePolicyAccounts, read defensively: null = not asked for. */
export function resourcePolicyConfig(rawAws: unknown): { regions: string[]; accounts: string[] | null } | { error: string } | null {
  const aws = (rawAws ?? {}) as Record<string, unknown>;
  if (aws.resourcePolicyRegions === undefined) return null;
  const regions = aws.resourcePolicyRegions;
  if (!Array.isArray(regions) || !regions.every((r) => typeof r === 'string' && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(r))) {
    return { error: 'aws.resourcePolicyRegions must be a list of Region names such as "eu-west-1"' };
  }
  const accounts = aws.resourcePolicyAccounts;
  if (accounts !== undefined && (!Array.isArray(accounts) || !accounts.every((a) => typeof a === 'string' && /^\d{12}$/.test(a)))) {
    return { error: 'aws.resourcePolicyAccounts must be a list of 12-digit account ids' };
  }
  return { regions: [...new Set(regions as string[])].sort(), accounts: accounts === undefined ? null : [...new Set(accounts as string[])].sort() };
}

/** Every (account, Region, service): each its own provenance; a refusal in one does not stop the others. */
export async function collectResourcePolicies(
  rt: AwsRuntime,
  accountIds: string[],
  regions: string[],
  partition: string,
  clientsFor: (accountId: string) => Promise<AccountClients | AwsCallError>,
  missingOf: (error: AwsCallError) => Scope['provenance'],
  tick: (detail: string) => void,
): Promise<ResourcePoliciesT> {
  const work = accountIds.flatMap((accountId) => regions.flatMap((region) => (['lambda', 'apigateway'] as Service[]).map((service) => ({ accountId, region, service }))));
  let done = 0;
  const results = await mapLimit(work, 8, async ({ accountId, region, service }): Promise<{ scope: Scope; policies: ResourcePolicyT[] }> => {
    try {
      const clients = await clientsFor(accountId);
      if (clients instanceof AwsCallError) throw clients;
      const found = service === 'lambda' ? await lambdaPolicies(rt, clients, region) : await apiGatewayPolicies(rt, clients, region, partition);
      const source = service === 'lambda' ? 'lambda:ListFunctions, GetPolicy' : 'apigateway:GET /restapis';
      return {
        scope: { accountId, region, service, provenance: { status: 'collected', source: `${source} (${clients.via})`, collectedAt: new Date().toISOString() }, resourcesRead: found.read },
        policies: found.policies,
      };
    } catch (error) {
      const e = error instanceof AwsCallError ? error : asCallError(error, service);
      return { scope: { accountId, region, service, provenance: missingOf(e), resourcesRead: null }, policies: [] };
    } finally {
      tick(`${++done}/${work.length} account Regions`);
    }
  });
  return {
    regions,
    scopes: results.map((r) => r.scope).sort(byString((s) => `${s.accountId}|${s.region}|${s.service}`)),
    policies: results.flatMap((r) => r.policies).sort(byString((p) => `${p.accountId}|${p.region}|${p.service}|${p.resourceArn}`)),
  };
}

/** A response that could not be interpreted: the scope is `missing` with what was wrong (a bug still surfaces). */
function asCallError(error: unknown, service: Service): AwsCallError {
  if (error instanceof TypeError || error instanceof ReferenceError || error instanceof RangeError) throw error;
  const e = error as Error;
  const op = service === 'lambda' ? 'lambda:GetPolicy' : 'apigateway:GetRestApis';
  const code = e.name && e.name !== 'Error' ? e.name : 'UnexpectedResponse';
  return new AwsCallError(op, { status: null, code, message: e.message }, null, code);
}
