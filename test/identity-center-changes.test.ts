// Identity Center assignment and group-membership changes from CloudTrail (real records:
// test/fixtures/cloudtrail/SOURCE.md): read by the collector, replayed by the credential-fetch
// analysis so that a fetch is judged against the assignments and memberships of its time.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normaliseEvent, planLookups } from '../src/collect/aws/cloudtrail.js';
import type { ConfigFile } from '../src/model/config.js';
import type { Snapshot, TrailEventT } from '../src/model/snapshot-schema.js';
import { analyzeDemo, demoSnapshot } from './helpers/demo.js';
import { collectFromFake } from './helpers/aws.js';
import { IC_REGION, MGMT, e2eScenario } from './fake-cloud/aws/scenarios.js';

const fixture = (dir: string, name: string) => readFileSync(new URL(`fixtures/${dir}/${name}`, import.meta.url), 'utf8');
// The publisher replaced the account id with a placeholder; an account id stands in for it.
const CREATE_ASSIGNMENT = fixture('cloudtrail', 'create-account-assignment-group.json').replaceAll('<MANAGEMENT_ACCT_ID>', '123456789012');
const DELETE_ASSIGNMENT = fixture('cloudtrail', 'delete-account-assignment-group.json').replaceAll('<MANAGEMENT_ACCT_ID>', '123456789012');
const CREATE_MEMBERSHIP = fixture('cloudtrail', 'create-group-membership-excerpt.json');
const FETCH = fixture('identity-center-federation', 'get-role-credentials-2025.json');
const lookup = { accountId: '123456789012', region: 'us-east-1' };

describe('normaliseEvent reads Identity Center changes (real records)', () => {
  it('CreateAccountAssignment: the target, permission set and principal, and the asynchronous request', () => {
    const e = normaliseEvent({ CloudTrailEvent: CREATE_ASSIGNMENT }, lookup)!;
    expect(e).toMatchObject({ eventId: '7dbd28aa-25a8-404c-a45b-af7184ba9129', eventName: 'CreateAccountAssignment', eventSource: 'sso.amazonaws.com', federation: null });
    expect(e.accountAssignment).toEqual({
      action: 'create',
      accountId: '123456789012',
      permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-72233af8ea2d1f14/ps-a1b9e6bd2d4fb336',
      principalType: 'GROUP',
      principalId: '34887428-4081-7042-c3c6-928d413009e7',
      requestId: 'fcb3a718-f979-45e9-b912-0081559afaaf',
      status: 'IN_PROGRESS',
    });
    expect(e.groupMembership).toBeUndefined();
  });

  it('DeleteAccountAssignment: its status is under accountAssignmentDeletionStatus', () => {
    const e = normaliseEvent({ CloudTrailEvent: DELETE_ASSIGNMENT }, lookup)!;
    expect(e.accountAssignment).toMatchObject({ action: 'delete', accountId: '123456789012', principalId: '34887428-4081-7042-c3c6-928d413009e7', requestId: '1634804f-7389-4b8a-b6b4-dbf38284a6ce' });
  });

  it('CreateGroupMembership: group and user from requestParameters (eventID and eventSource from LookupEvents)', () => {
    const e = normaliseEvent({ EventId: 'ev-m1', EventSource: 'identitystore.amazonaws.com', CloudTrailEvent: CREATE_MEMBERSHIP }, lookup)!;
    expect(e.groupMembership).toEqual({ action: 'create', groupId: 'd1cb25d0-b061-705c-90da-b2b62e4f01f8', userId: '117b5560-c041-70cf-2973-8b2ec16f4d4e', membershipId: null });
  });

  it('the same names from another service are not Identity Center changes', () => {
    const other = JSON.parse(CREATE_ASSIGNMENT);
    other.eventSource = 'example.amazonaws.com';
    expect(normaliseEvent({ CloudTrailEvent: JSON.stringify(other) }, lookup)!.accountAssignment).toBeUndefined();
  });

  it('plans the four lookups by EventName in the Identity Center account and Region', () => {
    const specs = planLookups({ accountIds: [], breakglass: [], regions: { root: [], breakglass: [] }, identityCenter: { accountId: MGMT, region: IC_REGION } });
    expect(specs.map((s) => `${s.accountId}|${s.region}|${s.attribute}=${s.value}`)).toEqual(
      ['CreateAccountAssignment', 'CreateGroupMembership', 'DeleteAccountAssignment', 'DeleteGroupMembership', 'Federate', 'GetRoleCredentials'].map((n) => `${MGMT}|${IC_REGION}|EventName=${n}`),
    );
  });
});

