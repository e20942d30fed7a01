// CloudTrail LookupEvents: management events of the last 90 days at most, per account
// and per Region, one lookup attribute per call, 50 events per page, 2 TPS per account and Region.
//
// Where events land (AWS CloudTrail user guide, "AWS Management Console sign-in events"): a root
// sign-in is recorded in us-east-1; an IAM-user sign-in through the global endpoint in us-east-1, or,
// when the browser has the account-alias cookie, in us-east-2, eu-north-1 or ap-southeast-2 (the
// console proxy picks the nearest); through a Regional endpoint, in that Region. IAM and STS calls
// are recorded in us-east-1; other API calls in the Region they were made in.
//
// Lookups (each its own provenance):
//   • every active account, Username=root, in us-east-1, the Identity Center Region and the Regions
//     the config names (aws.cloudTrailRegions);
//   • every declared breakglass user, Username=<userName>, in its account, in those Regions and in
//     us-east-2, eu-north-1 and ap-southeast-2;
//   • Identity Center federation in the instance's owner account and Region: EventName=Federate and
//     EventName=GetRoleCredentials (credential fetches for an account and permission set). Since
//     2025 these name the person by userIdentity.onBehalfOf.userId (type IdentityCenterUser) and the
//     target in serviceEventDetails (account_id, role_name); older events by userIdentity.principalId
//     and userName (type Unknown) — all are kept, and the analysis tries them in that order;
//   • Identity Center changes in the same account and Region, by EventName: CreateAccountAssignment,
//     DeleteAccountAssignment (sso.amazonaws.com; asynchronous: the event records the accepted request,
//     status IN_PROGRESS, not its outcome) and CreateGroupMembership, DeleteGroupMembership
//     (identitystore.amazonaws.com; a deletion names only the membership id). The credential-fetch
//     analysis replays them to know which assignments and memberships held at a fetch's time.
import { LookupEventsCommand, type LookupAttributeKey } from '@aws-sdk/client-cloudtrail';
import {
  ACCOUNT_ASSIGNMENT_EVENTS,
  GROUP_MEMBERSHIP_EVENTS,
  isCredentialFetch,
  type Snapshot,
  type TrailEventT,
} from '../../model/snapshot-schema.js';
import type { Section } from '../section.js';
import { mapLimit } from '../rate-limit.js';
import { AwsCallError, CONCURRENCY, byString, pageItems, type AccountClients, type AwsRuntime } from './clients.js';

type Lookup = NonNullable<Snapshot['aws']['cloudTrail']['data']>['lookups'][number];

export interface LookupSpec {
  accountId: string;
  region: string;
  attribute: LookupAttributeKey;
  value: string;
}

/** Where root sign-ins and IAM and STS calls are recorded. */
export const GLOBAL_EVENTS_REGION = 'us-east-1';
/** Where an IAM user's console sign-in through the global endpoint can be recorded. */
export const GLOBAL_SIGN_IN_REGIONS = [GLOBAL_EVENTS_REGION, 'us-east-2', 'eu-north-1', 'ap-southeast-2'] as const;

/** The Regions to search: for root, and for breakglass IAM users (whose sign-ins land in more). */
export function lookupRegions(identityCenterRegion: string | null, configured: readonly string[] = []): { root: string[]; breakglass: string[] } {
  const root = [...new Set([GLOBAL_EVENTS_REGION, ...(identityCenterRegion ? [identityCenterRegion] : []), ...configured])].sort();
  return { root, breakglass: [...new Set([...root, ...GLOBAL_SIGN_IN_REGIONS])].sort() };
}

