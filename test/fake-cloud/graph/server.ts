// A fake Microsoft Graph v1.0 on 127.0.0.1, built from a scenario: the endpoints the Entra collector
// calls, with documented response shapes, $select projection, required $filters
// enforced (400 without them, as Graph does), paging with absolute @odata.nextLink URLs, JSON
// $batch, and scripted 429 (with or without Retry-After), 403, 404 and 500 per path. It records
// every request, batch sub-requests included, so tests can prove the collector only reads.
// For benchmarks and fault tests it can also enforce the documented limits (identity and
// access resource units per 10 s, reports 5 per 10 s, Conditional Access 1 per s) at a time scale,
// add latency, and inject seeded faults: 429 (with Retry-After, or without for Conditional Access),
// 500, connection resets and slow responses. It counts every call per limit tier.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeBucket, FaultInjector, delay, type FakeTiming, type FaultOptions, type LimitCount } from '../limits.js';

type Obj = Record<string, unknown>;
/** One empty list for a scenario without the optional eligibilityScheduleRequests (the index stays one entry). */
const NONE: Obj[] = [];

export interface GraphScenario {
  organization: { id: string; displayName: string; verifiedDomains: { name: string; isDefault: boolean }[] };
  /** Service principals with their appRoleAssignedTo and synchronization jobs (raw Graph shapes). */
  servicePrincipals: (Obj & { id: string; appId: string; displayName: string; appRoleAssignedTo: Obj[]; synchronizationJobs: Obj[]; owners?: Obj[] })[];
  /** Groups (raw), with members and owners as directoryObjects carrying @odata.type. */
  groups: (Obj & { id: string; members: Obj[]; owners: Obj[] })[];
  users: (Obj & { id: string })[];
  /** The directory's soft-deleted users (raw: userPrincipalName prefixed with the id without hyphens); none if absent. */
  deletedUsers?: (Obj & { id: string; deletedDateTime: string })[];
  userRegistrationDetails: (Obj & { id: string })[];
  eligibilitySchedules: Obj[];
  assignmentSchedules: Obj[];
  eligibilityScheduleInstances: Obj[];
  assignmentScheduleInstances: Obj[];
  assignmentScheduleRequests: Obj[];
  /** PIM eligibility schedule requests; absent = none (the list is still served, empty). */
  eligibilityScheduleRequests?: Obj[];
  /** unifiedRoleManagementPolicyAssignment with its policy and rules inline. */
  policyAssignments: (Obj & { scopeId: string; scopeType: string; policy: Obj & { rules: Obj[] } })[];
  conditionalAccessPolicies: Obj[];
  accessReviewDefinitions: Obj[];
  /** unifiedRoleDefinitions (raw); absent = none. */
  roleDefinitions?: Obj[];
  /** unifiedRoleAssignments with their `principal` inline (sent only under $expand=principal); absent = none. */
  roleAssignments?: Obj[];
  /** unifiedRoleEligibilitySchedules with their `principal` inline; absent = none. */
  roleEligibilitySchedules?: Obj[];
  /**
   * unifiedRoleAssignmentScheduleInstances; absent = one "Assigned" instance per role assignment (its
   * roleAssignmentOriginId the assignment's id, as Graph's sample shows for a standing assignment).
   */
  roleAssignmentScheduleInstances?: Obj[];
  /** Application objects registered in this tenant, with their owners; an appId not here 404s (a gallery app). */
  applications?: (Obj & { id: string; appId: string; owners: Obj[] })[];
  /**
   * Entitlement management: access packages with their resourceRoleScopes (role and scope inline) and
   * assignmentPolicies, each sent only when expanded, as Graph does; absent = none.
   */
  accessPackages?: (Obj & { id: string; resourceRoleScopes: (Obj & { role: Obj; scope: Obj })[]; assignmentPolicies: Obj[] })[];
  /** Entitlement-management unifiedRoleAssignments (catalog roles) with their `principal` inline (sent only under $expand=principal); absent = none. */
  entitlementRoleAssignments?: Obj[];
  /** accessPackageAssignments, any state, with accessPackage { id }, target and assignmentPolicy inline (sent only when expanded). */
  accessPackageAssignments?: (Obj & { id: string; accessPackage: Obj & { id: string } })[];
  /** Administrative units with their members (raw directoryObjects carrying @odata.type); a unit not here 404s. */
  administrativeUnits?: { id: string; members: Obj[] }[];
  /** false: no licence for entitlement management: every entitlementManagement read is 403 NoLicense, as Graph answers it. */
  entitlementManagementLicensed?: boolean;
}