describe('collectAws looks up Identity Center changes against the fake', () => {
  const scenario = e2eScenario();
  const recent = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const assignment = JSON.parse(CREATE_ASSIGNMENT.replaceAll('123456789012', MGMT));
  scenario.cloudTrail[`${MGMT}|${IC_REGION}`]!.push(
    { ...assignment, eventTime: recent(2), awsRegion: IC_REGION },
    { ...JSON.parse(CREATE_MEMBERSHIP), eventID: 'ev-membership', eventSource: 'identitystore.amazonaws.com', eventTime: recent(3) },
  );
  const CONFIG: ConfigFile = { aws: { identityCenterRegion: IC_REGION, memberAccountRoleName: 'JitAuditReadOnly' } };
  const collected = collectFromFake(scenario, CONFIG);

  it('one lookup per event name, each with its provenance: "collected, none" is a collected lookup with no events', () => {
    const mine = collected.aws.cloudTrail.data!.lookups.filter((l) => l.attribute === 'EventName' && /Assignment|Membership/.test(l.value));
    expect(mine.map((l) => `${l.accountId}|${l.region}|${l.value}|${l.provenance.status}`)).toEqual([
      `${MGMT}|${IC_REGION}|CreateAccountAssignment|collected`,
      `${MGMT}|${IC_REGION}|CreateGroupMembership|collected`,
      `${MGMT}|${IC_REGION}|DeleteAccountAssignment|collected`,
      `${MGMT}|${IC_REGION}|DeleteGroupMembership|collected`,
    ]);
    const asked = collected.fake.calls.filter((c) => c.operation === 'cloudtrail:LookupEvents').map((c) => (c.params.LookupAttributes as { AttributeValue: string }[])[0]!.AttributeValue);
    expect(asked).toContain('DeleteGroupMembership');
  });

  it('keeps the changes, normalised', () => {
    const byId = new Map(collected.aws.cloudTrail.data!.events.map((e) => [e.eventId, e]));
    expect(byId.get('7dbd28aa-25a8-404c-a45b-af7184ba9129')?.accountAssignment).toMatchObject({ action: 'create', accountId: MGMT, principalType: 'GROUP' });
    expect(byId.get('ev-membership')?.groupMembership).toMatchObject({ action: 'create', groupId: 'd1cb25d0-b061-705c-90da-b2b62e4f01f8' });
  });
});

// ---------------------------------------------------------------- the judgement

const LEGACY = '90671a7be8-1a7be8f3-e802-4249-a5ab-4fb30e6c6c86'; // legacy-admins: an Identity Center group, no Entra source
const LEGACY_MEMBER = '906790f6a0-90f6a09f-73bd-46cd-adff-c499e80ad1b2';
const LEGACY_MEMBERSHIP = '746e6f26-f238-4800-af9b-e56f77e301b1';
const DEV_ADMIN = 'arn:aws:sso:::permissionSet/ssoins-72230a1b2c3d4e5f/ps-0a1b2c3d4e5f6a7b'; // legacy-admins has it in 444444444444
const DIRECT_USER = '906737c633-37c63382-e5c6-4c00-ae19-88215707c8fb'; // assigned directly in 333333333333
const DIRECT_PS = 'arn:aws:sso:::permissionSet/ssoins-72230a1b2c3d4e5f/ps-2c3d4e5f6a7b8c9d';
const FETCH_AT = '2026-09-20T10:00:00Z';
const LATER = '2026-09-20T11:00:00Z';
const EARLIER = '2026-09-01T11:00:00Z';

function fetchBy(icUserId: string, accountId: string, roleName: string): TrailEventT {
  const body = JSON.parse(FETCH);
  body.eventID = 'the-fetch';
  body.eventTime = FETCH_AT;
  body.userIdentity = { ...body.userIdentity, onBehalfOf: { userId: icUserId, identityStoreArn: 'arn:aws:identitystore::111111111111:identitystore/d-93670a1b2c' } };
  body.serviceEventDetails = { account_id: accountId, role_name: roleName };
  return normaliseEvent({ CloudTrailEvent: JSON.stringify(body) }, lookup)!;
}