/** The lookups to make, deduplicated and in a stable order. */
export function planLookups(input: {
  accountIds: string[];
  breakglass: { account: string; userName: string }[];
  regions: { root: string[]; breakglass: string[] };
  identityCenter: { accountId: string; region: string } | null;
}): LookupSpec[] {
  const specs = new Map<string, LookupSpec>();
  const add = (s: LookupSpec) => specs.set(`${s.accountId}|${s.region}|${s.attribute}|${s.value}`, s);
  for (const region of input.regions.root) {
    for (const accountId of input.accountIds) add({ accountId, region, attribute: 'Username', value: 'root' });
  }
  for (const region of input.regions.breakglass) {
    for (const b of input.breakglass) add({ accountId: b.account, region, attribute: 'Username', value: b.userName });
  }
  if (input.identityCenter) {
    for (const name of ['Federate', 'GetRoleCredentials', ...ACCOUNT_ASSIGNMENT_EVENTS, ...GROUP_MEMBERSHIP_EVENTS]) {
      add({ ...input.identityCenter, attribute: 'EventName', value: name });
    }
  }
  return [...specs.values()].sort(byString((s) => `${s.accountId}|${s.region}|${s.attribute}|${s.value}`));
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** One LookupEvents result → the snapshot's event shape. Exported for tests. */
export function normaliseEvent(
  e: { EventId?: string | undefined; EventName?: string | undefined; EventSource?: string | undefined; EventTime?: Date | undefined; Username?: string | undefined; CloudTrailEvent?: string | undefined },
  lookup: { accountId: string; region: string },
): TrailEventT | null {
  let ct: Json = {};
  try {
    ct = obj(JSON.parse(e.CloudTrailEvent ?? '{}'));
  } catch {
    ct = {};
  }
  const id = str(e.EventId) ?? str(ct.eventID);
  const timeText = str(ct.eventTime) ?? e.EventTime?.toISOString() ?? null;
  if (!id || !timeText || Number.isNaN(Date.parse(timeText))) return null;
  const ui = obj(ct.userIdentity);
  const eventName = str(ct.eventName) ?? e.EventName ?? 'unknown';
  const eventSource = str(ct.eventSource) ?? e.EventSource ?? 'unknown';
  const additional = obj(ct.additionalEventData);
  const response = obj(ct.responseElements);
  const request = obj(ct.requestParameters);
  const details = obj(ct.serviceEventDetails);
  const mfa = str(additional.MFAUsed)?.toLowerCase();
  const signIn = eventSource.startsWith('signin.');
  // Sign-in events carry their outcome under their own name: responseElements.ConsoleLogin and
  // .CheckMfa (IAM and root), serviceEventDetails.CredentialChallenge, .CredentialVerification and
  // .UserAuthentication (Identity Center); a failure also has errorMessage ("Failed authentication").
  const outcome = signIn
    ? (str(response[eventName]) ??
      str(details[eventName]) ??
      str(response.ConsoleLogin) ??
      str(details.UserAuthentication) ??
      (str(ct.errorCode) || str(ct.errorMessage) ? 'Failure' : null))
    : str(ct.errorCode)
      ? 'Failure'
      : 'Success';
  const account = str(ct.recipientAccountId) ?? str(ui.accountId) ?? lookup.accountId;
  const type = str(ui.type) ?? 'Unknown';
  return {
    eventId: id,
    eventTime: new Date(Date.parse(timeText)).toISOString().replace(/\.000Z$/, 'Z'),
    eventName,
    eventSource,
    accountId: /^\d{12}$/.test(account) ? account : lookup.accountId,
    region: str(ct.awsRegion) ?? lookup.region,
    userIdentity: {
      type,
      // Root has no userName in the record; LookupEvents' Username is "root" then, which is not a user name.
      userName: str(ui.userName) ?? (type === 'Root' ? null : (str(e.Username) ?? null)),
      arn: str(ui.arn),
      onBehalfOfUserId: str(obj(ui.onBehalfOf).userId),
      // Portal events before the 2025 change name the Identity Center user here (type "Unknown").
      principalId: str(ui.principalId),
    },
    mfaUsed: mfa === 'yes' ? true : mfa === 'no' ? false : null,
    outcome,
    errorCode: str(ct.errorCode),
    errorMessage: str(ct.errorMessage),
    sourceIpAddress: str(ct.sourceIPAddress),
    federation:
      eventSource.startsWith('sso.') && isCredentialFetch(eventName)
        ? {
            accountId: str(request.accountId) ?? str(details.account_id) ?? null,
            roleName: str(request.roleName) ?? str(details.role_name) ?? null,
          }
        : null,
    ...identityCenterChange(eventName, eventSource, request, response),
  };
}

const ASSIGNMENT_ACTIONS: Record<string, 'create' | 'delete'> = { CreateAccountAssignment: 'create', DeleteAccountAssignment: 'delete' };
const MEMBERSHIP_ACTIONS: Record<string, 'create' | 'delete'> = { CreateGroupMembership: 'create', DeleteGroupMembership: 'delete' };

/** The assignment or membership an Identity Center change names; nothing for other events. */
function identityCenterChange(eventName: string, eventSource: string, request: Json, response: Json): Pick<TrailEventT, 'accountAssignment' | 'groupMembership'> {
  const assignment = eventSource === 'sso.amazonaws.com' ? ASSIGNMENT_ACTIONS[eventName] : undefined;
  if (assignment) {
    // The request status echoes the request's target and principal; the request is read first.
    const status = obj(response[assignment === 'create' ? 'accountAssignmentCreationStatus' : 'accountAssignmentDeletionStatus']);
    const field = (name: string) => str(request[name]) ?? str(status[name]);
    const targetType = field('targetType');
    return {
      accountAssignment: {
        action: assignment,
        accountId: targetType === null || targetType === 'AWS_ACCOUNT' ? field('targetId') : null,
        permissionSetArn: field('permissionSetArn'),
        principalType: field('principalType'),
        principalId: field('principalId'),
        requestId: str(status.requestId),
        status: str(status.status),
      },
    };
  }
  const membership = eventSource === 'identitystore.amazonaws.com' ? MEMBERSHIP_ACTIONS[eventName] : undefined;
  if (membership) {
    return {
      groupMembership: {
        action: membership,
        groupId: str(request.groupId),
        userId: str(obj(request.memberId).userId),
        membershipId: str(response.membershipId) ?? str(request.membershipId),
      },
    };
  }
  return {};
}

export async function runLookups(
  rt: AwsRuntime,
  specs: LookupSpec[],
  clientsFor: (accountId: string) => Promise<AccountClients | AwsCallError>,
  window: { start: Date; end: Date },
  tick: (detail: string) => void,
): Promise<{ lookups: Lookup[]; events: TrailEventT[] }> {
  let done = 0;
  // Thousands of lookups (one or more per account): started a few more at a time than CloudTrail's
  // concurrency cap rather than all at once.
  const results = await mapLimit(specs, 2 * CONCURRENCY.cloudtrail, async (spec) => {
    const base = { ...spec, startTime: iso(window.start), endTime: iso(window.end) };
    const clients = await clientsFor(spec.accountId);
    if (clients instanceof AwsCallError) {
      tick(`${++done}/${specs.length} lookups`);
      return { lookup: { ...base, provenance: missingOf(clients) }, events: [] as TrailEventT[] };
    }
    try {
      const trail = clients.client('cloudtrail', spec.region);
      // Each page's events are normalised as it arrives: the raw CloudTrailEvent documents are not kept.
      const events = await pageItems(
        (NextToken) =>
          rt.call('cloudtrail:LookupEvents', spec.accountId, spec.region, () =>
            trail.send(
              new LookupEventsCommand({
                LookupAttributes: [{ AttributeKey: spec.attribute, AttributeValue: spec.value }],
                StartTime: window.start,
                EndTime: window.end,
                MaxResults: 50,
                NextToken,
              }),
            ),
          ),
        (p) => (p.Events ?? []).map((e) => normaliseEvent(e, spec)).filter((e): e is TrailEventT => e !== null),
      );
      tick(`${++done}/${specs.length} lookups`);
      const provenance: Section<unknown>['provenance'] = { status: 'collected', source: `cloudtrail:LookupEvents (${clients.via})`, collectedAt: iso(new Date()) };
      return { lookup: { ...base, provenance }, events };
    } catch (error) {
      tick(`${++done}/${specs.length} lookups`);
      if (!(error instanceof AwsCallError)) throw error;
      return { lookup: { ...base, provenance: missingOf(error) }, events: [] as TrailEventT[] };
    }
  });
  const byId = new Map<string, TrailEventT>();
  for (const r of results) for (const e of r.events) if (!byId.has(e.eventId)) byId.set(e.eventId, e);
  return {
    lookups: results.map((r) => r.lookup),
    events: [...byId.values()].sort(byString((e) => `${e.eventTime}|${e.eventId}`)),
  };
}

export const missingOf = (error: AwsCallError): Section<unknown>['provenance'] => ({ status: 'missing', error: error.missing, fix: error.fix });

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
