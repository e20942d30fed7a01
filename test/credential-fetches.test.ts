// Identity Center credential fetches on real CloudTrail records (test/fixtures/identity-center-federation):
// both event shapes are attributed, a fetch nobody can be matched to is a finding, and a past fetch is
// judged against the access at its time.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { credentialFetches } from '../src/analyze/credential-fetches.js';
import { SnapshotIndex } from '../src/analyze/snapshot-index.js';
import { buildAccessPaths } from '../src/analyze/access-paths.js';
import { pathParts } from '../src/analyze/path-parts.js';
import { normaliseEvent } from '../src/collect/aws/cloudtrail.js';
import type { Snapshot, TrailEventT } from '../src/model/snapshot-schema.js';
import { evaluateRules } from '../src/rules/evaluate.js';
import { loadRules } from '../src/rules/load-rules.js';
import { analyzeDemo, demoConfig, demoSnapshot } from './helpers/demo.js';

const raw = (name: string) => readFileSync(new URL(`fixtures/identity-center-federation/${name}`, import.meta.url), 'utf8');
const CURRENT = raw('get-role-credentials-2025.json');
const OLDER = raw('portal-event-pre-2025.json');
const lookup = { accountId: '607481581596', region: 'ap-southeast-2' };

describe('normaliseEvent reads both shapes of an Identity Center fetch', () => {
  it('2025+: the person in onBehalfOf.userId, the target in serviceEventDetails', () => {
    const e = normaliseEvent({ EventId: '049a5a98-7ad4-4399-b735-eedddb45aa0f', CloudTrailEvent: CURRENT }, lookup)!;
    expect(e.userIdentity).toEqual({ type: 'IdentityCenterUser', userName: null, arn: null, onBehalfOfUserId: '976710cc5d-9d976f61-3b89-4b98-88db-2ea3bbc1f3fa', principalId: null });
    expect(e.federation).toEqual({ accountId: '950363612855', roleName: 'AdministratorAccess' });
    expect(e.outcome).toBe('Success');
  });

  it('before 2025: the person in principalId and userName (type Unknown)', () => {
    const e = normaliseEvent({ CloudTrailEvent: OLDER }, { accountId: '111111111111', region: 'us-east-1' })!;
    expect(e.userIdentity).toEqual({
      type: 'Unknown',
      userName: 'bobsmith@example.com',
      arn: null,
      onBehalfOfUserId: null,
      principalId: 'example.com//S-1-5-21-1122334455-3652759393-4233131409-1126',
    });
  });
});

const config = demoConfig();
const rules = loadRules({ dirs: [], config });
type Ids = { user: (upnPrefix: string) => { entra: string; ic: string; upn: string } };
const ids = (s: Snapshot): Ids['user'] => (prefix) => {
  const u = s.entra.users.data!.find((x) => x.userPrincipalName.startsWith(prefix))!;
  const ic = s.aws.identityStore.data!.users.find((x) => x.externalIds.some((e) => e.id === u.id))!;
  return { entra: u.id, ic: ic.userId, upn: u.userPrincipalName };
};

/** The current record, re-targeted at the demo and with its userIdentity replaced (shape kept). */
function fetchEvent(id: string, at: string, userIdentity: Record<string, unknown>, target: { account_id?: string; role_name?: string }): TrailEventT {
  const body = JSON.parse(CURRENT);
  body.eventID = id;
  body.eventTime = at;
  body.userIdentity = userIdentity;
  body.serviceEventDetails = target;
  return normaliseEvent({ CloudTrailEvent: JSON.stringify(body) }, lookup)!;
}
const current = (icUserId: string) => ({ ...JSON.parse(CURRENT).userIdentity, onBehalfOf: { userId: icUserId, identityStoreArn: 'arn:aws:identitystore::607481581596:identitystore/d-976710cc5d' } });
// The older shape (from the AWS user guide's portal record) with a given principalId and userName.
const older = (principalId: string, userName: string) => ({ ...JSON.parse(OLDER).userIdentity, principalId, userName });