export interface Scripted {
  /** Matches when the request path (after /v1.0, without the query) contains this string or matches this pattern. */
  path: string | RegExp;
  status: number;
  /** Retry-After header value for 429/503; null or absent = no header. */
  retryAfter?: string | null;
  code?: string;
  message?: string;
  /** How many matching requests get this answer (default: all of them). */
  times?: number;
}

export interface FakeGraphOptions {
  /** Items per page when the client asks for more (or gives no $top). */
  pageSize?: number;
  responses?: Scripted[];
  /** Only this bearer token is accepted (401 otherwise). */
  token?: string;
  /** Documented limits, latency and time scale. */
  timing?: FakeTiming;
  /** Seeded fault injection. */
  faults?: FaultOptions;
  /** Keep every request in `requests` (default true; a benchmark turns it off to save memory). */
  record?: boolean;
}

/** Graph's throttling tiers; `governance` (PIM, access reviews) has no published limit. */
export type GraphTier = 'directory' | 'governance' | 'reports' | 'conditionalAccess';

/** The documented limits: rate per second and bucket size, in real-cloud terms. */
export const GRAPH_LIMITS: Record<Exclude<GraphTier, 'governance'>, { rate: number; capacity: number; what: string }> = {
  directory: { rate: 350, capacity: 3500, what: 'identity and access: 3,500 resource units per 10 s (app+tenant, smallest tenant)' },
  reports: { rate: 0.5, capacity: 5, what: 'identity and access reports: 5 requests per 10 s' },
  conditionalAccess: { rate: 1, capacity: 1, what: 'conditional access: 1 request per s' },
};

/** The tier a request counts against and its cost there (resource units for the directory tier), as documented. */
export function graphTierOf(pathAndQuery: string): { tier: GraphTier; cost: number } {
  const [path = '', query = ''] = pathAndQuery.split('?');
  if (/^\/(reports|auditLogs)\//i.test(path)) return { tier: 'reports', cost: 1 };
  if (/^\/identity\/conditionalAccess\//i.test(path)) return { tier: 'conditionalAccess', cost: 1 };
  if (/^\/identityGovernance\/|^\/policies\/roleManagementPolic/i.test(path)) return { tier: 'governance', cost: 1 };
  let cost = /\/transitiveMembers$/i.test(path) ? 5 : /\/(members|owners)$/i.test(path) ? 3 : /^\/users(\/|$)/i.test(path) ? 2 : 1;
  const q = parseQuery(query);
  if (q.has('$select')) cost -= 1;
  if (q.has('$expand')) cost += 1;
  if (q.has('$top') && Number(q.get('$top')) < 20) cost -= 1;
  return { tier: 'directory', cost: Math.max(1, cost) };
}

export interface RecordedRequest {
  method: string;
  /** Path and query under the base, e.g. /groups/x/members?$select=id. */
  url: string;
  /** Set for sub-requests of a $batch. */
  inBatch: boolean;
  body?: unknown;
  authorization?: string;
}

export interface FakeGraph {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Calls per tier ($batch sub-requests counted one by one, as Graph does), throttled ones included. */
  counts: Record<GraphTier, LimitCount>;
  /** HTTP requests received ($batch envelopes count once). */
  httpRequests: () => number;
  /** The fault injector, when faults were asked for (how many of each were injected). */
  faults: FaultInjector | null;
  /** Forget the counts (between two runs against the same fake). */
  resetCounts(): void;
  close(): Promise<void>;
}

const VERSION = '/v1.0';
const err = (status: number, code: string, message: string) => ({ status, headers: {} as Record<string, string>, body: { error: { code, message, innerError: { date: '2026-10-01T06:00:00', 'request-id': '00000000-0000-0000-0000-000000000000' } } } });

function parseQuery(search: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of search.replace(/^\?/, '').split('&')) {
    if (!part) continue;
    const i = part.indexOf('=');
    const k = decodeURIComponent(i < 0 ? part : part.slice(0, i));
    m.set(k, decodeURIComponent(i < 0 ? '' : part.slice(i + 1)).replace(/\+/g, ' '));
  }
  return m;
}

/** $select projection: only the named properties (plus @odata.type, which Graph always sends on derived types). */
function project(item: Obj, select: string | undefined, keep: string[] = []): Obj {
  if (!select) return item;
  const fields = new Set([...select.split(',').map((s) => s.trim()), ...keep]);
  return Object.fromEntries(Object.entries(item).filter(([k]) => fields.has(k) || k === '@odata.type'));
}

/** $expand=a($expand=b,c),d → { a: 'b,c', d: '' }: which navigation properties to send. */
function expansions(expand: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  let depth = 0;
  let start = 0;
  const text = expand ?? '';
  const add = (part: string) => {
    const m = /^\s*(\w+)\s*(?:\(\s*\$expand=(.*)\))?\s*$/.exec(part);
    if (m) out.set(m[1]!, m[2] ?? '');
  };
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if ((c === ',' && depth === 0) || i === text.length) {
      if (i > start) add(text.slice(start, i));
      start = i + 1;
    }
  }
  return out;
}

