// AWS plumbing shared by every AWS API surface: credentials, regions, endpoints, retries, rate limits
// and the one `call` through which every request goes (so that every request is paced, capped,
// counted and, when refused, explained in terms of the IAM action that was missing).
//
// Credentials: the SDK's default chain (environment, shared config and credentials files with
//   profiles and sso-session, web identity for GitHub OIDC, container and instance roles); --profile
//   selects a profile. Member accounts: sts:AssumeRole into the configured read-only role.
// Endpoints: the SDK's standard AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> variables, so tests
//   point every client at a fake on 127.0.0.1 without any code path of their own.
// Retries: SDK "standard" mode, which retries ThrottlingException, TooManyRequestsException and
//   Throttling (and 5xx) with jittered exponential backoff; AWS_MAX_ATTEMPTS overrides the attempts.
// Limits: one token bucket per documented limit, one concurrency cap per service.
//   Every attempt, a retry too, takes its token (a middleware between the SDK's retries and its
//   signing): a burst of throttled requests retried on the SDK's own clock would otherwise go out
//   at once, faster than the limit they just hit.
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { IAMClient } from '@aws-sdk/client-iam';
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, FinalizeRequestMiddleware, MiddlewareStack } from '@aws-sdk/types';
import pLimit, { type LimitFunction } from 'p-limit';
import type { MissingError } from '../section.js';
import { TokenBucket } from '../rate-limit.js';
import { IAM_ACTION_OVERRIDE, IAM_ACTION_PREFIX, type AwsService, type OperationName } from './operations.js';

/** The global services (Organizations, IAM, and the sign-in/IAM/STS CloudTrail events) live in us-east-1. */
export const GLOBAL_REGION = 'us-east-1';

/** Documented rate limits; organizations and IAM publish none, so a polite guess. */
export const RATES = {
  /** "IAM Identity Center APIs have a collective throttle maximum of 20 TPS"; identitystore shares it (conservative). */
  identityCenter: 20,
  /** LookupEvents: 2 TPS per account and Region, cannot be increased. */
  lookupEvents: 2,
  /** No published read TPS: stay well below what the console itself does. */
  organizations: 10,
  iam: 10,
  sts: 10,
  /** Lambda's control-plane quota for GetPolicy and the other reads is 15 TPS per account and Region: stay below. */
  lambda: 10,
  /** API Gateway's management API allows 10 TPS per account (and Region): stay below. */
  apigateway: 5,
} as const;

/** Concurrency caps per service: enough to keep the buckets busy, few enough to be polite. */
export const CONCURRENCY: Record<AwsService, number> = {
  'sso-admin': 8,
  identitystore: 8,
  organizations: 4,
  iam: 8,
  sts: 4,
  cloudtrail: 8,
  lambda: 8,
  apigateway: 4,
};

/** An AWS request that failed, with what the snapshot says about it. */
export class AwsCallError extends Error {
  constructor(
    readonly operation: OperationName,
    readonly missing: MissingError,
    readonly fix: string | null,
    readonly code: string,
  ) {
    super(`${operation}: ${missing.code}: ${missing.message}`);
  }
}

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError']);