/** The real assignment record, re-targeted. */
function assignmentChange(id: string, at: string, action: 'create' | 'delete', a: { accountId: string; permissionSetArn: string; principalType: string; principalId: string }): TrailEventT {
  const body = JSON.parse(action === 'create' ? CREATE_ASSIGNMENT : DELETE_ASSIGNMENT);
  const status = body.responseElements[action === 'create' ? 'accountAssignmentCreationStatus' : 'accountAssignmentDeletionStatus'];
  for (const target of [body.requestParameters, status]) Object.assign(target, { targetId: a.accountId, permissionSetArn: a.permissionSetArn, principalType: a.principalType, principalId: a.principalId });
  Object.assign(body, { eventID: id, eventTime: at });
  return normaliseEvent({ CloudTrailEvent: JSON.stringify(body) }, lookup)!;
}

/**
 * A membership change. Creation: the real excerpt re-targeted, with responseElements.membershipId;
 * deletion: requestParameters.membershipId. Neither of those two fields was seen in a real record
 * (SOURCE.md): their names follow the Identity Store API, camelCased as CloudTrail does.
 */
function membershipChange(id: string, at: string, change: { action: 'create'; groupId: string; userId: string; membershipId: string } | { action: 'delete'; membershipId: string }): TrailEventT {
  const body = JSON.parse(CREATE_MEMBERSHIP);
  Object.assign(body, { eventTime: at });
  if (change.action === 'create') {
    body.requestParameters = { ...body.requestParameters, groupId: change.groupId, memberId: { userId: change.userId } };
    body.responseElements = { membershipId: change.membershipId, identityStoreId: body.requestParameters.identityStoreId };
  } else {
    body.eventName = 'DeleteGroupMembership';
    body.requestParameters = { identityStoreId: body.requestParameters.identityStoreId, membershipId: change.membershipId };
    body.responseElements = null;
  }
  return normaliseEvent({ EventId: id, EventSource: 'identitystore.amazonaws.com', CloudTrailEvent: JSON.stringify(body) }, lookup)!;
}

const CHANGE_EVENTS = ['CreateAccountAssignment', 'DeleteAccountAssignment', 'CreateGroupMembership', 'DeleteGroupMembership'];

/** The fetch's judgement; `looked` names the change lookups the snapshot made (collected). */
function judge(events: TrailEventT[], looked: string[] = CHANGE_EVENTS, mutate: (s: Snapshot) => void = () => {}) {
  const analysis = analyzeDemo((s) => {
    mutate(s);
    const trail = s.aws.cloudTrail.data!;
    trail.events = events;
    for (const value of looked) {
      trail.lookups.push({
        accountId: '111111111111',
        region: 'eu-west-1',
        attribute: 'EventName',
        value,
        startTime: '2026-07-03T06:00:00Z',
        endTime: '2026-10-01T06:00:00Z',
        provenance: { status: 'collected', source: 'cloudtrail:LookupEvents (test)', collectedAt: '2026-10-01T06:00:00Z' },
      });
    }
  });
  return analysis.resources.federationEvents!.find((f) => f.data.eventId === 'the-fetch')!.data;
}

