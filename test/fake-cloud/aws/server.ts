// A fake AWS on 127.0.0.1: one node:http endpoint serving every service the collector calls, from a
// scenario. The SDK reaches it through AWS_ENDPOINT_URL. It speaks the two protocols the SDK does:
//   • awsJson1_1 (sso-admin, identitystore, organizations, cloudtrail): POST /, X-Amz-Target
//     "<prefix>.<Operation>", JSON in and out, timestamps as epoch seconds, errors as
//     {"__type": code, "message"} with x-amzn-ErrorType;
//   • query (iam, sts): POST / form-encoded Action=…, XML <ActionResponse><ActionResult>…, lists as
//     <member>, errors as <ErrorResponse><Error><Type/><Code/><Message/></Error>;
//   • restJson1 (lambda, apigateway): GET on the operation's path, query-string paging, JSON out,
//     errors with x-amzn-ErrorType and the HTTP status the service documents.
// The caller's account comes from the SigV4 Authorization header's Credential=<access key>/…: the
// scenario's caller key maps to the caller account, and STS AssumeRole hands out keys that encode
// the target account (ASIAFAKE<account>…). Every request is recorded, so tests can count calls and
// check that nothing but reads happened.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeBucket, FaultInjector, delay, type FakeTiming, type FaultOptions, type LimitCount } from '../limits.js';
import type { AwsScenario, FakeAuthorizationDetails, FakeIamAccount, FakePolicyDocument, FakeTrailRecord } from './scenario.js';

/** Issue 6: documented limits at a time scale, latency, seeded faults. */
export interface FakeAwsOptions {
  timing?: FakeTiming;
  faults?: FaultOptions;
}

/** The documented AWS limits, in real-cloud terms. */
export const AWS_LIMITS = {
  /** "IAM Identity Center APIs have a collective throttle maximum of 20 TPS" (sso-admin and identitystore, per Region). */
  identityCenter: { rate: 20, capacity: 20 },
  /** LookupEvents: 2 TPS per account and Region. */
  lookupEvents: { rate: 2, capacity: 2 },
} as const;

/** Which limit a call counts against: "identity-center|<region>", "lookup-events|<account>|<region>", or its service (no published limit). */
export function awsLimitKey(service: string, op: string, account: string, region: string): string {
  if (service === 'sso-admin' || service === 'identitystore') return `identity-center|${region}`;
  if (service === 'cloudtrail' && op === 'LookupEvents') return `lookup-events|${account}|${region}`;
  return service;
}

export interface RecordedCall {
  /** "sso-admin:ListInstances", "iam:GetCredentialReport", … */
  operation: string;
  account: string;
  region: string;
  params: Record<string, unknown>;
  /** The error code answered, if any. */
  error: string | null;
}

const JSON_TARGETS: Record<string, string> = {
  SWBExternalService: 'sso-admin',
  AWSIdentityStore: 'identitystore',
  AWSOrganizationsV20161128: 'organizations',
  // botocore's model says the long form; aws-sdk-js-v3 sends the short one. CloudTrail takes both.
  'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101': 'cloudtrail',
  CloudTrail_20131101: 'cloudtrail',
};

const THROTTLE_CODE: Record<string, string> = {
  'sso-admin': 'ThrottlingException',
  identitystore: 'ThrottlingException',
  organizations: 'TooManyRequestsException',
  cloudtrail: 'ThrottlingException',
  iam: 'Throttling',
  sts: 'Throttling',
  lambda: 'TooManyRequestsException',
  apigateway: 'TooManyRequestsException',
};

/** REST services: the HTTP status of their errors (the SDK reads the code from x-amzn-ErrorType). */
const REST_STATUS: Record<string, number> = {
  TooManyRequestsException: 429,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  NotFoundException: 404,
};

const XMLNS: Record<string, string> = {
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
};

export const DEFAULT_CALLER_KEY = 'AKIAFAKEAUDITOR00001';

class Fault extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const epoch = (iso: string) => Date.parse(iso) / 1000;
/** The SCP Organizations attaches to every root, OU and account when SCPs are enabled. */
export const FULL_AWS_ACCESS = { id: 'p-FullAWSAccess', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };

export class FakeAws {
  readonly calls: RecordedCall[] = [];
  private server: Server | null = null;
  private readonly opCounts = new Map<string, number>();
  private readonly reportCalls = new Map<string, number>();
  url = '';
  /** Calls per limit key (see awsLimitKey), throttled ones included. */
  readonly limits = new Map<string, LimitCount>();
  private readonly buckets = new Map<string, FakeBucket>();
  readonly faults: FaultInjector | null;
  private readonly cache = new Map<string, { length: number; value: unknown }>();

  constructor(
    readonly scenario: AwsScenario,
    readonly options: FakeAwsOptions = {},
  ) {
    this.faults = options.faults ? new FaultInjector(options.faults) : null;
  }

  /** Forget calls and counts (between two runs against the same fake); the scenario's state stays. */
  resetCounts(): void {
    this.calls.length = 0;
    this.limits.clear();
    this.buckets.clear();
  }

  /** A value derived from a scenario list, recomputed when the list's length changes (tests edit scenarios). */
  private memo<T>(key: string, list: unknown[], make: () => T): T {
    const hit = this.cache.get(key);
    if (hit && hit.length === list.length) return hit.value as T;
    const value = make();
    this.cache.set(key, { length: list.length, value });
    return value;
  }

  private groupBy<T>(key: string, list: T[], by: (item: T) => string): Map<string, T[]> {
    return this.memo(key, list, () => {
      const map = new Map<string, T[]>();
      for (const item of list) {
        const k = by(item);
        let b = map.get(k);
        if (!b) map.set(k, (b = []));
        b.push(item);
      }
      return map;
    });
  }