/** Turn an SDK error into the snapshot's `missing` error, naming the IAM action that was refused. */
export function describeAwsError(operation: OperationName, error: unknown, account?: string): AwsCallError {
  const e = error as { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const code = e.name && e.name !== 'Error' ? e.name : (e.Code ?? 'Error');
  const status = e.$metadata?.httpStatusCode ?? null;
  const action = iamAction(operation);
  const denied = ACCESS_DENIED.has(code) || status === 403;
  const where = account ? ` in account ${account}` : '';
  const message = denied
    ? `${action} was denied${where}: ${e.message ?? code}`
    : `${operation}${where} failed: ${e.message ?? code}`;
  const fix = denied ? `allow ${action}${account ? ` for the role used in account ${account}` : ''} (see docs/aws-policies/)` : null;
  return new AwsCallError(operation, { status, code: denied && code !== 'AccessDenied' && code !== 'AccessDeniedException' ? 'AccessDenied' : code, message }, fix, code);
}

/** "sso-admin:ListInstances" → "sso:ListInstances": the action an IAM policy names. */
export function iamAction(operation: OperationName): string {
  const override = IAM_ACTION_OVERRIDE[operation];
  if (override) return override;
  const [service, op] = operation.split(':') as [AwsService, string];
  return `${IAM_ACTION_PREFIX[service]}:${op}`;
}

export interface CallRecord {
  operation: OperationName;
  account: string;
  region: string;
}

/** The clients of one account (caller credentials, or an assumed role) in one Region. */
export interface AccountClients {
  accountId: string;
  /** How the credentials were obtained, for provenance: "caller credentials" or "role NAME". */
  via: string;
  credentials: AwsCredentialIdentityProvider;
  client<S extends keyof ClientTypes>(service: S, region: string): ClientTypes[S];
  /**
   * Destroy this account's SDK clients (closing their connections) once its work is done: each holds
   * a middleware stack, a configuration and HTTP agents, and an organisation has thousands of
   * accounts. The credentials are kept: a later `client` call makes a new client without a new
   * AssumeRole.
   */
  release(): void;
}

interface ClientTypes {
  'sso-admin': SSOAdminClient;
  identitystore: IdentitystoreClient;
  organizations: OrganizationsClient;
  iam: IAMClient;
  sts: STSClient;
  cloudtrail: CloudTrailClient;
  lambda: LambdaClient;
  apigateway: APIGatewayClient;
}

const CONSTRUCTORS: { [S in keyof ClientTypes]: new (config: object) => ClientTypes[S] } = {
  'sso-admin': SSOAdminClient,
  identitystore: IdentitystoreClient,
  organizations: OrganizationsClient,
  iam: IAMClient,
  sts: STSClient,
  cloudtrail: CloudTrailClient,
  lambda: LambdaClient,
  apigateway: APIGatewayClient,
};

export interface AwsRuntimeOptions {
  profile?: string;
  /** Multiplies every rate (benchmarks and tests against the fake); JITAUDIT_RATE_SCALE in the CLI. */
  rateScale?: number;
}

/**
 * The shared runtime of one collection: buckets, caps, the call log, and per-account clients.
 * Every request goes through `call`.
 */
export class AwsRuntime {
  readonly calls: CallRecord[] = [];
  /** Requests sent, retries included: each took a token of its bucket first. */
  attempts = 0;
  private readonly limits = new Map<AwsService, LimitFunction>();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly maxAttempts: number;
  private readonly baseCredentials: AwsCredentialIdentityProvider;
  readonly rateScale: number;

  constructor(readonly options: AwsRuntimeOptions) {
    this.rateScale = options.rateScale && options.rateScale > 0 ? options.rateScale : 1;
    this.maxAttempts = Number(process.env.AWS_MAX_ATTEMPTS) || 8;
    this.baseCredentials = fromNodeProviderChain(options.profile ? { profile: options.profile } : {});
  }

  /** The bucket a request draws from: shared by service family, per account and Region for LookupEvents. */
  private bucketFor(service: AwsService, account: string, region: string): TokenBucket {
    const [key, rate] =
      service === 'sso-admin' || service === 'identitystore'
        ? [`identity-center|${region}`, RATES.identityCenter]
        : service === 'cloudtrail'
          ? [`lookup-events|${account}|${region}`, RATES.lookupEvents]
          : service === 'lambda' || service === 'apigateway'
            ? [`${service}|${account}|${region}`, RATES[service]]
            : [service, RATES[service]];
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(key, rate, Math.max(1, Math.ceil(rate)), this.rateScale);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  private limitFor(service: AwsService): LimitFunction {
    let limit = this.limits.get(service);
    if (!limit) {
      limit = pLimit(CONCURRENCY[service]);
      this.limits.set(service, limit);
    }
    return limit;
  }

  /**
   * One request: capped per service, recorded, errors explained; each of its attempts is paced by the
   * bucket of the client that sends it (paceEachAttempt).
   */
  async call<T>(operation: OperationName, account: string, region: string, send: () => Promise<T>): Promise<T> {
    const service = operation.split(':')[0] as AwsService;
    return this.limitFor(service)(async () => {
      this.calls.push({ operation, account, region });
      try {
        return await send();
      } catch (error) {
        throw describeAwsError(operation, error, account);
      }
    });
  }

  /**
   * Every attempt of `client`'s requests, the SDK's retries included, waits for a token of `bucket`:
   * placed after the retry middleware (so it runs once per attempt) and before signing (so a wait
   * never ages a signature).
   */
  private paceEachAttempt(stack: MiddlewareStack<object, object>, bucket: TokenBucket): void {
    const pace: FinalizeRequestMiddleware<object, object> = (next) => async (args) => {
      await bucket.take();
      this.attempts++;
      return next(args);
    };
    stack.addRelativeTo(pace, { name: 'jitauditPaceEachAttempt', relation: 'before', toMiddleware: 'httpSigningMiddleware', override: true });
  }

  private makeClients(accountId: string, via: string, credentials: AwsCredentialIdentityProvider): AccountClients {
    const cache = new Map<string, unknown>();
    const maxAttempts = this.maxAttempts;
    const profile = this.options.profile;
    const pace = (client: unknown, service: AwsService, region: string) =>
      this.paceEachAttempt((client as { middlewareStack: MiddlewareStack<object, object> }).middlewareStack, this.bucketFor(service, accountId, region));
    return {
      accountId,
      via,
      credentials,
      client<S extends keyof ClientTypes>(service: S, region: string): ClientTypes[S] {
        const key = `${service}|${region}`;
        let client = cache.get(key) as ClientTypes[S] | undefined;
        if (!client) {
          client = new CONSTRUCTORS[service]({
            region,
            credentials,
            maxAttempts,
            retryMode: 'standard',
            ...(profile ? { profile } : {}),
          });
          pace(client, service, region);
          cache.set(key, client);
        }
        return client;
      },
      release() {
        for (const client of cache.values()) (client as { destroy(): void }).destroy();
        cache.clear();
      },
    };
  }

  /** The caller's own account, with the credentials of the default chain. */
  callerClients(accountId: string): AccountClients {
    return this.makeClients(accountId, 'caller credentials', this.baseCredentials);
  }

  /** The caller's credentials before the account is known (for sts:GetCallerIdentity). */
  bootstrapClients(): AccountClients {
    return this.makeClients('caller', 'caller credentials', this.baseCredentials);
  }

  /**
   * Assume `roleName` in `accountId`. The first AssumeRole happens here, so that an account whose role
   * cannot be assumed is known at once (and reported `missing` for that account); later refreshes,
   * for long collections, go through the same paced call.
   */
  async assumeRole(caller: AccountClients, accountId: string, partition: string, roleName: string, stsRegion: string): Promise<AccountClients> {
    const roleArn = `arn:${partition}:iam::${accountId}:role/${roleName}`;
    const sts = caller.client('sts', stsRegion);
    const fetchCredentials = async (): Promise<AwsCredentialIdentity> => {
      const out = await this.call('sts:AssumeRole', accountId, stsRegion, () =>
        sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'jitaudit', DurationSeconds: 3600 })),
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`sts:AssumeRole into ${roleArn} returned no credentials`);
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
        ...(c.Expiration ? { expiration: c.Expiration } : {}),
      };
    };
    let current = await fetchCredentials();
    const provider: AwsCredentialIdentityProvider = async () => {
      // Refresh five minutes before expiry: a large organisation's CloudTrail look-ups take a while.
      if (current.expiration && current.expiration.getTime() - Date.now() < 5 * 60_000) current = await fetchCredentials();
      return current;
    };
    return this.makeClients(accountId, `role ${roleName}`, provider);
  }
}