function audit(events: (s: Snapshot, who: Ids['user']) => TrailEventT[], mutate: (s: Snapshot, who: Ids['user']) => void = () => {}) {
  const analysis = analyzeDemo((s) => {
    const who = ids(s);
    mutate(s, who);
    s.aws.cloudTrail.data!.events = events(s, who);
  });
  const findings = evaluateRules(rules, analysis, config);
  return (eventId: string) => {
    const item = analysis.resources.federationEvents!.find((f) => f.data.eventId === eventId)!;
    const fired = findings.filter((f) => f.finding.object.id === eventId);
    return { data: item.data, rules: fired.map((f) => f.finding.ruleId).sort(), evidence: fired.map((f) => f.finding.evidence) };
  };
}

// bob: eligible in prod-admins (AdministratorAccess in payments-prod 222222222222); activated 2026-10-01 05:00–07:00.
const DURING = '2026-10-01T05:10:00Z';
const AFTER = '2026-10-01T08:00:00Z';
const PROD = { account_id: '222222222222', role_name: 'AdministratorAccess' };

describe('who fetched: every field of both shapes', () => {
  it('the older shape names the Identity Center user id in principalId: matched, judged, and reported when late', () => {
    const at = audit((_, who) => [fetchEvent('old-shape', AFTER, older(who('bob.lee@').ic, 'someone-else'), PROD)]);
    const r = at('old-shape');
    expect(r.data).toMatchObject({ upn: expect.stringMatching(/^bob\.lee@/), attribution: 'attributed', jitAccess: true });
    expect(r.rules).toEqual(['access-after-activation-expired']);
  });

  it('the older shape with only a user name matches the identity-store user name', () => {
    const at = audit((s, who) => {
      const icName = s.aws.identityStore.data!.users.find((u) => u.userId === who('bob.lee@').ic)!.userName;
      return [fetchEvent('by-name', DURING, older('example.com//S-1-5-21-1122334455-3652759393-4233131409-1126', icName), PROD)];
    });
    expect(at('by-name').data).toMatchObject({ attribution: 'attributed', activation: { start: '2026-10-01T05:00:00Z' } });
  });
});

describe('a fetch nobody can be matched to is reported with its event id, never dropped', () => {
  it('an unknown Identity Center user', () => {
    const at = audit(() => [fetchEvent('ghost', DURING, current('9067ffffff-00000000-0000-0000-0000-000000000000'), PROD)]);
    const r = at('ghost');
    expect(r.data.attribution).toBe('unknown-user');
    expect(r.rules).toEqual(['credential-fetch-unattributed']);
    expect(r.evidence[0]).toMatchObject({ eventId: 'ghost', attribution: 'unknown-user' });
  });

  it('no permission set (a null role name)', () => {
    const at = audit((_, who) => [fetchEvent('no-role', DURING, current(who('bob.lee@').ic), { account_id: '222222222222' })]);
    expect(at('no-role')).toMatchObject({ data: { attribution: 'unknown-target', permissionSetName: null }, rules: ['credential-fetch-unattributed'] });
  });

  it('a person with no path to that account and permission set', () => {
    const at = audit((_, who) => [fetchEvent('no-path', DURING, current(who('grace.ito@').ic), PROD)]);
    expect(at('no-path')).toMatchObject({ data: { attribution: 'no-path' }, rules: ['credential-fetch-unattributed'] });
  });

  it('a failed fetch (an errorCode) fetched nothing', () => {
    const at = audit((_, who) => [{ ...fetchEvent('failed', DURING, current(who('grace.ito@').ic), PROD), outcome: 'Failure', errorCode: 'AccessDeniedException' }]);
    expect(at('failed')).toMatchObject({ data: { succeeded: false }, rules: [] });
  });
});