  /** Count the call against its limit, and refuse it when the limit is enforced and exhausted. */
  private limit(service: string, op: string, account: string, region: string): boolean {
    const key = awsLimitKey(service, op, account, region);
    const timing = this.options.timing ?? {};
    const documented = key.startsWith('identity-center|') ? AWS_LIMITS.identityCenter : key.startsWith('lookup-events|') ? AWS_LIMITS.lookupEvents : null;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new FakeBucket(key, documented?.rate ?? Infinity, documented?.capacity ?? Infinity, timing.timeScale ?? 1);
      this.buckets.set(key, bucket);
      this.limits.set(key, bucket.count);
    }
    if (documented && timing.enforceLimits) return bucket.take().ok;
    bucket.count.calls++;
    bucket.count.units++;
    return true;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (this.server) {
      this.server.closeAllConnections?.();
      await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    }
    this.server = null;
  }

  /** The environment a child process (or this one) needs to reach the fake and nothing else. */
  env(): Record<string, string | undefined> {
    return {
      AWS_ENDPOINT_URL: this.url,
      AWS_ACCESS_KEY_ID: this.scenario.callerAccessKeyId ?? DEFAULT_CALLER_KEY,
      AWS_SECRET_ACCESS_KEY: 'fake-secret',
      AWS_SESSION_TOKEN: undefined,
      AWS_REGION: this.scenario.identityCenter.region,
      AWS_PROFILE: undefined,
      AWS_DEFAULT_PROFILE: undefined,
      AWS_ROLE_ARN: undefined,
      AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
      AWS_CONFIG_FILE: '/nonexistent/aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_MAX_ATTEMPTS: '6',
    };
  }

  count(operation: string): number {
    return this.calls.filter((c) => c.operation === operation).length;
  }

  // ---------------------------------------------------------------- dispatch

  private handle(req: IncomingMessage, body: string, res: ServerResponse): void {
    // `res` may be swapped for a buffer that answers after the scaled latency.
    const auth = String(req.headers.authorization ?? '');
    const cred = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\//.exec(auth);
    const accessKey = cred?.[1] ?? '';
    const region = cred?.[2] ?? 'unknown';
    const scopeService = cred?.[3] ?? '';
    const target = String(req.headers['x-amz-target'] ?? '');
    let service: string;
    let op: string;
    let params: Record<string, unknown>;
    let json: boolean;
    let rest = false;
    if (!target && req.method === 'GET') {
      // restJson1: the operation is the path (GET /2015-03-31/functions, …/policy, GET /restapis).
      const url = new URL(req.url ?? '/', 'http://fake');
      service = scopeService;
      const policy = /^\/2015-03-31\/functions\/([^/]+)\/policy$/.exec(url.pathname);
      op =
        service === 'lambda' && url.pathname.replace(/\/$/, '') === '/2015-03-31/functions'
          ? 'ListFunctions'
          : service === 'lambda' && policy
            ? 'GetPolicy'
            : service === 'apigateway' && url.pathname === '/restapis'
              ? 'GetRestApis'
              : `GET ${url.pathname}`;
      params = { ...Object.fromEntries(url.searchParams.entries()), ...(policy ? { FunctionName: decodeURIComponent(policy[1]!) } : {}) };
      json = true;
      rest = true;
    } else if (target) {
      const dot = target.lastIndexOf('.');
      service = JSON_TARGETS[target.slice(0, dot)] ?? 'unknown';
      op = target.slice(dot + 1);
      params = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      json = true;
    } else {
      const form = new URLSearchParams(body);
      op = form.get('Action') ?? '';
      params = Object.fromEntries(form.entries());
      service = scopeService === 'sts' || op === 'AssumeRole' || op === 'GetCallerIdentity' ? 'sts' : 'iam';
      json = false;
    }
    const operation = `${service}:${op}`;
    const account = this.accountOf(accessKey);
    const record: RecordedCall = { operation, account: account ?? 'unknown', region, params, error: null };
    this.calls.push(record);
    const timing = this.options.timing ?? {};
    const fault = this.faults?.decide(`${operation} ${account ?? accessKey} ${region} ${body}`) ?? null;
    if (fault === 'reset') {
      record.error = 'ConnectionReset';
      req.socket.destroy();
      return;
    }
    const wait = ((timing.latencyMs ?? 0) + (fault === 'slow' ? (timing.slowMs ?? 3000) : 0)) / (timing.timeScale ?? 1);
    if (wait > 0) {
      const real = res;
      const buffered = { status: 200, headers: {} as Record<string, string>, body: '' };
      res = {
        writeHead: (status: number, headers: Record<string, string>) => Object.assign(buffered, { status, headers }),
        end: (text: string) => {
          buffered.body = text;
          void delay(wait).then(() => {
            real.writeHead(buffered.status, buffered.headers);
            real.end(buffered.body);
          });
        },
      } as unknown as ServerResponse;
    }
    try {
      if (!account) throw new Fault(json ? 'UnrecognizedClientException' : 'InvalidClientTokenId', `The security token included in the request is invalid (${accessKey})`, 403);
      if (fault === 'throttle') throw new Fault(THROTTLE_CODE[service] ?? 'ThrottlingException', 'Rate exceeded (injected)');
      if (fault === 'error500') throw new Fault(json ? 'InternalServerException' : 'ServiceFailure', 'An internal error occurred (injected)', 500);
      if (!this.limit(service, op, account, region)) throw new Fault(THROTTLE_CODE[service] ?? 'ThrottlingException', 'Rate exceeded');
      const n = (this.opCounts.get(operation) ?? 0) + 1;
      this.opCounts.set(operation, n);
      if (n <= (this.scenario.faults?.throttleFirst?.[operation] ?? 0)) throw new Fault(THROTTLE_CODE[service] ?? 'ThrottlingException', 'Rate exceeded');
      const denyAccount = operation === 'sts:AssumeRole' ? /arn:[^:]+:iam::(\d{12}):/.exec(String(params.RoleArn))?.[1] : account;
      if (this.scenario.faults?.deny?.some((d) => d.operation === operation && (!d.account || d.account === denyAccount))) {
        throw this.denied(service, op, account);
      }
      const result = this.answer(service, op, params, account, region);
      if (rest) {
        res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': `req-${this.calls.length}` });
        res.end(JSON.stringify(result));
      } else if (json) {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${this.calls.length}` });
        res.end(JSON.stringify(result));
      } else {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(
          `<${op}Response xmlns="${XMLNS[service]}"><${op}Result>${toXml(result)}</${op}Result><ResponseMetadata><RequestId>req-${this.calls.length}</RequestId></ResponseMetadata></${op}Response>`,
        );
      }
    } catch (error) {
      const f = error instanceof Fault ? error : new Fault('InternalFailure', String((error as Error).stack ?? error), 500);
      record.error = f.code;
      if (rest) {
        const status = f.status >= 500 ? f.status : (REST_STATUS[f.code] ?? f.status);
        res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': f.code, 'x-amzn-requestid': `req-${this.calls.length}` });
        res.end(JSON.stringify({ message: f.message, Type: 'User' }));
      } else if (json) {
        res.writeHead(f.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': f.code, 'x-amzn-requestid': `req-${this.calls.length}` });
        res.end(JSON.stringify({ __type: f.code, message: f.message }));
      } else {
        res.writeHead(f.status, { 'content-type': 'text/xml' });
        res.end(
          `<ErrorResponse xmlns="${XMLNS[service] ?? ''}"><Error><Type>${f.status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${esc(f.code)}</Code><Message>${esc(f.message)}</Message></Error><RequestId>req-${this.calls.length}</RequestId></ErrorResponse>`,
        );
      }
    }
  }

  private accountOf(accessKey: string): string | null {
    if (accessKey === (this.scenario.callerAccessKeyId ?? DEFAULT_CALLER_KEY)) return this.scenario.callerAccountId;
    return /^ASIAFAKE(\d{12})/.exec(accessKey)?.[1] ?? null;
  }

  private denied(service: string, op: string, account: string): Fault {
    const action = service === 'apigateway' ? 'apigateway:GET' : `${service === 'sso-admin' ? 'sso' : service}:${op}`;
    const message = `User: arn:aws:sts::${account}:assumed-role/auditor/jitaudit is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;
    return service === 'iam' || service === 'sts' ? new Fault('AccessDenied', message, 403) : new Fault('AccessDeniedException', message, 400);
  }

  /** The management account (or the Identity Center owner) is the only one that may read org-wide data. */
  private requireManagement(account: string, service: string, op: string) {
    if (account !== this.scenario.organization.managementAccountId) throw this.denied(service, op, account);
  }

  private page<T>(items: T[], params: Record<string, unknown>, key: string, opKey: string): Record<string, unknown> {
    const size = Math.min(Number(params.MaxResults ?? 100) || 100, this.scenario.pageSize ?? 100);
    const token = params.NextToken as string | undefined;
    let offset = 0;
    if (token) {
      const m = /^tok:(.+):(\d+)$/.exec(token);
      if (!m || m[1] !== opKey) throw new Fault('InvalidNextTokenException', 'The NextToken is not valid for these parameters');
      offset = Number(m[2]);
    } else if (this.scenario.faults?.emptyFirstPages && opKey.startsWith('organizations') && items.length) {
      return { [key]: [], NextToken: `tok:${opKey}:0` };
    }
    const slice = items.slice(offset, offset + size);
    const next = offset + size < items.length ? `tok:${opKey}:${offset + size}` : undefined;
    return { [key]: slice, ...(next ? { NextToken: next } : {}) };
  }

  /** An SCP as Organizations describes it: the AWS managed FullAWSAccess, or one of the scenario's. */
  private scp(id: string): { summary: Record<string, unknown>; content: string } {
    const org = this.scenario.organization;
    if (id === FULL_AWS_ACCESS.id) {
      return {
        summary: { Id: id, Arn: `arn:aws:organizations::aws:policy/service_control_policy/${id}`, Name: 'FullAWSAccess', Description: 'Allows access to every operation', Type: 'SERVICE_CONTROL_POLICY', AwsManaged: true },
        content: JSON.stringify(FULL_AWS_ACCESS.document),
      };
    }
    const p = this.scenario.serviceControlPolicies?.policies.find((x) => x.id === id);
    if (!p) throw new Fault('PolicyNotFoundException', "We can't find a policy with the PolicyId that you specified.");
    return {
      summary: { Id: p.id, Arn: `arn:aws:organizations::${org.managementAccountId}:policy/${org.id}/service_control_policy/${p.id}`, Name: p.name, Description: p.description ?? '', Type: 'SERVICE_CONTROL_POLICY', AwsManaged: false },
      content: JSON.stringify(p.document, null, 2),
    };
  }

  private iamPage<T>(items: T[], params: Record<string, unknown>, key: string): Record<string, unknown> {
    const size = Math.min(Number(params.MaxItems ?? 100) || 100, this.scenario.pageSize ?? 100);
    const offset = params.Marker ? Number(String(params.Marker).replace('mk-', '')) : 0;
    const slice = items.slice(offset, offset + size);
    const more = offset + size < items.length;
    return { [key]: slice, IsTruncated: more, ...(more ? { Marker: `mk-${offset + size}` } : {}) };
  }

  // ---------------------------------------------------------------- answers

  private answer(service: string, op: string, p: Record<string, unknown>, account: string, region: string): unknown {
    const s = this.scenario;
    const org = s.organization;
    const ic = s.identityCenter;
    const key = (extra: unknown) => `${service}:${op}:${JSON.stringify(extra)}`;
    switch (`${service}:${op}`) {
      // ------------------------------------------------------------ sts
      case 'sts:GetCallerIdentity':
        return { UserId: 'AIDAFAKE', Account: account, Arn: `arn:aws:sts::${account}:assumed-role/auditor/jitaudit` };
      case 'sts:AssumeRole': {
        const m = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(String(p.RoleArn));
        if (!m || !org.accounts.some((a) => a.id === m[1]) || m[2] !== (s.memberRoleName ?? 'JitAuditReadOnly')) {
          throw new Fault('AccessDenied', `User is not authorized to perform: sts:AssumeRole on resource: ${String(p.RoleArn)}`, 403);
        }
        return {
          Credentials: {
            AccessKeyId: `ASIAFAKE${m[1]}`,
            SecretAccessKey: 'fake-secret',
            SessionToken: `session-${m[1]}`,
            Expiration: new Date(Date.now() + 3600_000).toISOString(),
          },
          AssumedRoleUser: { AssumedRoleId: `AROAFAKE:${String(p.RoleSessionName)}`, Arn: `arn:aws:sts::${m[1]}:assumed-role/${m[2]}/${String(p.RoleSessionName)}` },
        };
      }
      // ------------------------------------------------------------ organizations
      case 'organizations:DescribeOrganization':
        this.requireManagement(account, service, op);
        return {
          Organization: {
            Id: org.id,
            Arn: `arn:aws:organizations::${org.managementAccountId}:organization/${org.id}`,
            FeatureSet: org.featureSet ?? 'ALL',
            MasterAccountArn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${org.managementAccountId}`,
            MasterAccountId: org.managementAccountId,
            MasterAccountEmail: 'aws@example.com',
          },
        };
      case 'organizations:ListRoots':
        this.requireManagement(account, service, op);
        return this.page([{ Id: org.rootId, Arn: `arn:aws:organizations::${org.managementAccountId}:root/${org.id}/${org.rootId}`, Name: 'Root', PolicyTypes: [] }], p, 'Roots', key({}));
      case 'organizations:ListOrganizationalUnitsForParent': {
        this.requireManagement(account, service, op);
        if (p.ParentId !== org.rootId && !org.ous.some((o) => o.id === p.ParentId)) throw new Fault('ParentNotFoundException', 'parent not found');
        const ous = org.ous.filter((o) => o.parentId === p.ParentId).map((o) => ({ Id: o.id, Arn: `arn:aws:organizations::${org.managementAccountId}:ou/${org.id}/${o.id}`, Name: o.name }));
        return this.page(ous, p, 'OrganizationalUnits', key(p.ParentId));
      }
      case 'organizations:ListAccountsForParent': {
        this.requireManagement(account, service, op);
        const accounts = org.accounts
          .filter((a) => a.parentId === p.ParentId)
          .map((a) => ({
            Id: a.id,
            Arn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${a.id}`,
            Email: a.email ?? `aws+${a.name}@example.com`,
            Name: a.name,
            Status: a.state === 'CLOSED' || a.state === 'PENDING_ACTIVATION' ? undefined : (a.state ?? 'ACTIVE'),
            State: a.state ?? 'ACTIVE',
            JoinedMethod: 'CREATED',
            JoinedTimestamp: epoch('2024-01-01T00:00:00Z'),
          }));
        return this.page(accounts, p, 'Accounts', key(p.ParentId));
      }
      case 'organizations:ListTagsForResource': {
        this.requireManagement(account, service, op);
        const a = org.accounts.find((x) => x.id === p.ResourceId);
        if (!a) throw new Fault('TargetNotFoundException', 'target not found');
        return this.page(Object.entries(a.tags ?? {}).map(([Key, Value]) => ({ Key, Value })), p, 'Tags', key(p.ResourceId));
      }
      // ------------------------------------------------------------ sso-admin
      case 'sso-admin:ListInstances':
        this.requireManagement(account, service, op);
        return this.page(
          region === ic.region
            ? [{ InstanceArn: ic.instanceArn, IdentityStoreId: ic.identityStoreId, OwnerAccountId: ic.ownerAccountId, Name: 'org', Status: 'ACTIVE', CreatedDate: epoch('2024-01-01T00:00:00Z') }]
            : [],
          p,
          'Instances',
          key({}),
        );
      case 'sso-admin:ListPermissionSets':
        this.icCheck(account, region, p, service, op);
        return this.page(ic.permissionSets.map((x) => x.arn), p, 'PermissionSets', key({}));
      case 'sso-admin:DescribePermissionSet': {
        const ps = this.permissionSet(account, region, p, service, op);
        return {
          PermissionSet: {
            Name: ps.name,
            PermissionSetArn: ps.arn,
            ...(ps.description ? { Description: ps.description } : {}),
            CreatedDate: epoch('2024-01-01T00:00:00Z'),
            SessionDuration: ps.sessionDuration ?? 'PT1H',
            ...(ps.relayState ? { RelayState: ps.relayState } : {}),
          },
        };
      }
      case 'sso-admin:ListManagedPoliciesInPermissionSet': {
        const ps = this.permissionSet(account, region, p, service, op);
        return this.page((ps.managed ?? []).map((m) => ({ Name: m.name, Arn: m.arn })), p, 'AttachedManagedPolicies', key(ps.arn));
      }
      case 'sso-admin:ListCustomerManagedPolicyReferencesInPermissionSet': {
        const ps = this.permissionSet(account, region, p, service, op);
        return this.page((ps.customerManaged ?? []).map((m) => ({ Name: m.name, Path: m.path ?? '/' })), p, 'CustomerManagedPolicyReferences', key(ps.arn));
      }
      case 'sso-admin:GetInlinePolicyForPermissionSet': {
        const ps = this.permissionSet(account, region, p, service, op);
        // The real API answers an empty string when there is no inline policy.
        return { InlinePolicy: ps.inline ?? '' };
      }
      case 'sso-admin:GetPermissionsBoundaryForPermissionSet': {
        const ps = this.permissionSet(account, region, p, service, op);
        if (!ps.boundary) throw new Fault('ResourceNotFoundException', 'Policy type PERMISSIONS_BOUNDARY is not found');
        return {
          PermissionsBoundary: {
            ...(ps.boundary.managedPolicyArn ? { ManagedPolicyArn: ps.boundary.managedPolicyArn } : {}),
            ...(ps.boundary.customerManaged ? { CustomerManagedPolicyReference: { Name: ps.boundary.customerManaged.name, Path: ps.boundary.customerManaged.path ?? '/' } } : {}),
          },
        };
      }
      case 'sso-admin:ListAccountsForProvisionedPermissionSet': {
        const ps = this.permissionSet(account, region, p, service, op);
        const byPs = this.memo('provisioned-by-ps', [...ic.assignments, ...(ic.extraProvisioned ?? [])], () => {
          const m = new Map<string, string[]>();
          for (const x of this.provisioned()) m.set(x.permissionSetArn, [...(m.get(x.permissionSetArn) ?? []), x.accountId]);
          return m;
        });
        return this.page(byPs.get(ps.arn) ?? [], p, 'AccountIds', key(ps.arn));
      }
      case 'sso-admin:ListAccountAssignments': {
        const ps = this.permissionSet(account, region, p, service, op);
        const list = (this.groupBy('assignments-by-pair', ic.assignments, (a) => `${a.accountId}|${a.permissionSetArn}`).get(`${String(p.AccountId)}|${ps.arn}`) ?? [])
          .map((a) => ({ AccountId: a.accountId, PermissionSetArn: a.permissionSetArn, PrincipalType: a.principalType, PrincipalId: a.principalId }));
        return this.page(list, p, 'AccountAssignments', key([p.AccountId, ps.arn]));
      }
      case 'sso-admin:ListAccountAssignmentsForPrincipal': {
        this.icCheck(account, region, p, service, op);
        const list = (this.groupBy('assignments-by-principal', ic.assignments, (a) => `${a.principalType}|${a.principalId}`).get(`${String(p.PrincipalType)}|${String(p.PrincipalId)}`) ?? [])
          .map((a) => ({ AccountId: a.accountId, PermissionSetArn: a.permissionSetArn, PrincipalType: a.principalType, PrincipalId: a.principalId }));
        return this.page(list, p, 'AccountAssignments', key([p.PrincipalId, p.PrincipalType]));
      }
      // ------------------------------------------------------------ identitystore
      case 'identitystore:ListUsers':
        this.storeCheck(account, region, p, service, op);
        return this.page(
          this.memo('users', ic.users, () => ic.users.map((u) => ({
            IdentityStoreId: ic.identityStoreId,
            UserId: u.userId,
            UserName: u.userName,
            ...(u.displayName ? { DisplayName: u.displayName } : {}),
            ...(u.externalIds?.length ? { ExternalIds: u.externalIds.map((e) => ({ Issuer: e.issuer, Id: e.id })) } : {}),
            UserStatus: u.status ?? 'ENABLED',
            Emails: [{ Value: u.userName, Type: 'work', Primary: true }],
          }))),
          p,
          'Users',
          key({}),
        );
      case 'identitystore:ListGroups':
        this.storeCheck(account, region, p, service, op);
        return this.page(
          ic.groups.map((g) => ({
            IdentityStoreId: ic.identityStoreId,
            GroupId: g.groupId,
            DisplayName: g.displayName,
            ...(g.description ? { Description: g.description } : {}),
            ...(g.externalIds?.length ? { ExternalIds: g.externalIds.map((e) => ({ Issuer: e.issuer, Id: e.id })) } : {}),
          })),
          p,
          'Groups',
          key({}),
        );
      case 'identitystore:ListGroupMemberships':
        this.storeCheck(account, region, p, service, op);
        if (!this.groupBy('groups-by-id', ic.groups, (g) => g.groupId).has(String(p.GroupId))) throw new Fault('ResourceNotFoundException', `group ${String(p.GroupId)} not found`);
        return this.page(
          (this.groupBy('memberships-by-group', ic.memberships, (m) => m.groupId).get(String(p.GroupId)) ?? [])
            .map((m) => ({ IdentityStoreId: ic.identityStoreId, MembershipId: m.membershipId, GroupId: m.groupId, MemberId: { UserId: m.userId } })),
          p,
          'GroupMemberships',
          key(p.GroupId),
        );
      // ------------------------------------------------------------ iam
      case 'iam:GenerateCredentialReport': {
        const n = (this.reportCalls.get(account) ?? 0) + 1;
        this.reportCalls.set(account, n);
        const until = this.iamOf(account).reportCallsUntilComplete ?? 1;
        return { State: n >= until ? 'COMPLETE' : n === 1 ? 'STARTED' : 'INPROGRESS', Description: n === 1 ? 'No report exists. Starting a new report generation task' : '' };
      }
      case 'iam:GetCredentialReport': {
        const n = this.reportCalls.get(account) ?? 0;
        if (n === 0) throw new Fault('ReportNotPresent', 'Credential report not present', 410);
        if (n < (this.iamOf(account).reportCallsUntilComplete ?? 1)) throw new Fault('ReportInProgress', 'Credential report is being generated', 404);
        return { Content: Buffer.from(credentialReportCsv(account, this.iamOf(account))).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: '2026-10-01T05:58:40Z' };
      }
      case 'iam:ListMFADevices': {
        const u = this.iamUser(account, p);
        return this.iamPage((u.mfaDevices ?? []).map((d) => ({ UserName: u.userName, SerialNumber: d.serialNumber, EnableDate: d.enabledAt })), p, 'MFADevices');
      }
      case 'iam:ListAttachedUserPolicies': {
        const u = this.iamUser(account, p);
        return this.iamPage((u.attachedPolicies ?? []).map((x) => ({ PolicyName: x.name, PolicyArn: x.arn })), p, 'AttachedPolicies');
      }
      case 'iam:ListUserPolicies': {
        const u = this.iamUser(account, p);
        return this.iamPage(u.inlinePolicies ?? [], p, 'PolicyNames');
      }
      case 'iam:GetAccountAuthorizationDetails':
        return this.authorizationDetails(account, p);
      // ------------------------------------------------------------ organizations: delegated administrators
      case 'organizations:ListDelegatedAdministrators': {
        this.requireManagement(account, service, op);
        const ids = p.ServicePrincipal === undefined || p.ServicePrincipal === 'sso.amazonaws.com' ? (s.delegatedAdministrators ?? []) : [];
        if (p.ServicePrincipal !== undefined && !/^[\w+=,.@-]*$/.test(String(p.ServicePrincipal))) throw new Fault('InvalidInputException', 'ServicePrincipal is not valid');
        const admins = ids.map((id) => {
          const a = org.accounts.find((x) => x.id === id);
          return {
            Id: id,
            Arn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${id}`,
            Email: a?.email ?? `aws+${a?.name ?? id}@example.com`,
            Name: a?.name ?? id,
            Status: 'ACTIVE',
            State: 'ACTIVE',
            JoinedMethod: 'CREATED',
            JoinedTimestamp: epoch('2024-01-01T00:00:00Z'),
            DelegationEnabledDate: epoch('2024-02-01T00:00:00Z'),
          };
        });
        return this.page(admins, p, 'DelegatedAdministrators', key(p.ServicePrincipal ?? null));
      }
      // ------------------------------------------------------------ organizations: service control policies
      case 'organizations:ListParents': {
        this.requireManagement(account, service, op);
        const child = String(p.ChildId);
        const parentId = org.accounts.find((a) => a.id === child)?.parentId ?? org.ous.find((o) => o.id === child)?.parentId;
        if (!parentId) throw new Fault('ChildNotFoundException', 'We can\'t find an organizational unit (OU) or AWS account with the ChildId that you specified.');
        return this.page([{ Id: parentId, Type: parentId === org.rootId ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }], p, 'Parents', key(child));
      }
      case 'organizations:ListPoliciesForTarget': {
        this.requireManagement(account, service, op);
        const target = String(p.TargetId);
        if (target !== org.rootId && !org.ous.some((o) => o.id === target) && !org.accounts.some((a) => a.id === target)) throw new Fault('TargetNotFoundException', 'We can\'t find a root, OU, account, or policy with the TargetId that you specified.');
        if (p.Filter !== 'SERVICE_CONTROL_POLICY') return this.page([], p, 'Policies', key({ target, filter: p.Filter }));
        const ids = s.serviceControlPolicies ? (s.serviceControlPolicies.attachments[target] ?? []) : [FULL_AWS_ACCESS.id];
        return this.page(ids.map((id) => this.scp(id).summary), p, 'Policies', key({ target, filter: p.Filter }));
      }
      case 'organizations:DescribePolicy': {
        this.requireManagement(account, service, op);
        const policy = this.scp(String(p.PolicyId));
        return { Policy: { PolicySummary: policy.summary, Content: policy.content } };
      }
      // ------------------------------------------------------------ lambda
      case 'lambda:ListFunctions': {
        const fns = (s.lambdaFunctions?.[`${account}|${region}`] ?? []).map((f) => ({
          FunctionName: f.name,
          FunctionArn: `arn:aws:lambda:${region}:${account}:function:${f.name}`,
          Runtime: 'nodejs22.x',
          Role: `arn:aws:iam::${account}:role/service-role/${f.name}-role`,
          Handler: 'index.handler',
          CodeSize: 294,
          Description: '',
          Timeout: 3,
          MemorySize: 128,
          LastModified: '2025-09-23T18:32:33.857+0000',
          Version: '$LATEST',
          TracingConfig: { Mode: 'PassThrough' },
        }));
        const size = Math.min(Number(p.MaxItems ?? 50) || 50, this.scenario.pageSize ?? 50);
        const offset = p.Marker ? Number(String(p.Marker).replace('fn-', '')) : 0;
        const more = offset + size < fns.length;
        return { Functions: fns.slice(offset, offset + size), ...(more ? { NextMarker: `fn-${offset + size}` } : {}) };
      }
      case 'lambda:GetPolicy': {
        const f = (s.lambdaFunctions?.[`${account}|${region}`] ?? []).find((x) => x.name === p.FunctionName);
        if (!f) throw new Fault('ResourceNotFoundException', `Function not found: arn:aws:lambda:${region}:${account}:function:${String(p.FunctionName)}`, 404);
        if (!f.policy) throw new Fault('ResourceNotFoundException', 'The resource you requested does not exist.', 404);
        return { Policy: JSON.stringify(f.policy), RevisionId: '93017fc9-59cb-41dc-901b-4845ce4bf668' };
      }
      // ------------------------------------------------------------ apigateway
      case 'apigateway:GetRestApis': {
        const apis = (s.restApis?.[`${account}|${region}`] ?? []).map((a) => ({
          id: a.id,
          name: a.name,
          createdDate: epoch('2024-03-01T00:00:00Z'),
          apiKeySource: 'HEADER',
          endpointConfiguration: { types: ['REGIONAL'] },
          // As API Gateway answers: the policy's quotes and slashes escaped once more inside the JSON string.
          ...(a.policy ? { policy: JSON.stringify(a.policy).replace(/"/g, '\\"').replace(/\//g, '\\/') } : {}),
          disableExecuteApiEndpoint: false,
          rootResourceId: `${a.id}root`,
        }));
        const size = Math.min(Number(p.limit ?? 25) || 25, this.scenario.pageSize ?? 500);
        const offset = p.position ? Number(String(p.position).replace('pos-', '')) : 0;
        const more = offset + size < apis.length;
        // The wire name of the list is "item" (the SDK maps it to `items`).
        return { item: apis.slice(offset, offset + size), ...(more ? { position: `pos-${offset + size}` } : {}) };
      }
      // ------------------------------------------------------------ cloudtrail
      case 'cloudtrail:LookupEvents':
        return this.lookupEvents(account, region, p);
      default:
        throw new Fault(service === 'iam' || service === 'sts' ? 'InvalidAction' : 'UnknownOperationException', `the fake does not implement ${service}:${op}`);
    }
  }

  /** GetAccountAuthorizationDetails: the Filter's entity types, one list paged by MaxItems/Marker, documents URL-encoded. */
  private authorizationDetails(account: string, p: Record<string, unknown>) {
    const d: FakeAuthorizationDetails = this.scenario.authorizationDetails?.[account] ?? {};
    const filter = new Set(Object.entries(p).filter(([k]) => k.startsWith('Filter.member.')).map(([, v]) => String(v)));
    const want = (t: string) => filter.size === 0 || filter.has(t);
    const enc = (doc: FakePolicyDocument) => encodeURIComponent(JSON.stringify(doc));
    const inline = (m: Record<string, FakePolicyDocument> | undefined) => Object.entries(m ?? {}).map(([PolicyName, doc]) => ({ PolicyName, PolicyDocument: enc(doc) }));
    const attached = (arns: string[] | undefined) => (arns ?? []).map((PolicyArn) => ({ PolicyName: PolicyArn.split('/').pop(), PolicyArn }));
    const boundary = (arn: string | undefined) => (arn ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn } } : {});
    const items: [string, unknown][] = [];
    if (want('User')) {
      for (const u of d.users ?? []) {
        items.push(['UserDetailList', {
          Path: u.path ?? '/', UserName: u.name, UserId: `AIDA${account}${u.name.toUpperCase()}`.slice(0, 21), Arn: `arn:aws:iam::${account}:user${u.path ?? '/'}${u.name}`,
          CreateDate: '2024-01-01T00:00:00Z', UserPolicyList: inline(u.inline), GroupList: u.groups ?? [], AttachedManagedPolicies: attached(u.attached), ...boundary(u.boundary),
        }]);
      }
    }
    if (want('Group')) {
      for (const g of d.groups ?? []) {
        items.push(['GroupDetailList', { Path: '/', GroupName: g.name, GroupId: `AGPA${g.name.toUpperCase()}`, Arn: `arn:aws:iam::${account}:group/${g.name}`, CreateDate: '2024-01-01T00:00:00Z', GroupPolicyList: inline(g.inline), AttachedManagedPolicies: attached(g.attached) }]);
      }
    }
    if (want('Role')) {
      for (const r of d.roles ?? []) {
        items.push(['RoleDetailList', {
          Path: r.path ?? '/', RoleName: r.name, RoleId: `AROA${account}${r.name.length}`, Arn: `arn:aws:iam::${account}:role${r.path ?? '/'}${r.name}`, CreateDate: '2024-01-01T00:00:00Z',
          AssumeRolePolicyDocument: enc(r.trust), InstanceProfileList: [], RolePolicyList: inline(r.inline), AttachedManagedPolicies: attached(r.attached), ...boundary(r.boundary), Tags: [], RoleLastUsed: {},
        }]);
      }
    }
    for (const pol of d.policies ?? []) {
      const aws = pol.arn.startsWith('arn:aws:iam::aws:');
      if (!want(aws ? 'AWSManagedPolicy' : 'LocalManagedPolicy')) continue;
      const n = pol.versions ?? 1;
      items.push(['Policies', {
        PolicyName: pol.arn.split('/').pop(), PolicyId: `ANPA${pol.arn.length}`, Arn: pol.arn, Path: '/', DefaultVersionId: `v${n}`, AttachmentCount: 1, PermissionsBoundaryUsageCount: 0, IsAttachable: true,
        CreateDate: '2024-01-01T00:00:00Z', UpdateDate: '2024-01-01T00:00:00Z',
        // Older versions first, with a different document: only the default one is in force.
        PolicyVersionList: Array.from({ length: n }, (_, i) => ({ Document: enc(i === n - 1 ? pol.document : { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'none:old', Resource: '*' }] }), VersionId: `v${i + 1}`, IsDefaultVersion: i === n - 1, CreateDate: '2024-01-01T00:00:00Z' })).reverse(),
      }]);
    }
    const page = this.iamPage(items, p, 'Items') as { Items: [string, unknown][]; IsTruncated: boolean; Marker?: string };
    const out: Record<string, unknown> = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
    for (const [list, item] of page.Items) (out[list] as unknown[]).push(item);
    return { ...out, IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
  }

  private provisioned(): { accountId: string; permissionSetArn: string }[] {
    const ic = this.scenario.identityCenter;
    const pairs = new Map<string, { accountId: string; permissionSetArn: string }>();
    for (const a of [...ic.assignments, ...(ic.extraProvisioned ?? [])]) pairs.set(`${a.accountId}|${a.permissionSetArn}`, { accountId: a.accountId, permissionSetArn: a.permissionSetArn });
    return [...pairs.values()].sort((x, y) => (`${x.permissionSetArn}|${x.accountId}` < `${y.permissionSetArn}|${y.accountId}` ? -1 : 1));
  }

  private icCheck(account: string, region: string, p: Record<string, unknown>, service: string, op: string) {
    this.requireManagement(account, service, op);
    const ic = this.scenario.identityCenter;
    if (region !== ic.region || p.InstanceArn !== ic.instanceArn) throw new Fault('ResourceNotFoundException', `instance ${String(p.InstanceArn)} not found in ${region}`);
  }

  private storeCheck(account: string, region: string, p: Record<string, unknown>, service: string, op: string) {
    this.requireManagement(account, service, op);
    const ic = this.scenario.identityCenter;
    if (region !== ic.region || p.IdentityStoreId !== ic.identityStoreId) throw new Fault('ResourceNotFoundException', `identity store ${String(p.IdentityStoreId)} not found in ${region}`);
    const max = Number(p.MaxResults ?? 100);
    if (max < 1 || max > 100) throw new Fault('ValidationException', 'MaxResults must be between 1 and 100');
  }

  private permissionSet(account: string, region: string, p: Record<string, unknown>, service: string, op: string) {
    this.icCheck(account, region, p, service, op);
    const ps = this.scenario.identityCenter.permissionSets.find((x) => x.arn === p.PermissionSetArn);
    if (!ps) throw new Fault('ResourceNotFoundException', `permission set ${String(p.PermissionSetArn)} not found`);
    return ps;
  }

  private iamOf(account: string): FakeIamAccount {
    return this.scenario.iam[account] ?? { users: [] };
  }

  private iamUser(account: string, p: Record<string, unknown>) {
    const u = this.iamOf(account).users.find((x) => x.userName === p.UserName);
    if (!u) throw new Fault('NoSuchEntity', `The user with name ${String(p.UserName)} cannot be found.`, 404);
    return u;
  }

  private lookupEvents(account: string, region: string, p: Record<string, unknown>) {
    const attrs = (p.LookupAttributes as { AttributeKey: string; AttributeValue: string }[] | undefined) ?? [];
    if (attrs.length > 1) throw new Fault('InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute');
    const max = Number(p.MaxResults ?? 50);
    if (max < 1 || max > 50) throw new Fault('InvalidMaxResultsException', 'MaxResults must be between 1 and 50');
    const start = typeof p.StartTime === 'number' ? p.StartTime : -Infinity;
    const end = typeof p.EndTime === 'number' ? p.EndTime : Infinity;
    if (start > end) throw new Fault('InvalidTimeRangeException', 'StartTime is after EndTime');
    const [attr] = attrs;
    const matches = (r: FakeTrailRecord) => {
      if (!attr) return true;
      const ui = (r.userIdentity ?? {}) as Record<string, unknown>;
      if (attr.AttributeKey === 'EventName') return r.eventName === attr.AttributeValue;
      if (attr.AttributeKey === 'Username') return (ui.type === 'Root' ? 'root' : ui.userName) === attr.AttributeValue;
      if (attr.AttributeKey === 'EventSource') return r.eventSource === attr.AttributeValue;
      throw new Fault('InvalidLookupAttributesException', `the fake does not filter on ${attr.AttributeKey}`);
    };
    const events = (this.scenario.cloudTrail[`${account}|${region}`] ?? [])
      .filter((r) => matches(r) && epoch(r.eventTime) >= start && epoch(r.eventTime) <= end)
      .sort((a, b) => epoch(b.eventTime) - epoch(a.eventTime))
      .map((r) => {
        const ui = (r.userIdentity ?? {}) as Record<string, unknown>;
        return {
          EventId: r.eventID,
          EventName: r.eventName,
          ReadOnly: String(r.readOnly ?? 'false'),
          EventTime: epoch(r.eventTime),
          EventSource: r.eventSource,
          ...(ui.type === 'Root' ? { Username: 'root' } : typeof ui.userName === 'string' ? { Username: ui.userName } : {}),
          Resources: [],
          CloudTrailEvent: JSON.stringify(r),
        };
      });
    // NextToken must come back with identical parameters.
    const { NextToken: _token, ...rest } = p;
    return this.page(events, { ...p, MaxResults: max }, 'Events', `cloudtrail:LookupEvents:${account}:${region}:${JSON.stringify(rest)}`);
  }
}

// ---------------------------------------------------------------- credential report

const REPORT_COLUMNS = [
  'user', 'arn', 'user_creation_time', 'password_enabled', 'password_last_used', 'password_last_changed', 'password_next_rotation', 'mfa_active',
  'access_key_1_active', 'access_key_1_last_rotated', 'access_key_1_last_used_date', 'access_key_1_last_used_region', 'access_key_1_last_used_service',
  'access_key_2_active', 'access_key_2_last_rotated', 'access_key_2_last_used_date', 'access_key_2_last_used_region', 'access_key_2_last_used_service',
  'cert_1_active', 'cert_1_last_rotated', 'cert_2_active', 'cert_2_last_rotated',
];

/** The 22-column CSV IAM writes, with its N/A, no_information and not_supported cells. */
export function credentialReportCsv(account: string, iam: FakeIamAccount): string {
  const rows: string[][] = [];
  const key = (k: { active: boolean; lastRotated: string; lastUsed?: string } | undefined) =>
    k ? [String(k.active), k.lastRotated, k.lastUsed ?? 'N/A', k.lastUsed ? 'us-east-1' : 'N/A', k.lastUsed ? 'iam' : 'N/A'] : ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
  const root = iam.root ?? { mfa: true };
  rows.push([
    '<root_account>', `arn:aws:iam::${account}:root`, '2024-01-01T00:00:00+00:00', 'not_supported', root.passwordLastUsed ?? 'no_information', 'not_supported', 'not_supported',
    String(root.mfa), ...key(root.keys ? { active: true, lastRotated: '2024-02-01T00:00:00+00:00' } : undefined), ...key(undefined), 'false', 'N/A', 'false', 'N/A',
  ]);
  for (const u of iam.users) {
    rows.push([
      u.userName, `arn:aws:iam::${account}:user/${u.userName}`, u.createdAt ?? '2024-05-02T10:00:00+00:00', String(u.password ?? false),
      u.password ? (u.passwordLastUsed ?? 'no_information') : 'N/A', u.password ? '2024-05-02T10:00:00+00:00' : 'N/A', 'N/A',
      String((u.mfaDevices ?? []).length > 0), ...key(u.keys?.[0]), ...key(u.keys?.[1]), 'false', 'N/A', 'false', 'N/A',
    ]);
  }
  return [REPORT_COLUMNS, ...rows].map((r) => r.join(',')).join('\n') + '\n';
}

// ---------------------------------------------------------------- XML

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Query-protocol XML: object members as elements, arrays as <member> items. */
function toXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join('');
  }
  return esc(String(value));
}