/** Page through a NextToken-style list: every page is its own paced call; empty pages do not end it. */
export function pages<P extends { NextToken?: string | undefined }>(
  fetch: (token: string | undefined) => Promise<P>,
  onPage?: (n: number) => void,
): Promise<P[]> {
  return pageItems(fetch, (page) => [page], onPage);
}

/**
 * Like `pages`, keeping only what `keep` takes from each page as soon as it arrives (the items,
 * mapped to what the model holds): a long listing does not hold every raw page until its end.
 */
export async function pageItems<P extends { NextToken?: string | undefined }, U>(
  fetch: (token: string | undefined) => Promise<P>,
  keep: (page: P) => U[],
  onPage?: (n: number) => void,
): Promise<U[]> {
  const out: U[] = [];
  let n = 0;
  let token: string | undefined;
  const seen = new Set<string>();
  do {
    const page = await fetch(token);
    for (const item of keep(page)) out.push(item);
    onPage?.(++n);
    token = page.NextToken || undefined;
    // A token that comes back twice would loop forever (the Maester loop).
    if (token !== undefined) {
      if (seen.has(token)) throw new Error(`the same NextToken came back twice: refusing to loop`);
      seen.add(token);
    }
  } while (token !== undefined);
  return out;
}

/** Page through an IAM Marker/IsTruncated list. */
export async function markerPages<P extends { IsTruncated?: boolean | undefined; Marker?: string | undefined }>(
  fetch: (marker: string | undefined) => Promise<P>,
): Promise<P[]> {
  const out: P[] = [];
  let marker: string | undefined;
  do {
    const page = await fetch(marker);
    out.push(page);
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker !== undefined);
  return out;
}

/** The partition of an ARN ("aws", "aws-us-gov", "aws-cn"). */
export const partitionOf = (arn: string | undefined) => arn?.split(':')[1] || 'aws';

export { byString } from '../../util/compare.js';