describe('a past fetch is judged against the access at its time', () => {
  it('eligibility removed since: the PIM history still shows the activation, and the late fetch is reported', () => {
    const at = audit(
      (_, who) => [fetchEvent('removed-since', AFTER, current(who('bob.lee@').ic), PROD)],
      (s, who) => {
        const pim = s.entra.pimSchedules.data!;
        pim.eligibilitySchedules = pim.eligibilitySchedules.filter((e) => e.principalId !== who('bob.lee@').entra);
        pim.eligibilityInstances = pim.eligibilityInstances.filter((e) => e.principalId !== who('bob.lee@').entra);
        pim.assignmentInstances = pim.assignmentInstances.filter((e) => e.principalId !== who('bob.lee@').entra);
        pim.assignmentSchedules = pim.assignmentSchedules.filter((e) => e.principalId !== who('bob.lee@').entra);
        for (const g of s.entra.groups.data!) g.members = g.members.filter((m) => m.id !== who('bob.lee@').entra);
      },
    );
    expect(at('removed-since')).toMatchObject({ data: { attribution: 'attributed', jitAccess: true, standingAccess: false }, rules: ['access-after-activation-expired'] });
  });

  it('eligibility granted after the fetch: the person had no path then', () => {
    // judy: eligible for PowerUser in payments-dev through dev-power; her fetch of 2026-09-25.
    const at = audit(
      (_, who) => [fetchEvent('before-eligible', '2026-09-25T16:45:00Z', current(who('judy.wu@').ic), { account_id: '444444444444', role_name: 'PowerUser' })],
      (s, who) => {
        for (const e of s.entra.pimSchedules.data!.eligibilitySchedules) if (e.principalId === who('judy.wu@').entra) e.createdDateTime = '2026-09-26T00:00:00Z';
      },
    );
    expect(at('before-eligible')).toMatchObject({ data: { attribution: 'no-path', jitAccess: false }, rules: ['credential-fetch-unattributed'] });
  });

  it('says what it assumed where there is no history', () => {
    const at = audit(() => {
      // A standing member of a group outside PIM: its membership has no history.
      const analysis = analyzeDemo();
      const p = analysis.accessPaths.find((x) => x.kind === 'direct-member' && x.principal.identityCenterUserId && x.group)!;
      return [fetchEvent('no-history', DURING, current(p.principal.identityCenterUserId!), { account_id: p.account.id, role_name: p.permissionSet.name })];
    });
    const r = at('no-history');
    expect(r.data.judgedAgainst).toMatch(/^current access \(no history for group .+\)$/);
    expect(at('no-history').data.standingAccess).toBe(true);
  });

  it('stays linear: 28,000 requests and a path per request', () => {
    const snapshot = demoSnapshot();
    const ix0 = new SnapshotIndex(snapshot, config);
    const paths = buildAccessPaths(ix0, []);
    const base = snapshot.entra.activations.data![0]!;
    const bob = ids(snapshot)('bob.lee@');
    // A quarter of the requests are bob's, in the granting group: each fetch of his looks at them.
    const requests = Array.from({ length: 28_000 }, (_, i) => ({ ...base, id: `r${i}`, principalId: i % 4 ? `p${i % 7000}` : bob.entra }));
    snapshot.entra.activations.data = requests;
    const events = Array.from({ length: 5000 }, (_, i) => fetchEvent(`e${i}`, DURING, current(i % 2 ? bob.ic : `u${i}`), PROD));
    snapshot.aws.cloudTrail.data!.events = events;
    const ix = new SnapshotIndex(snapshot, config);
    // The paths found, 300 times over.
    const order = Array.from({ length: 300 * paths.paths.length }, (_, i) => i % paths.paths.length);
    const many = { paths: order.map((i) => paths.paths[i]!), parts: pathParts(paths, order) };
    const t0 = performance.now();
    const items = credentialFetches(ix, many, (id) => ({ id, name: id, environment: 'prod' }));
    expect(items).toHaveLength(5000);
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