describe('a fetch is judged against the Identity Center assignments and memberships of its time', () => {
  const legacyFetch = () => fetchBy(LEGACY_MEMBER, '444444444444', 'AdministratorAccess');
  it('the fetch through legacy-admins is covered today', () => {
    expect(judge([legacyFetch()])).toMatchObject({ attribution: 'attributed', standingAccess: true });
  });

  it('an assignment created after the fetch did not cover it', () => {
    const created = assignmentChange('ev-create', LATER, 'create', { accountId: '444444444444', permissionSetArn: DEV_ADMIN, principalType: 'GROUP', principalId: LEGACY });
    const r = judge([legacyFetch(), created]);
    expect(r).toMatchObject({ attribution: 'no-path', standingAccess: false, jitAccess: false });
    expect(r.judgedAgainst).toBe("PIM history at the event's time; Identity Center assignment and group-membership history from CloudTrail");
    // Created before the fetch: it covered it.
    const before = assignmentChange('ev-create', EARLIER, 'create', { accountId: '444444444444', permissionSetArn: DEV_ADMIN, principalType: 'GROUP', principalId: LEGACY });
    expect(judge([legacyFetch(), before])).toMatchObject({ attribution: 'attributed', standingAccess: true });
  });

  it('a group membership created after the fetch did not cover it', () => {
    const joined = membershipChange('ev-join', LATER, { action: 'create', groupId: LEGACY, userId: LEGACY_MEMBER, membershipId: LEGACY_MEMBERSHIP });
    expect(judge([legacyFetch(), joined])).toMatchObject({ attribution: 'no-path', standingAccess: false });
  });

  it('a PIM group whose assignment came after the fetch: its activation history does not count', () => {
    // bob: activated in prod-admins 2026-10-01 05:00–07:00 (AdministratorAccess in 222222222222).
    const analysis = analyzeDemo();
    const bob = analysis.accessPaths.find((p) => (p.principal.upn ?? '').startsWith('bob.lee@') && p.account.id === '222222222222' && p.permissionSet.name === 'AdministratorAccess')!;
    const icGroup = demoSnapshot().aws.identityStore.data!.groups.find((g) => g.externalIds.some((e) => e.id === bob.group!.id))!;
    const fetch = { ...fetchBy(bob.principal.identityCenterUserId!, '222222222222', 'AdministratorAccess'), eventTime: '2026-10-01T05:10:00Z' };
    const created = assignmentChange('ev-create', '2026-10-01T05:30:00Z', 'create', { accountId: '222222222222', permissionSetArn: bob.permissionSet.arn, principalType: 'GROUP', principalId: icGroup.groupId });
    expect(judge([fetch])).toMatchObject({ attribution: 'attributed', jitAccess: true });
    expect(judge([fetch, created])).toMatchObject({ attribution: 'no-path', jitAccess: false, activation: null });
  });

  it('a direct assignment deleted after the fetch covered it', () => {
    const removeToday = (s: Snapshot) => {
      s.aws.accountAssignments.data = s.aws.accountAssignments.data!.filter((a) => !(a.principalId === DIRECT_USER && a.accountId === '333333333333'));
    };
    const analysis = analyzeDemo();
    const psName = analysis.accessPaths.find((p) => p.principal.identityCenterUserId === DIRECT_USER && p.account.id === '333333333333')!.permissionSet.name;
    const fetch = fetchBy(DIRECT_USER, '333333333333', psName);
    const deleted = assignmentChange('ev-delete', LATER, 'delete', { accountId: '333333333333', permissionSetArn: DIRECT_PS, principalType: 'USER', principalId: DIRECT_USER });
    expect(judge([fetch, deleted], CHANGE_EVENTS, removeToday)).toMatchObject({ attribution: 'attributed', standingAccess: true });
    // Deleted before the fetch: nothing covered it.
    expect(judge([fetch, { ...deleted, eventTime: EARLIER }], CHANGE_EVENTS, removeToday)).toMatchObject({ attribution: 'no-path', standingAccess: false });
  });

  it('a group membership deleted after the fetch covered it, tied to its group by the membership id', () => {
    const leftToday = (s: Snapshot) => {
      s.aws.identityStore.data!.memberships = s.aws.identityStore.data!.memberships.filter((m) => m.membershipId !== LEGACY_MEMBERSHIP);
    };
    const joined = membershipChange('ev-join', EARLIER, { action: 'create', groupId: LEGACY, userId: LEGACY_MEMBER, membershipId: LEGACY_MEMBERSHIP });
    const left = membershipChange('ev-leave', LATER, { action: 'delete', membershipId: LEGACY_MEMBERSHIP });
    expect(judge([legacyFetch(), joined, left], CHANGE_EVENTS, leftToday)).toMatchObject({ attribution: 'attributed', standingAccess: true });
    // A deletion that no creation or current membership names: not guessed, but said.
    const r = judge([legacyFetch(), left], CHANGE_EVENTS, leftToday);
    expect(r).toMatchObject({ attribution: 'no-path' });
    expect(r.judgedAgainst).toMatch(/^current access \(a group membership removed after the event names no known group\)/);
  });

  it('without the lookups, today stands for the event, and judgedAgainst says so', () => {
    const created = assignmentChange('ev-create', LATER, 'create', { accountId: '444444444444', permissionSetArn: DEV_ADMIN, principalType: 'GROUP', principalId: LEGACY });
    const r = judge([legacyFetch(), created], []);
    expect(r).toMatchObject({ attribution: 'attributed', standingAccess: true });
    expect(r.judgedAgainst).toBe('current access (no history for group legacy-admins)');
    // One of a pair missing (a failed lookup is no lookup): not collected either.
    expect(judge([legacyFetch(), created], ['CreateAccountAssignment'])).toMatchObject({ attribution: 'attributed', standingAccess: true });
    // Assignments looked up but not memberships: said.
    const partial = judge([legacyFetch(), created], ['CreateAccountAssignment', 'DeleteAccountAssignment']);
    expect(partial).toMatchObject({ attribution: 'no-path' });
    expect(partial.judgedAgainst).toMatch(/Identity Center assignment history from CloudTrail \(group memberships as of the snapshot\)$/);
  });
});