/** Drop the navigation properties not asked for ($expand), keep the others. */
function expandOnly(item: Obj, navigation: string[], expand: Map<string, string>): Obj {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !navigation.includes(k) || expand.has(k)));
}

/** `field eq 'value'` terms joined with and / or: what the collector's filters use. */
function filterTerms(filter: string): { field: string; value: string }[] {
  return [...filter.matchAll(/(\w+)\s+eq\s+'((?:[^']|'')*)'/g)].map((m) => ({ field: m[1]!, value: m[2]!.replace(/''/g, "'") }));
}

export async function startFakeGraph(scenario: GraphScenario, options: FakeGraphOptions = {}): Promise<FakeGraph> {
  const requests: RecordedRequest[] = [];
  const scripted = (options.responses ?? []).map((r) => ({ ...r, left: r.times ?? Infinity }));
  const pageSize = options.pageSize ?? 100;
  const record = options.record ?? true;
  const timing = options.timing ?? {};
  const scale = timing.timeScale ?? 1;
  const faults = options.faults ? new FaultInjector(options.faults) : null;
  const newBuckets = () => ({
    directory: new FakeBucket('directory', GRAPH_LIMITS.directory.rate, GRAPH_LIMITS.directory.capacity, scale),
    reports: new FakeBucket('reports', GRAPH_LIMITS.reports.rate, GRAPH_LIMITS.reports.capacity, scale),
    conditionalAccess: new FakeBucket('conditionalAccess', GRAPH_LIMITS.conditionalAccess.rate, GRAPH_LIMITS.conditionalAccess.capacity, scale),
  });
  let buckets = newBuckets();
  const zero = (): LimitCount => ({ calls: 0, units: 0, throttled: 0 });
  let governance = zero();
  let http = 0;
  let origin = '';
  /** Retry-After in (fractional) seconds, as Graph writes it. */
  const retryAfter = (ms: number) => String(Math.max(0.001, ms / 1000).toFixed(3));

  /** Faults and limits, before the request is answered; null = answer it. */
  function gate(method: string, url: string, inBatch: boolean): { status: number; headers: Record<string, string>; body: unknown } | 'reset' | 'slow' | null {
    let classified: { tier: GraphTier; cost: number };
    try {
      classified = graphTierOf(decodeURI(url));
    } catch {
      classified = { tier: 'directory', cost: 1 }; // a malformed URL: route() answers it
    }
    const { tier, cost } = classified;
    const noRetryAfter = tier === 'conditionalAccess';
    const fault = faults?.decide(`${method} ${url}`, inBatch ? ['throttle', 'error500'] : undefined) ?? null;
    if (fault === 'throttle') {
      const r = err(429, 'TooManyRequests', 'Please retry again later.');
      if (!noRetryAfter) r.headers['Retry-After'] = retryAfter(2000 / scale);
      return r;
    }
    if (fault === 'error500') return err(500, 'generalException', 'An internal server error occurred (injected).');
    if (tier === 'governance') {
      governance.calls++;
      governance.units += cost;
    } else if (timing.enforceLimits) {
      const taken = buckets[tier].take(cost);
      if (!taken.ok) {
        const r = err(429, 'TooManyRequests', 'Please retry again later.');
        if (!noRetryAfter) r.headers['Retry-After'] = retryAfter(taken.retryAfterMs);
        return r;
      }
    } else {
      buckets[tier].count.calls++;
      buckets[tier].count.units += cost;
    }
    return fault === 'reset' || fault === 'slow' ? fault : null;
  }

  // Indexes over the scenario's big lists, rebuilt when a list changes length (tests edit scenarios).
  const indexes = new WeakMap<object, { length: number; map: Map<string, Obj[]> }>();
  function indexed<T extends Obj>(list: T[], field: string): Map<string, T[]> {
    const key = list as object;
    let entry = indexes.get(key);
    if (!entry || entry.length !== list.length || (entry as { field?: string }).field !== field) {
      const map = new Map<string, Obj[]>();
      for (const item of list) {
        const v = String(item[field]);
        let bucket = map.get(v);
        if (!bucket) map.set(v, (bucket = []));
        bucket.push(item);
      }
      entry = Object.assign({ length: list.length, map }, { field });
      indexes.set(key, entry);
    }
    return entry.map as Map<string, T[]>;
  }

  function page(path: string, query: Map<string, string>, items: Obj[], maxTop: number | null, keep: string[] = []) {
    const top = query.has('$top') ? Number(query.get('$top')) : null;
    if (top !== null && (!Number.isInteger(top) || top < 1 || (maxTop !== null && top > maxTop))) {
      return err(400, 'Request_BadRequest', `Invalid page size specified: '${query.get('$top')}'. Must be between 1 and ${maxTop ?? 999} inclusive.`);
    }
    const size = Math.min(top ?? pageSize, pageSize);
    const offset = Number(query.get('$skiptoken') ?? 0);
    const slice = items.slice(offset, offset + size).map((i) => project(i, query.get('$select'), keep));
    const body: Obj = { '@odata.context': `${origin}${VERSION}/$metadata#${path.slice(1)}`, value: slice };
    if (offset + size < items.length) {
      const rest = [...query.entries()].filter(([k]) => k !== '$skiptoken').map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
      body['@odata.nextLink'] = `${origin}${VERSION}${path}?${[...rest, `$skiptoken=${offset + size}`].join('&')}`;
    }
    return { status: 200, headers: {} as Record<string, string>, body };
  }

  const one = (item: Obj | undefined, query: Map<string, string>, what: string) =>
    item
      ? { status: 200, headers: {} as Record<string, string>, body: project(item, query.get('$select')) }
      : err(404, 'Request_ResourceNotFound', `Resource '${what}' does not exist or one of its queried reference-property objects are not present.`);

  const byId = <T extends Obj>(list: T[], id: string) => indexed(list, 'id').get(id)?.[0];

  function route(method: string, url: string, auth: string | undefined): { status: number; headers: Record<string, string>; body: unknown } {
    const [rawPath = '', search = ''] = url.split('?');
    const path = decodeURI(rawPath);
    for (const s of scripted) {
      const hit = typeof s.path === 'string' ? path.includes(s.path) : s.path.test(path);
      if (hit && s.left > 0) {
        s.left--;
        const r = err(s.status, s.code ?? (s.status === 429 ? 'TooManyRequests' : s.status === 403 ? 'Authorization_RequestDenied' : s.status === 404 ? 'Request_ResourceNotFound' : 'InternalServerError'), s.message ?? (s.status === 429 ? 'Please retry again later.' : s.status === 403 ? 'Insufficient privileges to complete the operation.' : `HTTP ${s.status}`));
        if (s.retryAfter) r.headers['Retry-After'] = s.retryAfter;
        return r;
      }
    }
    if (options.token && auth !== `Bearer ${options.token}`) return err(401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');
    if (method !== 'GET') return err(405, 'Request_BadRequest', `${method} is not supported by this fake`);
    const query = parseQuery(search);
    const filter = query.get('$filter');
    let m: RegExpMatchArray | null;

    if (path === '/organization') return page(path, query, [scenario.organization], null);
    if ((m = path.match(/^\/servicePrincipals\(appId='([^']+)'\)$/))) return one(scenario.servicePrincipals.find((s) => s.appId === m![1]), query, m[1]!);
    if (path === '/servicePrincipals') {
      const name = filter ? filterTerms(filter).find((t) => t.field === 'displayName')?.value : undefined;
      return page(path, query, scenario.servicePrincipals.filter((s) => name === undefined || s.displayName === name), 999);
    }
    if ((m = path.match(/^\/servicePrincipals\/([^/]+)$/))) return one(byId(scenario.servicePrincipals, m[1]!), query, m[1]!);
    if ((m = path.match(/^\/servicePrincipals\/([^/]+)\/appRoleAssignedTo$/))) {
      const sp = byId(scenario.servicePrincipals, m[1]!);
      return sp ? page(path, query, sp.appRoleAssignedTo, 999) : one(undefined, query, m[1]!);
    }
    if ((m = path.match(/^\/servicePrincipals\/([^/]+)\/owners$/))) {
      const sp = byId(scenario.servicePrincipals, m[1]!);
      return sp ? page(path, query, sp.owners ?? NONE, 999) : one(undefined, query, m[1]!);
    }
    if ((m = path.match(/^\/applications\(appId='([^']+)'\)\/owners$/))) {
      const app = (scenario.applications ?? []).find((a) => a.appId === m![1]);
      return app ? page(path, query, app.owners, 999) : one(undefined, query, `applications(appId='${m[1]}')`);
    }
    if ((m = path.match(/^\/roleManagement\/directory\/(roleDefinitions|roleAssignments|roleEligibilitySchedules)$/))) {
      const list = scenario[m[1] as 'roleDefinitions' | 'roleAssignments' | 'roleEligibilitySchedules'] ?? NONE;
      // The principal is a navigation property: sent only when expanded.
      const expanded = (query.get('$expand') ?? '') === 'principal';
      const items = expanded ? list : list.map(({ principal: _p, ...rest }) => rest);
      return page(path, query, items, null, expanded ? ['principal'] : []);
    }
    if (path === '/roleManagement/directory/roleAssignmentScheduleInstances') {
      const list =
        scenario.roleAssignmentScheduleInstances ??
        (scenario.roleAssignments ?? NONE).map((a) => ({
          id: a.id, principalId: a.principalId, roleDefinitionId: a.roleDefinitionId, directoryScopeId: a.directoryScopeId, appScopeId: null,
          startDateTime: null, endDateTime: null, assignmentType: 'Assigned', memberType: 'Direct', roleAssignmentOriginId: a.id, roleAssignmentScheduleId: a.id,
        }));
      return page(path, query, list, null);
    }
    // The group cast of a unit's members: groups only, as Graph filters them.
    if ((m = path.match(/^\/directory\/administrativeUnits\/([^/]+)\/members\/microsoft\.graph\.group$/))) {
      const unit = byId(scenario.administrativeUnits ?? [], m[1]!);
      return unit ? page(path, query, unit.members.filter((x) => x['@odata.type'] === '#microsoft.graph.group'), 999) : one(undefined, query, m[1]!);
    }
    if ((m = path.match(/^\/servicePrincipals\/([^/]+)\/synchronization\/jobs\/?$/))) {
      const sp = byId(scenario.servicePrincipals, m[1]!);
      return sp ? page(path, query, sp.synchronizationJobs, null) : one(undefined, query, m[1]!);
    }
    if ((m = path.match(/^\/groups\/([^/]+)$/))) {
      const g = byId(scenario.groups, m[1]!);
      return one(g ? Object.fromEntries(Object.entries(g).filter(([k]) => k !== 'members' && k !== 'owners')) : undefined, query, m[1]!);
    }
    if ((m = path.match(/^\/groups\/([^/]+)\/(members|owners)$/))) {
      const g = byId(scenario.groups, m[1]!);
      return g ? page(path, query, g[m[2] as 'members' | 'owners'], 999) : one(undefined, query, m[1]!);
    }
    if ((m = path.match(/^\/users\/([^/]+)$/))) return one(byId(scenario.users, m[1]!), query, m[1]!);
    // The OData cast is required: the bare deletedItems collection is not supported (as documented).
    if (/^\/directory\/deletedItems$/i.test(path)) return err(400, 'Request_BadRequest', 'The OData cast type is required for deletedItems.');
    if (/^\/directory\/deletedItems\/microsoft\.graph\.user$/i.test(path)) return page('/directory/deletedItems/microsoft.graph.user', query, scenario.deletedUsers ?? [], 999);
    if (path === '/reports/authenticationMethods/userRegistrationDetails') {
      if (query.has('$top') || query.has('$select')) return err(400, 'BadRequest', 'Query option is not supported.');
      const ids = filter ? new Set(filterTerms(filter).filter((t) => t.field === 'id').map((t) => t.value)) : null;
      return page(path, query, scenario.userRegistrationDetails.filter((r) => !ids || ids.has(r.id)), null);
    }
    if ((m = path.match(/^\/identityGovernance\/privilegedAccess\/group\/(eligibilitySchedules|assignmentSchedules|eligibilityScheduleInstances|assignmentScheduleInstances|assignmentScheduleRequests|eligibilityScheduleRequests)$/))) {
      const terms = filter ? filterTerms(filter) : [];
      const scope = terms.filter((t) => t.field === 'groupId' || t.field === 'principalId');
      if (!scope.length) return err(400, 'BadRequest', 'The request requires a $filter on groupId or principalId.');
      // A group id that no longer exists ("phantom" group) 404s.
      const group = scope.find((t) => t.field === 'groupId');
      if (group && !byId(scenario.groups, group.value)) return one(undefined, query, group.value);
      const list = scenario[m[1] as 'eligibilitySchedules' | 'eligibilityScheduleRequests'] ?? NONE;
      const candidates = group ? (indexed(list, 'groupId').get(group.value) ?? []) : list;
      // The principal is a navigation property: sent only when expanded.
      const expanded = (query.get('$expand') ?? '') === 'principal';
      const found = candidates.filter((x) => scope.every((t) => x[t.field] === t.value)).map((x) => (expanded || !('principal' in x) ? x : (({ principal: _p, ...rest }) => rest)(x)));
      return page(path, query, found, null, expanded ? ['principal'] : []);
    }
    if (path === '/policies/roleManagementPolicyAssignments') {
      const terms = filter ? filterTerms(filter) : [];
      const scopeId = terms.find((t) => t.field === 'scopeId')?.value;
      const scopeType = terms.find((t) => t.field === 'scopeType')?.value;
      if (!scopeId || !scopeType) return err(400, 'BadRequest', 'The $filter on scopeId and scopeType is required.');
      if (scopeType === 'Group' && !byId(scenario.groups, scopeId)) return one(undefined, query, scopeId);
      const role = terms.find((t) => t.field === 'roleDefinitionId')?.value;
      const expand = query.get('$expand') ?? '';
      const items = (indexed(scenario.policyAssignments, 'scopeId').get(scopeId) ?? [])
        .filter((a) => a.scopeId === scopeId && a.scopeType === scopeType && (!role || a.roleDefinitionId === role))
        .map((a) => {
          const { policy, ...rest } = a;
          if (!expand.startsWith('policy')) return rest;
          return { ...rest, policy: expand.includes('rules') ? policy : { ...policy, rules: undefined } };
        });
      return page(path, query, items, null, expand ? ['policy'] : []);
    }
    if (/^\/(identityGovernance|roleManagement)\/entitlementManagement\//.test(path) && scenario.entitlementManagementLicensed === false) {
      return err(403, 'NoLicense', 'User is not authorized to perform the operation. Reason: Tenant does not meet license requirement!');
    }
    if ((m = path.match(/^\/identityGovernance\/entitlementManagement\/accessPackages(?:\/([^/]+))?$/))) {
      const expand = expansions(query.get('$expand'));
      const view = (p: NonNullable<GraphScenario['accessPackages']>[number]): Obj => {
        const out = expandOnly(p, ['resourceRoleScopes', 'assignmentPolicies', 'catalog'], expand);
        if (out.resourceRoleScopes) {
          const inner = expansions(expand.get('resourceRoleScopes'));
          out.resourceRoleScopes = p.resourceRoleScopes.map((rs) => expandOnly(rs, ['role', 'scope'], inner));
        }
        return out;
      };
      if (m[1]) {
        const found = byId(scenario.accessPackages ?? [], m[1]);
        // $select keeps the expanded navigation properties, as Graph does.
        if (found) return { status: 200, headers: {} as Record<string, string>, body: project(view(found), query.get('$select'), [...expand.keys()]) };
        return one(undefined, query, m[1]);
      }
      return page(path, query, (scenario.accessPackages ?? []).map(view), null, [...expand.keys()]);
    }
    if (path === '/roleManagement/entitlementManagement/roleAssignments') {
      const expanded = (query.get('$expand') ?? '') === 'principal';
      const list = scenario.entitlementRoleAssignments ?? NONE;
      return page(path, query, expanded ? list : list.map(({ principal: _p, ...rest }) => rest), null, expanded ? ['principal'] : []);
    }
    if (path === '/identityGovernance/entitlementManagement/assignments') {
      const pkg = filter ? /accessPackage\/id\s+eq\s+'((?:[^']|'')*)'/.exec(filter)?.[1]?.replace(/''/g, "'") : undefined;
      const expand = expansions(query.get('$expand'));
      const items = (scenario.accessPackageAssignments ?? [])
        .filter((a) => pkg === undefined || a.accessPackage.id === pkg)
        .map((a) => expandOnly(a, ['accessPackage', 'target', 'assignmentPolicy'], expand));
      return page(path, query, items, null, [...expand.keys()]);
    }
    if (path === '/identity/conditionalAccess/policies') return page(path, query, scenario.conditionalAccessPolicies, null);
    if (path === '/identityGovernance/accessReviews/definitions') return page(path, query, scenario.accessReviewDefinitions, 100);
    return err(400, 'BadRequest', `Resource not found for the segment '${path.split('/').pop()}'.`);
  }

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let data = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (data += c));
      req.on('end', () => resolve(data));
    });

  const server: Server = createServer(async (req, res) => {
    const url = (req.url ?? '').startsWith(VERSION) ? (req.url ?? '').slice(VERSION.length) : (req.url ?? '');
    const auth = req.headers.authorization;
    const text = await readBody(req);
    http++;
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    if (record) requests.push({ method: req.method ?? '', url, inBatch: false, ...(body !== undefined ? { body } : {}), ...(auth ? { authorization: auth } : {}) });
    let out: { status: number; headers: Record<string, string>; body: unknown };
    let slow = false;
    const isBatch = req.method === 'POST' && url.split('?')[0] === '/$batch';
    // The envelope itself can be throttled, fail, be reset or be slow; its sub-requests are each
    // counted against their own tier, as Graph evaluates them.
    const outer = isBatch
      ? (() => {
          const f = faults?.decide(`POST /$batch ${text}`) ?? null;
          if (f === 'throttle') return { ...err(429, 'TooManyRequests', 'Please retry again later.'), headers: { 'Retry-After': retryAfter(2000 / scale) } };
          if (f === 'error500') return err(500, 'generalException', 'An internal server error occurred (injected).');
          return f === 'reset' || f === 'slow' ? f : null;
        })()
      : gate(req.method ?? '', url, false);
    if (outer === 'reset') {
      req.socket.destroy();
      return;
    }
    if (outer === 'slow') slow = true;
    if (outer && typeof outer === 'object') {
      out = outer;
    } else if (isBatch) {
      const subs = ((body as { requests?: { id: string; method: string; url: string }[] })?.requests ?? []);
      if (subs.length > 20) out = err(400, 'BadRequest', 'The number of batch requests exceeds 20.');
      else {
        const responses = subs.map((s) => {
          const subUrl = s.url.startsWith('/') ? s.url : `/${s.url}`;
          if (record) requests.push({ method: s.method, url: subUrl, inBatch: true, ...(auth ? { authorization: auth } : {}) });
          const g = gate(s.method, subUrl, true);
          const r = g && typeof g === 'object' ? g : route(s.method, subUrl, auth);
          return { id: s.id, status: r.status, headers: { 'Content-Type': 'application/json', ...r.headers }, body: r.body };
        });
        out = { status: 200, headers: {}, body: { responses } };
      }
    } else {
      out = route(req.method ?? '', url, auth);
    }
    await delay(((timing.latencyMs ?? 0) + (slow ? (timing.slowMs ?? 3000) : 0)) / scale);
    res.writeHead(out.status, { 'Content-Type': 'application/json', ...out.headers });
    res.end(JSON.stringify(out.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: `${origin}${VERSION}`,
    requests,
    get counts() {
      return { directory: buckets.directory.count, reports: buckets.reports.count, conditionalAccess: buckets.conditionalAccess.count, governance };
    },
    httpRequests: () => http,
    faults,
    resetCounts() {
      buckets = newBuckets();
      governance = zero();
      http = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
